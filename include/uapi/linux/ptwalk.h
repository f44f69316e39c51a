/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ptwalk: read-only view of how a process's virtual memory maps onto
 * physical memory.  The only contract between ptwalk.ko and user space.
 *
 * Every struct passed to an ioctl starts with its own size so it can grow:
 * the kernel accepts older (shorter) structs and newer (longer) ones whose
 * unknown tail is zero.  Output arrays carry their element size too.
 */
#ifndef _UAPI_LINUX_PTWALK_H
#define _UAPI_LINUX_PTWALK_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define PTWALK_ABI_VERSION	1
#define PTWALK_DEVICE		"/dev/ptwalk"
#define PTWALK_MAX_BATCH	65536	/* addresses in one TRANSLATE */
#define PTWALK_NAME_LEN		256	/* VMA name, NUL-terminated, truncated */
#define PTWALK_ZONE_LEN		16

/* Page-table levels, top down; a 4-level machine reports P4D as folded. */
#define PTWALK_NR_LEVELS	5
enum {
	PTWALK_LEVEL_PGD = 0,
	PTWALK_LEVEL_P4D = 1,
	PTWALK_LEVEL_PUD = 2,
	PTWALK_LEVEL_PMD = 3,
	PTWALK_LEVEL_PTE = 4,
};

/* What one level's entry was. */
enum {
	PTWALK_STATE_UNUSED = 0,	/* below the leaf */
	PTWALK_STATE_TABLE = 1,
	PTWALK_STATE_LEAF = 2,
	PTWALK_STATE_NONE = 3,
	PTWALK_STATE_BAD = 4,
	PTWALK_STATE_FOLDED = 5,	/* same entry as the level above */
	PTWALK_NR_STATES
};

/* What backs the address (or why nothing does). */
enum {
	PTWALK_KIND_UNMAPPED = 0,	/* no VMA covers it */
	PTWALK_KIND_NONE = 1,	/* never faulted in */
	PTWALK_KIND_NORMAL = 2,
	PTWALK_KIND_THP = 3,
	PTWALK_KIND_HUGETLB = 4,
	PTWALK_KIND_ZERO = 5,
	PTWALK_KIND_DEVMAP = 6,
	PTWALK_KIND_PFNMAP = 7,
	PTWALK_KIND_SWAP = 8,
	PTWALK_KIND_MIGRATION = 9,
	PTWALK_KIND_DEVICE_PRIVATE = 10,
	PTWALK_KIND_DEVICE_EXCLUSIVE = 11,
	PTWALK_KIND_HWPOISON = 12,
	PTWALK_KIND_MARKER = 13,	/* another PTE marker (UFFDIO_POISON, swapin error) */
	PTWALK_KIND_BAD = 14,
	PTWALK_KIND_GUARD = 15,	/* guard region marker (MADV_GUARD_INSTALL, 6.13+) */
	PTWALK_KIND_UFFD_WP = 16,	/* userfaultfd write-protect marker: no page yet */
	PTWALK_NR_KINDS
};

/* Decoded bits of a page-table entry (bit numbers in ptwalk_level.flags). */
enum {
	PTWALK_EF_PRESENT = 0,
	PTWALK_EF_RW = 1,
	PTWALK_EF_USER = 2,
	PTWALK_EF_PWT = 3,
	PTWALK_EF_PCD = 4,
	PTWALK_EF_ACCESSED = 5,
	PTWALK_EF_DIRTY = 6,
	PTWALK_EF_PSE = 7,
	PTWALK_EF_PAT = 8,
	PTWALK_EF_GLOBAL = 9,
	PTWALK_EF_NX = 10,
	PTWALK_EF_SOFT_DIRTY = 11,
	PTWALK_EF_UFFD_WP = 12,
	PTWALK_EF_SPECIAL = 13,
	PTWALK_EF_PROTNONE = 14,
	PTWALK_EF_DEVMAP = 15,
	PTWALK_EF_SAVED_DIRTY = 16,
	PTWALK_EF_SWP_EXCLUSIVE = 17,
	PTWALK_EF_UFFD_RWP = 18,	/* the uffd bit in a VM_UFFD_RWP VMA (7.3+) */
	PTWALK_NR_ENTRY_FLAGS
};

/* struct page / folio flags (bit numbers in ptwalk_page.flags). */
enum {
	PTWALK_PF_LRU = 0,
	PTWALK_PF_ACTIVE = 1,
	PTWALK_PF_REFERENCED = 2,
	PTWALK_PF_DIRTY = 3,
	PTWALK_PF_SWAPBACKED = 4,
	PTWALK_PF_ANON = 5,
	PTWALK_PF_KSM = 6,
	PTWALK_PF_HEAD = 7,
	PTWALK_PF_TAIL = 8,
	PTWALK_PF_LOCKED = 9,
	PTWALK_PF_WRITEBACK = 10,
	PTWALK_PF_UPTODATE = 11,
	PTWALK_PF_MLOCKED = 12,
	PTWALK_PF_UNEVICTABLE = 13,
	PTWALK_PF_RESERVED = 14,
	PTWALK_PF_SWAPCACHE = 15,
	PTWALK_PF_HUGETLB = 16,
	PTWALK_PF_THP = 17,
	PTWALK_PF_ZERO = 18,
	PTWALK_PF_HWPOISON = 19,
	PTWALK_NR_PAGE_FLAGS
};

/* VMA properties (bit numbers in ptwalk_vma.flags). */
enum {
	PTWALK_VF_READ = 0,
	PTWALK_VF_WRITE = 1,
	PTWALK_VF_EXEC = 2,
	PTWALK_VF_SHARED = 3,
	PTWALK_VF_LOCKED = 4,
	PTWALK_VF_HUGEPAGE = 5,
	PTWALK_VF_NOHUGEPAGE = 6,
	PTWALK_VF_IO = 7,
	PTWALK_VF_PFNMAP = 8,
	PTWALK_VF_GROWSDOWN = 9,
	PTWALK_VF_HUGETLB = 10,
	PTWALK_VF_MIXEDMAP = 11,
	PTWALK_VF_DONTDUMP = 12,
	PTWALK_VF_FILE = 13,
	PTWALK_VF_ANON = 14,
	PTWALK_NR_VMA_FLAGS
};

/* ptwalk_info.features */
#define PTWALK_FEAT_PFN_VISIBLE	(1ULL << 0)	/* caller sees PFNs */
#define PTWALK_FEAT_TRANSLATE	(1ULL << 1)
#define PTWALK_FEAT_VMSTAT	(1ULL << 2)	/* ZONES, VMSTAT, FAULTS, FAULT_TRACE */
#define PTWALK_FEAT_WALK	(1ULL << 3)
#define PTWALK_FEAT_MAPS	(1ULL << 4)
/* what a kernel's config may leave out (Debian's RT kernels have no THP) */
#define PTWALK_FEAT_THP		(1ULL << 5)	/* transparent huge pages exist */
#define PTWALK_FEAT_FAULT_TRACE	(1ULL << 6)	/* FAULT_TRACE can start (fprobes or kretprobes) */

struct ptwalk_info {
	__u32 size;		/* in: sizeof(struct ptwalk_info) */
	__u32 abi_version;	/* out: PTWALK_ABI_VERSION */
	__u32 paging_levels;	/* 4 or 5 */
	__u32 page_shift;
	__u64 page_sizes;	/* bit n set: pages of 1 << n bytes */
	__u64 features;		/* PTWALK_FEAT_* */
	__u64 user_va_end;	/* first address past user space */
	__u32 max_batch;	/* PTWALK_MAX_BATCH */
	__u32 xlate_size;	/* sizeof(struct ptwalk_xlate) of the module */
};

struct ptwalk_level {
	__u64 entry;		/* raw value; PFN bits cleared if not visible */
	__u64 entry_phys;	/* physical address of the entry itself */
	__u64 flags;		/* 1 << PTWALK_EF_* */
	__u16 index;		/* index of the entry in its table */
	__u8 level;		/* PTWALK_LEVEL_* */
	__u8 state;		/* PTWALK_STATE_* */
	__u8 pkey;
	__u8 pad[3];
};

struct ptwalk_vma {
	__u64 start;
	__u64 end;
	__u64 pgoff;		/* file offset of start, in bytes */
	__u64 flags;		/* 1 << PTWALK_VF_* */
	char name[PTWALK_NAME_LEN];	/* path, [heap], [stack], [vdso]... */
};

struct ptwalk_page {
	__u64 flags;		/* 1 << PTWALK_PF_* */
	__s32 refcount;		/* of the folio */
	__s32 mapcount;		/* of this page, as /proc/kpagecount */
	__u32 order;		/* folio order */
	__s32 node;
	char zone[PTWALK_ZONE_LEN];
};

/* ptwalk_xlate.valid */
#define PTWALK_XV_VMA	(1U << 0)
#define PTWALK_XV_PAGE	(1U << 1)	/* a struct page backs the address */
#define PTWALK_XV_PFN	(1U << 2)	/* pfn and phys are meaningful */
#define PTWALK_XV_SWAP	(1U << 3)

/* The translation of one virtual address. */
struct ptwalk_xlate {
	__u64 va;
	__s32 error;		/* 0, or -errno for this address alone */
	__u32 valid;		/* PTWALK_XV_* */
	__u8 present;		/* as pagemap's present bit */
	__u8 kind;		/* PTWALK_KIND_* */
	__u8 leaf_level;	/* PTWALK_LEVEL_* of the last entry read */
	__u8 pad[5];
	__u64 page_size;	/* bytes mapped by the leaf */
	__u64 pfn;		/* of the byte asked for */
	__u64 phys;		/* of the byte asked for */
	__u64 swap_type;	/* or the non-swap entry's type */
	__u64 swap_offset;	/* or the entry's offset (e.g. migration pfn) */
	struct ptwalk_level levels[PTWALK_NR_LEVELS];
	struct ptwalk_vma vma;
	struct ptwalk_page page;
};

/*
 * ptwalk_translate.fields: the parts of each answer the caller wants; 0
 * (and a caller whose struct ends before fields) asks for all of them.
 * The parts not asked for are not written: they keep what the caller's
 * buffer held, and valid has no PTWALK_XV_VMA or PTWALK_XV_PAGE for them.
 */
#define PTWALK_XF_LEAF		(1U << 0)	/* va..levels: the leaf's own level only */
#define PTWALK_XF_LEVELS	(1U << 1)	/* every level's entry (levels[]) */
#define PTWALK_XF_VMA		(1U << 2)	/* vma, but vma.name */
#define PTWALK_XF_VMA_NAME	(1U << 3)	/* vma.name too (implies PTWALK_XF_VMA) */
#define PTWALK_XF_PAGE		(1U << 4)	/* page */
#define PTWALK_XF_ALL		0x1fU

/* Translate a batch of addresses of one process. */
struct ptwalk_translate {
	__u32 size;		/* in: sizeof(struct ptwalk_translate) */
	__s32 pid;		/* in: target, in the caller's pid namespace */
	__u32 count;		/* in: number of addresses, 1..max_batch */
	__u32 xlate_size;	/* in: sizeof(struct ptwalk_xlate) of the caller */
	__u64 addrs;		/* in: user pointer to __u64[count] */
	__u64 results;		/* in: user pointer to count results */
	__u32 done;		/* out: results written */
	__u32 flags;		/* in: must be 0 */
	__u32 fields;		/* in: PTWALK_XF_*, 0 for all; PTWALK_XF_LEAF always given */
	__u32 pad;		/* in: must be 0 */
};

/* ---- vmstat_ext: zones, vm events, fault counters ---- */

#define PTWALK_MAX_ZONE_RESERVE	8	/* lowmem_reserve[] entries */
#define PTWALK_MAX_ORDERS	16	/* buddy orders */
#define PTWALK_VMSTAT_NAME_LEN	32

/* One populated zone, in pages.  Watermarks come without the boost. */
struct ptwalk_zone {
	__s32 node;
	__u32 nr_reserve;	/* valid entries of lowmem_reserve[] */
	char name[PTWALK_ZONE_LEN];
	__u64 wmark_min;
	__u64 wmark_low;
	__u64 wmark_high;
	__u64 wmark_promo;
	__u64 watermark_boost;	/* add to each for what the allocator uses */
	__u64 free;		/* NR_FREE_PAGES: the cheap per-zone counter */
	__u64 free_snapshot;	/* same with per-CPU deltas folded in */
	__s64 headroom;		/* free - (low + boost); < 0: kswapd runs */
	__u64 managed;
	__u64 present;
	__u64 spanned;
	__u64 reserved_highatomic;
	__u64 lowmem_reserve[PTWALK_MAX_ZONE_RESERVE];
	__u32 nr_orders;	/* valid entries of free_blocks[] */
	__u32 pad;
	__u64 free_blocks[PTWALK_MAX_ORDERS];	/* as /proc/buddyinfo */
};

/* Fill up to count zones; total says how many there are. */
struct ptwalk_zones {
	__u32 size;		/* in: sizeof(struct ptwalk_zones) */
	__u32 zone_size;	/* in: sizeof(struct ptwalk_zone) */
	__u32 count;		/* in: room in zones[]; out: entries written */
	__u32 total;		/* out: populated zones */
	__u64 zones;		/* in: user pointer */
};

struct ptwalk_vmstat_item {
	char name[PTWALK_VMSTAT_NAME_LEN];	/* as in /proc/vmstat */
	__u64 value;
};

/* System-wide vm events (fault and reclaim), summed over CPUs. */
struct ptwalk_vmstat {
	__u32 size;
	__u32 item_size;	/* in: sizeof(struct ptwalk_vmstat_item) */
	__u32 count;		/* in: room in items[]; out: entries written */
	__u32 total;		/* out: events the module knows */
	__u64 items;		/* in: user pointer */
};

/* ptwalk_faults.flags */
#define PTWALK_FAULTS_CHILDREN	(1U << 0)	/* also report reaped children */

/* Page faults of a process, summed over its threads as /proc/PID/stat. */
struct ptwalk_faults {
	__u32 size;
	__s32 pid;		/* in */
	__u32 flags;		/* in: PTWALK_FAULTS_* */
	__u32 nr_threads;	/* out */
	__u64 min_flt;		/* out: minor faults, exited threads included */
	__u64 maj_flt;
	__u64 cmin_flt;		/* out, with PTWALK_FAULTS_CHILDREN */
	__u64 cmaj_flt;
};

/* ---- live fault tracing of one process ---- */

#define PTWALK_FT_START		1	/* register probes, clear counters */
#define PTWALK_FT_STOP		2	/* unregister probes, keep counters */
#define PTWALK_FT_RESET		3	/* clear counters */
#define PTWALK_FT_READ		4	/* copy counters out */

#define PTWALK_FT_HIST		32	/* log2(ns) buckets of fault duration */

/* Fault counts of one VMA of the traced process (or of the overflow). */
struct ptwalk_ft_vma {
	__u64 start;
	__u64 end;
	__u64 faults;		/* handle_mm_fault() calls: retries count again */
	__u64 read;
	__u64 write;
	__u64 exec;
	__u64 kernel_mode;	/* kernel touching a user address (uaccess) */
	__u64 minor;
	__u64 major;		/* waited for I/O, as /proc/PID/stat counts it */
	__u64 retry;		/* VM_FAULT_RETRY: dropped the lock, taken again */
	__u64 error;		/* VM_FAULT_ERROR: SIGSEGV, SIGBUS, OOM */
	__u64 protection;	/* the page was present (x86 PF_PROT): COW, write-protect */
};

struct ptwalk_fault_trace {
	__u32 size;
	__u32 op;		/* in: PTWALK_FT_* */
	__s32 pid;		/* in (START): process to trace, with its threads */
	__u32 flags;		/* in: must be 0 */
	__u64 vmas;		/* in (READ): user pointer to count ptwalk_ft_vma */
	__u32 vma_size;		/* in (READ): sizeof(struct ptwalk_ft_vma) */
	__u32 count;		/* in: room in vmas[]; out: entries written */
	__u32 total_vmas;	/* out: VMAs tracked (at most max_vmas) */
	__u32 max_vmas;		/* out: faults beyond that land in overflow */
	__s32 traced_pid;	/* out */
	__u32 running;		/* out: 1 while tracing (between START and STOP) */
	__u64 nmissed;		/* out: the traced process's faults the probe lost */
	__u64 elapsed_ns;	/* out: time traced so far */
	struct ptwalk_ft_vma overflow;	/* out */
	__u64 hist[PTWALK_FT_HIST];	/* out: faults by log2(duration ns) */
};

/* ---- streamed walk of a range: records or extents ---- */

/* Categories of a page or run, for filtering (bits of match_all/none). */
enum {
	PTWALK_CAT_PRESENT = 0,
	PTWALK_CAT_SWAPPED = 1,
	PTWALK_CAT_NONE = 2,		/* in a VMA, never faulted in */
	PTWALK_CAT_DIRTY = 3,
	PTWALK_CAT_SOFT_DIRTY = 4,	/* the leaf's bit or its VMA's, as pagemap */
	PTWALK_CAT_ACCESSED = 5,
	PTWALK_CAT_HUGE = 6,		/* mapped by a PMD or PUD leaf */
	PTWALK_CAT_ZERO = 7,
	PTWALK_CAT_FILE = 8,
	PTWALK_CAT_ANON = 9,
	PTWALK_CAT_WRITABLE = 10,
	PTWALK_CAT_EXEC = 11,
	PTWALK_CAT_WX = 12,		/* writable and executable */
	PTWALK_NR_CATS
};

#define PTWALK_WALK_RECORDS	0	/* one record per leaf entry */
#define PTWALK_WALK_EXTENTS	1	/* runs contiguous in va and pa, equal attributes */
/* runs of equal level, kind and flags in one VMA, wherever they map: ptdump */
#define PTWALK_WALK_RANGES	2
/* as RECORDS, in struct ptwalk_record_compact: page-aligned start and end, no holes */
#define PTWALK_WALK_COMPACT	3

/* ptwalk_walk.flags */
#define PTWALK_WALK_HOLES	(1U << 0)	/* report never-faulted entries too */

/* One leaf (records) or one run of leaves (extents). */
struct ptwalk_record {
	__u64 va;		/* first byte */
	__u64 length;		/* bytes */
	__u64 pfn;		/* of va; 0 when not present or not visible */
	__u64 entry;		/* raw leaf entry of va (PFN bits cleared if not visible) */
	__u64 flags;		/* 1 << PTWALK_EF_* of the leaf */
	__u64 cats;		/* 1 << PTWALK_CAT_* */
	__u64 vma_start;	/* the VMA it belongs to */
	__u32 page_size_shift;	/* 12, 21 or 30 */
	__u8 kind;		/* PTWALK_KIND_* */
	__u8 level;		/* PTWALK_LEVEL_* of the leaf */
	__u8 present;
	__u8 pad;
};

/*
 * One leaf in 16 bytes (PTWALK_WALK_COMPACT): no raw entry, no categories,
 * no swap type or offset.  A leaf reaches from va to its next page_size
 * boundary (1 << 12, 21 or 30 by its level) or to the end of the range.
 */
struct ptwalk_record_compact {
	__u64 va;		/* bits 63..12: first page; 11..8: 0; 7..5 level; 4..0 kind */
	__u64 pfn_flags;	/* bits 39..0: pfn as in ptwalk_record; 58..40: 1 << PTWALK_EF_* */
};

#define PTWALK_RC_KIND(va)	((unsigned int)(va) & 0x1f)
#define PTWALK_RC_LEVEL(va)	(((unsigned int)(va) >> 5) & 7)
#define PTWALK_RC_VA(va)	((va) & ~0xfffULL)
#define PTWALK_RC_PFN(pf)	((pf) & ((1ULL << 40) - 1))
#define PTWALK_RC_FLAGS(pf)	(((pf) >> 40) & ((1ULL << PTWALK_NR_ENTRY_FLAGS) - 1))
/* bit 59: soft-dirty as pagemap says (PTWALK_CAT_SOFT_DIRTY) */
#define PTWALK_RC_SOFT_DIRTY	(1ULL << 59)

struct ptwalk_walk {
	__u32 size;		/* in: sizeof(struct ptwalk_walk) */
	__s32 pid;		/* in */
	__u64 start;		/* in: first address */
	__u64 end;		/* in: address past the range */
	__u32 mode;		/* in: PTWALK_WALK_* */
	__u32 record_size;	/* in: sizeof(struct ptwalk_record), or _compact */
	__u64 records;		/* in: user pointer */
	__u32 count;		/* in: room in records[]; out: records written */
	__u32 flags;		/* in: PTWALK_WALK_HOLES or 0 */
	__u64 match_all;	/* in: report only what has all these categories */
	__u64 match_none;	/* in: ...and none of these */
	__u64 next;		/* out: resume here; == end when the walk is done */
};

/* ---- per-VMA statistics ---- */

#define PTWALK_MAX_NODES	16

/* Leaf sizes, the index of ptwalk_vma_stats.resident[]. */
enum {
	PTWALK_PS_4K = 0,
	PTWALK_PS_2M = 1,
	PTWALK_PS_1G = 2,
	PTWALK_NR_PS
};

/*
 * What backs one VMA and what its page tables cost.  Sizes are in bytes,
 * thp, tables[], tables_first[], pte_deposited and extents are counts;
 * resident[] + zero + swapped + none + other == vma.end - vma.start.
 */
#define PTWALK_NR_FOLIO_ORDERS	19	/* 4K to 1G */

struct ptwalk_vma_stats {
	struct ptwalk_vma vma;
	__u64 resident[PTWALK_NR_PS];	/* mapped to a struct page, zero page aside */
	__u64 thp;		/* count of PMD-mapped transparent huge pages */
	__u64 hugetlb;		/* hugetlb leaves (also counted in resident[]) */
	__u64 zero;		/* leaves mapping the zero page (4K or huge) */
	__u64 swapped;		/* swap entries */
	__u64 none;		/* never faulted in: no leaf at all */
	__u64 other;		/* pfnmap, devmap, migration, markers, poison... */
	__u64 dirty;		/* present leaves with the bit set */
	__u64 accessed;
	__u64 soft_dirty;	/* present or swapped, soft-dirty as pagemap says */
	__u64 write_protected;	/* present leaves without the RW bit */
	/* page tables, indexed by the level of the table (PGD unused) */
	__u64 tables[PTWALK_NR_LEVELS];		/* reachable from this VMA */
	__u64 tables_first[PTWALK_NR_LEVELS];	/* ...and from no earlier VMA */
	__u64 pte_deposited;	/* PTE tables set aside for anon PMD leaves */
	__u64 extents;		/* runs of resident memory contiguous in va and pa */
	__u64 largest_extent;	/* 0 with extents when PFNs are not visible */
	__u64 node[PTWALK_MAX_NODES];	/* resident bytes per NUMA node */
	__u64 node_other;	/* resident bytes on nodes >= PTWALK_MAX_NODES */
	/*
	 * resident[] again, by the size of the folio that maps each byte:
	 * [order] for folios of 4K << order (multi-size THP: 16K..1M folios
	 * mapped by PTEs; a PMD THP or hugetlb page is order 9, 1G order 18),
	 * whether PTE- or PMD-mapped.  A caller whose (older) struct ends
	 * before this field does not get it.
	 */
	__u64 resident_folio[PTWALK_NR_FOLIO_ORDERS];
};

/*
 * Statistics of the VMAs that start at or above start, in address order.  The
 * process's page-table bytes (VmPTE in /proc/PID/status) are the sum over
 * all VMAs of tables_first[PTE..PUD] plus pte_deposited, times the page size.
 */
struct ptwalk_maps {
	__u32 size;		/* in: sizeof(struct ptwalk_maps) */
	__s32 pid;		/* in */
	__u64 start;		/* in: VMAs starting here or above; 0 for all */
	__u64 stats;		/* in: user pointer to count ptwalk_vma_stats */
	__u32 stats_size;	/* in: sizeof(struct ptwalk_vma_stats) */
	__u32 count;		/* in: room in stats[]; out: entries written */
	__u32 flags;		/* in: must be 0 */
	__u32 pad;
	__u64 next;		/* out: resume here; user_va_end when no VMA is left */
};

#define PTWALK_IOC_MAGIC	0xB7
#define PTWALK_IOC_GET_INFO	_IOWR(PTWALK_IOC_MAGIC, 0x00, struct ptwalk_info)
#define PTWALK_IOC_TRANSLATE	_IOWR(PTWALK_IOC_MAGIC, 0x01, struct ptwalk_translate)
#define PTWALK_IOC_WALK		_IOWR(PTWALK_IOC_MAGIC, 0x02, struct ptwalk_walk)
#define PTWALK_IOC_MAPS		_IOWR(PTWALK_IOC_MAGIC, 0x03, struct ptwalk_maps)
#define PTWALK_IOC_ZONES	_IOWR(PTWALK_IOC_MAGIC, 0x10, struct ptwalk_zones)
#define PTWALK_IOC_VMSTAT	_IOWR(PTWALK_IOC_MAGIC, 0x11, struct ptwalk_vmstat)
#define PTWALK_IOC_FAULTS	_IOWR(PTWALK_IOC_MAGIC, 0x12, struct ptwalk_faults)
#define PTWALK_IOC_FAULT_TRACE	_IOWR(PTWALK_IOC_MAGIC, 0x13, struct ptwalk_fault_trace)

/* Smallest sizes the module accepts (the first published layouts). */
#define PTWALK_INFO_SIZE_VER0		48
#define PTWALK_TRANSLATE_SIZE_VER0	40
#define PTWALK_XLATE_SIZE_VER0		552
#define PTWALK_WALK_SIZE_VER0		72
#define PTWALK_RECORD_SIZE_VER0		64
#define PTWALK_RECORD_COMPACT_SIZE_VER0	16
#define PTWALK_MAPS_SIZE_VER0		48
#define PTWALK_VMA_STATS_SIZE_VER0	632
#define PTWALK_ZONES_SIZE_VER0		24
#define PTWALK_ZONE_SIZE_VER0		320
#define PTWALK_VMSTAT_SIZE_VER0		24
#define PTWALK_VMSTAT_ITEM_SIZE_VER0	40
#define PTWALK_FAULTS_SIZE_VER0		48
#define PTWALK_FT_SIZE_VER0		416	/* 408 before protection: refused */
#define PTWALK_FT_VMA_SIZE_VER0		88

#endif /* _UAPI_LINUX_PTWALK_H */
