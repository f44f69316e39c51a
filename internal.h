/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces between the layers of ptwalk.ko:
 *   walker (pagewalk.c) -> visitors (translate.c) -> faces (chardev.c,
 *   debugfs.c) with text rendering in format.c and the access policy in
 *   access.c.
 */
#ifndef PTWALK_INTERNAL_H
#define PTWALK_INTERNAL_H

#include <linux/types.h>
#include <linux/mm.h>
#include <linux/hugetlb_inline.h>
#include <linux/sched.h>
#include <linux/ptwalk.h>

struct file;
struct seq_file;

/* ---- target process (pagewalk.c) ---- */

struct ptw_target {
	struct task_struct *task;
	struct mm_struct *mm;
	pid_t pid;
	bool self;		/* the calling thread: no references taken */
};

int ptw_task_get(pid_t pid, struct task_struct **taskp);
int ptw_target_get(pid_t pid, struct ptw_target *t);
void ptw_target_put(struct ptw_target *t);

/*
 * A target for a walk of many holds: t->mm is pinned by mmgrab() alone,
 * and each hold takes the address space (mmget_not_zero()) and the mmap
 * lock, and drops both before anything is copied to user space.  A
 * process that exits (or execs) meanwhile makes the next hold -ESRCH.
 */
int ptw_target_grab(pid_t pid, struct ptw_target *t);
void ptw_target_drop(struct ptw_target *t);
int ptw_hold(struct mm_struct *mm);
void ptw_unhold(struct mm_struct *mm);
int ptw_rehold(struct mm_struct *mm);

/* ---- the walker (pagewalk.c) ---- */

enum ptw_type {
	PTW_TABLE,	/* points to a lower table; the walk descends */
	PTW_LEAF,	/* maps memory, or holds a swap/migration/... entry */
	PTW_NONE,	/* empty: nothing below it */
	PTW_BAD,	/* corrupt entry; reported, never cleared */
};

/* One page-table entry as the walker read it (valid during the callback). */
struct ptw_entry {
	enum ptw_type type;
	u8 level;		/* PTWALK_LEVEL_* */
	bool folded;		/* P4D on 4-level paging: same entry as PGD */
	u16 index;
	unsigned long start;	/* first address the entry maps */
	unsigned long size;	/* bytes the entry spans */
	u64 val;
	phys_addr_t phys;	/* of the entry itself */
	struct vm_area_struct *vma;
	/* PTW_LEAF only */
	u8 kind;		/* PTWALK_KIND_* */
	bool present;		/* as pte_present(): includes PROT_NONE */
	unsigned long pfn;	/* first pfn of a present leaf */
	u64 swp_type;		/* of a non-present leaf (swap or special) */
	u64 swp_offset;
	struct page *page;	/* with ops->pages: its struct page, or NULL */
};

/*
 * Callbacks run with the mmap lock held for read, and for leaves and PTE
 * tables with the page-table lock held too: they must not sleep.  Return
 * 0 to go on, 1 to stop the walk there, < 0 to fail it.
 */
struct ptw_ops {
	int (*vma)(void *priv, struct vm_area_struct *vma);
	int (*gap)(void *priv, unsigned long start, unsigned long end);
	int (*entry)(void *priv, const struct ptw_entry *e);
	/*
	 * Instead of entry() for each PTE: the PTE table's entries from @ptep
	 * (mapping @addr) up to @end, under the table's lock.  The visitor
	 * reads them itself; ptw_pte_entry() decodes one as entry() gets it.
	 */
	int (*ptes)(void *priv, struct vm_area_struct *vma, pte_t *ptep,
		    unsigned long addr, unsigned long end);
	bool skip_empty_ptes;	/* entry() never sees an empty PTE */
	bool leaves_only;	/* entry() never sees a PTW_TABLE entry */
	bool pages;		/* entry() wants e->page of present leaves */
};

/*
 * A bound on one hold of the mmap lock, counted in entries read (a PTE
 * table's worth per table walked, at every level one per entry).  Once
 * @max_entries are read, or PTW_HOLD_MIN_ENTRIES while another task waits
 * for the lock (mmap_lock_is_contended()), the walker stops before the
 * next entry of any level, outside every page-table lock, and returns
 * PTW_YIELD with @next set: everything below @next was visited, nothing
 * from it on.  The caller drops the lock, takes it again and walks on
 * from @next (the walker finds the VMA there afresh).
 */
struct ptw_bound {
	unsigned int max_entries;
	unsigned long next;
};

#define PTW_YIELD		2
#define PTW_HOLD_ENTRIES	4096	/* 8 PTE tables: 16 MiB of 4K pages */
#define PTW_HOLD_MIN_ENTRIES	64	/* progress, however contended */

int ptw_walk(struct mm_struct *mm, unsigned long start, unsigned long end,
	     const struct ptw_ops *ops, void *priv);
int ptw_walk_one(struct mm_struct *mm, unsigned long addr, const struct ptw_ops *ops,
		 void *priv, struct vm_area_struct **hint);
int ptw_walk_bounded(struct mm_struct *mm, unsigned long start, unsigned long end,
		     const struct ptw_ops *ops, void *priv, struct ptw_bound *b);
bool ptw_fault_leaf_present(struct mm_struct *mm, unsigned long addr);
void ptw_pte_entry(struct vm_area_struct *vma, pte_t *ptep, pte_t pte,
		   unsigned long addr, struct ptw_entry *e);
bool ptw_pte_bits_tell_kind(struct vm_area_struct *vma);
unsigned int ptw_count_empty(const pte_t *ptep, unsigned int n);

/* ---- entry and page decoding, shared by visitors (decode.c) ---- */

u64 ptw_entry_flags(const struct ptw_entry *e);
u8 ptw_entry_pkey(const struct ptw_entry *e);

/*
 * Soft-dirty as pagemap reports it: the leaf's bit (pagemap ignores it in
 * hugetlb, which clear_refs never cleans), or the whole VMA's until
 * clear_refs cleans it (new VMAs start out soft-dirty).
 */
static inline bool ptw_soft_dirty(const struct ptw_entry *e, u64 flags)
{
	return ((flags & BIT_ULL(PTWALK_EF_SOFT_DIRTY)) && !is_vm_hugetlb_page(e->vma)) ||
	       (e->vma->vm_flags & VM_SOFTDIRTY);
}

/*
 * Dirty as pte_dirty()/pmd_dirty()/pud_dirty() say it: x86 (6.6+) moves D
 * into the saved-dirty software bit when a leaf loses write (COW, mprotect,
 * uffd-wp), and the page is no less dirty for that.
 */
static inline bool ptw_flags_dirty(u64 flags)
{
	return flags & (BIT_ULL(PTWALK_EF_DIRTY) | BIT_ULL(PTWALK_EF_SAVED_DIRTY));
}

/*
 * An entry as a caller without CAP_SYS_ADMIN may see it, as pagemap: the
 * flag bits stay, the frame goes.  A non-present leaf (@swap_form) keeps
 * its (inverted) offset in bits 9..58 and its swap type in 59..63: only
 * the bits below 9 (soft-dirty, uffd-wp, exclusive) stay.
 */
static inline u64 ptw_user_entry(u64 val, bool swap_form)
{
	return val & (swap_form ? ~GENMASK_ULL(63, 9) : ~(u64)PTE_PFN_MASK);
}

u8 ptw_swap_kind(u64 val, u64 *type, u64 *offset);
bool ptw_huge_zero_page(struct vm_area_struct *vma, struct page *page);
void ptw_read_page(struct page *page, u8 kind, struct ptwalk_page *out);
void ptw_read_vma(struct vm_area_struct *vma, struct ptwalk_vma *out);
void ptw_read_vma_head(struct vm_area_struct *vma, struct ptwalk_vma *out);
void ptw_read_vma_at(struct mm_struct *mm, unsigned long addr,
		     struct ptwalk_vma *out);
int ptw_check_user_addr(u64 va);
unsigned int ptw_paging_levels(void);
u64 ptw_user_va_end(void);

/* ---- the translate visitor (translate.c) ---- */

void ptw_translate(struct ptw_target *t, u64 va, struct ptwalk_xlate *x, bool admin,
		   u32 fields, struct vm_area_struct **hint);

/* ---- the records/extents visitor (walk.c) ---- */

struct ptw_records {
	unsigned long pos;	/* next address to visit */
	unsigned long end;
	u64 match_all;
	u64 match_none;
	bool extents;		/* coalesce runs contiguous in va and pa */
	bool ranges;		/* coalesce runs in va only: a page-table dump */
	bool holes;		/* report never-faulted entries too */
	bool show_pfns;
	bool compact;		/* into cbuf, not buf */
	struct ptwalk_record *buf;
	struct ptwalk_record_compact *cbuf;
	unsigned int n;
	unsigned int cap;
	struct ptwalk_vma *first_vma;	/* if set: the VMA of buf[0] */
	/* the last normal leaf decoded in full, for the PTEs after it */
	u64 fast_key;		/* its bits but the frame's; 0: none */
	struct vm_area_struct *fast_vma;
	u64 fast_flags;
	u64 fast_cats;
	u64 fast_cflags;	/* a compact record's flags and soft-dirty bits */
	bool fast_match;	/* it passed match_all and match_none */
};

int ptw_walk_records(struct mm_struct *mm, struct ptw_records *v);

/* ---- the per-VMA statistics visitor (stats.c) ---- */

int ptw_vma_stats(struct ptw_target *t, unsigned long addr, bool show_pfns,
		  struct ptwalk_vma_stats *s);
void ptw_vma_stats_add(struct ptwalk_vma_stats *total,
		       const struct ptwalk_vma_stats *s);

/* ---- zones, vm events, faults (vmstat_ext.c) ---- */

struct ptw_zone_ops {
	int (*zone)(void *priv, const struct ptwalk_zone *z);
};

int ptw_visit_zones(const struct ptw_zone_ops *ops, void *priv);
unsigned int ptw_nr_vm_events(void);
int ptw_read_vm_events(struct ptwalk_vmstat_item *items);
const char *ptw_absent_vm_event(unsigned int i, const char **why);
void ptw_read_faults(struct task_struct *task, bool children,
		     struct ptwalk_faults *out);

/* ---- live fault tracing (faulttrace.c) ---- */

int ptw_fault_trace(struct ptwalk_fault_trace *req, struct ptwalk_ft_vma *vmas);
unsigned int ptw_fault_trace_max_vmas(void);
void ptw_fault_trace_exit(void);

/* ---- text rendering (format.c) ---- */

void ptw_format_xlate(struct seq_file *m, const struct ptw_target *t,
		      const struct ptwalk_xlate *x);
int ptw_format_zone(void *seq_file, const struct ptwalk_zone *z);
void ptw_format_zones_header(struct seq_file *m);
void ptw_format_vmstat(struct seq_file *m, const struct ptwalk_vmstat_item *items,
		       unsigned int n);
void ptw_format_faults(struct seq_file *m, pid_t pid, const struct ptwalk_faults *f);
void ptw_format_fault_trace(struct seq_file *m, const struct ptwalk_fault_trace *t,
			    const struct ptwalk_ft_vma *vmas);
void ptw_format_maps_header(struct seq_file *m);
void ptw_format_vma_stats(struct seq_file *m, const struct ptwalk_vma_stats *s);
void ptw_format_maps_total(struct seq_file *m, const struct ptwalk_vma_stats *t);
void ptw_format_pagetable_header(struct seq_file *m);
void ptw_format_range(struct seq_file *m, const struct ptwalk_record *r,
		      const char *vma_name);
void ptw_format_wx_check(struct seq_file *m, u64 wx_pages);
void ptw_format_target_gone(struct seq_file *m);
void ptw_format_wx_gone(struct seq_file *m, u64 wx_pages);
const char *ptw_level_name(unsigned int level);

/* ---- access policy (access.c) ---- */

bool ptw_opener_admin(const struct file *file);
int ptw_may_inspect(const struct file *file, const struct ptw_target *t, bool *pfns);
int ptw_may_inspect_task(const struct file *file, struct task_struct *task);
bool ptw_may_see_pfns(const struct file *file);
int ptw_may_trace(const struct file *file);

/* ---- faces ---- */

int ptw_chardev_init(void);
int ptw_chardev_opener_admin(const struct file *file);
void ptw_call_mem(long *live, long *peak);
void ptw_call_mem_reset(void);
void ptw_chardev_exit(void);
int ptw_debugfs_init(void);
void ptw_debugfs_exit(void);

#endif /* PTWALK_INTERNAL_H */
