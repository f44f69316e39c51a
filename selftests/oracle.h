/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Independent oracles the selftests compare ptwalk against: pagemap,
 * kpageflags and kpagecount, read straight from /proc; plus thin wrappers
 * around /dev/ptwalk.
 */
#ifndef PTWALK_SELFTESTS_ORACLE_H
#define PTWALK_SELFTESTS_ORACLE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/ptwalk.h>

#define PM_PFN_MASK	((1ULL << 55) - 1)
#define PM_SOFT_DIRTY	(1ULL << 55)
#define PM_EXCLUSIVE	(1ULL << 56)
#define PM_FILE		(1ULL << 61)
#define PM_SWAP		(1ULL << 62)
#define PM_PRESENT	(1ULL << 63)

#define KPF_DIRTY		4
#define KPF_LRU			5
#define KPF_ANON		12
#define KPF_SWAPBACKED		14
#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_HUGE		17
#define KPF_THP			22
#define KPF_ZERO_PAGE		24

#define SZ_4K	4096UL
#define SZ_1M	(1UL << 20)
#define SZ_2M	(2UL << 20)
#define SZ_1G	(1UL << 30)

#define EF(x)	(1ULL << PTWALK_EF_##x)
#define PF(x)	(1ULL << PTWALK_PF_##x)
#define VF(x)	(1ULL << PTWALK_VF_##x)

uint64_t pagemap_entry(pid_t pid, uintptr_t va);
/* @n entries of @pid's pagemap from @va in one read: 0 or -errno */
int pagemap_entries(pid_t pid, uintptr_t va, size_t n, uint64_t *out);
uint64_t kpageflags(uint64_t pfn);
uint64_t kpagecount(uint64_t pfn);
bool kpf(uint64_t flags, int bit);

int ptw_open(void);
/* 0 or -errno of the whole ioctl; per-address errors are in x->error. */
int ptw_xlate(int fd, pid_t pid, uintptr_t va, struct ptwalk_xlate *x);
int ptw_xlate_many(int fd, pid_t pid, const uint64_t *va, unsigned int n,
		   struct ptwalk_xlate *x, unsigned int *done);
/* with ptwalk_translate.fields (PTWALK_XF_*, 0: all) */
int ptw_xlate_fields(int fd, pid_t pid, const uint64_t *va, unsigned int n,
		     unsigned int fields, struct ptwalk_xlate *x, unsigned int *done);
int ptw_info(int fd, struct ptwalk_info *info);
/* leaf entry's decoded flags */
uint64_t leaf_flags(const struct ptwalk_xlate *x);

/* a swap device is on (the guest's zram0) */
bool have_swap(void);

/* the kernel has THP (Debian's RT kernels have no CONFIG_TRANSPARENT_HUGEPAGE) */
bool have_thp(void);
/*
 * madvise(@advice) for MADV_HUGEPAGE/MADV_NOHUGEPAGE; without THP there is
 * nothing to opt out of, so MADV_NOHUGEPAGE succeeds (MADV_HUGEPAGE still
 * fails: a test that needs THP must SKIP on such a kernel).
 */
int thp_advise(void *p, size_t len, int advice);

/* 64K multi-size THP (6.8+): "always", "inherit", "madvise" or "never" */
#define MTHP_64K	"/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled"
/* The selected word of a sysfs choice ("always [madvise] never"), or "". */
void sysfs_choice(const char *path, char *buf, size_t len);
int sysfs_write(const char *path, const char *val);
/* pages of the folio @pfn belongs to, by kpageflags' compound head/tail */
uint64_t folio_pages(uint64_t pfn);

/* mmap @size bytes aligned to @align (anonymous private, PROT_READ|WRITE). */
void *mmap_aligned(size_t size, size_t align, int extra_flags);

/* --NAME=V in our argv, then env ENV, then KEY=V on the kernel command line. */
bool test_knob(const char *name, const char *env, const char *key, unsigned long long *val);
/* /dev/kmsg from its end (-1 when unreadable) */
int kmsg_open(void);
/* New kernel lines that complain (printed with @what); returns how many. */
int kmsg_check(int fd, const char *what);
/* /proc/sys/kernel/tainted */
unsigned long kernel_tainted(void);
/* O (out-of-tree) and E (unsigned module): what loading ptwalk.ko sets */
#define TAINT_OK	((1UL << 12) | (1UL << 13))
#endif
