// SPDX-License-Identifier: GPL-2.0
/*
 * Text rendering of a translation, in the spirit of crash's vtop: one line
 * per page-table level, then the translation, the VMA and the page.  Knows
 * nothing of the walk: it formats a struct ptwalk_xlate.
 */
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/seq_file.h>
#include <linux/sched.h>
#include <linux/ptwalk_names.h>
#include "internal.h"

const char *ptw_level_name(unsigned int level)
{
	return level < ARRAY_SIZE(ptwalk_level_names) ? ptwalk_level_names[level] : "?";
}

static const char *kind_name(unsigned int kind)
{
	return kind < ARRAY_SIZE(ptwalk_kind_names) ? ptwalk_kind_names[kind] : "?";
}

static void put_flags(struct seq_file *m, u64 flags, const char *const *names,
		      unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (flags & (1ULL << i))
			seq_printf(m, " %s", names[i]);
}

static void put_size(struct seq_file *m, u64 bytes)
{
	if (bytes >= SZ_1G)
		seq_printf(m, "%lluG", bytes >> 30);
	else if (bytes >= SZ_1M)
		seq_printf(m, "%lluM", bytes >> 20);
	else
		seq_printf(m, "%lluK", bytes >> 10);
}

static void format_levels(struct seq_file *m, const struct ptwalk_xlate *x)
{
	unsigned int i;

	seq_puts(m, "LEVEL INDEX  ENTRY               ENTRY_PHYS          STATE   FLAGS\n");
	for (i = 0; i <= x->leaf_level && i < PTWALK_NR_LEVELS; i++) {
		const struct ptwalk_level *l = &x->levels[i];

		seq_printf(m, "%-5s %5u  0x%016llx  0x%016llx  %-6s ",
			   ptwalk_level_names[i], l->index, l->entry, l->entry_phys,
			   l->state < PTWALK_NR_STATES ? ptwalk_state_names[l->state] : "?");
		put_flags(m, l->flags, ptwalk_entry_flag_names, PTWALK_NR_ENTRY_FLAGS);
		if (l->pkey)
			seq_printf(m, " pkey=%u", l->pkey);
		seq_putc(m, '\n');
	}
}

static void format_vma(struct seq_file *m, const struct ptwalk_vma *v)
{
	seq_printf(m, "VMA   0x%llx-0x%llx %c%c%c%c %08llx %s\n      flags:",
		   v->start, v->end,
		   v->flags & BIT_ULL(PTWALK_VF_READ) ? 'r' : '-',
		   v->flags & BIT_ULL(PTWALK_VF_WRITE) ? 'w' : '-',
		   v->flags & BIT_ULL(PTWALK_VF_EXEC) ? 'x' : '-',
		   v->flags & BIT_ULL(PTWALK_VF_SHARED) ? 's' : 'p',
		   v->pgoff, v->name);
	put_flags(m, v->flags, ptwalk_vma_flag_names, PTWALK_NR_VMA_FLAGS);
	seq_putc(m, '\n');
}

static void format_page(struct seq_file *m, const struct ptwalk_page *p)
{
	seq_printf(m, "PAGE  refcount %d mapcount %d order %u node %d zone %s\n      flags:",
		   p->refcount, p->mapcount, p->order, p->node, p->zone);
	put_flags(m, p->flags, ptwalk_page_flag_names, PTWALK_NR_PAGE_FLAGS);
	seq_putc(m, '\n');
}

void ptw_format_xlate(struct seq_file *m, const struct ptw_target *t,
		      const struct ptwalk_xlate *x)
{
	seq_printf(m, "PID %d (%s)  VA 0x%016llx\n", t->pid, t->task->comm, x->va);
	if (x->error) {
		seq_printf(m, "error %d\n", x->error);
		return;
	}
	if (x->kind == PTWALK_KIND_UNMAPPED) {
		seq_puts(m, "not mapped: no VMA covers this address\n");
		return;
	}
	format_levels(m, x);
	seq_printf(m, "%s  %s ", x->present ? "PRESENT" : "NOT PRESENT",
		   kind_name(x->kind));
	if (x->page_size)
		put_size(m, x->page_size);
	if (x->valid & PTWALK_XV_PFN)
		seq_printf(m, "  pfn 0x%llx  phys 0x%llx", x->pfn, x->phys);
	else if (x->present)
		seq_puts(m, "  pfn hidden (needs CAP_SYS_ADMIN)");
	if (x->valid & PTWALK_XV_SWAP)
		seq_printf(m, "  type %llu offset 0x%llx", x->swap_type, x->swap_offset);
	seq_putc(m, '\n');
	if (x->valid & PTWALK_XV_VMA)
		format_vma(m, &x->vma);
	if (x->valid & PTWALK_XV_PAGE)
		format_page(m, &x->page);
}

void ptw_format_zones_header(struct seq_file *m)
{
	seq_puts(m, "# pages; watermarks without boost; headroom = free - (low + boost)\n");
	seq_printf(m, "%-4s %-8s %10s %10s %8s %8s %8s %8s %8s %10s %10s %10s %10s %10s\n",
		   "node", "zone", "free", "free_snap", "min", "low", "high", "promo",
		   "boost", "headroom", "managed", "present", "spanned", "highatomic");
}

/* One zone: the table line, then its reserves and buddy lists. */
int ptw_format_zone(void *seq_file, const struct ptwalk_zone *z)
{
	struct seq_file *m = seq_file;
	unsigned int i;

	seq_printf(m, "%-4d %-8s %10llu %10llu %8llu %8llu %8llu %8llu %8llu %10lld %10llu %10llu %10llu %10llu\n",
		   z->node, z->name, z->free, z->free_snapshot, z->wmark_min,
		   z->wmark_low, z->wmark_high, z->wmark_promo, z->watermark_boost,
		   z->headroom, z->managed, z->present, z->spanned,
		   z->reserved_highatomic);
	seq_printf(m, "     %-8s with_boost: min %llu low %llu high %llu promo %llu\n",
		   z->name, z->wmark_min + z->watermark_boost,
		   z->wmark_low + z->watermark_boost, z->wmark_high + z->watermark_boost,
		   z->wmark_promo + z->watermark_boost);
	seq_printf(m, "     %-8s lowmem_reserve:", z->name);
	for (i = 0; i < z->nr_reserve; i++)
		seq_printf(m, " %llu", z->lowmem_reserve[i]);
	seq_printf(m, "\n     %-8s free_blocks:", z->name);
	for (i = 0; i < z->nr_orders; i++)
		seq_printf(m, " %llu", z->free_blocks[i]);
	seq_putc(m, '\n');
	return 0;
}

void ptw_format_vmstat(struct seq_file *m, const struct ptwalk_vmstat_item *items,
		       unsigned int n)
{
	const char *name, *why;
	unsigned int i;

	for (i = 0; i < n; i++)
		seq_printf(m, "%s %llu\n", items[i].name, items[i].value);
	/* comments, so that every other line stays "name value" */
	for (i = 0; (name = ptw_absent_vm_event(i, &why)); i++)
		seq_printf(m, "# %s absent (%s)\n", name, why);
}

void ptw_format_faults(struct seq_file *m, pid_t pid, const struct ptwalk_faults *f)
{
	seq_printf(m, "pid %d threads %u\nmin_flt %llu\nmaj_flt %llu\ncmin_flt %llu\ncmaj_flt %llu\n",
		   pid, f->nr_threads, f->min_flt, f->maj_flt, f->cmin_flt, f->cmaj_flt);
}

void ptw_format_fault_trace(struct seq_file *m, const struct ptwalk_fault_trace *t,
			    const struct ptwalk_ft_vma *vmas)
{
	const struct ptwalk_ft_vma *v;
	unsigned int i;

	seq_printf(m, "\ntrace of pid %d: %s, %llu ms, %u VMAs (max %u), missed %llu\n",
		   t->traced_pid, t->running ? "running" : "stopped",
		   t->elapsed_ns / 1000000, t->total_vmas, t->max_vmas, t->nmissed);
	seq_printf(m, "%-33s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s\n", "VMA", "faults",
		   "read", "write", "exec", "prot", "kernel", "minor", "major", "retry",
		   "error");
	for (i = 0; i <= t->count; i++) {
		v = i < t->count ? &vmas[i] : &t->overflow;
		if (i == t->count && !v->faults)
			break;
		if (i < t->count)
			seq_printf(m, "%016llx-%016llx", v->start, v->end);
		else
			seq_printf(m, "%-33s", "(overflow)");
		seq_printf(m, " %8llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu\n",
			   v->faults, v->read, v->write, v->exec, v->protection,
			   v->kernel_mode, v->minor, v->major, v->retry, v->error);
	}
	seq_puts(m, "duration histogram (i: count of 2^i to 2^(i+1)-1 ns; 0: 0-1 ns):");
	for (i = 0; i < PTWALK_FT_HIST; i++)
		if (t->hist[i])
			seq_printf(m, " %u:%llu", i, t->hist[i]);
	seq_putc(m, '\n');
}

/* ---- per-VMA statistics (sizes in KiB, as smaps) ---- */

#define KB(bytes)	((bytes) >> 10)

void ptw_format_maps_header(struct seq_file *m)
{
	seq_puts(m, "# sizes in KiB; tables: page tables reached (pte/pmd/pud/p4d)\n");
	seq_printf(m, "%-25s %-4s %9s %9s %9s %9s %5s %9s %7s %9s %11s %9s %9s %9s %9s %15s %7s %9s %s\n",
		   "START-END", "PERM", "RSS", "4K", "2M", "1G", "THP", "HUGETLB",
		   "ZERO", "SWAP", "NONE", "DIRTY", "ACCESSED", "SOFTDIRTY",
		   "WRPROT", "TABLES", "EXTENTS", "LARGEST", "NODES NAME");
}

static void format_stats_row(struct seq_file *m, const struct ptwalk_vma_stats *s)
{
	u64 rss = s->resident[PTWALK_PS_4K] + s->resident[PTWALK_PS_2M] +
		  s->resident[PTWALK_PS_1G];
	unsigned int i;

	seq_printf(m, " %9llu %9llu %9llu %9llu %5llu %9llu %7llu %9llu %11llu %9llu %9llu %9llu %9llu %4llu/%llu/%llu/%llu %7llu %9llu ",
		   KB(rss), KB(s->resident[PTWALK_PS_4K]), KB(s->resident[PTWALK_PS_2M]),
		   KB(s->resident[PTWALK_PS_1G]), s->thp, KB(s->hugetlb), KB(s->zero),
		   KB(s->swapped), KB(s->none), KB(s->dirty), KB(s->accessed),
		   KB(s->soft_dirty), KB(s->write_protected),
		   s->tables[PTWALK_LEVEL_PTE], s->tables[PTWALK_LEVEL_PMD],
		   s->tables[PTWALK_LEVEL_PUD], s->tables[PTWALK_LEVEL_P4D],
		   s->extents, KB(s->largest_extent));
	for (i = 0; i < PTWALK_MAX_NODES; i++)
		if (s->node[i])
			seq_printf(m, "N%u=%llu ", i, KB(s->node[i]));
	if (s->node_other)
		seq_printf(m, "N+=%llu ", KB(s->node_other));
}

void ptw_format_vma_stats(struct seq_file *m, const struct ptwalk_vma_stats *s)
{
	const struct ptwalk_vma *v = &s->vma;

	seq_printf(m, "%012llx-%012llx %c%c%c%c",
		   v->start, v->end,
		   v->flags & BIT_ULL(PTWALK_VF_READ) ? 'r' : '-',
		   v->flags & BIT_ULL(PTWALK_VF_WRITE) ? 'w' : '-',
		   v->flags & BIT_ULL(PTWALK_VF_EXEC) ? 'x' : '-',
		   v->flags & BIT_ULL(PTWALK_VF_SHARED) ? 's' : 'p');
	format_stats_row(m, s);
	seq_printf(m, "%s\n", v->name);
}

void ptw_format_maps_total(struct seq_file *m, const struct ptwalk_vma_stats *t)
{
	u64 vmpte = t->tables[PTWALK_LEVEL_PTE] + t->tables[PTWALK_LEVEL_PMD] +
		    t->tables[PTWALK_LEVEL_PUD] + t->pte_deposited;

	seq_printf(m, "%-30s", "total");
	format_stats_row(m, t);
	seq_puts(m, "(each table once)\n");
	seq_printf(m, "page tables: pte %llu pmd %llu pud %llu p4d %llu, %llu pte deposited for huge pages; VmPTE %llu kB\n",
		   t->tables[PTWALK_LEVEL_PTE], t->tables[PTWALK_LEVEL_PMD],
		   t->tables[PTWALK_LEVEL_PUD], t->tables[PTWALK_LEVEL_P4D],
		   t->pte_deposited, KB(vmpte << PAGE_SHIFT));
}

/* ---- page-table dump, in the style of the kernel's ptdump ---- */

void ptw_format_pagetable_header(struct seq_file *m)
{
	seq_printf(m, "%-37s %9s %-5s %-9s %s\n", "RANGE", "SIZE", "LEVEL", "KIND",
		   "FLAGS  VMA");
}

/* ptdump's unit: the largest of K, M, G, T, P that divides @bytes. */
static void put_exact_size(struct seq_file *m, u64 bytes)
{
	static const char units[] = "KMGTP";
	unsigned int i = 0;

	bytes >>= 10;
	while (i < sizeof(units) - 2 && bytes && !(bytes & 1023)) {
		bytes >>= 10;
		i++;
	}
	seq_printf(m, "%8llu%c", bytes, units[i]);
}

void ptw_format_range(struct seq_file *m, const struct ptwalk_record *r,
		      const char *vma_name)
{
	seq_printf(m, "0x%016llx-0x%016llx ", r->va, r->va + r->length);
	put_exact_size(m, r->length);
	seq_printf(m, " %-5s %-9s", ptw_level_name(r->level), kind_name(r->kind));
	put_flags(m, r->flags, ptwalk_entry_flag_names, PTWALK_NR_ENTRY_FLAGS);
	if (r->cats & BIT_ULL(PTWALK_CAT_WX))
		seq_puts(m, " W+X");
	seq_printf(m, "  %s\n", vma_name);
}

void ptw_format_wx_check(struct seq_file *m, u64 wx_pages)
{
	seq_printf(m, "Checked W+X mappings: %s, %llu W+X pages\n",
		   wx_pages ? "FAILED" : "passed", wx_pages);
}

/* The last line of a listing whose process exited before its end. */
void ptw_format_target_gone(struct seq_file *m)
{
	seq_puts(m, "target exited: listing incomplete, no total\n");
}

void ptw_format_wx_gone(struct seq_file *m, u64 wx_pages)
{
	seq_printf(m, "Checked W+X mappings: incomplete, the target exited (%llu W+X pages before)\n",
		   wx_pages);
}
