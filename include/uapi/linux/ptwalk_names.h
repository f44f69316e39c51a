/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Names of ptwalk's levels, kinds and flag bits: one table that both the
 * module's text files and the CLI print from, so a flag has one name
 * everywhere.  A file may use only some tables: the rest are marked unused.
 */
#ifndef _UAPI_LINUX_PTWALK_NAMES_H
#define _UAPI_LINUX_PTWALK_NAMES_H

#include "ptwalk.h"

static const char *const ptwalk_level_names[PTWALK_NR_LEVELS]
__attribute__((__unused__)) = {
	[PTWALK_LEVEL_PGD] = "pgd",
	[PTWALK_LEVEL_P4D] = "p4d",
	[PTWALK_LEVEL_PUD] = "pud",
	[PTWALK_LEVEL_PMD] = "pmd",
	[PTWALK_LEVEL_PTE] = "pte",
};

static const char *const ptwalk_state_names[PTWALK_NR_STATES]
__attribute__((__unused__)) = {
	[PTWALK_STATE_UNUSED] = "-",
	[PTWALK_STATE_TABLE] = "table",
	[PTWALK_STATE_LEAF] = "leaf",
	[PTWALK_STATE_NONE] = "none",
	[PTWALK_STATE_BAD] = "bad",
	[PTWALK_STATE_FOLDED] = "folded",
};

static const char *const ptwalk_kind_names[PTWALK_NR_KINDS]
__attribute__((__unused__)) = {
	[PTWALK_KIND_UNMAPPED] = "unmapped",
	[PTWALK_KIND_NONE] = "none",
	[PTWALK_KIND_NORMAL] = "normal",
	[PTWALK_KIND_THP] = "thp",
	[PTWALK_KIND_HUGETLB] = "hugetlb",
	[PTWALK_KIND_ZERO] = "zero",
	[PTWALK_KIND_DEVMAP] = "devmap",
	[PTWALK_KIND_PFNMAP] = "pfnmap",
	[PTWALK_KIND_SWAP] = "swap",
	[PTWALK_KIND_MIGRATION] = "migration",
	[PTWALK_KIND_DEVICE_PRIVATE] = "device-private",
	[PTWALK_KIND_DEVICE_EXCLUSIVE] = "device-exclusive",
	[PTWALK_KIND_HWPOISON] = "hwpoison",
	[PTWALK_KIND_MARKER] = "marker",
	[PTWALK_KIND_BAD] = "bad",
	[PTWALK_KIND_GUARD] = "guard",
	[PTWALK_KIND_UFFD_WP] = "uffd-wp-marker",
};

static const char *const ptwalk_entry_flag_names[PTWALK_NR_ENTRY_FLAGS]
__attribute__((__unused__)) = {
	[PTWALK_EF_PRESENT] = "present",
	[PTWALK_EF_RW] = "rw",
	[PTWALK_EF_USER] = "user",
	[PTWALK_EF_PWT] = "pwt",
	[PTWALK_EF_PCD] = "pcd",
	[PTWALK_EF_ACCESSED] = "accessed",
	[PTWALK_EF_DIRTY] = "dirty",
	[PTWALK_EF_PSE] = "pse",
	[PTWALK_EF_PAT] = "pat",
	[PTWALK_EF_GLOBAL] = "global",
	[PTWALK_EF_NX] = "nx",
	[PTWALK_EF_SOFT_DIRTY] = "soft-dirty",
	[PTWALK_EF_UFFD_WP] = "uffd-wp",
	[PTWALK_EF_SPECIAL] = "special",
	[PTWALK_EF_PROTNONE] = "protnone",
	[PTWALK_EF_DEVMAP] = "devmap",
	[PTWALK_EF_SAVED_DIRTY] = "saved-dirty",
	[PTWALK_EF_SWP_EXCLUSIVE] = "swp-exclusive",
	[PTWALK_EF_UFFD_RWP] = "uffd-rwp",
};

static const char *const ptwalk_page_flag_names[PTWALK_NR_PAGE_FLAGS]
__attribute__((__unused__)) = {
	[PTWALK_PF_LRU] = "lru",
	[PTWALK_PF_ACTIVE] = "active",
	[PTWALK_PF_REFERENCED] = "referenced",
	[PTWALK_PF_DIRTY] = "dirty",
	[PTWALK_PF_SWAPBACKED] = "swapbacked",
	[PTWALK_PF_ANON] = "anon",
	[PTWALK_PF_KSM] = "ksm",
	[PTWALK_PF_HEAD] = "head",
	[PTWALK_PF_TAIL] = "tail",
	[PTWALK_PF_LOCKED] = "locked",
	[PTWALK_PF_WRITEBACK] = "writeback",
	[PTWALK_PF_UPTODATE] = "uptodate",
	[PTWALK_PF_MLOCKED] = "mlocked",
	[PTWALK_PF_UNEVICTABLE] = "unevictable",
	[PTWALK_PF_RESERVED] = "reserved",
	[PTWALK_PF_SWAPCACHE] = "swapcache",
	[PTWALK_PF_HUGETLB] = "hugetlb",
	[PTWALK_PF_THP] = "thp",
	[PTWALK_PF_ZERO] = "zero",
	[PTWALK_PF_HWPOISON] = "hwpoison",
};

static const char *const ptwalk_vma_flag_names[PTWALK_NR_VMA_FLAGS]
__attribute__((__unused__)) = {
	[PTWALK_VF_READ] = "read",
	[PTWALK_VF_WRITE] = "write",
	[PTWALK_VF_EXEC] = "exec",
	[PTWALK_VF_SHARED] = "shared",
	[PTWALK_VF_LOCKED] = "locked",
	[PTWALK_VF_HUGEPAGE] = "hugepage",
	[PTWALK_VF_NOHUGEPAGE] = "nohugepage",
	[PTWALK_VF_IO] = "io",
	[PTWALK_VF_PFNMAP] = "pfnmap",
	[PTWALK_VF_GROWSDOWN] = "growsdown",
	[PTWALK_VF_HUGETLB] = "hugetlb",
	[PTWALK_VF_MIXEDMAP] = "mixedmap",
	[PTWALK_VF_DONTDUMP] = "dontdump",
	[PTWALK_VF_FILE] = "file",
	[PTWALK_VF_ANON] = "anon",
};

static const char *const ptwalk_cat_names[PTWALK_NR_CATS]
__attribute__((__unused__)) = {
	[PTWALK_CAT_PRESENT] = "present",
	[PTWALK_CAT_SWAPPED] = "swapped",
	[PTWALK_CAT_NONE] = "none",
	[PTWALK_CAT_DIRTY] = "dirty",
	[PTWALK_CAT_SOFT_DIRTY] = "soft-dirty",
	[PTWALK_CAT_ACCESSED] = "accessed",
	[PTWALK_CAT_HUGE] = "huge",
	[PTWALK_CAT_ZERO] = "zero",
	[PTWALK_CAT_FILE] = "file",
	[PTWALK_CAT_ANON] = "anon",
	[PTWALK_CAT_WRITABLE] = "writable",
	[PTWALK_CAT_EXEC] = "exec",
	[PTWALK_CAT_WX] = "wx",
};

#endif /* _UAPI_LINUX_PTWALK_NAMES_H */
