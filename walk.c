// SPDX-License-Identifier: GPL-2.0
/*
 * The "records", "extents" and "ranges" visitors: a streamed walk of a
 * range into a bounded kernel buffer of struct ptwalk_record, filtered by
 * category while walking.  The caller drains the buffer and resumes at
 * v->pos.  Ranges coalesce like extents but ignore where the pages are:
 * that is the shape of a page-table dump.
 */
#include <linux/mm.h>
#include <linux/bits.h>
#include <linux/string.h>
#include "internal.h"

#define BIT_IF(cond, bit)	((cond) ? 1ULL << (bit) : 0)

/* a compact record's pfn and flags fields */
static_assert(__PHYSICAL_MASK_SHIFT - PAGE_SHIFT <= 40 && PTWALK_NR_ENTRY_FLAGS <= 19);
/* records are written field by field: a field added would go out unwritten */
static_assert(sizeof(struct ptwalk_record) == PTWALK_RECORD_SIZE_VER0);
static_assert(sizeof(struct ptwalk_record_compact) == PTWALK_RECORD_COMPACT_SIZE_VER0);

static u64 entry_cats(const struct ptw_entry *e, u64 flags)
{
	bool file = e->vma->vm_file;

	if (e->type == PTW_NONE)
		return BIT_IF(true, PTWALK_CAT_NONE) |
		       BIT_IF(ptw_soft_dirty(e, 0), PTWALK_CAT_SOFT_DIRTY) |
		       BIT_IF(file, PTWALK_CAT_FILE) | BIT_IF(!file, PTWALK_CAT_ANON);
	return BIT_IF(e->present, PTWALK_CAT_PRESENT) |
	       BIT_IF(e->kind == PTWALK_KIND_SWAP, PTWALK_CAT_SWAPPED) |
	       BIT_IF(ptw_flags_dirty(flags), PTWALK_CAT_DIRTY) |
	       BIT_IF(ptw_soft_dirty(e, flags), PTWALK_CAT_SOFT_DIRTY) |
	       BIT_IF(flags & BIT_ULL(PTWALK_EF_ACCESSED), PTWALK_CAT_ACCESSED) |
	       BIT_IF(e->present && e->size > PAGE_SIZE, PTWALK_CAT_HUGE) |
	       BIT_IF(e->kind == PTWALK_KIND_ZERO, PTWALK_CAT_ZERO) |
	       BIT_IF(file, PTWALK_CAT_FILE) | BIT_IF(!file, PTWALK_CAT_ANON) |
	       BIT_IF(e->present && (flags & BIT_ULL(PTWALK_EF_RW)), PTWALK_CAT_WRITABLE) |
	       BIT_IF(e->present && !(flags & BIT_ULL(PTWALK_EF_NX)), PTWALK_CAT_EXEC) |
	       BIT_IF(e->present && (flags & BIT_ULL(PTWALK_EF_RW)) &&
		      !(flags & BIT_ULL(PTWALK_EF_NX)), PTWALK_CAT_WX);
}

/* Can @r grow by @n, which follows it in virtual memory? */
static bool extends(const struct ptw_records *v, const struct ptwalk_record *r,
		    const struct ptwalk_record *n)
{
	if (r->va + r->length != n->va || r->kind != n->kind ||
	    r->level != n->level || r->flags != n->flags || r->cats != n->cats ||
	    r->vma_start != n->vma_start)
		return false;
	/* extents: physically contiguous too; hidden PFNs reveal no contiguity */
	return v->ranges || !r->present || !v->show_pfns ||
	       r->pfn + (r->length >> PAGE_SHIFT) == n->pfn;
}

/*
 * A record for a caller without CAP_SYS_ADMIN: pagemap's view, as
 * xlate_user_view() gives it (no frame, no swap type or offset).
 */
static void record_user_view(struct ptwalk_record *r)
{
	r->pfn = 0;
	r->entry = ptw_user_entry(r->entry, !r->present);
}

/*
 * Append @r to the buffer, or grow the last extent or range by it; 1 when
 * the buffer is full (the walk resumes at v->pos).  A compact record
 * keeps the level and kind in the low bits of its (page-aligned) va.
 */
static int put_record(struct ptw_records *v, const struct ptwalk_record *r)
{
	if (v->compact) {
		if (v->n == v->cap)
			return 1;
		v->cbuf[v->n++] = (struct ptwalk_record_compact) {
			.va = r->va | (u64)r->level << 5 | r->kind,
			.pfn_flags = r->pfn | r->flags << 40 |
				     (r->cats & BIT_ULL(PTWALK_CAT_SOFT_DIRTY) ?
				      PTWALK_RC_SOFT_DIRTY : 0),
		};
		return 0;
	}
	if ((v->extents || v->ranges) && v->n && extends(v, &v->buf[v->n - 1], r)) {
		v->buf[v->n - 1].length += r->length;
		return 0;
	}
	if (v->n == v->cap)
		return 1;
	v->buf[v->n++] = *r;
	return 0;
}

static int records_entry(void *priv, const struct ptw_entry *e)
{
	struct ptw_records *v = priv;
	unsigned long start, end;
	struct ptwalk_record r;
	u64 flags, cats;

	if (e->type == PTW_TABLE || e->type == PTW_BAD)
		return 0;
	start = max(e->start, v->pos);
	end = min(e->start + e->size, v->end);
	/* an entry above the PTE level may span past its VMA: clip to it too */
	if (e->size > PAGE_SIZE) {
		start = max(start, e->vma->vm_start);
		end = min(end, e->vma->vm_end);
	}
	if (start >= end)
		return 0;
	/* holes are the bulk of a sparse range: skip them before decoding */
	if (e->type == PTW_NONE && !v->holes &&
	    !(v->match_all & BIT_ULL(PTWALK_CAT_NONE))) {
		v->pos = end;
		return 0;
	}
	flags = ptw_entry_flags(e);
	cats = entry_cats(e, flags);
	/*
	 * For records_ptes(): what the next PTE with the same bits will get.
	 * It sets fast_key again after a PTE; after a huge leaf the next PTE
	 * table's first entry must be decoded anew, not take these.
	 */
	v->fast_key = 0;
	v->fast_flags = flags;
	v->fast_cats = cats;
	v->fast_match = (cats & v->match_all) == v->match_all && !(cats & v->match_none);
	v->fast_cflags = flags << 40 |
			 (cats & BIT_ULL(PTWALK_CAT_SOFT_DIRTY) ? PTWALK_RC_SOFT_DIRTY : 0);
	if (!v->fast_match) {
		v->pos = end;
		return 0;
	}
	r = (struct ptwalk_record) {
		.va = start,
		.length = end - start,
		.entry = e->val,
		.flags = flags,
		.cats = cats,
		.vma_start = e->vma->vm_start,
		.page_size_shift = ilog2(e->size),
		.kind = e->type == PTW_NONE ? PTWALK_KIND_NONE : e->kind,
		.level = e->level,
		.present = e->present,
	};
	if (e->present)
		r.pfn = e->pfn + ((start - e->start) >> PAGE_SHIFT);
	if (!v->show_pfns)
		record_user_view(&r);
	if (put_record(v, &r))
		return 1;	/* full: resume at v->pos */
	v->pos = end;
	return 0;
}

/*
 * A PTE's bits other than its frame's, from its value @val.  @pfn_mask is
 * PTE_PFN_MASK, which reads physical_mask (a variable: SME and TDX take
 * bits off it at boot): read once per run, as each record's store would
 * have the compiler read it again.
 */
static u64 pte_key(u64 val, u64 pfn_mask)
{
	return val & ~pfn_mask;
}

/*
 * pte_pfn() of the PTE of value @val in a run: its frame bits, XORed with
 * protnone_mask() (PROT_NONE leaves hold their frame inverted, for L1TF).
 * That mask depends on the bits the run's PTEs share alone, so it is taken
 * once per run (@inv), and each PTE's value is read once, not three times.
 */
static unsigned long run_pfn(u64 val, u64 inv, u64 pfn_mask)
{
	return ((val ^ inv) & pfn_mask) >> PAGE_SHIFT;
}

/* Step to the next PTE of a run: false past @end or where the run ends. */
static bool next_in_run(pte_t **p, unsigned long *a, unsigned long end, u64 *val,
			u64 key, u64 pfn_mask)
{
	(*p)++;
	*a = (*a & PAGE_MASK) + PAGE_SIZE;
	if (*a >= end)
		return false;
	*val = pte_val(ptep_get(*p));
	return pte_key(*val, pfn_mask) == key;
}

/*
 * The PTE of value @val, read at @*ptep (for @*addr), and the PTEs after
 * it up to @end whose key is v->fast_key, as @val's is: straight into the
 * buffer, with v's fields in locals (each record's stores may alias them).
 * @*ptep and @*addr end at the first PTE not taken; @val's is always taken
 * unless the buffer is full, which returns 1 (v->pos is where the walk
 * resumes).
 */
static int records_run(struct ptw_records *v, unsigned long vma_start, u64 val,
		       pte_t **ptep, unsigned long *addr, unsigned long end)
{
	const u64 pfn_mask = PTE_PFN_MASK, key = v->fast_key;
	const u64 inv = protnone_mask(key);
	const bool show = v->show_pfns;
	unsigned long a = *addr, pos = v->pos;
	unsigned int n = v->n, cap = v->cap;
	pte_t *p = *ptep;
	int ret = 0;

	if (!v->fast_match) {
		/* filtered out, all of it */
		do
			pos = min((a & PAGE_MASK) + PAGE_SIZE, end);
		while (next_in_run(&p, &a, end, &val, key, pfn_mask));
	} else if (v->compact) {
		struct ptwalk_record_compact *c = v->cbuf;
		const u64 cflags = v->fast_cflags;

		do {
			if (n == cap) {
				ret = 1;
				break;
			}
			c[n].va = max(a & PAGE_MASK, pos) | PTWALK_LEVEL_PTE << 5 |
				  PTWALK_KIND_NORMAL;
			c[n++].pfn_flags = (show ? run_pfn(val, inv, pfn_mask) : 0) | cflags;
			pos = min((a & PAGE_MASK) + PAGE_SIZE, end);
		} while (next_in_run(&p, &a, end, &val, key, pfn_mask));
	} else {
		const u64 flags = v->fast_flags, cats = v->fast_cats;
		const bool coalesce = v->extents || v->ranges, any_pfn = v->ranges || !show;
		unsigned long page, start, stop, pfn;
		struct ptwalk_record *last, *r;
		bool same = false;	/* last's fields are this run's */

		/*
		 * Extents and ranges grow their last record, as extends()
		 * lets them.  One from before the run is compared field by
		 * field, only when it ends where a page of the run starts.
		 */
		last = coalesce && n ? &v->buf[n - 1] : NULL;
		do {
			page = a & PAGE_MASK;
			start = max(page, pos);
			stop = min(page + PAGE_SIZE, end);
			pfn = show ? run_pfn(val, inv, pfn_mask) : 0;
			if (last && !same && last->va + last->length == start)
				same = last->flags == flags && last->cats == cats &&
				       last->vma_start == vma_start &&
				       last->kind == PTWALK_KIND_NORMAL &&
				       last->level == PTWALK_LEVEL_PTE;
			if (same && last->va + last->length == start &&
			    (any_pfn || last->pfn + (last->length >> PAGE_SHIFT) == pfn)) {
				last->length += stop - start;
			} else {
				if (n == cap) {
					ret = 1;
					break;
				}
				/*
				 * Field by field: a compound literal is zeroed
				 * whole first (its padding), then filled.
				 */
				r = &v->buf[n++];
				r->va = start;
				r->length = stop - start;
				r->pfn = pfn;
				/* record_user_view() of a present leaf */
				r->entry = val;
				if (!show)
					r->entry = ptw_user_entry(r->entry, false);
				r->flags = flags;
				r->cats = cats;
				r->vma_start = vma_start;
				r->page_size_shift = PAGE_SHIFT;
				r->kind = PTWALK_KIND_NORMAL;
				r->level = PTWALK_LEVEL_PTE;
				r->present = true;
				r->pad = 0;
				/* plain records (not extents or ranges) never grow */
				last = coalesce ? r : NULL;
				same = coalesce;
			}
			pos = stop;
		} while (next_in_run(&p, &a, end, &val, key, pfn_mask));
	}
	v->n = n;
	v->pos = pos;
	*ptep = p;
	*addr = a;
	return ret;
}

/*
 * A PTE table at once, for walks without holes.  Neighbouring PTEs mostly
 * differ in their frame alone: a normal present leaf's flags, categories
 * and filter verdict depend only on its other bits and its VMA, so they
 * are decoded once per run of equal bits (v->fast_*), and every other
 * entry goes through records_entry() as the walker would give it.
 */
static int records_ptes(void *priv, struct vm_area_struct *vma, pte_t *ptep,
			unsigned long addr, unsigned long end)
{
	const u64 pfn_mask = PTE_PFN_MASK;
	struct ptw_records *v = priv;
	struct ptw_entry e;
	pte_t pte;
	u64 val, key;
	int ret;

	while (addr < end) {
		pte = ptep_get(ptep);
		if (pte_none(pte)) {
			unsigned int n = ((end - 1) >> PAGE_SHIFT) - (addr >> PAGE_SHIFT) + 1;
			unsigned int skip = ptw_count_empty(ptep, n);

			if (skip == n)
				break;
			ptep += skip;
			addr = (addr & PAGE_MASK) + skip * PAGE_SIZE;
			pte = ptep_get(ptep);
		}
		val = pte_val(pte);
		key = pte_key(val, pfn_mask);
		/* fast_key 0 is no run: a PTE of key 0 is never taken for one */
		if (key && key == v->fast_key && vma == v->fast_vma) {
			/* the bulk of a dense range; it takes this PTE at least */
			ret = records_run(v, vma->vm_start, val, &ptep, &addr, end);
			if (ret)
				return ret;
			continue;
		}
		ptw_pte_entry(vma, ptep, pte, addr, &e);
		ret = records_entry(v, &e);
		if (ret)
			return ret;
		/*
		 * A present leaf's key is never 0: _PAGE_PRESENT or
		 * _PAGE_PROTNONE.  Not where equal bits may map another kind.
		 */
		v->fast_key = e.type == PTW_LEAF && e.kind == PTWALK_KIND_NORMAL &&
			      ptw_pte_bits_tell_kind(vma) ? key : 0;
		v->fast_vma = vma;
		ptep++;
		addr = (addr & PAGE_MASK) + PAGE_SIZE;
	}
	return 0;
}

static int records_gap(void *priv, unsigned long start, unsigned long end)
{
	struct ptw_records *v = priv;

	v->pos = max(v->pos, end);
	return 0;
}

/* records_entry() has nothing to do with tables: not called for them */
static const struct ptw_ops records_ops = {
	.gap = records_gap,
	.entry = records_entry,
	.ptes = records_ptes,
	.skip_empty_ptes = true,
	.leaves_only = true,
};

static const struct ptw_ops records_holes_ops = {
	.gap = records_gap,
	.entry = records_entry,
	.leaves_only = true,
};

/*
 * Walk [v->pos, v->end) of @mm, grabbed (ptw_target_grab()), until the
 * range ends or v->buf is full; v->pos is where the next call resumes.
 * The walk takes the mmap lock itself, in holds bounded by the entries
 * they read (struct ptw_bound), so a filter that matches nothing or a run
 * that merges into one record never keeps the lock longer than one hold:
 * a record may grow across holds, and each of its pages was read under
 * one of them.  -ESRCH once the address space is gone (v->n records found
 * before stay valid), -EINTR on a signal.
 */
int ptw_walk_records(struct mm_struct *mm, struct ptw_records *v)
{
	bool holes = v->holes || (v->match_all & BIT_ULL(PTWALK_CAT_NONE));
	const struct ptw_ops *ops = holes ? &records_holes_ops : &records_ops;
	struct ptw_bound b = { .max_entries = PTW_HOLD_ENTRIES };
	int ret;

	ret = ptw_hold(mm);
	if (ret)
		return ret;
	for (;;) {
		/* a VMA seen under an earlier hold of the lock may be gone */
		v->fast_key = 0;
		v->fast_vma = NULL;
		ret = ptw_walk_bounded(mm, v->pos, v->end, ops, v, &b);
		if (ret != PTW_YIELD)
			break;
		/* all below b.next was seen, including what the filter dropped */
		v->pos = max(v->pos, b.next);
		ret = ptw_rehold(mm);
		if (ret)
			return ret;	/* nothing held */
	}
	if (!ret)
		v->pos = v->end;
	if (ret >= 0 && v->first_vma && v->n)
		ptw_read_vma_at(mm, v->buf[0].va, v->first_vma);
	ptw_unhold(mm);
	return min(ret, 0);
}
