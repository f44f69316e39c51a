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
	if ((cats & v->match_all) != v->match_all || (cats & v->match_none)) {
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
	if ((v->extents || v->ranges) && v->n && extends(v, &v->buf[v->n - 1], &r)) {
		v->buf[v->n - 1].length += r.length;
	} else {
		if (v->n == v->cap)
			return 1;	/* full: resume at v->pos */
		v->buf[v->n++] = r;
	}
	v->pos = end;
	return 0;
}

static int records_gap(void *priv, unsigned long start, unsigned long end)
{
	struct ptw_records *v = priv;

	v->pos = max(v->pos, end);
	return 0;
}

static const struct ptw_ops records_ops = {
	.gap = records_gap,
	.entry = records_entry,
	.skip_empty_ptes = true,
};

static const struct ptw_ops records_holes_ops = {
	.gap = records_gap,
	.entry = records_entry,
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
