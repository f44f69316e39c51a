// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding of what the walker read into the uapi vocabulary: entry flags
 * from the kernel's own _PAGE_* masks (never bit numbers), swap-type
 * entries, struct page/folio state and VMA properties.
 */
#include <linux/mm.h>
#include <linux/hugetlb.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/string.h>
#include <linux/err.h>
#include <linux/userfaultfd_k.h>
#include "compat.h"
#include "internal.h"

#define BIT_IF(cond, bit)	((cond) ? 1ULL << (bit) : 0)

#define HW_LOW_BITS	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_PWT | \
			 _PAGE_PCD | _PAGE_ACCESSED)
static_assert(_PAGE_PRESENT == BIT(PTWALK_EF_PRESENT) && _PAGE_RW == BIT(PTWALK_EF_RW) &&
	      _PAGE_USER == BIT(PTWALK_EF_USER) && _PAGE_PWT == BIT(PTWALK_EF_PWT) &&
	      _PAGE_PCD == BIT(PTWALK_EF_PCD) && _PAGE_ACCESSED == BIT(PTWALK_EF_ACCESSED));

/*
 * A leaf's uffd bit (present or swap form) as what it means in its VMA:
 * write-protect where the VMA is registered for that, read-write-protect
 * where it is registered for 7.3's RWP mode; anywhere else it protects
 * nothing (no fault would report it), so it is not told.
 */
static u64 uffd_flags(const struct ptw_entry *e, bool bit)
{
	if (!bit)
		return 0;
	if (userfaultfd_wp(e->vma))
		return BIT_ULL(PTWALK_EF_UFFD_WP);
	if (ptw_userfaultfd_rwp(e->vma))
		return BIT_ULL(PTWALK_EF_UFFD_RWP);
	return 0;
}

u64 ptw_entry_flags(const struct ptw_entry *e)
{
	bool leaf = e->type == PTW_LEAF;
	pteval_t v = e->val;
	u64 f = 0;

	if (e->type == PTW_NONE)
		return 0;
	if (leaf && !e->present) {
		pte_t pte = __pte(v);

		/* a uffd-wp marker is write-protected, as pagemap says it */
		return BIT_IF(pte_swp_soft_dirty(pte), PTWALK_EF_SOFT_DIRTY) |
		       uffd_flags(e, ptw_pte_swp_uffd_wp(pte)) |
		       BIT_IF(e->kind == PTWALK_KIND_UFFD_WP, PTWALK_EF_UFFD_WP) |
		       BIT_IF(pte_swp_exclusive(pte), PTWALK_EF_SWP_EXCLUSIVE);
	}
	/* the low hardware bits have the same numbers in PTWALK_EF_* */
	f = v & HW_LOW_BITS;
	f |= BIT_IF(v & _PAGE_NX, PTWALK_EF_NX);
	if (!leaf)
		return f;
	/* Software bits and PAT/PSE mean something only in a leaf. */
	f |= BIT_IF(v & _PAGE_DIRTY, PTWALK_EF_DIRTY);
	f |= BIT_IF(v & PTW_PAGE_SAVED_DIRTY, PTWALK_EF_SAVED_DIRTY);
	if (e->level == PTWALK_LEVEL_PTE) {
		f |= BIT_IF(v & _PAGE_PAT, PTWALK_EF_PAT);
	} else {
		f |= BIT_IF(v & _PAGE_PSE, PTWALK_EF_PSE);
		f |= BIT_IF(v & _PAGE_PAT_LARGE, PTWALK_EF_PAT);
	}
	/* _PAGE_PROTNONE is _PAGE_GLOBAL reused while _PAGE_PRESENT is clear */
	if (v & _PAGE_PRESENT)
		f |= BIT_IF(v & _PAGE_GLOBAL, PTWALK_EF_GLOBAL);
	else
		f |= BIT_IF(v & _PAGE_PROTNONE, PTWALK_EF_PROTNONE);
	f |= BIT_IF(v & _PAGE_SOFT_DIRTY, PTWALK_EF_SOFT_DIRTY);
	f |= uffd_flags(e, v & PTW_PAGE_UFFD_WP);
	f |= BIT_IF(v & _PAGE_SPECIAL, PTWALK_EF_SPECIAL);
	f |= BIT_IF(v & PTW_PAGE_DEVMAP, PTWALK_EF_DEVMAP);
	return f;
}

u8 ptw_entry_pkey(const struct ptw_entry *e)
{
	if (e->type != PTW_LEAF || !e->present)
		return 0;
	return pte_flags_pkey(e->val & PTE_FLAGS_MASK);
}

/* Kind of a non-present entry, with its type and offset. */
u8 ptw_swap_kind(u64 val, u64 *type, u64 *offset)
{
	return ptw_nonpresent_kind(__pte(val), type, offset);
}

/*
 * Whether @page, mapped by a PMD leaf of @vma, is the huge zero page (not
 * exported): the one PMD-mapped folio that is not anonymous in a private
 * anonymous VMA (a private /dev/zero mapping is one: vma_is_anonymous(),
 * though vm_file is set), and the one that is not ZONE_DEVICE memory in a
 * DAX file (fsdax maps it over holes); it is in no other VMA, where the
 * folio is not read.  Asked before the special bit (7.3 maps it special)
 * and before ZONE_DEVICE (7.3 tells that by the page's zone).
 */
bool ptw_huge_zero_page(struct vm_area_struct *vma, struct page *page)
{
	bool anon = vma_is_anonymous(vma);

	/* the VMA first: elsewhere the folio is not worth a read */
	if (!page || !(anon || vma_is_dax(vma)) || folio_test_anon(page_folio(page)))
		return false;
	return anon || !is_zone_device_page(page);
}

/* A snapshot of the page; the caller holds the lock of the entry mapping it. */
void ptw_read_page(struct page *page, u8 kind, struct ptwalk_page *out)
{
	struct folio *folio = page_folio(page);
	bool hugetlb = folio_test_hugetlb(folio);
	u64 f = 0;

	f |= BIT_IF(folio_test_lru(folio), PTWALK_PF_LRU);
	f |= BIT_IF(folio_test_active(folio), PTWALK_PF_ACTIVE);
	f |= BIT_IF(folio_test_referenced(folio), PTWALK_PF_REFERENCED);
	f |= BIT_IF(folio_test_dirty(folio), PTWALK_PF_DIRTY);
	f |= BIT_IF(folio_test_swapbacked(folio), PTWALK_PF_SWAPBACKED);
	f |= BIT_IF(folio_test_anon(folio), PTWALK_PF_ANON);
	f |= BIT_IF(folio_test_ksm(folio), PTWALK_PF_KSM);
	f |= BIT_IF(PageHead(page), PTWALK_PF_HEAD);
	f |= BIT_IF(PageTail(page), PTWALK_PF_TAIL);
	f |= BIT_IF(folio_test_locked(folio), PTWALK_PF_LOCKED);
	f |= BIT_IF(folio_test_writeback(folio), PTWALK_PF_WRITEBACK);
	f |= BIT_IF(folio_test_uptodate(folio), PTWALK_PF_UPTODATE);
	f |= BIT_IF(folio_test_mlocked(folio), PTWALK_PF_MLOCKED);
	f |= BIT_IF(folio_test_unevictable(folio), PTWALK_PF_UNEVICTABLE);
	if (!PageCompound(page))
		f |= BIT_IF(PageReserved(page), PTWALK_PF_RESERVED);
	f |= BIT_IF(folio_test_swapcache(folio), PTWALK_PF_SWAPCACHE);
	f |= BIT_IF(hugetlb, PTWALK_PF_HUGETLB);
	f |= BIT_IF(folio_test_large(folio) && !hugetlb, PTWALK_PF_THP);
	f |= BIT_IF(kind == PTWALK_KIND_ZERO, PTWALK_PF_ZERO);
	f |= BIT_IF(PageHWPoison(page), PTWALK_PF_HWPOISON);

	out->flags = f;
	out->refcount = folio_ref_count(folio);
	out->mapcount = ptw_page_mapcount(folio, page);
	out->order = folio_order(folio);
	out->node = page_to_nid(page);
	/* zero-padded: the whole array is copied out */
	memset(out->zone, 0, sizeof(out->zone));
	strscpy(out->zone, page_zone(page)->name, sizeof(out->zone));
}

/*
 * Zero @buf (of @size, a multiple of 8, 8-aligned) after the string of
 * @len bytes it holds, a word at a time: the whole array is copied out.
 */
static void zero_pad(char *buf, size_t len, size_t size)
{
	size_t i = len + 1;

	for (; i < size && (i & 7); i++)
		buf[i] = 0;
	for (; i < size; i += 8)
		*(u64 *)(buf + i) = 0;
}

static void vma_name(struct vm_area_struct *vma, char *buf, size_t len)
{
	struct mm_struct *mm = vma->vm_mm;
	const char *name = NULL;
	ssize_t n;
	char *path;

	if (vma->vm_file) {
		path = d_path(ptw_file_user_path(vma->vm_file), buf, len);
		if (IS_ERR(path)) {
			n = strscpy(buf, "(path too long)", len);
		} else {
			n = strlen(path);
			memmove(buf, path, n + 1);
		}
	} else {
		if (vma->vm_ops && vma->vm_ops->name)
			name = vma->vm_ops->name(vma);
		else if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk)
			name = "[heap]";
		else if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack)
			name = "[stack]";
		n = strscpy(buf, name ? name : "", len);
	}
	zero_pad(buf, n < 0 ? len - 1 : n, len);
}

/* The VMA without its name: range, offset, flags. */
void ptw_read_vma_head(struct vm_area_struct *vma, struct ptwalk_vma *out)
{
	vm_flags_t vf = vma->vm_flags;
	u64 f = 0;

	out->start = vma->vm_start;
	out->end = vma->vm_end;
	out->pgoff = vma->vm_file ? (u64)vma->vm_pgoff << PAGE_SHIFT : 0;
	f |= BIT_IF(vf & VM_READ, PTWALK_VF_READ);
	f |= BIT_IF(vf & VM_WRITE, PTWALK_VF_WRITE);
	f |= BIT_IF(vf & VM_EXEC, PTWALK_VF_EXEC);
	f |= BIT_IF(vf & VM_MAYSHARE, PTWALK_VF_SHARED);
	f |= BIT_IF(vf & VM_LOCKED, PTWALK_VF_LOCKED);
	f |= BIT_IF(vf & VM_HUGEPAGE, PTWALK_VF_HUGEPAGE);
	f |= BIT_IF(vf & VM_NOHUGEPAGE, PTWALK_VF_NOHUGEPAGE);
	f |= BIT_IF(vf & VM_IO, PTWALK_VF_IO);
	f |= BIT_IF(vf & VM_PFNMAP, PTWALK_VF_PFNMAP);
	f |= BIT_IF(vf & VM_GROWSDOWN, PTWALK_VF_GROWSDOWN);
	f |= BIT_IF(vf & VM_HUGETLB, PTWALK_VF_HUGETLB);
	f |= BIT_IF(vf & VM_MIXEDMAP, PTWALK_VF_MIXEDMAP);
	f |= BIT_IF(vf & VM_DONTDUMP, PTWALK_VF_DONTDUMP);
	f |= BIT_IF(vma->vm_file, PTWALK_VF_FILE);
	f |= BIT_IF(vma_is_anonymous(vma), PTWALK_VF_ANON);
	out->flags = f;
}

void ptw_read_vma(struct vm_area_struct *vma, struct ptwalk_vma *out)
{
	ptw_read_vma_head(vma, out);
	vma_name(vma, out->name, sizeof(out->name));
}

/* The VMA covering or following @addr (mmap lock held), or all zero. */
void ptw_read_vma_at(struct mm_struct *mm, unsigned long addr,
		     struct ptwalk_vma *out)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	/* unmapped since @addr was read: find_vma() gives the next one up */
	if (vma && vma->vm_start <= addr)
		ptw_read_vma(vma, out);
	else
		memset(out, 0, sizeof(*out));
}

unsigned int ptw_paging_levels(void)
{
	return pgtable_l5_enabled() ? 5 : 4;
}

u64 ptw_user_va_end(void)
{
	return TASK_SIZE_MAX;
}

/* 0 for a user address, -EFAULT for the kernel half, -EINVAL if non-canonical. */
int ptw_check_user_addr(u64 va)
{
	if (va < TASK_SIZE_MAX)
		return 0;
	if (sign_extend64(va, __VIRTUAL_MASK_SHIFT) != (s64)va)
		return -EINVAL;
	return -EFAULT;
}
