// SPDX-License-Identifier: GPL-2.0
/*
 * The per-VMA statistics visitor: what backs each byte of one VMA, which
 * page tables its range reaches, and how physically contiguous it is.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched.h>
#include <linux/bits.h>
#include <linux/log2.h>
#include "internal.h"

struct stats_walk {
	struct ptwalk_vma_stats *s;
	struct vm_area_struct *vma;
	bool show_pfns;
	/* the part still to walk: an upper entry is seen again by each hold */
	unsigned long lo, hi;
	/* the table at the VMA's start, per table level, is an earlier VMA's too */
	bool shared_first[PTWALK_NR_LEVELS];
	/* the last table counted, per level: each hold re-reads the upper ones */
	u64 last_table[PTWALK_NR_LEVELS];
	/* the extent being built: next va and pfn that would extend it */
	unsigned long ext_va;
	unsigned long ext_pfn;
	u64 ext_len;
};

/* Bytes of address space one table of @level spans. */
static unsigned long table_span(unsigned int level)
{
	switch (level) {
	case PTWALK_LEVEL_PTE:
		return PMD_SIZE;
	case PTWALK_LEVEL_PMD:
		return PUD_SIZE;
	case PTWALK_LEVEL_PUD:
		return P4D_SIZE;
	default:
		return PGDIR_SIZE;
	}
}

/*
 * A table is shared with earlier VMAs iff its span starts below this VMA
 * and some earlier VMA ends inside the span: that VMA's walk reached it.
 */
static void find_shared_tables(struct stats_walk *w)
{
	struct vm_area_struct *vma = w->vma;
	unsigned int level;

	for (level = PTWALK_LEVEL_P4D; level <= PTWALK_LEVEL_PTE; level++) {
		unsigned long span_start = vma->vm_start & ~(table_span(level) - 1);
		struct vm_area_struct *first;

		if (span_start == vma->vm_start)
			continue;
		first = find_vma(vma->vm_mm, span_start);
		w->shared_first[level] = first && first != vma;
	}
}

static void count_table(struct stats_walk *w, const struct ptw_entry *e)
{
	unsigned int table = e->level + 1;	/* the level of the table it points to */

	/* 4-level: the PGD entry points to the PUD table the folded P4D reports */
	if (table == PTWALK_LEVEL_P4D && ptw_paging_levels() < 5)
		return;
	if (w->last_table[table] == (e->val & PTE_PFN_MASK))
		return;
	w->last_table[table] = e->val & PTE_PFN_MASK;
	w->s->tables[table]++;
	if (e->start >= w->vma->vm_start || !w->shared_first[table])
		w->s->tables_first[table]++;
}

static unsigned int size_index(unsigned long size)
{
	if (size >= PUD_SIZE)
		return PTWALK_PS_1G;
	return size >= PMD_SIZE ? PTWALK_PS_2M : PTWALK_PS_4K;
}

static void count_extent(struct stats_walk *w, unsigned long va,
			 unsigned long pfn, u64 bytes)
{
	struct ptwalk_vma_stats *s = w->s;

	if (!w->show_pfns)
		return;		/* contiguity would tell about PFNs */
	if (!s->extents || va != w->ext_va || pfn != w->ext_pfn) {
		s->extents++;
		w->ext_len = 0;
	}
	w->ext_len += bytes;
	w->ext_va = va + bytes;
	w->ext_pfn = pfn + (bytes >> PAGE_SHIFT);
	s->largest_extent = max(s->largest_extent, w->ext_len);
}

static void count_resident(struct stats_walk *w, const struct ptw_entry *e,
			   unsigned long start, u64 bytes)
{
	struct ptwalk_vma_stats *s = w->s;
	int nid = page_to_nid(e->page);
	/* a snapshot under the entry's lock, as ptw_read_page() takes it */
	unsigned int order = folio_order(page_folio(e->page));

	s->resident[size_index(e->size)] += bytes;
	s->resident_folio[min_t(unsigned int, order, PTWALK_NR_FOLIO_ORDERS - 1)] += bytes;
	if (e->kind == PTWALK_KIND_HUGETLB)
		s->hugetlb += bytes;
	if (e->kind == PTWALK_KIND_THP && e->level == PTWALK_LEVEL_PMD)
		s->thp++;
	if (nid < PTWALK_MAX_NODES)
		s->node[nid] += bytes;
	else
		s->node_other += bytes;
	count_extent(w, start, e->pfn + ((start - e->start) >> PAGE_SHIFT), bytes);
}

/* x86 keeps a PTE table aside for every anonymous PMD mapping (to split it). */
static bool has_deposit(const struct ptw_entry *e)
{
	return e->level == PTWALK_LEVEL_PMD && vma_is_anonymous(e->vma) &&
	       (e->kind == PTWALK_KIND_THP || e->kind == PTWALK_KIND_ZERO ||
		e->kind == PTWALK_KIND_MIGRATION);
}

static void count_leaf(struct stats_walk *w, const struct ptw_entry *e,
		       unsigned long start, u64 bytes)
{
	struct ptwalk_vma_stats *s = w->s;
	u64 flags = ptw_entry_flags(e);

	if (has_deposit(e))
		s->pte_deposited++;
	if (ptw_soft_dirty(e, flags))
		s->soft_dirty += bytes;
	if (!e->present) {
		if (e->kind == PTWALK_KIND_SWAP)
			s->swapped += bytes;
		else
			s->other += bytes;
		return;
	}
	if (e->kind == PTWALK_KIND_ZERO)
		s->zero += bytes;
	else if (e->page)
		count_resident(w, e, start, bytes);
	else
		s->other += bytes;
	if (ptw_flags_dirty(flags))
		s->dirty += bytes;
	if (flags & BIT_ULL(PTWALK_EF_ACCESSED))
		s->accessed += bytes;
	if (!(flags & BIT_ULL(PTWALK_EF_RW)))
		s->write_protected += bytes;
}

static int stats_entry(void *priv, const struct ptw_entry *e)
{
	struct stats_walk *w = priv;
	unsigned long start = max3(e->start, w->vma->vm_start, w->lo);
	unsigned long end = min3(e->start + e->size, w->vma->vm_end, w->hi);

	/* 4-level: the folded P4D repeats the PGD entry; only its table counts */
	if (e->folded && e->type != PTW_TABLE)
		return 0;
	switch (e->type) {
	case PTW_TABLE:
		count_table(w, e);
		break;
	case PTW_NONE:		/* above the PTE level; empty PTEs are skipped */
		break;
	case PTW_BAD:
		w->s->other += end - start;
		break;
	case PTW_LEAF:
		count_leaf(w, e, start, end - start);
		break;
	}
	return 0;
}

static const struct ptw_ops stats_ops = {
	.entry = stats_entry,
	.skip_empty_ptes = true,
	.pages = true,
};

/* The first VMA starting at or above @addr: one that grew is not seen twice. */
static struct vm_area_struct *vma_from(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (vma && vma->vm_start < addr)
		vma = find_vma(mm, vma->vm_end);
	return vma;
}

/*
 * The statistics a caller without CAP_SYS_ADMIN gets: pagemap's view, as
 * xlate_user_view() gives it.  Extents are never counted for it (they are
 * contiguity of frames); folio sizes (kpageflags' THP bits) become leaf
 * sizes, the page-table shape smaps shows the owner (AnonHugePages,
 * KernelPageSize).  Per-node bytes stay: numa_maps shows them.
 */
static void stats_user_view(struct ptwalk_vma_stats *s)
{
	memset(s->resident_folio, 0, sizeof(s->resident_folio));
	s->resident_folio[0] = s->resident[PTWALK_PS_4K];
	s->resident_folio[PMD_SHIFT - PAGE_SHIFT] = s->resident[PTWALK_PS_2M];
	s->resident_folio[PUD_SHIFT - PAGE_SHIFT] = s->resident[PTWALK_PS_1G];
	s->extents = 0;
	s->largest_extent = 0;
}

/*
 * Statistics of the first VMA of @t (grabbed: ptw_target_grab()) that
 * starts at or above @addr.  The walk takes the mmap lock itself, in
 * holds bounded by the entries they read (struct ptw_bound), so a huge
 * VMA never keeps it long; each hold resumes where the last one stopped.
 * If the VMA is gone or is another mapping after a hold, what was counted
 * stays and the rest reads as never faulted.  Returns 1 with @s filled, 0 if no VMA
 * is left, or -errno (-ESRCH once the address space is gone).
 */
/*
 * Is @vma, found again at @addr after a re-lock, still the mapping first
 * seen at @start with @file and @pgoff?  A neighbour merged in (brk, an
 * adjacent mmap) or a split keeps it; anything else does not.
 */
static bool same_mapping(struct vm_area_struct *vma, unsigned long addr,
			 struct file *file, unsigned long pgoff, unsigned long start)
{
	return vma && vma->vm_start <= addr && vma->vm_file == file &&
	       vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT) ==
	       pgoff + ((addr - start) >> PAGE_SHIFT);
}

int ptw_vma_stats(struct ptw_target *t, unsigned long addr, bool show_pfns,
		  struct ptwalk_vma_stats *s)
{
	struct stats_walk w = { .s = s, .show_pfns = show_pfns };
	struct ptw_bound b = { .max_entries = PTW_HOLD_ENTRIES };
	struct file *file;	/* compared, never dereferenced */
	unsigned long pgoff;
	int ret;

	ret = ptw_hold(t->mm);
	if (ret)
		return ret;
	w.vma = vma_from(t->mm, addr);
	if (!w.vma) {
		ptw_unhold(t->mm);
		return 0;
	}
	memset(s, 0, sizeof(*s));
	ptw_read_vma(w.vma, &s->vma);
	find_shared_tables(&w);
	w.lo = s->vma.start;
	w.hi = s->vma.end;
	file = w.vma->vm_file;
	pgoff = w.vma->vm_pgoff;
	for (;;) {
		ret = ptw_walk_bounded(t->mm, w.lo, w.hi, &stats_ops, &w, &b);
		if (ret != PTW_YIELD)
			break;
		w.lo = b.next;	/* upper entries seen again count from here */
		ret = ptw_rehold(t->mm);
		if (ret)
			return ret;	/* nothing held */
		w.vma = find_vma(t->mm, w.lo);
		if (!same_mapping(w.vma, w.lo, file, pgoff, s->vma.start)) {
			ret = 0;
			break;
		}
		/* merged with a neighbour or split: this VMA's part only */
		w.hi = min(w.hi, w.vma->vm_end);
		if (w.lo >= w.hi)
			break;
	}
	ptw_unhold(t->mm);
	if (ret < 0)
		return ret;
	/* never faulted: what no leaf maps, counted without visiting holes */
	s->none = s->vma.end - s->vma.start - s->resident[PTWALK_PS_4K] -
		  s->resident[PTWALK_PS_2M] - s->resident[PTWALK_PS_1G] -
		  s->zero - s->swapped - s->other;
	if (!show_pfns)
		stats_user_view(s);
	return 1;
}

/* Add @s to the process total @t, each page table once. */
void ptw_vma_stats_add(struct ptwalk_vma_stats *t, const struct ptwalk_vma_stats *s)
{
	unsigned int i;

	for (i = 0; i < PTWALK_NR_PS; i++)
		t->resident[i] += s->resident[i];
	for (i = 0; i < PTWALK_NR_FOLIO_ORDERS; i++)
		t->resident_folio[i] += s->resident_folio[i];
	t->thp += s->thp;
	t->hugetlb += s->hugetlb;
	t->zero += s->zero;
	t->swapped += s->swapped;
	t->none += s->none;
	t->other += s->other;
	t->dirty += s->dirty;
	t->accessed += s->accessed;
	t->soft_dirty += s->soft_dirty;
	t->write_protected += s->write_protected;
	for (i = 0; i < PTWALK_NR_LEVELS; i++) {
		t->tables[i] += s->tables_first[i];
		t->tables_first[i] += s->tables_first[i];
	}
	t->pte_deposited += s->pte_deposited;
	t->extents += s->extents;
	t->largest_extent = max(t->largest_extent, s->largest_extent);
	for (i = 0; i < PTWALK_MAX_NODES; i++)
		t->node[i] += s->node[i];
	t->node_other += s->node_other;
}
