// SPDX-License-Identifier: GPL-2.0
/*
 * The "translate one address" visitor: walks [va, va + 1) and records
 * every level's entry, the leaf, the VMA and the page into a
 * struct ptwalk_xlate.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/bits.h>
#include <linux/string.h>
#include "internal.h"

struct xlate_visit {
	struct ptwalk_xlate *x;
	u32 fields;		/* PTWALK_XF_*, PTWALK_XF_LEAF set */
	u8 levels_set;		/* bit n: levels[n] was written */
};

static int xlate_vma(void *priv, struct vm_area_struct *vma)
{
	struct xlate_visit *v = priv;

	v->x->kind = PTWALK_KIND_NONE;
	if (!(v->fields & PTWALK_XF_VMA))
		return 0;
	if (v->fields & PTWALK_XF_VMA_NAME)
		ptw_read_vma(vma, &v->x->vma);
	else
		ptw_read_vma_head(vma, &v->x->vma);
	v->x->valid |= PTWALK_XV_VMA;
	return 0;
}

static void xlate_leaf(struct ptwalk_xlate *x, const struct ptw_entry *e)
{
	x->kind = e->kind;
	x->page_size = e->size;
	x->present = e->present;
	if (!e->present) {
		x->swap_type = e->swp_type;
		x->swap_offset = e->swp_offset;
		x->valid |= PTWALK_XV_SWAP;
		return;
	}
	/* The byte asked for may sit anywhere inside a huge leaf. */
	x->pfn = e->pfn + ((x->va - e->start) >> PAGE_SHIFT);
	x->phys = PFN_PHYS(x->pfn) | (x->va & ~PAGE_MASK);
	x->valid |= PTWALK_XV_PFN;
	if (e->page) {
		/* the leaf's pfns all have a struct page if its first has */
		ptw_read_page(pfn_to_page(x->pfn), e->kind, &x->page);
		x->valid |= PTWALK_XV_PAGE;
	}
}

static int xlate_entry(void *priv, const struct ptw_entry *e)
{
	static const u8 state_of[] = {
		[PTW_TABLE] = PTWALK_STATE_TABLE,
		[PTW_LEAF] = PTWALK_STATE_LEAF,
		[PTW_NONE] = PTWALK_STATE_NONE,
		[PTW_BAD] = PTWALK_STATE_BAD,
	};
	struct xlate_visit *v = priv;
	struct ptwalk_xlate *x = v->x;

	/* a table is never the last entry: the leaf-only answer skips it */
	if (e->type == PTW_TABLE && !(v->fields & PTWALK_XF_LEVELS))
		return 0;
	x->levels[e->level] = (struct ptwalk_level) {
		.entry = e->val,
		.entry_phys = e->phys,
		.flags = ptw_entry_flags(e),
		.index = e->index,
		.level = e->level,
		.state = e->folded ? PTWALK_STATE_FOLDED : state_of[e->type],
		.pkey = ptw_entry_pkey(e),
	};
	v->levels_set |= BIT(e->level);
	x->leaf_level = e->level;
	if (e->type == PTW_LEAF)
		xlate_leaf(x, e);
	else if (e->type == PTW_BAD)
		x->kind = PTWALK_KIND_BAD;
	return 0;
}

/* [with PTWALK_XF_PAGE][with PTWALK_XF_LEVELS]: no struct page, no tables unasked */
static const struct ptw_ops xlate_ops[2][2] = {
	{
		{ .vma = xlate_vma, .entry = xlate_entry, .leaves_only = true },
		{ .vma = xlate_vma, .entry = xlate_entry },
	}, {
		{ .vma = xlate_vma, .entry = xlate_entry, .pages = true, .leaves_only = true },
		{ .vma = xlate_vma, .entry = xlate_entry, .pages = true },
	},
};

/*
 * What a caller without CAP_SYS_ADMIN gets: what /proc/PID/pagemap gives
 * it, and no more.  Present, swapped (the kind), soft-dirty, uffd-wp and
 * each entry's other flag bits stay; frame numbers, entry addresses, swap
 * type and offset (pagemap zeroes both) go, and so does what only root
 * reads in /proc/kpageflags and /proc/kpagecount: refcount, page flags,
 * zone, folio order.  Of the page two facts stay, as pagemap's bits: anon
 * or not (its file bit: PTWALK_PF_ANON alone) and mapped once or more (its
 * exclusive bit: mapcount 1, or 2 for "more than once").  The node stays:
 * move_pages(2) tells the owner.  The kind stays: it says THP only of a PMD
 * leaf, a size the owner reads in smaps (AnonHugePages) anyway; a large
 * folio under PTEs (folio order, physical contiguity) is not told.
 */
static void xlate_user_view(struct ptwalk_xlate *x, u32 fields)
{
	struct ptwalk_page *pg = &x->page;
	int i;

	x->pfn = 0;
	x->phys = x->va & ~PAGE_MASK;
	x->swap_type = 0;
	x->swap_offset = 0;
	x->valid &= ~(PTWALK_XV_PFN | PTWALK_XV_SWAP);
	for (i = 0; i < PTWALK_NR_LEVELS; i++) {
		if (!(fields & PTWALK_XF_LEVELS) && i != x->leaf_level)
			continue;
		x->levels[i].entry = ptw_user_entry(x->levels[i].entry,
						    i == x->leaf_level && !x->present);
		x->levels[i].entry_phys = 0;
	}
	if (!(fields & PTWALK_XF_PAGE))
		return;
	*pg = (struct ptwalk_page) {
		.flags = pg->flags & BIT_ULL(PTWALK_PF_ANON),
		.mapcount = min(pg->mapcount, 2),
		.node = pg->node,
	};
}

/*
 * Fill the parts of @x that @fields (PTWALK_XF_*, 0 for all) names, for
 * @va of the target; errors land in x->error alone.  What @fields leaves
 * out is not written.  @admin: the caller may see everything
 * (ptw_may_inspect()), else pagemap's view.
 */
void ptw_translate(struct ptw_target *t, u64 va, struct ptwalk_xlate *x, bool admin,
		   u32 fields, struct vm_area_struct **hint)
{
	struct xlate_visit v = { .x = x };
	unsigned int i;
	int ret;

	if (!fields)
		fields = PTWALK_XF_ALL;
	if (fields & PTWALK_XF_VMA_NAME)
		fields |= PTWALK_XF_VMA;
	v.fields = fields | PTWALK_XF_LEAF;
	/* the head only: the parts asked for are written whole below */
	memset(x, 0, offsetof(struct ptwalk_xlate, levels));
	x->va = va;
	x->kind = PTWALK_KIND_UNMAPPED;
	ret = ptw_check_user_addr(va);
	if (!ret)
		ret = ptw_walk_one(t->mm, va, &xlate_ops[!!(fields & PTWALK_XF_PAGE)]
							 [!!(fields & PTWALK_XF_LEVELS)], &v, hint);
	x->error = ret < 0 ? ret : 0;
	/* levels the walk did not reach read as unused, as does an absent VMA or page */
	if (fields & PTWALK_XF_LEVELS) {
		for (i = 0; i < PTWALK_NR_LEVELS; i++)
			if (!(v.levels_set & BIT(i)))
				x->levels[i] = (struct ptwalk_level) {};
	} else if (!(v.levels_set & BIT(x->leaf_level))) {
		x->levels[x->leaf_level] = (struct ptwalk_level) {};
	}
	if ((fields & PTWALK_XF_VMA) && !(x->valid & PTWALK_XV_VMA))
		memset(&x->vma, 0, sizeof(x->vma));
	if ((fields & PTWALK_XF_PAGE) && !(x->valid & PTWALK_XV_PAGE))
		x->page = (struct ptwalk_page) {};
	if (!admin)
		xlate_user_view(x, fields);
}
