/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels ptwalk builds for (Debian 6.1,
 * 6.12 and 7.x up to 7.3, standard and PREEMPT_RT) and between kernel
 * configurations lives here, each behind a helper named after what it
 * does, so the rest of the module reads like code for one kernel.  Where
 * a feature test exists (a macro, a header) it is used rather than a
 * version, so a kernel in between picks what it really has.
 */
#ifndef PTWALK_COMPAT_H
#define PTWALK_COMPAT_H

#include <linux/version.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/pgtable.h>
#include <linux/page-flags.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/vmstat.h>
#include <linux/userfaultfd_k.h>
#include <linux/ptwalk.h>
/*
 * Kernels with <linux/leafops.h> (7.3) decode non-present entries by
 * softleaf_*; their <linux/mm_inline.h> includes it, so its include guard
 * tells (sparse 0.6.4 has no __has_include).  Should a kernel stop doing
 * so, the swapops branch below fails to build: never a silent misdecode.
 */
#include <linux/mm_inline.h>
#ifdef _LINUX_LEAFOPS_H
#define PTW_HAVE_SOFTLEAF
#endif

/* 6.1 has no pmdp_get_lockless(); on x86-64 a PMD is read in one load. */
static inline pmd_t ptw_pmdp_get(pmd_t *pmdp)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	return pmdp_get_lockless(pmdp);
#else
	return READ_ONCE(*pmdp);
#endif
}

/* Huge PFN-map PMDs (VM_PFNMAP with huge pages) arrived in 6.12. */
static inline bool ptw_pmd_special(pmd_t pmd)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	return pmd_special(pmd);
#else
	return false;
#endif
}

/*
 * The path the user mapped, as /proc/PID/maps prints it: on overlayfs
 * (6.8+) vm_file is a backing file whose f_path is the real, lower path.
 */
static inline const struct path *ptw_file_user_path(struct file *file)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	return file_user_path(file);
#else
	return &file->f_path;
#endif
}

/* Both hardware dirty and the shadow-stack "saved dirty" bit (6.6+). */
#ifdef _PAGE_SAVED_DIRTY
#define PTW_PAGE_SAVED_DIRTY	_PAGE_SAVED_DIRTY
#else
#define PTW_PAGE_SAVED_DIRTY	0
#endif

/*
 * Mappings of this page by page tables, as /proc/kpagecount reports it:
 * 6.1 has page_mapcount(); 6.12 dropped it for the same sum open-coded
 * as folio_precise_page_mapcount() in mm/internal.h.
 */
static inline int ptw_page_mapcount(struct folio *folio, struct page *page)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	int mapcount = atomic_read(&page->_mapcount) + 1;

	if (page_mapcount_is_type(mapcount))
		mapcount = 0;
	if (folio_test_large(folio))
		mapcount += folio_entire_mapcount(folio);
	return mapcount;
#else
	return page_mapcount(page);
#endif
}

/* Buddy orders: MAX_ORDER counted them up to 6.3, NR_PAGE_ORDERS since 6.8. */
#ifdef NR_PAGE_ORDERS
#define PTW_NR_PAGE_ORDERS	NR_PAGE_ORDERS
#else
#define PTW_NR_PAGE_ORDERS	MAX_ORDER
#endif

/*
 * ZONE_DEVICE memory (pmem through fsdax or device-dax) had its own
 * page-table bit (pte/pmd/pud_devmap) until it was removed (it is gone in
 * Debian's 7.3): since then such pages are mapped as normal, refcounted
 * ones, and the entry does not tell.  Only the page's zone does, and that
 * is a struct page read per entry: ptw_vma_zone_device() says, once per
 * VMA, whether the VMA can map such pages at all (a DAX file or device,
 * or a driver's VM_MIXEDMAP), and only there is the zone read.  A DAX
 * VMA also maps ordinary pages (the zero pages in holes, anonymous COW
 * copies in a private mapping), so the page decides, never the VMA.  With
 * the bit, the bit tells, and the VMA is never asked.
 */
#ifdef _PAGE_DEVMAP
#define PTW_PAGE_DEVMAP		_PAGE_DEVMAP
static inline bool ptw_pte_devmap(pte_t pte)
{
	return pte_devmap(pte);
}

static inline bool ptw_pmd_devmap(pmd_t pmd)
{
	return pmd_devmap(pmd);
}

static inline bool ptw_pud_devmap(pud_t pud)
{
	return pud_devmap(pud);
}

static inline bool ptw_vma_zone_device(struct vm_area_struct *vma)
{
	return false;
}
#else
#define PTW_PAGE_DEVMAP		0
static inline bool ptw_pte_devmap(pte_t pte)
{
	return false;
}

static inline bool ptw_pmd_devmap(pmd_t pmd)
{
	return false;
}

static inline bool ptw_pud_devmap(pud_t pud)
{
	return false;
}

static inline bool ptw_vma_zone_device(struct vm_area_struct *vma)
{
	return vma_is_dax(vma) || (vma->vm_flags & VM_MIXEDMAP);
}
#endif

/*
 * The userfaultfd write-protect bit: _PAGE_UFFD_WP and pte_swp_uffd_wp()
 * up to 6.x, renamed _PAGE_UFFD and pte_swp_uffd() in 7.x.  Both are 0
 * when the kernel has no uffd-wp.
 */
#ifdef _PAGE_UFFD_WP
#define PTW_PAGE_UFFD_WP	_PAGE_UFFD_WP
static inline bool ptw_pte_swp_uffd_wp(pte_t pte)
{
	return pte_swp_uffd_wp(pte);
}
#else
#define PTW_PAGE_UFFD_WP	_PAGE_UFFD
static inline bool ptw_pte_swp_uffd_wp(pte_t pte)
{
	return pte_swp_uffd(pte);
}
#endif

/*
 * 7.3's userfaultfd read-write-protect mode (VM_UFFD_RWP) puts the same
 * uffd bit on no-access entries of the VMAs registered for it; a VMA is in
 * one of the two modes at most.  Before, the bit meant write-protect only.
 */
static inline bool ptw_userfaultfd_rwp(struct vm_area_struct *vma)
{
#ifdef VM_UFFD_RWP
	return userfaultfd_rwp(vma);
#else
	return false;
#endif
}

/*
 * What a non-present, non-empty entry holds, in the terms of
 * PTWALK_KIND_*: swap, migration, device private/exclusive, hwpoison, a
 * guard region or uffd-wp marker, or another PTE marker, with the type and
 * offset fields of the swap format.  Kernels
 * with <linux/leafops.h> (7.3) decode such entries by softleaf_* and have
 * dropped the swp_entry_t predicates of <linux/swapops.h> used before.  x86 uses one format
 * for PTEs and PMDs, so a PMD's value decodes the same way.
 */
static inline u8 ptw_nonpresent_kind(pte_t pte, u64 *type, u64 *offset)
{
#ifdef PTW_HAVE_SOFTLEAF
	softleaf_t entry = softleaf_from_pte(pte);

	*type = swp_type(entry);
	*offset = swp_offset(entry);
	switch (softleaf_type(entry)) {
	case SOFTLEAF_SWAP:
		return PTWALK_KIND_SWAP;
	case SOFTLEAF_MIGRATION_READ:
	case SOFTLEAF_MIGRATION_READ_EXCLUSIVE:
	case SOFTLEAF_MIGRATION_WRITE:
		return PTWALK_KIND_MIGRATION;
	case SOFTLEAF_DEVICE_PRIVATE_READ:
	case SOFTLEAF_DEVICE_PRIVATE_WRITE:
		return PTWALK_KIND_DEVICE_PRIVATE;
	case SOFTLEAF_DEVICE_EXCLUSIVE:
		return PTWALK_KIND_DEVICE_EXCLUSIVE;
	case SOFTLEAF_HWPOISON:
		return PTWALK_KIND_HWPOISON;
	case SOFTLEAF_MARKER:
		if (softleaf_is_guard_marker(entry))
			return PTWALK_KIND_GUARD;
		if (softleaf_is_uffd_wp_marker(entry))
			return PTWALK_KIND_UFFD_WP;
		return PTWALK_KIND_MARKER;
	default:	/* SOFTLEAF_NONE for a non-empty entry: a type no one made */
		return PTWALK_KIND_BAD;
	}
#else
	swp_entry_t entry = pte_to_swp_entry(pte);

	*type = swp_type(entry);
	*offset = swp_offset(entry);
	if (!non_swap_entry(entry))
		return PTWALK_KIND_SWAP;
	if (is_migration_entry(entry))
		return PTWALK_KIND_MIGRATION;
	if (is_device_private_entry(entry))
		return PTWALK_KIND_DEVICE_PRIVATE;
	if (is_device_exclusive_entry(entry))
		return PTWALK_KIND_DEVICE_EXCLUSIVE;
	if (is_hwpoison_entry(entry))
		return PTWALK_KIND_HWPOISON;
	if (is_pte_marker_entry(entry)) {
		/* guard markers came with 6.13: a macro where they exist */
#ifdef PTE_MARKER_GUARD
		if (pte_marker_get(entry) & PTE_MARKER_GUARD)
			return PTWALK_KIND_GUARD;
#endif
		if (pte_marker_get(entry) & PTE_MARKER_UFFD_WP)
			return PTWALK_KIND_UFFD_WP;
		return PTWALK_KIND_MARKER;
	}
	return PTWALK_KIND_BAD;
#endif
}

/*
 * With CONFIG_DEBUG_VM, mmap_assert_locked() is VM_BUG_ON_MM(), which
 * calls dump_mm(): 6.1 does not export it (the module would not load:
 * seen on a 6.1 DEBUG_VM build); upstream exported it in 2023, so 6.12 and
 * later are taken to (Debian builds them without DEBUG_VM to check).
 * Before: lockdep's assertion, and a warning of our own instead of a BUG.
 */
static inline void ptw_mmap_assert_locked(struct mm_struct *mm)
{
#if defined(CONFIG_DEBUG_VM) && LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
	lockdep_assert_held(&mm->mmap_lock);
	WARN_ON_ONCE(!rwsem_is_locked(&mm->mmap_lock));
#else
	mmap_assert_locked(mm);
#endif
}

/* What GET_INFO reports present, where a config may leave it out. */
static inline bool ptw_have_thp(void)
{
	return IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE);
}

static inline bool ptw_have_fault_trace(void)
{
	return IS_ENABLED(CONFIG_FPROBE) || IS_ENABLED(CONFIG_KRETPROBES);
}

/*
 * The fault trace's probes on handle_mm_fault() (faulttrace.c).  Where
 * the kernel has fprobes (Debian's 6.12 and 7.x), an fprobe: an ftrace
 * callback on the function's ftrace site, no kprobe hashed there, so an
 * int3 of text_poke_bp's that TCG runs late is never single-stepped from
 * a kprobe with no instruction copy (RIP 0; faulttrace.c, ft_arm()).
 * Elsewhere (6.1): a kretprobe.
 *
 * A tracer (entry and exit handlers, data_size bytes of its own per
 * call) and, where the tracer can skip a call's entry handler for want of
 * a free instance (a kretprobe's, or 6.12's rethook pool: every thread
 * asleep in a fault holds one), a counter: an entry-only probe on the
 * same function that runs for every call, after the tracer (kprobes on
 * one address and 6.12's fprobes, one ftrace_ops each, run newest first:
 * it is registered first, and unregistered last, so the site is patched
 * with the counter alone on it).  7.x's fprobes keep a call's data on the
 * task's own fgraph shadow stack: no pool, nothing to skip, no counter
 * (PTW_FT_COUNTER 0); a call fgraph cannot find room for is counted in
 * the fprobe's nmissed, for whichever process took it
 * (ptw_ft_unattributed()).
 *
 * faulttrace.c writes its handlers for handle_mm_fault(vma, address,
 * flags, regs) as ft_entry(vma, address, flags, data), ft_return(ret,
 * data), ft_count() and ft_retry_int3(regs); PTW_FT_HANDLERS() wraps them
 * in the types this kernel's probes call back, reading the arguments and
 * the return value from the registers these pass.
 */
#ifdef CONFIG_FPROBE
#include <linux/fprobe.h>
/* 6.14 moved fprobes onto fgraph: ftrace_regs for the handlers, this cap */
#ifdef MAX_FPROBE_DATA_SIZE
#define PTW_FT_FGRAPH
#endif
#else
#include <linux/kprobes.h>
#include <asm/text-patching.h>
#endif

#ifdef PTW_FT_FGRAPH
#define PTW_FT_COUNTER		0

static inline unsigned long ptw_ft_arg(struct ftrace_regs *regs, unsigned int n)
{
	return ftrace_regs_get_argument(regs, n);
}

static inline vm_fault_t ptw_ft_ret(struct ftrace_regs *regs)
{
	return (__force vm_fault_t)ftrace_regs_get_return_value(regs);
}
#else
#define PTW_FT_COUNTER		1

static inline unsigned long ptw_ft_arg(struct pt_regs *regs, unsigned int n)
{
	return regs_get_kernel_argument(regs, n);
}

static inline vm_fault_t ptw_ft_ret(struct pt_regs *regs)
{
	return (__force vm_fault_t)regs_return_value(regs);
}
#endif

#ifdef CONFIG_FPROBE
/* the registers an fprobe handler gets */
#ifdef PTW_FT_FGRAPH
#define ptw_fp_regs		ftrace_regs
#else
#define ptw_fp_regs		pt_regs
#endif

struct ptw_ft_probe {
	struct fprobe tracer;
	struct fprobe counter;	/* registered only with PTW_FT_COUNTER */
};

#define PTW_FT_HANDLERS(entry, ret, count, retry)			\
static int entry##_fp(struct fprobe *fp, unsigned long ip,		\
		      unsigned long ret_ip, struct ptw_fp_regs *regs,	\
		      void *data)					\
{									\
	return entry((void *)ptw_ft_arg(regs, 0), ptw_ft_arg(regs, 1),	\
		     ptw_ft_arg(regs, 2), data);			\
}									\
static void ret##_fp(struct fprobe *fp, unsigned long ip,		\
		     unsigned long ret_ip, struct ptw_fp_regs *regs,	\
		     void *data)					\
{									\
	ret(ptw_ft_ret(regs), data);					\
}									\
static int count##_fp(struct fprobe *fp, unsigned long ip,		\
		      unsigned long ret_ip, struct ptw_fp_regs *regs,	\
		      void *data)					\
{									\
	count();							\
	return 0;							\
}									\
static int ptw_ft_register(struct ptw_ft_probe *p, const char *sym,	\
			   size_t data_size, int maxactive)		\
{									\
	return __ptw_ft_register(p, sym, data_size, maxactive,		\
				 entry##_fp, ret##_fp, count##_fp);	\
}

static inline int __ptw_ft_register(struct ptw_ft_probe *p, const char *sym,
				    size_t data_size, int maxactive,
				    fprobe_entry_cb entry, fprobe_exit_cb ret,
				    fprobe_entry_cb count)
{
	int err;

	/* not reusable as is after unregistering: built anew each time */
	p->tracer = (struct fprobe) {
		.entry_handler = entry,
		.exit_handler = ret,
		.entry_data_size = data_size,
#ifndef PTW_FT_FGRAPH
		.nr_maxactive = maxactive,	/* in all: 6.12 objpool's total */
#endif
	};
	p->counter = (struct fprobe) { .entry_handler = count };
	if (PTW_FT_COUNTER) {
		err = register_fprobe_syms(&p->counter, &sym, 1);
		if (err)
			return err;
	}
	err = register_fprobe_syms(&p->tracer, &sym, 1);
	if (err && PTW_FT_COUNTER)
		unregister_fprobe(&p->counter);
	return err;
}

static inline void ptw_ft_unregister(struct ptw_ft_probe *p)
{
	unregister_fprobe(&p->tracer);
	if (PTW_FT_COUNTER)
		unregister_fprobe(&p->counter);
	/*
	 * 6.12's fprobe has an ftrace_ops of its own, whose unregistering
	 * waits for its callbacks.  7.x's share fgraph's ops with every other
	 * fprobe user (perf, BPF): while one is left, unregister_fprobe() only
	 * drops our node and ips, and a CPU may still be in our handler.
	 */
	if (!PTW_FT_COUNTER)
		synchronize_rcu();
}

/* 7.x: calls fgraph had no room for (shadow stack full), whoever's */
static inline unsigned long ptw_ft_unattributed(struct ptw_ft_probe *p)
{
	return PTW_FT_COUNTER ? 0 : READ_ONCE(p->tracer.nmissed);
}
#else
struct ptw_ft_probe {
	struct kretprobe tracer;
	struct kprobe counter;
};

/*
 * The probes on the site are ftrace-based: they run from its call, never
 * from an int3, except an int3 QEMU's TCG runs from a stale translation
 * after text_poke_bp() (faulttrace.c, ft_int3_notify()).  kprobes claim
 * that int3 for the probe hashed there and would single-step it from the
 * copy an ftrace-based probe does not have (RIP 0).  The int3 handler
 * runs as an NMI: the handlers see it so.  The tracer's entry skips the
 * call; the counter, which runs after it and alone while the site is
 * patched, has kprobes resume at the site (a non-zero return: no
 * single-step: retry() has set the registers to run what memory holds
 * there now; when it cannot, kprobes go on as they would).
 */

#define PTW_FT_HANDLERS(entry, ret, count, retry)			\
static int entry##_kp(struct kretprobe_instance *ri,			\
		      struct pt_regs *regs)				\
{									\
	if (in_nmi())	/* a stale int3: count##_kp() retries it */	\
		return 1;						\
	return entry((void *)ptw_ft_arg(regs, 0), ptw_ft_arg(regs, 1),	\
		     ptw_ft_arg(regs, 2), ri->data);			\
}									\
static int ret##_kp(struct kretprobe_instance *ri,			\
		    struct pt_regs *regs)				\
{									\
	ret(ptw_ft_ret(regs), ri->data);				\
	return 0;							\
}									\
static int count##_kp(struct kprobe *kp, struct pt_regs *regs)		\
{									\
	if (in_nmi())							\
		return retry(regs);					\
	count();							\
	return 0;							\
}									\
static int ptw_ft_register(struct ptw_ft_probe *p, const char *sym,	\
			   size_t data_size, int maxactive)		\
{									\
	return __ptw_ft_register(p, sym, data_size, maxactive,		\
				 entry##_kp, ret##_kp, count##_kp);	\
}

static inline int __ptw_ft_register(struct ptw_ft_probe *p, const char *sym,
				    size_t data_size, int maxactive,
				    kretprobe_handler_t entry, kretprobe_handler_t ret,
				    kprobe_pre_handler_t count)
{
	int err;

	/* A kprobe is not reusable as is after unregistering: build anew. */
	p->tracer = (struct kretprobe) {
		.kp.symbol_name = sym,
		.entry_handler = entry,
		.handler = ret,
		.data_size = data_size,
		.maxactive = maxactive,
	};
	p->counter = (struct kprobe) {
		.symbol_name = sym,
		.pre_handler = count,
	};
	err = register_kprobe(&p->counter);
	if (err)
		return err;
	err = register_kretprobe(&p->tracer);
	if (err)
		unregister_kprobe(&p->counter);
	return err;
}

/* both wait for running handlers; instances in flight go quietly */
static inline void ptw_ft_unregister(struct ptw_ft_probe *p)
{
	unregister_kretprobe(&p->tracer);
	unregister_kprobe(&p->counter);
}

static inline unsigned long ptw_ft_unattributed(struct ptw_ft_probe *p)
{
	return 0;
}
#endif

/*
 * The vm events ptwalk reports, as entries of vmstat_ext.c's table.  Some
 * exist only with their config option (Debian's 6.1 RT kernel has neither
 * THP nor NUMA balancing): those are listed as absent, by name, and never
 * read.  Reclaim's scan/steal/refill counters became per-node stats with
 * "mm: move pgscan, pgsteal, pgrefill to node stats": still in akpm's
 * mm-unstable while 7.0 was at -rc (March 2026), so 7.1 at the earliest,
 * and there in 7.3.  The table keeps each item in a member of its own enum
 * type, so should a kernel have them elsewhere than this test says, W=1's
 * -Wenum-conversion stops the build (lint and build-modules.sh fail on any
 * warning) instead of reading another counter.  /proc/vmstat prints both
 * kinds the same way.
 */
enum ptw_vm_src {
	PTW_VM_EVENT,		/* all_vm_events()[event] */
	PTW_VM_NODE_STAT,	/* global_node_page_state(node_stat) */
	PTW_VM_ABSENT,		/* not in this kernel: @absent says why */
};

#define PTW_EV(i)		.src = PTW_VM_EVENT, .event = (i)
#define PTW_EV_NODE(i)		.src = PTW_VM_NODE_STAT, .node_stat = (i)
#define PTW_EV_ABSENT(why)	.src = PTW_VM_ABSENT, .absent = (why)

#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 1, 0)
#define PTW_EV_RECLAIM(i)	PTW_EV_NODE(i)
#else
#define PTW_EV_RECLAIM(i)	PTW_EV(i)
#endif

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
#define PTW_EV_THP(i)		PTW_EV(i)
#else
#define PTW_EV_THP(i)		PTW_EV_ABSENT("no CONFIG_TRANSPARENT_HUGEPAGE")
#endif

#ifdef CONFIG_NUMA_BALANCING
#define PTW_EV_NUMA_BALANCING(i)	PTW_EV(i)
#else
#define PTW_EV_NUMA_BALANCING(i)	PTW_EV_ABSENT("no CONFIG_NUMA_BALANCING")
#endif

#ifdef CONFIG_COMPACTION
#define PTW_EV_COMPACTION(i)	PTW_EV(i)
#else
#define PTW_EV_COMPACTION(i)	PTW_EV_ABSENT("no CONFIG_COMPACTION")
#endif

#ifdef CONFIG_MIGRATION
#define PTW_EV_MIGRATION(i)	PTW_EV(i)
#else
#define PTW_EV_MIGRATION(i)	PTW_EV_ABSENT("no CONFIG_MIGRATION")
#endif

#ifdef CONFIG_ZONE_DMA32
#define PTW_EV_DMA32(i)		PTW_EV(i)
#else
#define PTW_EV_DMA32(i)		PTW_EV_ABSENT("no CONFIG_ZONE_DMA32")
#endif

#endif /* PTWALK_COMPAT_H */
