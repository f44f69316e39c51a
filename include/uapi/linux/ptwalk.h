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
#define PTWALK_LEVELS(X)			\
	X(PGD, 0, "pgd")			\
	X(P4D, 1, "p4d")			\
	X(PUD, 2, "pud")			\
	X(PMD, 3, "pmd")			\
	X(PTE, 4, "pte")
#define PTWALK_NR_LEVELS	5

/* What one level's entry was. */
#define PTWALK_STATES(X)			\
	X(UNUSED, 0, "-")	/* below the leaf */	\
	X(TABLE, 1, "table")			\
	X(LEAF, 2, "leaf")			\
	X(NONE, 3, "none")			\
	X(BAD, 4, "bad")			\
	X(FOLDED, 5, "folded")	/* same entry as the level above */

/* What backs the address (or why nothing does). */
#define PTWALK_KINDS(X)						\
	X(UNMAPPED, 0, "unmapped")	/* no VMA covers it */	\
	X(NONE, 1, "none")		/* never faulted in */	\
	X(NORMAL, 2, "normal")					\
	X(THP, 3, "thp")					\
	X(HUGETLB, 4, "hugetlb")				\
	X(ZERO, 5, "zero")					\
	X(DEVMAP, 6, "devmap")					\
	X(PFNMAP, 7, "pfnmap")					\
	X(SWAP, 8, "swap")					\
	X(MIGRATION, 9, "migration")				\
	X(DEVICE_PRIVATE, 10, "device-private")		\
	X(DEVICE_EXCLUSIVE, 11, "device-exclusive")		\
	X(HWPOISON, 12, "hwpoison")				\
	X(MARKER, 13, "marker")					\
	X(BAD, 14, "bad")

/* Decoded bits of a page-table entry (bit numbers in ptwalk_level.flags). */
#define PTWALK_ENTRY_FLAGS(X)			\
	X(PRESENT, 0, "present")		\
	X(RW, 1, "rw")				\
	X(USER, 2, "user")			\
	X(PWT, 3, "pwt")			\
	X(PCD, 4, "pcd")			\
	X(ACCESSED, 5, "accessed")		\
	X(DIRTY, 6, "dirty")			\
	X(PSE, 7, "pse")			\
	X(PAT, 8, "pat")			\
	X(GLOBAL, 9, "global")			\
	X(NX, 10, "nx")				\
	X(SOFT_DIRTY, 11, "soft-dirty")		\
	X(UFFD_WP, 12, "uffd-wp")		\
	X(SPECIAL, 13, "special")		\
	X(PROTNONE, 14, "protnone")		\
	X(DEVMAP, 15, "devmap")			\
	X(SAVED_DIRTY, 16, "saved-dirty")	\
	X(SWP_EXCLUSIVE, 17, "swp-exclusive")

/* struct page / folio flags (bit numbers in ptwalk_page.flags). */
#define PTWALK_PAGE_FLAGS(X)			\
	X(LRU, 0, "lru")			\
	X(ACTIVE, 1, "active")			\
	X(REFERENCED, 2, "referenced")		\
	X(DIRTY, 3, "dirty")			\
	X(SWAPBACKED, 4, "swapbacked")		\
	X(ANON, 5, "anon")			\
	X(KSM, 6, "ksm")			\
	X(HEAD, 7, "head")			\
	X(TAIL, 8, "tail")			\
	X(LOCKED, 9, "locked")			\
	X(WRITEBACK, 10, "writeback")		\
	X(UPTODATE, 11, "uptodate")		\
	X(MLOCKED, 12, "mlocked")		\
	X(UNEVICTABLE, 13, "unevictable")	\
	X(RESERVED, 14, "reserved")		\
	X(SWAPCACHE, 15, "swapcache")		\
	X(HUGETLB, 16, "hugetlb")		\
	X(THP, 17, "thp")			\
	X(ZERO, 18, "zero")			\
	X(HWPOISON, 19, "hwpoison")

/* VMA properties (bit numbers in ptwalk_vma.flags). */
#define PTWALK_VMA_FLAGS(X)			\
	X(READ, 0, "read")			\
	X(WRITE, 1, "write")			\
	X(EXEC, 2, "exec")			\
	X(SHARED, 3, "shared")			\
	X(LOCKED, 4, "locked")			\
	X(HUGEPAGE, 5, "hugepage")		\
	X(NOHUGEPAGE, 6, "nohugepage")		\
	X(IO, 7, "io")				\
	X(PFNMAP, 8, "pfnmap")			\
	X(GROWSDOWN, 9, "growsdown")		\
	X(HUGETLB, 10, "hugetlb")		\
	X(MIXEDMAP, 11, "mixedmap")		\
	X(DONTDUMP, 12, "dontdump")		\
	X(FILE, 13, "file")			\
	X(ANON, 14, "anon")

/* Names are pasted directly: an argument like READ must not be expanded. */
#define PTWALK_LEVEL_ENUM(n, nr, s)	PTWALK_LEVEL_##n = nr,
#define PTWALK_STATE_ENUM(n, nr, s)	PTWALK_STATE_##n = nr,
#define PTWALK_KIND_ENUM(n, nr, s)	PTWALK_KIND_##n = nr,
#define PTWALK_EF_ENUM(n, nr, s)	PTWALK_EF_##n = nr,
#define PTWALK_PF_ENUM(n, nr, s)	PTWALK_PF_##n = nr,
#define PTWALK_VF_ENUM(n, nr, s)	PTWALK_VF_##n = nr,

enum { PTWALK_LEVELS(PTWALK_LEVEL_ENUM) };
enum { PTWALK_STATES(PTWALK_STATE_ENUM) PTWALK_NR_STATES };
enum { PTWALK_KINDS(PTWALK_KIND_ENUM) PTWALK_NR_KINDS };
enum { PTWALK_ENTRY_FLAGS(PTWALK_EF_ENUM) PTWALK_NR_ENTRY_FLAGS };
enum { PTWALK_PAGE_FLAGS(PTWALK_PF_ENUM) PTWALK_NR_PAGE_FLAGS };
enum { PTWALK_VMA_FLAGS(PTWALK_VF_ENUM) PTWALK_NR_VMA_FLAGS };

/* ptwalk_info.features */
#define PTWALK_FEAT_PFN_VISIBLE	(1ULL << 0)	/* caller sees PFNs */
#define PTWALK_FEAT_TRANSLATE	(1ULL << 1)

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
};

#define PTWALK_IOC_MAGIC	0xB7
#define PTWALK_IOC_GET_INFO	_IOWR(PTWALK_IOC_MAGIC, 0x00, struct ptwalk_info)
#define PTWALK_IOC_TRANSLATE	_IOWR(PTWALK_IOC_MAGIC, 0x01, struct ptwalk_translate)

/* Smallest sizes the module accepts (the first published layouts). */
#define PTWALK_INFO_SIZE_VER0		48
#define PTWALK_TRANSLATE_SIZE_VER0	40
#define PTWALK_XLATE_SIZE_VER0		552

#endif /* _UAPI_LINUX_PTWALK_H */
