// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk selftests.  Every test builds its own mappings and checks what
 * /dev/ptwalk says against /proc/PID/pagemap, /proc/kpageflags and
 * /proc/kpagecount, or against what the test itself did to the mapping.
 * Runs as root inside the test guest, with ptwalk.ko loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/userfaultfd.h>
#include <sys/syscall.h>
#include "kselftest_harness.h"
#include "oracle.h"

#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB	(21 << 26)
#define MAP_HUGE_1GB	(30 << 26)
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

#define NPAGES	32

/*
 * The heart of the suite: translate @va of @pid and hold every field that
 * has an independent oracle against it.
 */
static void check_page(struct __test_metadata *_metadata, int fd, pid_t pid,
		       uintptr_t va, struct ptwalk_xlate *x)
{
	uint64_t pm, kf;

	ASSERT_EQ(0, ptw_xlate(fd, pid, va, x));
	ASSERT_EQ(0, x->error);
	ASSERT_EQ(va, x->va);
	ASSERT_TRUE(x->valid & PTWALK_XV_VMA);
	ASSERT_TRUE(x->vma.start <= va && va < x->vma.end);
	pm = pagemap_entry(pid, va);
	ASSERT_EQ(!!(pm & PM_PRESENT), x->present) {
		TH_LOG("va %#lx pagemap %#llx kind %d", (unsigned long)va,
		       (unsigned long long)pm, x->kind);
	}
	EXPECT_EQ(!!(pm & PM_SWAP), x->kind == PTWALK_KIND_SWAP);
	if (!x->present)
		return;
	ASSERT_TRUE(x->valid & PTWALK_XV_PFN);
	ASSERT_EQ(pm & PM_PFN_MASK, x->pfn) {
		TH_LOG("va %#lx", (unsigned long)va);
	}
	ASSERT_EQ((x->pfn << 12) | (va & 0xfff), x->phys);
	ASSERT_EQ(x->levels[x->leaf_level].state, PTWALK_STATE_LEAF);
	/* memory with a struct page must come with it */
	if (x->kind == PTWALK_KIND_NORMAL || x->kind == PTWALK_KIND_THP ||
	    x->kind == PTWALK_KIND_HUGETLB || x->kind == PTWALK_KIND_ZERO) {
		ASSERT_TRUE(x->valid & PTWALK_XV_PAGE);
	}
	if (!(x->valid & PTWALK_XV_PAGE))
		return;
	kf = kpageflags(x->pfn);
	EXPECT_EQ(kpf(kf, KPF_ANON), !!(x->page.flags & PF(ANON)));
	EXPECT_EQ(kpf(kf, KPF_COMPOUND_HEAD), !!(x->page.flags & PF(HEAD)));
	EXPECT_EQ(kpf(kf, KPF_COMPOUND_TAIL), !!(x->page.flags & PF(TAIL)));
	EXPECT_EQ(kpf(kf, KPF_HUGE), !!(x->page.flags & PF(HUGETLB)));
	EXPECT_EQ(kpf(kf, KPF_ZERO_PAGE), x->kind == PTWALK_KIND_ZERO);
	if (x->kind != PTWALK_KIND_ZERO) {
		EXPECT_EQ(!!(pm & PM_FILE), !(x->page.flags & PF(ANON)));
	}
	if (x->page_size == SZ_4K && x->kind == PTWALK_KIND_NORMAL) {
		EXPECT_EQ(kpagecount(x->pfn), (uint64_t)x->page.mapcount);
	}
}

static void touch(char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += SZ_4K)
		p[i] = (char)i + 1;
}

static uint64_t read_all(const char *p, size_t len)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < len; i += SZ_4K)
		sum += *(volatile const char *)(p + i);
	return sum;
}

FIXTURE(ptw) {
	int fd;
	struct ptwalk_xlate x;
};

FIXTURE_SETUP(ptw)
{
	self->fd = ptw_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", PTWALK_DEVICE, strerror(errno));
}

FIXTURE_TEARDOWN(ptw)
{
	close(self->fd);
}

TEST_F(ptw, get_info)
{
	struct ptwalk_info info;
	char *hi;

	ASSERT_EQ(0, ptw_info(self->fd, &info));
	EXPECT_EQ(PTWALK_ABI_VERSION, info.abi_version);
	EXPECT_EQ(sizeof(info), info.size);
	EXPECT_EQ(12, info.page_shift);
	EXPECT_EQ(sizeof(struct ptwalk_xlate), info.xlate_size);
	EXPECT_EQ(PTWALK_MAX_BATCH, info.max_batch);
	EXPECT_TRUE(info.features & PTWALK_FEAT_PFN_VISIBLE);
	EXPECT_EQ(have_thp(), !!(info.features & PTWALK_FEAT_THP));
	EXPECT_TRUE(info.features & PTWALK_FEAT_FAULT_TRACE);
	EXPECT_TRUE(info.page_sizes & SZ_4K);
	EXPECT_TRUE(info.page_sizes & SZ_2M);
	/* Oracle for the paging depth: only 5-level honours a hint above 2^47. */
	hi = mmap((void *)(1UL << 50), SZ_4K, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hi);
	EXPECT_EQ((uintptr_t)hi >= (1UL << 47) ? 5 : 4, info.paging_levels);
	EXPECT_EQ(info.paging_levels == 5 ? (1UL << 56) - SZ_4K : (1UL << 47) - SZ_4K,
		  info.user_va_end);
}

TEST_F(ptw, anon_4k_touched)
{
	char *p = mmap_aligned(NPAGES * SZ_4K, SZ_2M, 0);
	int i;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, thp_advise(p, NPAGES * SZ_4K, MADV_NOHUGEPAGE));
	touch(p, NPAGES * SZ_4K);
	for (i = 0; i < NPAGES; i++) {
		check_page(_metadata, self->fd, getpid(), (uintptr_t)p + i * SZ_4K + 17, &self->x);
		ASSERT_TRUE(self->x.present);
		EXPECT_EQ(PTWALK_KIND_NORMAL, self->x.kind);
		EXPECT_EQ(PTWALK_LEVEL_PTE, self->x.leaf_level);
		EXPECT_EQ(SZ_4K, self->x.page_size);
		EXPECT_TRUE(leaf_flags(&self->x) & EF(PRESENT));
		EXPECT_TRUE(leaf_flags(&self->x) & EF(RW));
		EXPECT_TRUE(leaf_flags(&self->x) & EF(USER));
		EXPECT_TRUE(leaf_flags(&self->x) & EF(DIRTY));
		EXPECT_TRUE(leaf_flags(&self->x) & EF(NX));
		EXPECT_TRUE(self->x.page.flags & PF(ANON));
		EXPECT_EQ(1, self->x.page.mapcount);
		EXPECT_LE(1, self->x.page.refcount);
		EXPECT_EQ(0, self->x.page.order);
	}
}

TEST_F(ptw, anon_untouched)
{
	char *p = mmap(NULL, NPAGES * SZ_4K, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < NPAGES; i++) {
		check_page(_metadata, self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x);
		EXPECT_FALSE(self->x.present);
		EXPECT_EQ(PTWALK_KIND_NONE, self->x.kind);
		EXPECT_FALSE(self->x.valid & PTWALK_XV_PAGE);
	}
}

TEST_F(ptw, zero_page)
{
	char *p = mmap_aligned(NPAGES * SZ_4K, SZ_2M, 0);
	int i;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, thp_advise(p, NPAGES * SZ_4K, MADV_NOHUGEPAGE));
	read_all(p, NPAGES * SZ_4K);
	for (i = 0; i < NPAGES; i++) {
		check_page(_metadata, self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x);
		ASSERT_TRUE(self->x.present);
		EXPECT_EQ(PTWALK_KIND_ZERO, self->x.kind);
		EXPECT_EQ(SZ_4K, self->x.page_size);
		EXPECT_FALSE(leaf_flags(&self->x) & EF(RW));
		EXPECT_TRUE(leaf_flags(&self->x) & EF(SPECIAL));
		EXPECT_TRUE(kpf(kpageflags(self->x.pfn), KPF_ZERO_PAGE));
	}
}

static char *thp_region(bool write)
{
	char *p = mmap_aligned(SZ_2M, SZ_2M, 0);

	if (!p)
		return NULL;
	if (madvise(p, SZ_2M, MADV_HUGEPAGE))
		return NULL;
	if (write)
		memset(p, 0x5a, SZ_2M);
	else
		read_all(p, SZ_2M);
	return p;
}

TEST_F(ptw, thp)
{
	char *p;
	uint64_t head;
	int i;

	if (!have_thp())
		SKIP(return, "kernel without THP (CONFIG_TRANSPARENT_HUGEPAGE off)");
	p = thp_region(true);
	ASSERT_NE(NULL, p);
	if (!kpf(kpageflags(pagemap_entry(getpid(), (uintptr_t)p) & PM_PFN_MASK), KPF_THP))
		SKIP(return, "kernel did not back the region with a THP");
	for (i = 0; i < 512; i += 37) {
		check_page(_metadata, self->fd, getpid(), (uintptr_t)p + i * SZ_4K + 5, &self->x);
		EXPECT_EQ(PTWALK_KIND_THP, self->x.kind);
		EXPECT_EQ(PTWALK_LEVEL_PMD, self->x.leaf_level);
		EXPECT_EQ(SZ_2M, self->x.page_size);
		EXPECT_TRUE(leaf_flags(&self->x) & EF(PSE));
		EXPECT_TRUE(leaf_flags(&self->x) & EF(DIRTY));
		EXPECT_TRUE(self->x.page.flags & PF(THP));
		EXPECT_EQ(9, self->x.page.order);
		EXPECT_EQ(PTWALK_STATE_UNUSED, self->x.levels[PTWALK_LEVEL_PTE].state);
	}
	check_page(_metadata, self->fd, getpid(), (uintptr_t)p, &self->x);
	head = self->x.pfn;
	EXPECT_EQ(0, head & 511);
	EXPECT_TRUE(self->x.page.flags & PF(HEAD));
}

TEST_F(ptw, huge_zero_page)
{
	char *p;

	if (!have_thp())
		SKIP(return, "kernel without THP (CONFIG_TRANSPARENT_HUGEPAGE off)");
	p = thp_region(false);
	ASSERT_NE(NULL, p);
	check_page(_metadata, self->fd, getpid(), (uintptr_t)p + 3 * SZ_4K, &self->x);
	if (self->x.leaf_level != PTWALK_LEVEL_PMD)
		SKIP(return, "kernel mapped no huge zero page (use_zero_page off?)");
	EXPECT_EQ(PTWALK_KIND_ZERO, self->x.kind);
	EXPECT_EQ(SZ_2M, self->x.page_size);
	EXPECT_FALSE(leaf_flags(&self->x) & EF(RW));
}

/*
 * A private mapping of /dev/zero is anonymous memory (mmap_zero() makes the
 * VMA anonymous but keeps vm_file): reading it maps the huge zero page as
 * in a MAP_ANONYMOUS one, and it must read as the zero page, not as a THP
 * or a PFN map, whatever vm_file says.  kpageflags marks the huge zero
 * page KPF_ZERO_PAGE too (check_page holds it).
 */
TEST_F(ptw, huge_zero_page_dev_zero)
{
	const size_t len = 2 * SZ_2M;
	char use[8] = "";
	FILE *f;
	char *p;
	int fd, i;

	if (!have_thp())
		SKIP(return, "kernel without THP (CONFIG_TRANSPARENT_HUGEPAGE off)");
	f = fopen("/sys/kernel/mm/transparent_hugepage/use_zero_page", "r");
	if (f) {
		if (!fgets(use, sizeof(use), f))
			use[0] = 0;
		fclose(f);
	}
	if (use[0] != '1')
		SKIP(return, "THP's use_zero_page is off: no huge zero page");
	p = mmap_aligned(len, SZ_2M, 0);
	ASSERT_NE(NULL, p);
	fd = open("/dev/zero", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(p, mmap(p, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0));
	close(fd);
	ASSERT_EQ(0, madvise(p, len, MADV_HUGEPAGE));
	read_all(p, len);
	for (i = 0; i < (int)(len / SZ_4K); i += 61) {
		check_page(_metadata, self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x);
		ASSERT_TRUE(self->x.present);
		EXPECT_EQ(PTWALK_KIND_ZERO, self->x.kind) {
			TH_LOG("page %d: kind %u level %u", i, self->x.kind, self->x.leaf_level);
		}
		/* use_zero_page is on: a read fault in an aligned 2M maps the huge one */
		EXPECT_EQ(PTWALK_LEVEL_PMD, self->x.leaf_level);
		EXPECT_EQ(SZ_2M, self->x.page_size);
		EXPECT_FALSE(leaf_flags(&self->x) & EF(RW));
		EXPECT_TRUE(kpf(kpageflags(self->x.pfn), KPF_ZERO_PAGE));
	}
	munmap(p, len);
}

/*
 * Multi-size THP (6.8+): with 64K folios on, anonymous memory in a region
 * too small for a PMD gets order-4 folios mapped by PTEs.  Each address
 * must give its folio's order at the PTE level, and kpageflags must agree
 * on compound head and tail; the folio is naturally aligned in both va and
 * pa.  A 4K page where the allocation fell back is fine, none at all not.
 */
TEST_F(ptw, mthp_64k)
{
	const size_t folio = 64 * 1024, len = 16 * folio;	/* 1M: no PMD fits */
	char old[32];
	int i, large = 0;
	char *p;

	sysfs_choice(MTHP_64K, old, sizeof(old));
	if (!old[0])
		SKIP(return, "no multi-size THP (kernel before 6.8, or without THP)");
	ASSERT_EQ(0, sysfs_write(MTHP_64K, "always"));
	p = mmap_aligned(len, folio, 0);
	ASSERT_NE(NULL, p);
	memset(p, 7, len);
	for (i = 0; i < (int)(len / SZ_4K); i++) {
		uint64_t kf;

		check_page(_metadata, self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x);
		ASSERT_EQ(PTWALK_LEVEL_PTE, self->x.leaf_level);
		EXPECT_EQ(SZ_4K, self->x.page_size);
		EXPECT_EQ(PTWALK_KIND_NORMAL, self->x.kind);
		if (self->x.page.order == 0)
			continue;
		large++;
		EXPECT_EQ(4, self->x.page.order);
		EXPECT_TRUE(self->x.page.flags & PF(THP));
		EXPECT_EQ(i & 15, (int)(self->x.pfn & 15));
		kf = kpageflags(self->x.pfn - (i & 15));
		EXPECT_TRUE(kpf(kf, KPF_COMPOUND_HEAD));
	}
	sysfs_write(MTHP_64K, old);
	EXPECT_LT(0, large) TH_LOG("no 64K folio at all: mTHP was not used");
	TH_LOG("%d of %zu pages in 64K folios", large, len / SZ_4K);
	munmap(p, len);
}

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL	102
#define MADV_GUARD_REMOVE	103
#endif
#define PM_UFFD_WP		(1ULL << 57)
#define PM_GUARD_REGION		(1ULL << 58)	/* pagemap has it since 6.15 */

/*
 * Guard regions (6.13+): MADV_GUARD_INSTALL puts a guard marker in each
 * PTE, which must read as its own kind, against pagemap's guard bit where
 * the kernel has one; MADV_GUARD_REMOVE leaves the entries empty again.
 */
TEST_F(ptw, guard_region)
{
	char *p = mmap_aligned(NPAGES * SZ_4K, SZ_2M, 0);
	int i, guarded = 0, pm_guard = 0;

	ASSERT_NE(NULL, p);
	touch(p, NPAGES * SZ_4K);
	if (madvise(p + 4 * SZ_4K, 8 * SZ_4K, MADV_GUARD_INSTALL)) {
		munmap(p, NPAGES * SZ_4K);
		SKIP(return, "no MADV_GUARD_INSTALL (kernel before 6.13)");
	}
	for (i = 0; i < NPAGES; i++) {
		bool guard = i >= 4 && i < 12;
		uint64_t pm = pagemap_entry(getpid(), (uintptr_t)p + i * SZ_4K);

		ASSERT_EQ(0, ptw_xlate(self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x));
		ASSERT_EQ(0, self->x.error);
		EXPECT_EQ(guard ? PTWALK_KIND_GUARD : PTWALK_KIND_NORMAL, self->x.kind);
		EXPECT_EQ(!guard, self->x.present);
		EXPECT_EQ(!guard, !!(pm & PM_PRESENT));
		EXPECT_EQ(PTWALK_LEVEL_PTE, self->x.leaf_level);
		guarded += self->x.kind == PTWALK_KIND_GUARD;
		pm_guard += !!(pm & PM_GUARD_REGION);
	}
	/* a kernel with pagemap's guard bit must set it exactly there */
	EXPECT_TRUE(pm_guard == 0 || pm_guard == guarded);
	TH_LOG("%d guard PTEs; pagemap guard bit on %d", guarded, pm_guard);
	ASSERT_EQ(0, madvise(p + 4 * SZ_4K, 8 * SZ_4K, MADV_GUARD_REMOVE));
	ASSERT_EQ(0, ptw_xlate(self->fd, getpid(), (uintptr_t)p + 5 * SZ_4K, &self->x));
	EXPECT_EQ(PTWALK_KIND_NONE, self->x.kind);
	munmap(p, NPAGES * SZ_4K);
}

#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED	(1 << 13)
#endif

/*
 * userfaultfd write-protection of a half-populated anonymous range with
 * UFFD_FEATURE_WP_UNPOPULATED (6.4+): the empty PTEs get uffd-wp markers,
 * the present ones the uffd-wp bit.  Both against pagemap's uffd-wp bit.
 */
TEST_F(ptw, uffd_wp_markers)
{
	struct uffdio_api api = {
		.api = UFFD_API,
		.features = UFFD_FEATURE_WP_UNPOPULATED | UFFD_FEATURE_PAGEFAULT_FLAG_WP,
	};
	char *p = mmap_aligned(NPAGES * SZ_4K, SZ_2M, 0);
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)p, .len = NPAGES * SZ_4K },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};
	struct uffdio_writeprotect wp = {
		.range = reg.range, .mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};
	int i, uffd, markers = 0;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, thp_advise(p, NPAGES * SZ_4K, MADV_NOHUGEPAGE));
	touch(p, NPAGES * SZ_4K / 2);
	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		if (uffd >= 0)
			close(uffd);
		munmap(p, NPAGES * SZ_4K);
		SKIP(return, "no userfaultfd write-protect of unpopulated memory (before 6.4)");
	}
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_WRITEPROTECT, &wp));
	for (i = 0; i < NPAGES; i++) {
		bool populated = i < NPAGES / 2;
		uint64_t pm = pagemap_entry(getpid(), (uintptr_t)p + i * SZ_4K);

		ASSERT_EQ(0, ptw_xlate(self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x));
		ASSERT_EQ(0, self->x.error);
		EXPECT_TRUE(pm & PM_UFFD_WP) TH_LOG("page %d: pagemap %#llx", i,
						    (unsigned long long)pm);
		/* the bit on present pages, the marker on empty ones: as pagemap */
		EXPECT_EQ(!!(pm & PM_UFFD_WP), !!(leaf_flags(&self->x) & EF(UFFD_WP)))
			TH_LOG("page %d: flags %#llx", i, (unsigned long long)leaf_flags(&self->x));
		EXPECT_FALSE(leaf_flags(&self->x) & EF(UFFD_RWP));
		EXPECT_EQ(populated, self->x.present);
		if (populated) {
			EXPECT_EQ(PTWALK_KIND_NORMAL, self->x.kind);
		} else {
			EXPECT_EQ(PTWALK_KIND_UFFD_WP, self->x.kind);
			markers += self->x.kind == PTWALK_KIND_UFFD_WP;
		}
	}
	TH_LOG("%d uffd-wp markers", markers);
	close(uffd);
	munmap(p, NPAGES * SZ_4K);
}

/* 7.3's userfaultfd read-write protection, for headers that lack it */
#ifndef UFFDIO_REGISTER_MODE_RWP
#define UFFDIO_REGISTER_MODE_RWP	((__u64)1 << 3)
#define UFFD_FEATURE_RWP		(1 << 17)
#define UFFDIO_RWPROTECT_MODE_RWP	((__u64)1 << 0)
struct uffdio_rwprotect {
	struct uffdio_range range;
	__u64 mode;
};

#define UFFDIO_RWPROTECT	_IOWR(UFFDIO, 0x09, struct uffdio_rwprotect)
#endif

/*
 * UFFDIO_RWPROTECT (7.3+) makes present pages no-access (PROT_NONE) with
 * the same uffd bit write-protection uses: ptwalk must say uffd-rwp, not
 * uffd-wp.  Nothing touches the pages while they are protected: a fault
 * would wait for a handler this test does not run.
 */
TEST_F(ptw, uffd_rwp)
{
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_RWP };
	char *p = mmap_aligned(NPAGES * SZ_4K, SZ_2M, 0);
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)p, .len = NPAGES * SZ_4K },
		.mode = UFFDIO_REGISTER_MODE_RWP,
	};
	struct uffdio_rwprotect rwp = {
		.range = reg.range, .mode = UFFDIO_RWPROTECT_MODE_RWP,
	};
	int i, uffd, rwp_pages = 0, pm_wp = 0;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, thp_advise(p, NPAGES * SZ_4K, MADV_NOHUGEPAGE));
	touch(p, NPAGES * SZ_4K);
	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		if (uffd >= 0)
			close(uffd);
		munmap(p, NPAGES * SZ_4K);
		SKIP(return, "no userfaultfd read-write protection (before 7.3)");
	}
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_RWPROTECT, &rwp));
	for (i = 0; i < NPAGES; i++) {
		uint64_t pm = pagemap_entry(getpid(), (uintptr_t)p + i * SZ_4K);
		uint64_t f;

		ASSERT_EQ(0, ptw_xlate(self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x));
		ASSERT_EQ(0, self->x.error);
		f = leaf_flags(&self->x);
		EXPECT_TRUE(self->x.present);
		EXPECT_EQ(PTWALK_KIND_NORMAL, self->x.kind);
		EXPECT_TRUE(f & EF(PROTNONE)) TH_LOG("page %d: flags %#llx", i,
						     (unsigned long long)f);
		EXPECT_TRUE(f & EF(UFFD_RWP)) TH_LOG("page %d: flags %#llx", i,
						     (unsigned long long)f);
		EXPECT_FALSE(f & EF(UFFD_WP)) TH_LOG("page %d: flags %#llx", i,
						     (unsigned long long)f);
		rwp_pages += !!(f & EF(UFFD_RWP));
		pm_wp += !!(pm & PM_UFFD_WP);
	}
	TH_LOG("%d uffd-rwp pages; pagemap's uffd-wp bit on %d", rwp_pages, pm_wp);
	close(uffd);
	munmap(p, NPAGES * SZ_4K);
}

static void check_hugetlb(struct __test_metadata *_metadata, int fd,
			  size_t size, int flag, int level)
{
	struct ptwalk_xlate x;
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | flag, -1, 0);
	size_t off;

	if (p == MAP_FAILED)
		SKIP(return, "no hugetlb pages of %zu bytes reserved: %s", size, strerror(errno));
	memset(p, 1, SZ_4K);
	p[size - 1] = 2;
	for (off = 0; off < size; off += size / 8 + SZ_4K) {
		check_page(_metadata, fd, getpid(), (uintptr_t)p + off, &x);
		EXPECT_EQ(PTWALK_KIND_HUGETLB, x.kind);
		EXPECT_EQ(level, x.leaf_level);
		EXPECT_EQ(size, x.page_size);
		EXPECT_TRUE(x.page.flags & PF(HUGETLB));
		EXPECT_TRUE(x.vma.flags & VF(HUGETLB));
	}
	/* PROT_NONE keeps the leaf: pud_present() alone would call it swap */
	ASSERT_EQ(0, mprotect(p, size, PROT_NONE));
	check_page(_metadata, fd, getpid(), (uintptr_t)p + SZ_4K, &x);
	EXPECT_TRUE(x.present);
	EXPECT_EQ(PTWALK_KIND_HUGETLB, x.kind);
	EXPECT_EQ(level, x.leaf_level);
	EXPECT_TRUE(x.levels[level].flags & EF(PROTNONE));
	EXPECT_FALSE(x.levels[level].flags & EF(PRESENT));
	munmap(p, size);
}

TEST_F(ptw, hugetlb_2m)
{
	check_hugetlb(_metadata, self->fd, SZ_2M, MAP_HUGE_2MB, PTWALK_LEVEL_PMD);
}

TEST_F(ptw, hugetlb_1g)
{
	check_hugetlb(_metadata, self->fd, SZ_1G, MAP_HUGE_1GB, PTWALK_LEVEL_PUD);
}

static int make_file(const char *path, size_t len)
{
	char buf[SZ_4K];
	size_t i;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		return -1;
	memset(buf, 'f', sizeof(buf));
	for (i = 0; i < len; i += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			return -1;
	return fd;
}

/* The name /proc/self/maps gives the VMA at @va ("" when it has none). */
static void maps_name(uintptr_t va, char *name, size_t len)
{
	unsigned long long a, b;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int off;

	name[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx-%llx %*s %*s %*s %*s%n", &a, &b, &off) < 2 ||
		    va < a || va >= b)
			continue;
		line[strcspn(line, "\n")] = 0;
		snprintf(name, len, "%s", line + off + strspn(line + off, " "));
		break;
	}
	if (f)
		fclose(f);
}

/*
 * Files mapped from an overlay mount: the VMA's name is what /proc/PID/maps
 * prints (6.8+: the path the user mapped, where vm_file is a backing file
 * whose f_path is the layer's; before: the layer's file).  One file copied up (written through the
 * overlay), one still in the lower layer.  Needs the overlay file system:
 * the vng lanes have the kernel's modules, the QEMU initramfs has not.
 */
TEST_F(ptw, overlay_file_names)
{
	static const char *const dirs[] = { "/tmp/ptw_ovl", "/tmp/ptw_ovl/lower",
					    "/tmp/ptw_ovl/upper", "/tmp/ptw_ovl/work",
					    "/tmp/ptw_ovl/merged" };
	const char *files[] = { "/tmp/ptw_ovl/merged/upper_file",
				"/tmp/ptw_ovl/merged/lower_file" };
	char want[512];
	unsigned int i;
	int fd, ret;
	char *p;

	/* built in, already loaded or no modules at all: the mount tells */
	ret = system("modprobe overlay 2> /dev/null");
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		ASSERT_TRUE(!mkdir(dirs[i], 0700) || errno == EEXIST);
	fd = open("/tmp/ptw_ovl/lower/lower_file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, SZ_4K));
	close(fd);
	ret = mount("overlay", "/tmp/ptw_ovl/merged", "overlay", 0,
		    "lowerdir=/tmp/ptw_ovl/lower,upperdir=/tmp/ptw_ovl/upper,workdir=/tmp/ptw_ovl/work");
	if (ret && errno == ENODEV)
		SKIP(return, "no overlay file system (no overlay module in this guest)");
	ASSERT_EQ(0, ret) TH_LOG("mount overlay: %s", strerror(errno));
	fd = open(files[0], O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, SZ_4K));
	close(fd);
	for (i = 0; i < 2; i++) {
		struct ptwalk_vma_stats s;
		struct ptwalk_maps req = {
			.size = sizeof(req), .pid = getpid(), .stats = (uintptr_t)&s,
			.stats_size = sizeof(s), .count = 1,
		};

		fd = open(files[i], i ? O_RDONLY : O_RDWR);
		ASSERT_LE(0, fd) TH_LOG("%s: %s", files[i], strerror(errno));
		p = mmap(NULL, SZ_4K, i ? PROT_READ : PROT_READ | PROT_WRITE,
			 i ? MAP_PRIVATE : MAP_SHARED, fd, 0);
		ASSERT_NE(MAP_FAILED, p);
		close(fd);
		(void)*(volatile char *)p;
		/* 6.8+ prints the overlay path; before, the layer's file */
		maps_name((uintptr_t)p, want, sizeof(want));
		TH_LOG("%s: maps says %s", files[i], want);
		ASSERT_TRUE(strlen(want) > strlen(strrchr(files[i], '/')) &&
			    !strcmp(want + strlen(want) - strlen(strrchr(files[i], '/')),
				    strrchr(files[i], '/')));
		ASSERT_EQ(0, ptw_xlate(self->fd, getpid(), (uintptr_t)p, &self->x));
		ASSERT_TRUE(self->x.valid & PTWALK_XV_VMA);
		EXPECT_STREQ(want, self->x.vma.name) TH_LOG("TRANSLATE of %s", files[i]);
		req.start = (uintptr_t)p;
		ASSERT_EQ(0, ioctl(self->fd, PTWALK_IOC_MAPS, &req));
		ASSERT_EQ(1, req.count);
		EXPECT_STREQ(want, s.vma.name) TH_LOG("MAPS of %s", files[i]);
		munmap(p, SZ_4K);
	}
	EXPECT_EQ(0, umount("/tmp/ptw_ovl/merged"));
}

TEST_F(ptw, file_shared)
{
	const char *path = "/tmp/ptw_shared";
	int i, ffd = make_file(path, NPAGES * SZ_4K);
	char *p;

	ASSERT_LE(0, ffd);
	p = mmap(NULL, NPAGES * SZ_4K, PROT_READ | PROT_WRITE, MAP_SHARED, ffd, 0);
	ASSERT_NE(MAP_FAILED, p);
	touch(p, NPAGES * SZ_4K / 2);			/* write half */
	read_all(p + NPAGES * SZ_4K / 2, NPAGES * SZ_4K / 2);	/* read half */
	for (i = 0; i < NPAGES; i++) {
		bool written = i < NPAGES / 2;

		check_page(_metadata, self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x);
		ASSERT_TRUE(self->x.present);
		EXPECT_EQ(PTWALK_KIND_NORMAL, self->x.kind);
		EXPECT_FALSE(self->x.page.flags & PF(ANON));
		EXPECT_TRUE(self->x.vma.flags & VF(SHARED));
		EXPECT_TRUE(self->x.vma.flags & VF(FILE));
		EXPECT_STREQ(path, self->x.vma.name);
		/*
		 * A read page may be dirty only where it is mapped writable and
		 * its folio is dirty: 7.3 maps a read fault of a writable tmpfs
		 * page dirty already (tmpfs folios are dirty, and need no
		 * write-notify); older kernels leave the D bit to the CPU.
		 */
		if (written) {
			EXPECT_TRUE(leaf_flags(&self->x) & EF(DIRTY));
		} else if (leaf_flags(&self->x) & EF(DIRTY)) {
			EXPECT_TRUE((leaf_flags(&self->x) & EF(RW)) &&
				    kpf(kpageflags(self->x.pfn), KPF_DIRTY));
		}
		/* tmpfs needs no write-notify: a read fault may map it writable */
		if (written) {
			EXPECT_TRUE(leaf_flags(&self->x) & EF(RW));
		}
		EXPECT_EQ(kpf(kpageflags(self->x.pfn), KPF_DIRTY),
			  !!(self->x.page.flags & PF(DIRTY)));
	}
	munmap(p, NPAGES * SZ_4K);
	close(ffd);
}

TEST_F(ptw, file_private)
{
	const char *path = "/tmp/ptw_private";
	int i, ffd = make_file(path, NPAGES * SZ_4K);
	char *p;

	ASSERT_LE(0, ffd);
	p = mmap(NULL, NPAGES * SZ_4K, PROT_READ | PROT_WRITE, MAP_PRIVATE, ffd, 4 * SZ_4K);
	ASSERT_NE(MAP_FAILED, p);
	read_all(p, (NPAGES - 4) * SZ_4K);
	p[0] = 1;				/* COW the first page */
	for (i = 0; i < NPAGES - 4; i++) {
		check_page(_metadata, self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x);
		ASSERT_TRUE(self->x.present);
		EXPECT_EQ(i == 0, !!(self->x.page.flags & PF(ANON)));
		EXPECT_EQ(i == 0, !!(leaf_flags(&self->x) & EF(RW)));
		EXPECT_EQ(4 * SZ_4K, self->x.vma.pgoff);
		EXPECT_STREQ(path, self->x.vma.name);
	}
	close(ffd);
}

TEST_F(ptw, cow_after_fork)
{
	char *p = mmap_aligned(NPAGES * SZ_4K, SZ_2M, 0);
	struct ptwalk_xlate child;
	int go[2], ready[2], i;
	pid_t pid;
	char c;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, thp_advise(p, NPAGES * SZ_4K, MADV_NOHUGEPAGE));
	touch(p, NPAGES * SZ_4K);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		c = read_all(p, SZ_4K);
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	for (i = 0; i < NPAGES; i++) {
		uintptr_t va = (uintptr_t)p + i * SZ_4K;

		check_page(_metadata, self->fd, getpid(), va, &self->x);
		check_page(_metadata, self->fd, pid, va, &child);
		EXPECT_EQ(self->x.pfn, child.pfn);
		EXPECT_FALSE(leaf_flags(&self->x) & EF(RW));
		EXPECT_FALSE(leaf_flags(&child) & EF(RW));
		EXPECT_EQ(2, self->x.page.mapcount);
		EXPECT_LE(2, self->x.page.refcount);
	}
	/* Writing in the parent breaks COW: a new page, writable again. */
	p[0] = 42;
	check_page(_metadata, self->fd, getpid(), (uintptr_t)p, &self->x);
	check_page(_metadata, self->fd, pid, (uintptr_t)p, &child);
	EXPECT_NE(self->x.pfn, child.pfn);
	EXPECT_TRUE(leaf_flags(&self->x) & EF(RW));
	EXPECT_EQ(1, self->x.page.mapcount);
	ASSERT_EQ(1, write(go[1], "g", 1));
	waitpid(pid, NULL, 0);
}

/* Swapped-out pages: kind swap, with pagemap's swap type and offset. */
TEST_F(ptw, swapped_out)
{
	char *p = mmap_aligned(NPAGES * SZ_4K, SZ_2M, 0);
	int i, swapped = 0;

	if (!have_swap())
		SKIP(return, "no swap device");
	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, thp_advise(p, NPAGES * SZ_4K, MADV_NOHUGEPAGE));
	touch(p, NPAGES * SZ_4K);
	ASSERT_EQ(0, madvise(p, NPAGES * SZ_4K, MADV_PAGEOUT));
	for (i = 0; i < NPAGES; i++) {
		uintptr_t va = (uintptr_t)p + i * SZ_4K;
		uint64_t pm;

		check_page(_metadata, self->fd, getpid(), va, &self->x);
		pm = pagemap_entry(getpid(), va);
		if (!(pm & PM_SWAP))
			continue;
		swapped++;
		EXPECT_FALSE(self->x.present);
		EXPECT_EQ(PTWALK_KIND_SWAP, self->x.kind);
		EXPECT_TRUE(self->x.valid & PTWALK_XV_SWAP);
		EXPECT_EQ(pm & 0x1f, self->x.swap_type);
		EXPECT_EQ((pm & PM_PFN_MASK) >> 5, self->x.swap_offset);
		EXPECT_EQ(PTWALK_LEVEL_PTE, self->x.leaf_level);
		EXPECT_EQ(PTWALK_STATE_LEAF, self->x.levels[PTWALK_LEVEL_PTE].state);
	}
	EXPECT_LT(NPAGES / 2, swapped) TH_LOG("only %d of %d pages swapped out", swapped, NPAGES);
	/* and back in */
	read_all(p, NPAGES * SZ_4K);
	for (i = 0; i < NPAGES; i++) {
		check_page(_metadata, self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x);
		EXPECT_TRUE(self->x.present);
	}
}

static int walk(int fd, pid_t pid, uintptr_t start, uintptr_t end, unsigned int mode,
		uint64_t all, uint64_t none, struct ptwalk_record *r, unsigned int room,
		uint64_t *next)
{
	struct ptwalk_walk req = {
		.size = sizeof(req), .pid = pid, .start = start, .end = end, .mode = mode,
		.record_size = sizeof(*r), .records = (uintptr_t)r, .count = room,
		.match_all = all, .match_none = none,
	};

	if (ioctl(fd, PTWALK_IOC_WALK, &req))
		return -errno;
	if (next)
		*next = req.next;
	return (int)req.count;
}

#define CAT(x)	(1ULL << PTWALK_CAT_##x)

/* Every 4K record of a half-touched region against pagemap; holes on request. */
TEST_F(ptw, walk_records_match_pagemap)
{
	static struct ptwalk_record r[256];
	char *p = mmap_aligned(NPAGES * SZ_4K, SZ_2M, 0);
	uint64_t next;
	int n, i;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, thp_advise(p, NPAGES * SZ_4K, MADV_NOHUGEPAGE));
	for (i = 0; i < NPAGES; i += 2)
		p[i * SZ_4K] = 1;
	n = walk(self->fd, getpid(), (uintptr_t)p, (uintptr_t)p + NPAGES * SZ_4K,
		 PTWALK_WALK_RECORDS, 0, 0, r, 256, &next);
	ASSERT_EQ(NPAGES / 2, n);
	EXPECT_EQ((uintptr_t)p + NPAGES * SZ_4K, next);
	for (i = 0; i < n; i++) {
		uint64_t pm = pagemap_entry(getpid(), r[i].va);

		EXPECT_EQ((uintptr_t)p + 2 * i * SZ_4K, r[i].va);
		EXPECT_EQ(SZ_4K, r[i].length);
		EXPECT_EQ(12, r[i].page_size_shift);
		EXPECT_TRUE(r[i].present);
		EXPECT_EQ(pm & PM_PFN_MASK, r[i].pfn);
		EXPECT_EQ(PTWALK_KIND_NORMAL, r[i].kind);
		EXPECT_TRUE(r[i].cats & CAT(DIRTY));
		EXPECT_TRUE(r[i].cats & CAT(ANON));
		EXPECT_EQ((uintptr_t)p, r[i].vma_start);
	}
	/* the untouched half, asked for by category */
	n = walk(self->fd, getpid(), (uintptr_t)p, (uintptr_t)p + NPAGES * SZ_4K,
		 PTWALK_WALK_RECORDS, CAT(NONE), 0, r, 256, NULL);
	ASSERT_EQ(NPAGES / 2, n);
	for (i = 0; i < n; i++) {
		EXPECT_EQ((uintptr_t)p + (2 * i + 1) * SZ_4K, r[i].va);
		EXPECT_FALSE(pagemap_entry(getpid(), r[i].va) & PM_PRESENT);
		EXPECT_EQ(PTWALK_KIND_NONE, r[i].kind);
	}
}

/* Extents: each claims va and pa contiguity; pagemap must agree page by page. */
TEST_F(ptw, walk_extents_match_pagemap)
{
	static struct ptwalk_record r[4096];
	static uint64_t pms[4 * SZ_2M / SZ_4K];
	size_t len = 4 * SZ_2M;
	char *p = mmap_aligned(len, SZ_2M, 0);
	uint64_t covered = 0, present = 0, off, pos, next = 0;
	int n = 0, got, i, huge = 0;

	ASSERT_NE(NULL, p);
	/* without THP the extents of 4K pages are checked alone */
	if (have_thp())
		ASSERT_EQ(0, madvise(p, SZ_2M * 2, MADV_HUGEPAGE));
	ASSERT_EQ(0, thp_advise(p + 2 * SZ_2M, SZ_2M * 2, MADV_NOHUGEPAGE));
	memset(p, 3, len);
	/* small steps: the cursor must carry the walk across calls */
	for (pos = (uintptr_t)p; pos < (uintptr_t)p + len; pos = next) {
		got = walk(self->fd, getpid(), pos, (uintptr_t)p + len,
			   PTWALK_WALK_EXTENTS, 0, 0, r + n, 100, &next);
		ASSERT_LT(0, got);
		ASSERT_GE(4096, n + got);
		n += got;
	}
	/* one read of the range: per page, the debug lane's opens took 30 s */
	ASSERT_EQ(0, pagemap_entries(getpid(), (uintptr_t)p, len / SZ_4K, pms));
	for (i = 0; i < n; i++) {
		ASSERT_LE((uintptr_t)p, r[i].va);
		ASSERT_GE((uintptr_t)p + len, r[i].va + r[i].length);
		for (off = 0; off < r[i].length; off += SZ_4K) {
			uint64_t pm = pms[(r[i].va + off - (uintptr_t)p) / SZ_4K];

			ASSERT_TRUE(pm & PM_PRESENT);
			ASSERT_EQ(r[i].pfn + off / SZ_4K, pm & PM_PFN_MASK)
				TH_LOG("extent %d at +%#llx", i, (unsigned long long)off);
		}
		covered += r[i].length;
		huge += r[i].page_size_shift == 21;
	}
	/*
	 * The count, from pagemap: a run is present pages contiguous in va and
	 * pa, mapped the same way (a THP's pages, by kpageflags, only with
	 * THP pages: a PMD leaf never merges with PTEs).  Every page here was
	 * written, so the leaves' flags agree within each kind.  Each THP lies
	 * whole in one extent of PMD leaves.
	 */
	{
		uint64_t pfn, prev_pfn = 0;
		int runs = 0, thp, prev_thp = -1, k = 0, thps = 0;

		for (off = 0; off < len; off += SZ_4K) {
			uint64_t pm = pms[off / SZ_4K];

			if (!(pm & PM_PRESENT)) {
				prev_thp = -1;
				continue;
			}
			present += SZ_4K;
			pfn = pm & PM_PFN_MASK;
			thp = kpf(kpageflags(pfn), KPF_THP);
			if (thp != prev_thp || pfn != prev_pfn + 1)
				runs++;
			prev_thp = thp;
			prev_pfn = pfn;
			if (!thp || (off & (SZ_2M - 1)))
				continue;
			thps++;
			while (k < n && r[k].va + r[k].length <= (uintptr_t)p + off)
				k++;
			ASSERT_LT(k, n);
			EXPECT_LE(r[k].va, (uintptr_t)p + off);
			EXPECT_LE((uintptr_t)p + off + SZ_2M, r[k].va + r[k].length)
				TH_LOG("THP at +%#llx split", (unsigned long long)off);
			EXPECT_EQ(21, r[k].page_size_shift);
			EXPECT_EQ(0, r[k].length % SZ_2M);
		}
		EXPECT_EQ(runs, n) TH_LOG("pagemap has %d runs, WALK %d extents", runs, n);
		EXPECT_LE(huge, thps);
		EXPECT_EQ(!!thps, !!huge);
		if (have_thp())
			EXPECT_LT(0, thps) TH_LOG("no THP in the MADV_HUGEPAGE half");
	}
	EXPECT_EQ(present, covered);
	TH_LOG("%d extents for %zu bytes, %d of them THP", n, len, huge);
}

/*
 * Sparse tables, where the walker skips runs of empty entries: pages
 * touched at odd strides across two PTE tables, walked from unaligned
 * starts to ends inside a table, must give exactly pagemap's pages.
 */
TEST_F(ptw, walk_sparse_ranges_match_pagemap)
{
	static const unsigned int touched[] = { 0, 7, 8, 9, 17, 63, 64, 200, 511, 512,
						513, 530, 777, 1000, 1016, 1023 };
	static const unsigned int cut[][2] = { { 0, 1024 }, { 1, 1023 }, { 8, 9 },
					       { 10, 17 }, { 18, 511 }, { 65, 1016 } };
	static struct ptwalk_record r[1024];
	char *p = mmap_aligned(2 * SZ_2M, SZ_2M, 0);
	unsigned int i, c, want, k;
	int n;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, thp_advise(p, 2 * SZ_2M, MADV_NOHUGEPAGE));
	for (i = 0; i < sizeof(touched) / sizeof(touched[0]); i++)
		p[touched[i] * SZ_4K] = 1;
	for (c = 0; c < sizeof(cut) / sizeof(cut[0]); c++) {
		/* a start 123 bytes into its page, an end 5 bytes into its page */
		uintptr_t start = (uintptr_t)p + cut[c][0] * SZ_4K + 123;
		uintptr_t end = (uintptr_t)p + cut[c][1] * SZ_4K + 5;

		n = walk(self->fd, getpid(), start, end, PTWALK_WALK_RECORDS, 0, 0, r,
			 1024, NULL);
		ASSERT_LE(0, n);
		want = 0;
		k = 0;
		for (i = cut[c][0]; i <= cut[c][1] && i < 1024; i++) {
			uintptr_t va = (uintptr_t)p + i * SZ_4K;

			if (!(pagemap_entry(getpid(), va) & PM_PRESENT))
				continue;
			want++;
			ASSERT_LT(k, (unsigned int)n) TH_LOG("cut %u: page %u missing", c, i);
			EXPECT_EQ(va > start ? va : start, r[k].va) TH_LOG("cut %u", c);
			k++;
		}
		EXPECT_EQ(want, (unsigned int)n) TH_LOG("cut %u", c);
	}
}

TEST_F(ptw, walk_cursor_and_filters)
{
	static struct ptwalk_record all[256], one[1];
	char *p = mmap_aligned(NPAGES * SZ_4K, SZ_2M, 0);
	uintptr_t start, end;
	uint64_t next;
	int n, i, got = 0;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, thp_advise(p, NPAGES * SZ_4K, MADV_NOHUGEPAGE));
	touch(p, NPAGES * SZ_4K);
	ASSERT_EQ(0, mprotect(p, NPAGES * SZ_4K / 2, PROT_READ));
	start = (uintptr_t)p;
	end = start + NPAGES * SZ_4K;
	n = walk(self->fd, getpid(), start, end, PTWALK_WALK_RECORDS, 0, 0, all, 256, NULL);
	ASSERT_EQ(NPAGES, n);
	/* one record a call, resuming at next, gives the same walk */
	while (start < end) {
		ASSERT_EQ(1, walk(self->fd, getpid(), start, end, PTWALK_WALK_RECORDS, 0, 0,
				  one, 1, &next));
		EXPECT_EQ(all[got].va, one[0].va);
		EXPECT_EQ(all[got].pfn, one[0].pfn);
		got++;
		start = next;
	}
	EXPECT_EQ(NPAGES, got);
	n = walk(self->fd, getpid(), (uintptr_t)p, end, PTWALK_WALK_RECORDS,
		 CAT(WRITABLE), 0, all, 256, NULL);
	ASSERT_EQ(NPAGES / 2, n);
	for (i = 0; i < n; i++)
		EXPECT_LE((uintptr_t)p + NPAGES * SZ_4K / 2, all[i].va);
	n = walk(self->fd, getpid(), (uintptr_t)p, end, PTWALK_WALK_RECORDS,
		 CAT(PRESENT), CAT(WRITABLE), all, 256, NULL);
	EXPECT_EQ(NPAGES / 2, n);
	EXPECT_EQ(0, walk(self->fd, getpid(), (uintptr_t)p, end, PTWALK_WALK_RECORDS,
			  CAT(WX), 0, all, 256, NULL));
	/* the whole address space in one go, as an extent list */
	{
		struct ptwalk_info info;

		ASSERT_EQ(0, ptw_info(self->fd, &info));
		n = walk(self->fd, getpid(), 0, info.user_va_end, PTWALK_WALK_EXTENTS, 0, 0,
			 all, 256, &next);
		EXPECT_LT(0, n);
		EXPECT_EQ(-EINVAL, walk(self->fd, getpid(), 0, info.user_va_end + 1, 0, 0, 0,
					all, 1, NULL));
	}
	/* bad requests */
	EXPECT_EQ(-EINVAL, walk(self->fd, getpid(), end, start, 0, 0, 0, all, 1, NULL));
	EXPECT_EQ(-EINVAL, walk(self->fd, getpid(), 0, -1UL, 0, 0, 0, all, 1, NULL));
	EXPECT_EQ(-EINVAL, walk(self->fd, getpid(), 0, end, 7, 0, 0, all, 1, NULL));
	EXPECT_EQ(-EINVAL, walk(self->fd, getpid(), 0, end, 0, 1ULL << 40, 0, all, 1, NULL));
	EXPECT_EQ(-EINVAL, walk(self->fd, getpid(), 0, end, 0, 0, 0, all, 0, NULL));
	EXPECT_EQ(-EFAULT, walk(self->fd, getpid(), (uintptr_t)p, end, 0, 0, 0, NULL, 4, NULL));
	EXPECT_EQ(-ESRCH, walk(self->fd, 0x3fffffff, 0, end, 0, 0, 0, all, 1, NULL));
}

/* write @what ("1": accessed bits, "4": soft-dirty) to /proc/self/clear_refs */
static int clear_refs(const char *what)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY);
	int ret;

	if (fd < 0)
		return -1;
	ret = write(fd, what, strlen(what)) == (ssize_t)strlen(what) ? 0 : -1;
	close(fd);
	return ret;
}

/* MAPS of the VMA at @p, which must be exactly [p, p + len) */
static int maps_of(struct __test_metadata *_metadata, int fd, char *p, size_t len,
		   struct ptwalk_vma_stats *s)
{
	struct ptwalk_maps req = {
		.size = sizeof(req), .pid = getpid(), .start = (uintptr_t)p,
		.stats = (uintptr_t)s, .stats_size = sizeof(*s), .count = 1,
	};

	if (ioctl(fd, PTWALK_IOC_MAPS, &req) || req.count != 1)
		return -1;
	EXPECT_EQ((uintptr_t)p, s->vma.start);
	EXPECT_EQ((uintptr_t)p + len, s->vma.end);
	return 0;
}

/*
 * @r[0..n) (a WALK of 4K records) are exactly the even pages of @p (when
 * @even) or the odd ones: 2 * NPAGES pages in all.
 */
static void expect_half(struct __test_metadata *_metadata, const struct ptwalk_record *r,
			int n, const char *p, int odd, const char *what)
{
	int i;

	ASSERT_EQ(NPAGES, n) TH_LOG("%s: %d pages, not %d", what, n, NPAGES);
	for (i = 0; i < n; i++) {
		EXPECT_EQ((uintptr_t)p + (2 * i + odd) * SZ_4K, r[i].va) TH_LOG("%s %d", what, i);
		EXPECT_EQ(SZ_4K, r[i].length);
	}
}

/*
 * clear_refs 4, then half the pages written: exactly those are soft-dirty,
 * by pagemap (the oracle, checked first), by WALK's category and the leaf
 * flags, and in MAPS.
 */
TEST_F(ptw, soft_dirty_after_clear_refs)
{
	static struct ptwalk_record r[4 * NPAGES];
	const size_t len = 2 * NPAGES * SZ_4K;
	char *p = mmap_aligned(len, SZ_2M, MAP_NORESERVE);
	struct ptwalk_vma_stats s;
	int i, n;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, thp_advise(p, len, MADV_NOHUGEPAGE));
	touch(p, len);
	for (i = 0; i < 2 * NPAGES; i++) {
		ASSERT_TRUE(pagemap_entry(getpid(), (uintptr_t)p + i * SZ_4K) & PM_SOFT_DIRTY);
	}
	ASSERT_EQ(0, clear_refs("4"));
	for (i = 0; i < 2 * NPAGES; i += 2)
		p[i * SZ_4K] = 7;
	for (i = 0; i < 2 * NPAGES; i++) {
		uint64_t pm = pagemap_entry(getpid(), (uintptr_t)p + i * SZ_4K);

		ASSERT_TRUE(pm & PM_PRESENT);
		ASSERT_EQ(!(i & 1), !!(pm & PM_SOFT_DIRTY)) TH_LOG("pagemap, page %d", i);
		ASSERT_EQ(0, ptw_xlate(self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x));
		EXPECT_EQ(!(i & 1), !!(leaf_flags(&self->x) & EF(SOFT_DIRTY))) TH_LOG("page %d", i);
	}
	n = walk(self->fd, getpid(), (uintptr_t)p, (uintptr_t)p + len, PTWALK_WALK_RECORDS,
		 CAT(SOFT_DIRTY), 0, r, 4 * NPAGES, NULL);
	expect_half(_metadata, r, n, p, 0, "soft-dirty");
	n = walk(self->fd, getpid(), (uintptr_t)p, (uintptr_t)p + len, PTWALK_WALK_RECORDS,
		 CAT(PRESENT), CAT(SOFT_DIRTY), r, 4 * NPAGES, NULL);
	expect_half(_metadata, r, n, p, 1, "clean");
	ASSERT_EQ(0, maps_of(_metadata, self->fd, p, len, &s));
	EXPECT_EQ(NPAGES * SZ_4K, s.soft_dirty);
	EXPECT_EQ(2 * NPAGES * SZ_4K, s.resident[PTWALK_PS_4K]);
	munmap(p, len);
}

/*
 * clear_refs 1 clears every accessed bit; then half the pages read: exactly
 * those are accessed (the CPU sets the bit), by WALK, the leaf and MAPS.
 */
TEST_F(ptw, accessed_after_clear_refs)
{
	static struct ptwalk_record r[4 * NPAGES];
	const size_t len = 2 * NPAGES * SZ_4K;
	char *p = mmap_aligned(len, SZ_2M, MAP_NORESERVE);
	struct ptwalk_vma_stats s;
	int i, n;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, thp_advise(p, len, MADV_NOHUGEPAGE));
	touch(p, len);
	ASSERT_EQ(0, maps_of(_metadata, self->fd, p, len, &s));
	EXPECT_EQ(len, s.accessed);
	ASSERT_EQ(0, clear_refs("1"));
	/*
	 * clear_refs clears A without a TLB flush (ptep_test_and_clear_young):
	 * a cached translation would let the reads below leave A clear.  An
	 * mprotect() round trip flushes them and keeps A as it is.
	 */
	ASSERT_EQ(0, mprotect(p, len, PROT_READ));
	ASSERT_EQ(0, mprotect(p, len, PROT_READ | PROT_WRITE));
	for (i = 0; i < 2 * NPAGES; i++) {
		ASSERT_EQ(0, ptw_xlate(self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x));
		ASSERT_FALSE(leaf_flags(&self->x) & EF(ACCESSED)) TH_LOG("page %d", i);
	}
	for (i = 0; i < 2 * NPAGES; i += 2)
		(void)*(volatile char *)(p + i * SZ_4K);
	for (i = 0; i < 2 * NPAGES; i++) {
		ASSERT_EQ(0, ptw_xlate(self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x));
		ASSERT_TRUE(self->x.present);
		EXPECT_EQ(!(i & 1), !!(leaf_flags(&self->x) & EF(ACCESSED))) TH_LOG("page %d", i);
	}
	n = walk(self->fd, getpid(), (uintptr_t)p, (uintptr_t)p + len, PTWALK_WALK_RECORDS,
		 CAT(ACCESSED), 0, r, 4 * NPAGES, NULL);
	expect_half(_metadata, r, n, p, 0, "accessed");
	n = walk(self->fd, getpid(), (uintptr_t)p, (uintptr_t)p + len, PTWALK_WALK_RECORDS,
		 CAT(PRESENT), CAT(ACCESSED), r, 4 * NPAGES, NULL);
	expect_half(_metadata, r, n, p, 1, "not accessed");
	ASSERT_EQ(0, maps_of(_metadata, self->fd, p, len, &s));
	EXPECT_EQ(NPAGES * SZ_4K, s.accessed);
	munmap(p, len);
}

/* @phys within the kernel image: /proc/iomem's Kernel code ... Kernel bss */
static bool in_kernel_image(uint64_t phys)
{
	unsigned long long a, b, lo = -1ULL, hi = 0;
	char line[256];
	FILE *f = fopen("/proc/iomem", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " : Kernel ") && sscanf(line, " %llx-%llx", &a, &b) == 2) {
			lo = a < lo ? a : lo;
			hi = b > hi ? b : hi;
		}
	fclose(f);
	return lo <= phys && phys <= hi;
}

/*
 * PFN maps translate as pfnmap with a PFN and no struct page.  /dev/mem
 * of the BIOS area (below 1 MiB, not RAM: STRICT_DEVMEM lets root map it;
 * remap_pfn_range() fills it at mmap time) is at a frame the test knows:
 * its offset.  [vvar] is a PFN map before 6.13 (vmf_insert_pfn() of the
 * kernel image's data page when the vDSO reads it); where it is not a PFN
 * map (7.x: pages of the vDSO data store) it must come with its pages.
 */
TEST_F(ptw, pfnmap_devmem_and_vvar)
{
	const off_t bios = 0xf0000;
	struct ptwalk_xlate *x = &self->x;
	unsigned long long a, b;
	char line[256], name[64];
	int present = 0, i, fd;
	struct timespec ts;
	uintptr_t va;
	char *p;
	FILE *f;

	fd = open("/dev/mem", O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("/dev/mem: %s", strerror(errno));
	p = mmap(NULL, 4 * SZ_4K, PROT_READ, MAP_SHARED, fd, bios);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap /dev/mem at %#lx: %s", (long)bios, strerror(errno));
	close(fd);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, ptw_xlate(self->fd, getpid(), (uintptr_t)p + i * SZ_4K + 9, x));
		ASSERT_EQ(0, x->error);
		ASSERT_TRUE(x->valid & PTWALK_XV_VMA);
		EXPECT_TRUE(x->vma.flags & VF(PFNMAP));
		EXPECT_TRUE(x->vma.flags & VF(IO));
		ASSERT_TRUE(x->present) TH_LOG("page %d", i);
		EXPECT_EQ(PTWALK_KIND_PFNMAP, x->kind) TH_LOG("page %d", i);
		EXPECT_FALSE(x->valid & PTWALK_XV_PAGE) TH_LOG("page %d", i);
		ASSERT_TRUE(x->valid & PTWALK_XV_PFN);
		EXPECT_EQ((uint64_t)bios / SZ_4K + i, x->pfn);
		EXPECT_EQ((uint64_t)bios + i * SZ_4K + 9, x->phys);
		EXPECT_EQ(PTWALK_LEVEL_PTE, x->leaf_level);
		EXPECT_TRUE(leaf_flags(x) & EF(SPECIAL));
	}
	munmap(p, 4 * SZ_4K);

	ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &ts));	/* vDSO: faults [vvar] in */
	f = fopen("/proc/self/maps", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		name[0] = 0;
		if (sscanf(line, "%llx-%llx %*s %*s %*s %*s %63s", &a, &b, name) < 2 ||
		    strcmp(name, "[vvar]"))
			continue;
		for (va = a; va < b; va += SZ_4K) {
			bool pfnmap;

			ASSERT_EQ(0, ptw_xlate(self->fd, getpid(), va, x));
			ASSERT_EQ(0, x->error);
			ASSERT_TRUE(x->valid & PTWALK_XV_VMA);
			if (!x->present)
				continue;
			present++;
			pfnmap = x->vma.flags & VF(PFNMAP);
			EXPECT_EQ(pfnmap ? PTWALK_KIND_PFNMAP : PTWALK_KIND_NORMAL, x->kind)
				TH_LOG("[vvar] +%#llx", (unsigned long long)(va - a));
			EXPECT_EQ(!pfnmap, !!(x->valid & PTWALK_XV_PAGE));
			EXPECT_EQ(pfnmap, !!(leaf_flags(x) & EF(SPECIAL)));
			/* x86 before 6.13: __vvar_page, in the kernel image */
			if (pfnmap) {
				EXPECT_TRUE(in_kernel_image(x->phys)) TH_LOG("[vvar] +%#llx: phys %#llx",
					(unsigned long long)(va - a), (unsigned long long)x->phys);
			}
		}
	}
	fclose(f);
	EXPECT_LT(0, present) TH_LOG("no [vvar] page present after clock_gettime()");
}

/* Every byte of @p..@p+@len still @c: a part of the answer not written. */
static bool untouched(const void *p, size_t len, int c)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != (unsigned char)c)
			return false;
	return true;
}

/*
 * One answer with @fields against the full answer @full (read just
 * before): the parts asked for equal, the others not written.  0 or why.
 */
static const char *fields_differ(const struct ptwalk_xlate *full, const struct ptwalk_xlate *x,
				 unsigned int fields)
{
	unsigned int valid = full->valid, l = full->leaf_level, i;

	if (fields & PTWALK_XF_VMA_NAME)
		fields |= PTWALK_XF_VMA;
	if (!(fields & PTWALK_XF_VMA))
		valid &= ~PTWALK_XV_VMA;
	if (!(fields & PTWALK_XF_PAGE))
		valid &= ~PTWALK_XV_PAGE;
	if (x->va != full->va || x->error != full->error || x->valid != valid ||
	    x->present != full->present || x->kind != full->kind || x->leaf_level != l ||
	    x->page_size != full->page_size || x->pfn != full->pfn || x->phys != full->phys ||
	    x->swap_type != full->swap_type || x->swap_offset != full->swap_offset ||
	    !untouched(x->pad, sizeof(x->pad), 0))
		return "head";
	for (i = 0; i < PTWALK_NR_LEVELS; i++) {
		bool asked = (fields & PTWALK_XF_LEVELS) || i == l;

		if (asked && memcmp(&x->levels[i], &full->levels[i], sizeof(x->levels[i])))
			return "level asked for";
		if (!asked && !untouched(&x->levels[i], sizeof(x->levels[i]), 0xa5))
			return "level written, not asked for";
	}
	if (!(fields & PTWALK_XF_VMA)) {
		if (!untouched(&x->vma, sizeof(x->vma), 0xa5))
			return "vma written";
	} else if (memcmp(&x->vma, &full->vma, offsetof(struct ptwalk_vma, name))) {
		return "vma";
	} else if (fields & PTWALK_XF_VMA_NAME) {
		if (memcmp(x->vma.name, full->vma.name, sizeof(x->vma.name)))
			return "vma name";
	} else if (!untouched(x->vma.name, sizeof(x->vma.name), 0xa5)) {
		return "vma name written";
	}
	if (!(fields & PTWALK_XF_PAGE))
		return untouched(&x->page, sizeof(x->page), 0xa5) ? NULL : "page written";
	return memcmp(&x->page, &full->page, sizeof(x->page)) ? "page" : NULL;
}

/*
 * TRANSLATE's fields: each mask gives exactly its parts of the full answer,
 * writes nothing else, and agrees with pagemap; one by one and batched.
 */
TEST_F(ptw, translate_fields)
{
	static const unsigned int masks[] = {
		PTWALK_XF_LEAF, PTWALK_XF_LEVELS, PTWALK_XF_LEAF | PTWALK_XF_VMA,
		PTWALK_XF_VMA_NAME, PTWALK_XF_PAGE, PTWALK_XF_ALL & ~PTWALK_XF_VMA_NAME,
		PTWALK_XF_ALL & ~PTWALK_XF_PAGE, PTWALK_XF_ALL,
	};
	static struct ptwalk_xlate batch[64], one[64];
	const char *path = "/tmp/ptw_fields";
	char *p = mmap_aligned(NPAGES * SZ_4K, SZ_2M, 0);
	char *t = have_thp() ? thp_region(true) : NULL;
	uint64_t va[64], pm;
	struct ptwalk_xlate full, x;
	struct ptwalk_translate req;
	unsigned int n = 0, i, m, done, tries;
	int ffd = make_file(path, SZ_4K);
	char *f;
	const char *why;

	ASSERT_NE(NULL, p);
	ASSERT_LE(0, ffd);
	f = mmap(NULL, SZ_4K, PROT_READ, MAP_SHARED, ffd, 0);
	ASSERT_NE(MAP_FAILED, f);
	ASSERT_EQ(0, thp_advise(p, NPAGES * SZ_4K, MADV_NOHUGEPAGE));
	for (i = 0; i < NPAGES; i += 2)
		p[i * SZ_4K] = 1;	/* written, never faulted, in turn */
	read_all(p + 3 * SZ_4K, SZ_4K);	/* the zero page */
	read_all(f, SZ_4K);
	for (i = 0; i < NPAGES; i++)
		va[n++] = (uintptr_t)p + i * SZ_4K + i;
	va[n++] = (uintptr_t)f + 100;
	if (t)
		va[n++] = (uintptr_t)t + 5 * SZ_4K + 7;
	va[n++] = 0x1000;			/* no VMA */
	va[n++] = 0xffffffff81000000ULL;	/* the kernel's: an error */
	for (m = 0; m < sizeof(masks) / sizeof(masks[0]); m++) {
		for (i = 0; i < n; i++) {
			/* the page's LRU flags may move between two reads: read again */
			for (tries = 0; tries < 3; tries++) {
				ASSERT_EQ(0, ptw_xlate(self->fd, getpid(), va[i], &full));
				memset(&x, 0xa5, sizeof(x));
				ASSERT_EQ(0, ptw_xlate_fields(self->fd, getpid(), &va[i], 1,
							      masks[m], &x, &done));
				ASSERT_EQ(1, done);
				why = fields_differ(&full, &x, masks[m]);
				if (!why || strcmp(why, "page"))
					break;
			}
			EXPECT_EQ(NULL, why) TH_LOG("fields %#x, va %#llx: %s", masks[m],
						     (unsigned long long)va[i], why);
			if (x.error)
				continue;
			pm = pagemap_entry(getpid(), va[i]);
			EXPECT_EQ(!!(pm & PM_PRESENT), x.present);
			if (x.present)
				EXPECT_EQ(pm & PM_PFN_MASK, x.pfn);
		}
		/* batched: the same answers as one by one */
		memset(batch, 0xa5, sizeof(batch));
		memset(one, 0xa5, sizeof(one));
		ASSERT_EQ(0, ptw_xlate_fields(self->fd, getpid(), va, n, masks[m], batch, &done));
		ASSERT_EQ(n, done);
		for (i = 0; i < n; i++)
			ASSERT_EQ(0, ptw_xlate_fields(self->fd, getpid(), &va[i], 1, masks[m],
						      &one[i], NULL));
		for (i = 0; i < n; i++) {
			/* the page part aside: its LRU flags may have moved */
			if (masks[m] & PTWALK_XF_PAGE)
				one[i].page = batch[i].page;
			EXPECT_EQ(0, memcmp(&one[i], &batch[i], sizeof(one[i])))
				TH_LOG("fields %#x, batch entry %u", masks[m], i);
		}
	}
	/* bad requests: unknown fields, a non-zero pad */
	req = (struct ptwalk_translate) {
		.size = sizeof(req), .pid = getpid(), .count = 1, .xlate_size = sizeof(x),
		.addrs = (uintptr_t)va, .results = (uintptr_t)&x, .fields = PTWALK_XF_ALL + 1,
	};
	EXPECT_EQ(-1, ioctl(self->fd, PTWALK_IOC_TRANSLATE, &req));
	EXPECT_EQ(EINVAL, errno);
	req.fields = 0;
	req.pad = 1;
	EXPECT_EQ(-1, ioctl(self->fd, PTWALK_IOC_TRANSLATE, &req));
	EXPECT_EQ(EINVAL, errno);
	munmap(f, SZ_4K);
	close(ffd);
	unlink(path);
}

/* The bounds /proc/self/maps gives the VMA at @va; false when it has none. */
static bool maps_bounds(uintptr_t va, uint64_t *start, uint64_t *end)
{
	unsigned long long a, b;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx-%llx", &a, &b) == 2 && va >= a && va < b) {
			*start = a;
			*end = b;
			found = true;
		}
	if (f)
		fclose(f);
	return found;
}

/*
 * A batched TRANSLATE over addresses that hop between VMAs (anon, PROT_NONE,
 * read-only with zero pages, a file, a THP, unmapped gaps, a PMD with no PTE
 * table, the kernel's half), longer than a lock hold's chunk of 32: each
 * answer against pagemap, /proc/self/maps and a one-page WALK (the range
 * walker, another path through the page tables), for several field masks.
 */
TEST_F(ptw, translate_batch_across_vmas)
{
	static const unsigned int masks[] = {
		PTWALK_XF_LEAF, PTWALK_XF_LEAF | PTWALK_XF_VMA, PTWALK_XF_ALL & ~PTWALK_XF_PAGE,
		PTWALK_XF_ALL,
	};
	enum { NA = 200 };
	static struct ptwalk_xlate x[NA];
	static uint64_t va[NA];
	const char *path = "/tmp/ptw_batch_vmas";
	char *p = mmap_aligned(64 * SZ_4K, SZ_2M, 0), *t = have_thp() ? thp_region(true) : NULL;
	char *far = mmap_aligned(SZ_2M, SZ_2M, 0);	/* a PMD of its own, never touched */
	int ffd = make_file(path, 2 * SZ_4K);
	uint64_t pool[24], vs = 0, ve = 0;
	unsigned int np = 0, n, i, m, done;
	unsigned int seed = 11;
	char *f;

	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, far);
	ASSERT_LE(0, ffd);
	f = mmap(NULL, 2 * SZ_4K, PROT_READ, MAP_SHARED, ffd, 0);
	ASSERT_NE(MAP_FAILED, f);
	ASSERT_EQ(0, thp_advise(p, 64 * SZ_4K, MADV_NOHUGEPAGE));
	/* [0,16) anon, every other page written; [17,25) PROT_NONE; [26,34) read-only */
	for (i = 0; i < 16; i += 2)
		p[i * SZ_4K] = 1;
	for (i = 17; i < 25; i += 3)
		p[i * SZ_4K] = 1;
	read_all(p + 26 * SZ_4K, 4 * SZ_4K);	/* zero pages */
	p[31 * SZ_4K] = 1;
	ASSERT_EQ(0, munmap(p + 16 * SZ_4K, SZ_4K));
	ASSERT_EQ(0, munmap(p + 25 * SZ_4K, SZ_4K));
	ASSERT_EQ(0, munmap(p + 34 * SZ_4K, SZ_4K));
	ASSERT_EQ(0, mprotect(p + 17 * SZ_4K, 8 * SZ_4K, PROT_NONE));
	ASSERT_EQ(0, mprotect(p + 26 * SZ_4K, 8 * SZ_4K, PROT_READ));
	read_all(f, SZ_4K);
	for (i = 0; i < 6; i++)
		pool[np++] = (uintptr_t)p + i * 3 * SZ_4K + 5 * i;	/* 0..15, gap at 16 */
	pool[np++] = (uintptr_t)p + 16 * SZ_4K + 8;		/* unmapped */
	pool[np++] = (uintptr_t)p + 17 * SZ_4K;
	pool[np++] = (uintptr_t)p + 18 * SZ_4K + 1;
	pool[np++] = (uintptr_t)p + 20 * SZ_4K + 4095;
	pool[np++] = (uintptr_t)p + 25 * SZ_4K;			/* unmapped */
	pool[np++] = (uintptr_t)p + 27 * SZ_4K + 3;
	pool[np++] = (uintptr_t)p + 31 * SZ_4K;
	pool[np++] = (uintptr_t)p + 40 * SZ_4K;			/* never touched */
	pool[np++] = (uintptr_t)p + 63 * SZ_4K + 100;
	pool[np++] = (uintptr_t)f + 10;
	pool[np++] = (uintptr_t)f + SZ_4K + 10;			/* file page never read */
	pool[np++] = (uintptr_t)far + SZ_1M;			/* no PTE table */
	pool[np++] = 0x1000;					/* no VMA */
	pool[np++] = 0xffffffff81000000ULL;			/* the kernel's: -EFAULT */
	if (t) {
		pool[np++] = (uintptr_t)t + 7;
		pool[np++] = (uintptr_t)t + 300 * SZ_4K + 9;
	}
	/* runs in one VMA and hops out of it, in random order */
	for (n = 0; n < NA; n++)
		va[n] = n % 5 == 4 && n ? va[n - 1] + 1 : pool[rand_r(&seed) % np];
	for (m = 0; m < sizeof(masks) / sizeof(masks[0]); m++) {
		memset(x, 0xa5, sizeof(x));
		ASSERT_EQ(0, ptw_xlate_fields(self->fd, getpid(), va, NA, masks[m], x, &done));
		ASSERT_EQ(NA, done);
		for (i = 0; i < NA; i++) {
			uint64_t page = va[i] & ~(SZ_4K - 1), pm;
			bool mapped = va[i] < 0xffff800000000000ULL && maps_bounds(va[i], &vs, &ve);
			const struct ptwalk_level *l = &x[i].levels[x[i].leaf_level];
			struct ptwalk_record r;
			struct ptwalk_walk w = {
				.size = sizeof(w), .pid = getpid(), .start = page,
				.end = page + SZ_4K, .mode = PTWALK_WALK_RECORDS,
				.flags = PTWALK_WALK_HOLES, .record_size = sizeof(r),
				.records = (uintptr_t)&r, .count = 1,
			};

			ASSERT_EQ(va[i], x[i].va);
			if (va[i] >= 0xffff800000000000ULL) {
				EXPECT_EQ(-EFAULT, x[i].error);
				continue;
			}
			ASSERT_EQ(0, x[i].error) TH_LOG("va %#llx", (unsigned long long)va[i]);
			if (!mapped) {
				EXPECT_EQ(PTWALK_KIND_UNMAPPED, x[i].kind)
					TH_LOG("va %#llx", (unsigned long long)va[i]);
				EXPECT_FALSE(x[i].valid & PTWALK_XV_VMA);
				continue;
			}
			if (masks[m] & PTWALK_XF_VMA) {
				ASSERT_TRUE(x[i].valid & PTWALK_XV_VMA);
				EXPECT_EQ(vs, x[i].vma.start) TH_LOG("va %#llx", (unsigned long long)va[i]);
				EXPECT_EQ(ve, x[i].vma.end);
			}
			pm = pagemap_entry(getpid(), va[i]);
			EXPECT_EQ(!!(pm & PM_PRESENT), x[i].present)
				TH_LOG("fields %#x va %#llx pagemap %#llx", masks[m],
				       (unsigned long long)va[i], (unsigned long long)pm);
			if (x[i].present)
				EXPECT_EQ(pm & PM_PFN_MASK, x[i].pfn);
			/* the range walker read the same leaf (an empty one too, with holes) */
			ASSERT_EQ(0, ioctl(self->fd, PTWALK_IOC_WALK, &w));
			ASSERT_EQ(1, w.count) TH_LOG("va %#llx", (unsigned long long)va[i]);
			EXPECT_EQ(r.level, x[i].leaf_level)
				TH_LOG("fields %#x va %#llx", masks[m], (unsigned long long)va[i]);
			EXPECT_EQ(r.kind, x[i].kind);
			EXPECT_EQ(r.present, x[i].present);
			EXPECT_EQ(r.entry, l->entry) TH_LOG("va %#llx", (unsigned long long)va[i]);
			EXPECT_EQ(r.flags, l->flags);
			if (x[i].present)
				EXPECT_EQ(r.pfn, x[i].pfn);
		}
	}
	munmap(p, 64 * SZ_4K);
	munmap(far, SZ_2M);
	if (t)
		munmap(t, SZ_2M);
	munmap(f, 2 * SZ_4K);
	close(ffd);
	unlink(path);
}

static int walk_compact(int fd, pid_t pid, uintptr_t start, uintptr_t end, unsigned int flags,
			uint64_t all, struct ptwalk_record_compact *r, unsigned int room,
			unsigned int record_size)
{
	struct ptwalk_walk req = {
		.size = sizeof(req), .pid = pid, .start = start, .end = end,
		.mode = PTWALK_WALK_COMPACT, .record_size = record_size,
		.records = (uintptr_t)r, .count = room, .flags = flags, .match_all = all,
	};

	if (ioctl(fd, PTWALK_IOC_WALK, &req))
		return -errno;
	return (int)req.count;
}

/*
 * Two PTE tables whose entries change their bits often (written, read-only,
 * the zero page, never faulted, swapped where there is swap), then a long
 * run of written pages, PROT_NONE for 20 of them, from one table into the
 * next.
 */
static int mixed_tables(char *p, size_t len)
{
	int i;

	if (thp_advise(p, len, MADV_NOHUGEPAGE))
		return -1;
	for (i = 0; i < (int)(len / SZ_4K); i++) {
		/* from 450 on, a run across the tables' boundary */
		if ((i % 7 == 3 && i < 450) || (i >= 900 && i < 910))
			continue;			/* never faulted */
		if (i % 5 == 1 && i < 450)
			read_all(p + i * SZ_4K, 1);	/* the zero page */
		else
			p[i * SZ_4K] = i;
	}
	/* read-only runs inside a table: the same frames, other bits */
	if (mprotect(p + 100 * SZ_4K, 50 * SZ_4K, PROT_READ) ||
	    mprotect(p + 700 * SZ_4K, 3 * SZ_4K, PROT_READ))
		return -1;
	/* written pages made PROT_NONE: their PTEs hold the frame inverted */
	if (mprotect(p + 600 * SZ_4K, 20 * SZ_4K, PROT_NONE))
		return -1;
	if (have_swap())
		madvise(p + 300 * SZ_4K, 40 * SZ_4K, MADV_PAGEOUT);
	return 0;
}

/*
 * @r[0..@n), the records of a walk of [@start, @end) without holes (the
 * per-table path), against the same walk with holes (the per-entry path),
 * theirs left out: record for record, byte for byte.
 */
static void expect_as_with_holes(struct __test_metadata *_metadata, int fd, uintptr_t start,
				 uintptr_t end, unsigned int mode, uint64_t none,
				 const struct ptwalk_record *r, int n)
{
	static struct ptwalk_record h[4096];
	struct ptwalk_walk holes = {
		.size = sizeof(holes), .pid = getpid(), .start = start, .end = end,
		.mode = mode, .record_size = sizeof(h[0]), .records = (uintptr_t)h,
		.count = 4096, .flags = PTWALK_WALK_HOLES, .match_none = none,
	};
	int i, k;

	ASSERT_EQ(0, ioctl(fd, PTWALK_IOC_WALK, &holes));
	for (i = 0, k = 0; i < (int)holes.count; i++) {
		if (h[i].kind == PTWALK_KIND_NONE)
			continue;
		ASSERT_LT(k, n);
		EXPECT_EQ(0, memcmp(&h[i], &r[k], sizeof(r[k])))
			TH_LOG("mode %u none %#llx record %d (va %#llx): kind %u/%u length %#llx/%#llx flags %#llx/%#llx cats %#llx/%#llx",
			       mode, (unsigned long long)none, k, (unsigned long long)r[k].va,
			       h[i].kind, r[k].kind, (unsigned long long)h[i].length,
			       (unsigned long long)r[k].length, (unsigned long long)h[i].flags,
			       (unsigned long long)r[k].flags, (unsigned long long)h[i].cats,
			       (unsigned long long)r[k].cats);
		k++;
	}
	EXPECT_EQ(n, k);
}

/*
 * Records of a PTE table whose entries change their bits often (written,
 * read-only, the zero page, never faulted, swapped): the per-table path
 * against the per-entry one (a walk with holes, theirs left out), the
 * compact records against them, and all against pagemap page by page.
 */
TEST_F(ptw, walk_fast_and_compact_match)
{
	static struct ptwalk_record r[2048];
	static struct ptwalk_record_compact c[2048];
	static uint64_t wide[3 * 2048];
	size_t len = 2 * SZ_2M;
	char *p = mmap_aligned(len, SZ_2M, 0);
	uintptr_t start = (uintptr_t)p, end = start + len, va;
	int n, nc, i, k;
	uint64_t pm;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, mixed_tables(p, len));
	n = walk(self->fd, getpid(), start, end, PTWALK_WALK_RECORDS, 0, 0, r, 2048, NULL);
	ASSERT_LT(0, n);
	expect_as_with_holes(_metadata, self->fd, start, end, PTWALK_WALK_RECORDS, 0, r, n);
	nc = walk_compact(self->fd, getpid(), start, end, 0, 0, c, 2048, sizeof(c[0]));
	ASSERT_EQ(n, nc);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(r[i].va, PTWALK_RC_VA(c[i].va));
		EXPECT_EQ(r[i].kind, PTWALK_RC_KIND(c[i].va));
		EXPECT_EQ(r[i].level, PTWALK_RC_LEVEL(c[i].va));
		EXPECT_EQ(0, c[i].va & 0xf00);
		EXPECT_EQ(r[i].pfn, PTWALK_RC_PFN(c[i].pfn_flags));
		EXPECT_EQ(r[i].flags, PTWALK_RC_FLAGS(c[i].pfn_flags));
		EXPECT_EQ(!!(r[i].cats & CAT(SOFT_DIRTY)),
			  !!(c[i].pfn_flags & PTWALK_RC_SOFT_DIRTY));
		EXPECT_EQ(0, c[i].pfn_flags >> 60);
	}
	/* pagemap, page by page: each present or swapped page once, nothing else */
	for (va = start, k = 0; va < end; va += SZ_4K) {
		pm = pagemap_entry(getpid(), va);
		if (!(pm & (PM_PRESENT | PM_SWAP)))
			continue;
		ASSERT_LT(k, n) TH_LOG("va %#lx missing", (unsigned long)va);
		ASSERT_EQ(va, PTWALK_RC_VA(c[k].va));
		if (pm & PM_PRESENT) {
			EXPECT_EQ(pm & PM_PFN_MASK, PTWALK_RC_PFN(c[k].pfn_flags));
		} else {
			EXPECT_EQ(PTWALK_KIND_SWAP, PTWALK_RC_KIND(c[k].va));
			EXPECT_EQ(0, PTWALK_RC_PFN(c[k].pfn_flags));
		}
		EXPECT_EQ(!!(pm & PM_SOFT_DIRTY), !!(c[k].pfn_flags & PTWALK_RC_SOFT_DIRTY));
		k++;
	}
	EXPECT_EQ(n, k);
	/* a filter and the cursor work as in records: one call a record */
	nc = walk_compact(self->fd, getpid(), start, end, 0, CAT(WRITABLE), c, 2048,
			  sizeof(c[0]));
	k = 0;
	for (i = 0; i < n; i++)
		k += !!(r[i].cats & CAT(WRITABLE));
	EXPECT_EQ(k, nc);
	/* whole pages and no holes, or no compact records */
	EXPECT_EQ(-EINVAL, walk_compact(self->fd, getpid(), start + 8, end, 0, 0, c, 1,
					sizeof(c[0])));
	EXPECT_EQ(-EINVAL, walk_compact(self->fd, getpid(), start, end - 8, 0, 0, c, 1,
					sizeof(c[0])));
	EXPECT_EQ(-EINVAL, walk_compact(self->fd, getpid(), start, end, PTWALK_WALK_HOLES, 0,
					c, 1, sizeof(c[0])));
	EXPECT_EQ(-EINVAL, walk_compact(self->fd, getpid(), start, end, 0, CAT(NONE), c, 1,
					sizeof(c[0])));
	EXPECT_EQ(-EINVAL, walk_compact(self->fd, getpid(), start, end, 0, 0, c, 1, 8));
	/* a newer caller's longer record: the same records, the tail zeroed */
	memset(wide, 0xa5, sizeof(wide));
	nc = walk_compact(self->fd, getpid(), start, end, 0, 0,
			  (struct ptwalk_record_compact *)wide, 2048, 24);
	ASSERT_EQ(n, nc);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(r[i].va, PTWALK_RC_VA(wide[3 * i]));
		EXPECT_EQ(0, wide[3 * i + 2]);
	}
}

/*
 * Extents and ranges, which grow the last record, from the per-table path
 * against the per-entry one (with holes, theirs left out: a hole ends a
 * run in either), from a page's start and from inside it; and records
 * three to a call, resumed at the cursor, against one call.
 */
TEST_F(ptw, walk_fast_coalescing_and_cursor_match)
{
	static struct ptwalk_record r[2048], c[2048];
	static const unsigned int modes[] = { PTWALK_WALK_EXTENTS, PTWALK_WALK_RANGES };
	size_t len = 2 * SZ_2M;
	char *p = mmap_aligned(len, SZ_2M, 0);
	uintptr_t start = (uintptr_t)p, end = start + len, from;
	int n, nc, i, k, m, off, grown;
	uint64_t next;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, mixed_tables(p, len));
	for (m = 0; m < 2; m++) {
		for (off = 0; off <= 8; off += 8) {
			n = walk(self->fd, getpid(), start + off, end - off, modes[m], 0, 0, r,
				 2048, NULL);
			ASSERT_LT(0, n);
			expect_as_with_holes(_metadata, self->fd, start + off, end - off, modes[m],
					     0, r, n);
			for (i = 0, grown = 0; i < n; i++)
				grown += r[i].length > SZ_4K;
			/* ranges merge runs of equal bits: some did */
			if (modes[m] == PTWALK_WALK_RANGES)
				EXPECT_LT(0, grown);
		}
	}
	n = walk(self->fd, getpid(), start + 8, end, PTWALK_WALK_RECORDS, 0, 0, r, 2048, NULL);
	ASSERT_LT(0, n);
	for (from = start + 8, nc = 0; from < end; from = next) {
		k = walk(self->fd, getpid(), from, end, PTWALK_WALK_RECORDS, 0, 0, c + nc, 3,
			 &next);
		ASSERT_LE(0, k);
		ASSERT_GT(next, from);
		nc += k;
		ASSERT_LE(nc, n);
	}
	ASSERT_EQ(n, nc);
	EXPECT_EQ(0, memcmp(r, c, n * sizeof(r[0])));
}

/*
 * A THP between two PTE tables of one VMA whose PTEs have equal bits: the
 * second table's first PTE is decoded anew, not given the THP's flags and
 * categories (the per-table path once did).  Records and extents, with and
 * without a filter on HUGE, against the per-entry path; compact records'
 * flags against the records'.
 */
TEST_F(ptw, walk_fast_after_huge_leaf)
{
	static struct ptwalk_record r[2048];
	static struct ptwalk_record_compact c[2048];
	static const unsigned int modes[] = { PTWALK_WALK_RECORDS, PTWALK_WALK_EXTENTS };
	static const uint64_t filters[] = { 0, CAT(HUGE) };
	size_t len = 3 * SZ_2M;
	char *p = mmap_aligned(len, SZ_2M, 0);
	uintptr_t start = (uintptr_t)p, end = start + len;
	int n, nc, i, m, f, huge;
	pid_t child;

	ASSERT_NE(NULL, p);
	if (!have_thp())
		SKIP(return, "kernel without THP (CONFIG_TRANSPARENT_HUGEPAGE off)");
	/*
	 * 4K pages in the outer tables first, then a THP in the middle one.
	 * khugepaged may collapse the outer tables as soon as the VMA is
	 * MADV_HUGEPAGE (it did on the slow debug lane): a child forked
	 * before that shares every outer page, which keeps it off (more
	 * shared PTEs than max_ptes_shared).  Each outer PTE is then
	 * write-protected, all alike.
	 */
	ASSERT_EQ(0, thp_advise(p, len, MADV_NOHUGEPAGE));
	memset(p, 1, SZ_2M);
	memset(p + 2 * SZ_2M, 1, SZ_2M);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		close(self->fd);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		pause();
		_exit(0);
	}
	ASSERT_EQ(0, madvise(p, len, MADV_HUGEPAGE));
	memset(p + SZ_2M, 1, SZ_2M);
	if (!kpf(kpageflags(pagemap_entry(getpid(), start + SZ_2M) & PM_PFN_MASK), KPF_THP)) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		SKIP(return, "kernel did not back the middle 2 MiB with a THP");
	}
	ASSERT_FALSE(kpf(kpageflags(pagemap_entry(getpid(), start) & PM_PFN_MASK), KPF_THP));
	ASSERT_FALSE(kpf(kpageflags(pagemap_entry(getpid(), start + 2 * SZ_2M) & PM_PFN_MASK),
			 KPF_THP));
	for (m = 0; m < 2; m++) {
		for (f = 0; f < 2; f++) {
			n = walk(self->fd, getpid(), start, end, modes[m], 0, filters[f], r, 2048,
				 NULL);
			ASSERT_LT(0, n);
			expect_as_with_holes(_metadata, self->fd, start, end, modes[m], filters[f],
					     r, n);
			for (i = 0, huge = 0; i < n; i++)
				huge += r[i].level == PTWALK_LEVEL_PMD;
			EXPECT_EQ(!filters[f], huge);
		}
	}
	n = walk(self->fd, getpid(), start, end, PTWALK_WALK_RECORDS, 0, 0, r, 2048, NULL);
	nc = walk_compact(self->fd, getpid(), start, end, 0, 0, c, 2048, sizeof(c[0]));
	ASSERT_EQ(n, nc);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(r[i].va, PTWALK_RC_VA(c[i].va));
		EXPECT_EQ(r[i].flags, PTWALK_RC_FLAGS(c[i].pfn_flags)) TH_LOG("record %d", i);
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

TEST_F(ptw, mprotect_readonly)
{
	char *p = mmap(NULL, NPAGES * SZ_4K, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	ASSERT_NE(MAP_FAILED, p);
	touch(p, NPAGES * SZ_4K);
	ASSERT_EQ(0, mprotect(p, NPAGES * SZ_4K, PROT_READ));
	for (i = 0; i < NPAGES; i++) {
		check_page(_metadata, self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x);
		ASSERT_TRUE(self->x.present);
		EXPECT_FALSE(leaf_flags(&self->x) & EF(RW));
		EXPECT_FALSE(self->x.vma.flags & VF(WRITE));
	}
}

/*
 * Dirty survives write-protection: x86 (6.6+) moves D into the saved-dirty
 * software bit when a PTE loses write, and pte_dirty() tests both.
 */
TEST_F(ptw, dirty_survives_write_protect)
{
	static struct ptwalk_record r[32];
	struct ptwalk_vma_stats st;
	struct ptwalk_maps m = {
		.size = sizeof(m), .pid = getpid(), .stats = (uintptr_t)&st,
		.stats_size = sizeof(st), .count = 1,
	};
	char *p = mmap(NULL, 18 * SZ_4K, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int n;

	ASSERT_NE(MAP_FAILED, p);
	/* a VMA of its own: no neighbour to merge with */
	ASSERT_EQ(0, munmap(p, SZ_4K));
	ASSERT_EQ(0, munmap(p + 17 * SZ_4K, SZ_4K));
	p += SZ_4K;
	touch(p, 16 * SZ_4K);
	ASSERT_EQ(0, mprotect(p, 16 * SZ_4K, PROT_READ));
	n = walk(self->fd, getpid(), (uintptr_t)p, (uintptr_t)p + 16 * SZ_4K,
		 PTWALK_WALK_RECORDS, CAT(DIRTY), 0, r, 32, NULL);
	EXPECT_EQ(16, n);
	m.start = (uintptr_t)p;
	ASSERT_EQ(0, ioctl(self->fd, PTWALK_IOC_MAPS, &m));
	ASSERT_EQ(1, m.count);
	ASSERT_EQ((uintptr_t)p, st.vma.start);
	EXPECT_EQ(16 * SZ_4K, st.dirty);
	munmap(p, 16 * SZ_4K);
}

TEST_F(ptw, prot_none)
{
	char *p = mmap(NULL, NPAGES * SZ_4K, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	ASSERT_NE(MAP_FAILED, p);
	touch(p, NPAGES * SZ_4K);
	ASSERT_EQ(0, mprotect(p, NPAGES * SZ_4K, PROT_NONE));
	for (i = 0; i < NPAGES; i++) {
		check_page(_metadata, self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x);
		ASSERT_TRUE(self->x.present);	/* pagemap says present too */
		EXPECT_FALSE(leaf_flags(&self->x) & EF(PRESENT));
		EXPECT_TRUE(leaf_flags(&self->x) & EF(PROTNONE));
		EXPECT_FALSE(leaf_flags(&self->x) & EF(GLOBAL));
		EXPECT_FALSE(self->x.vma.flags & (VF(READ) | VF(WRITE) | VF(EXEC)));
	}
}

TEST_F(ptw, mlocked)
{
	char *p = mmap(NULL, NPAGES * SZ_4K, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, mlock(p, NPAGES * SZ_4K));
	for (i = 0; i < NPAGES; i++) {
		check_page(_metadata, self->fd, getpid(), (uintptr_t)p + i * SZ_4K, &self->x);
		ASSERT_TRUE(self->x.present);	/* mlock faulted it in */
		EXPECT_TRUE(self->x.vma.flags & VF(LOCKED));
	}
	munlock(p, NPAGES * SZ_4K);
}

TEST_F(ptw, stack)
{
	volatile char here[64];

	here[0] = 1;
	check_page(_metadata, self->fd, getpid(), (uintptr_t)here, &self->x);
	ASSERT_TRUE(self->x.present);
	EXPECT_STREQ("[stack]", self->x.vma.name);
	EXPECT_TRUE(self->x.vma.flags & VF(GROWSDOWN));
	EXPECT_EQ(PTWALK_KIND_NORMAL, self->x.kind);
}

struct thread_arg {
	uintptr_t addr;
	int ready[2], go[2];
};

static void *thread_fn(void *p)
{
	struct thread_arg *a = p;
	volatile char local[128];
	char c = 0;

	local[0] = 1;
	a->addr = (uintptr_t)local;
	if (write(a->ready[1], &c, 1) != 1 || read(a->go[0], &c, 1) != 1)
		return NULL;
	return NULL;
}

TEST_F(ptw, thread_stack)
{
	struct thread_arg a;
	pthread_t t;
	char c;

	ASSERT_EQ(0, pipe(a.ready));
	ASSERT_EQ(0, pipe(a.go));
	ASSERT_EQ(0, pthread_create(&t, NULL, thread_fn, &a));
	ASSERT_EQ(1, read(a.ready[0], &c, 1));
	check_page(_metadata, self->fd, getpid(), a.addr, &self->x);
	ASSERT_TRUE(self->x.present);
	EXPECT_TRUE(self->x.page.flags & PF(ANON));
	ASSERT_EQ(1, write(a.go[1], "g", 1));
	pthread_join(t, NULL);
}

TEST_F(ptw, high_address)
{
	struct ptwalk_info info;
	char *p;

	ASSERT_EQ(0, ptw_info(self->fd, &info));
	p = mmap((void *)(1UL << 52), SZ_4K, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	check_page(_metadata, self->fd, getpid(), (uintptr_t)p, &self->x);
	ASSERT_TRUE(self->x.present);
	if (info.paging_levels == 5) {
		ASSERT_LE(1UL << 47, (uintptr_t)p);
		EXPECT_EQ(((uintptr_t)p >> 48) & 511, self->x.levels[PTWALK_LEVEL_PGD].index);
		EXPECT_EQ(((uintptr_t)p >> 39) & 511, self->x.levels[PTWALK_LEVEL_P4D].index);
		EXPECT_EQ(PTWALK_STATE_TABLE, self->x.levels[PTWALK_LEVEL_P4D].state);
	} else {
		EXPECT_EQ(PTWALK_STATE_FOLDED, self->x.levels[PTWALK_LEVEL_P4D].state);
		EXPECT_EQ(self->x.levels[PTWALK_LEVEL_PGD].entry,
			  self->x.levels[PTWALK_LEVEL_P4D].entry);
		EXPECT_EQ(((uintptr_t)p >> 39) & 511, self->x.levels[PTWALK_LEVEL_PGD].index);
	}
	EXPECT_EQ(((uintptr_t)p >> 30) & 511, self->x.levels[PTWALK_LEVEL_PUD].index);
	EXPECT_EQ(((uintptr_t)p >> 21) & 511, self->x.levels[PTWALK_LEVEL_PMD].index);
	EXPECT_EQ(((uintptr_t)p >> 12) & 511, self->x.levels[PTWALK_LEVEL_PTE].index);
	/* the PTE entry sits in the table the PMD entry points to */
	EXPECT_EQ((self->x.levels[PTWALK_LEVEL_PMD].entry & 0x000ffffffffff000ULL) +
		  8 * self->x.levels[PTWALK_LEVEL_PTE].index,
		  self->x.levels[PTWALK_LEVEL_PTE].entry_phys);
	EXPECT_EQ(self->x.pfn, (self->x.levels[PTWALK_LEVEL_PTE].entry >> 12) & 0xffffffffffULL);
}

/* A process that exits while we translate it: answers or ESRCH, nothing else. */
TEST_F(ptw, exiting_process)
{
	size_t len = 32UL << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	int ready[2], n = 0, status;
	pid_t pid;
	char c;
	int ret;

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		touch(p, len);
		c = 1;
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		_exit(0);	/* tears down 32 MiB while the parent walks */
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	do {
		ret = ptw_xlate(self->fd, pid, (uintptr_t)p + (n++ % 8192) * SZ_4K, &self->x);
		if (ret == 0) {
			ASSERT_EQ(0, self->x.error);
		}
	} while (ret == 0 && n < 1000000);
	EXPECT_EQ(-ESRCH, ret);
	/* Now a zombie: still there, but without an address space. */
	EXPECT_EQ(-ESRCH, ptw_xlate(self->fd, pid, (uintptr_t)p, &self->x));
	waitpid(pid, &status, 0);
	EXPECT_EQ(-ESRCH, ptw_xlate(self->fd, pid, (uintptr_t)p, &self->x));
}

TEST_F(ptw, bad_pids)
{
	uintptr_t va = (uintptr_t)&self->x;
	pid_t zombie;

	EXPECT_EQ(-EINVAL, ptw_xlate(self->fd, 0, va, &self->x));
	EXPECT_EQ(-EINVAL, ptw_xlate(self->fd, -1, va, &self->x));
	EXPECT_EQ(-ESRCH, ptw_xlate(self->fd, 0x3fffffff, va, &self->x));
	EXPECT_EQ(-ENXIO, ptw_xlate(self->fd, 2, va, &self->x));	/* kthreadd */
	zombie = fork();
	ASSERT_LE(0, zombie);
	if (zombie == 0)
		_exit(0);
	usleep(100000);
	ASSERT_EQ(0, waitid(P_PID, zombie, NULL, WEXITED | WNOWAIT));
	EXPECT_EQ(-ESRCH, ptw_xlate(self->fd, zombie, va, &self->x));
	waitpid(zombie, NULL, 0);
}

TEST_F(ptw, bad_addresses)
{
	struct ptwalk_info info;
	uint64_t va[5];
	struct ptwalk_xlate x[5];
	unsigned int done;

	ASSERT_EQ(0, ptw_info(self->fd, &info));
	va[0] = 0;				/* NULL: mapped by nobody */
	va[1] = info.user_va_end - 1;		/* last user byte */
	va[2] = 0xffffffff81000000ULL;		/* kernel text */
	va[3] = 0x8000000000000000ULL;		/* non-canonical on 4 and 5 levels */
	va[4] = (uintptr_t)&info;		/* and a good one among them */
	ASSERT_EQ(0, ptw_xlate_many(self->fd, getpid(), va, 5, x, &done));
	EXPECT_EQ(5, done);
	EXPECT_EQ(0, x[0].error);
	EXPECT_EQ(PTWALK_KIND_UNMAPPED, x[0].kind);
	EXPECT_FALSE(x[0].present);
	EXPECT_EQ(0, x[1].error);
	EXPECT_FALSE(x[1].present);
	EXPECT_EQ(-EFAULT, x[2].error);
	EXPECT_EQ(-EINVAL, x[3].error);
	EXPECT_EQ(0, x[4].error);
	EXPECT_TRUE(x[4].present);
	EXPECT_EQ(pagemap_entry(getpid(), va[4]) & PM_PFN_MASK, x[4].pfn);
}

static long raw_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

TEST_F(ptw, bad_ioctls)
{
	struct {
		struct ptwalk_translate req;
		uint64_t tail[4];
	} big;
	/* longer than the module's result: its tail must come back zero */
	union {
		struct ptwalk_xlate x;
		char bytes[sizeof(struct ptwalk_xlate) + 64];
	} bigger;
	struct ptwalk_translate req;
	struct ptwalk_info info;
	uint64_t va = (uintptr_t)&req;
	struct ptwalk_xlate *ro;
	void *unmapped;

	ro = mmap(NULL, SZ_4K, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	unmapped = mmap(NULL, SZ_4K, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, unmapped);
	munmap(unmapped, SZ_4K);	/* nothing else is mapped from here on */

	/* unknown command numbers */
	EXPECT_EQ(-ENOTTY, raw_ioctl(self->fd, _IOWR(PTWALK_IOC_MAGIC, 0x7f, info), &info));
	EXPECT_EQ(-ENOTTY, raw_ioctl(self->fd, _IO('x', 1), NULL));
	EXPECT_EQ(-ENOTTY, raw_ioctl(self->fd, _IOR(PTWALK_IOC_MAGIC, 0, info), &info));
	/* bad pointers to the struct itself */
	EXPECT_EQ(-EFAULT, raw_ioctl(self->fd, PTWALK_IOC_GET_INFO, NULL));
	EXPECT_EQ(-EFAULT, raw_ioctl(self->fd, PTWALK_IOC_TRANSLATE, unmapped));
	/* sizes: short, huge, longer with a garbage tail, longer with zeros */
	memset(&info, 0, sizeof(info));
	info.size = 4;
	EXPECT_EQ(-EINVAL, raw_ioctl(self->fd, PTWALK_IOC_GET_INFO, &info));
	info.size = 1 << 20;
	EXPECT_EQ(-E2BIG, raw_ioctl(self->fd, PTWALK_IOC_GET_INFO, &info));
	info.size = 0xffffffff;
	EXPECT_EQ(-E2BIG, raw_ioctl(self->fd, PTWALK_IOC_GET_INFO, &info));

	memset(&big, 0, sizeof(big));
	big.req = (struct ptwalk_translate) {
		.size = sizeof(big), .pid = getpid(), .count = 1,
		.xlate_size = sizeof(self->x), .addrs = (uintptr_t)&va,
		.results = (uintptr_t)&self->x,
	};
	EXPECT_EQ(0, raw_ioctl(self->fd, PTWALK_IOC_TRANSLATE, &big));
	EXPECT_EQ(1, big.req.done);
	big.tail[2] = 0xdead;
	EXPECT_EQ(-E2BIG, raw_ioctl(self->fd, PTWALK_IOC_TRANSLATE, &big));

	req = big.req;
	req.size = sizeof(req);
	req.count = 0;
	EXPECT_EQ(-EINVAL, raw_ioctl(self->fd, PTWALK_IOC_TRANSLATE, &req));
	req.count = 10000000;
	EXPECT_EQ(-E2BIG, raw_ioctl(self->fd, PTWALK_IOC_TRANSLATE, &req));
	req.count = 1;
	req.flags = 1;
	EXPECT_EQ(-EINVAL, raw_ioctl(self->fd, PTWALK_IOC_TRANSLATE, &req));
	req.flags = 0;
	req.xlate_size = 8;
	EXPECT_EQ(-EINVAL, raw_ioctl(self->fd, PTWALK_IOC_TRANSLATE, &req));
	req.xlate_size = sizeof(self->x);
	req.addrs = 0;
	EXPECT_EQ(-EFAULT, raw_ioctl(self->fd, PTWALK_IOC_TRANSLATE, &req));
	req.addrs = (uintptr_t)unmapped;
	EXPECT_EQ(-EFAULT, raw_ioctl(self->fd, PTWALK_IOC_TRANSLATE, &req));
	req.addrs = (uintptr_t)&va;
	req.results = (uintptr_t)ro;
	EXPECT_EQ(-EFAULT, raw_ioctl(self->fd, PTWALK_IOC_TRANSLATE, &req));
	req.results = 0;
	EXPECT_EQ(-EFAULT, raw_ioctl(self->fd, PTWALK_IOC_TRANSLATE, &req));
	/* a caller that knows a bigger result gets the tail zeroed */
	memset(&bigger, 0x77, sizeof(bigger));
	req.results = (uintptr_t)&bigger;
	req.xlate_size = sizeof(bigger.bytes);
	EXPECT_EQ(0, raw_ioctl(self->fd, PTWALK_IOC_TRANSLATE, &req));
	EXPECT_EQ(0, bigger.bytes[sizeof(bigger.bytes) - 1]);
	EXPECT_EQ(va, bigger.x.va);
}

TEST_F(ptw, big_batch)
{
	unsigned int n = 20000, i, done;
	uint64_t pfn[64];
	uint64_t *va = calloc(n, sizeof(*va));
	struct ptwalk_xlate *x = calloc(n, sizeof(*x));
	char *p = mmap(NULL, 64 * SZ_4K, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	ASSERT_NE(NULL, va);
	ASSERT_NE(NULL, x);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < n; i++)
		va[i] = (uintptr_t)p + (i % 64) * SZ_4K;
	ASSERT_EQ(0, ptw_xlate_many(self->fd, getpid(), va, n, x, &done));
	ASSERT_EQ(n, done);
	/* the 64 pages' frames read once: 20 000 pagemap reads are slow on KASAN */
	for (i = 0; i < 64; i++)
		pfn[i] = pagemap_entry(getpid(), va[i]) & PM_PFN_MASK;
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, x[i].error);
		ASSERT_TRUE(x[i].present);
		ASSERT_EQ(pfn[i % 64], x[i].pfn);
	}
}

/* Drop to nobody: the device is 0600, so first open fails; made 0666, the
 * unprivileged caller may look at itself without PFNs and at nobody else. */
/*
 * WALK and MAPS for a caller without CAP_SYS_ADMIN: its own process only,
 * with no PFN, no PFN bits in entries and no contiguity.  0 or a step.
 */
static int unprivileged_views(int fd, pid_t other, char *p)
{
	struct ptwalk_vma_stats st;
	struct ptwalk_record r[4];
	struct ptwalk_maps m = {
		.size = sizeof(m), .pid = other, .stats = (uintptr_t)&st,
		.stats_size = sizeof(st), .count = 1,
	};
	int i, n;

	if (ioctl(fd, PTWALK_IOC_MAPS, &m) != -1 || errno != EPERM)
		return 20;
	n = walk(fd, other, (uintptr_t)p, (uintptr_t)p + SZ_4K, PTWALK_WALK_RECORDS, 0, 0,
		 r, 4, NULL);
	if (n != -EPERM)
		return 21;
	n = walk(fd, getpid(), (uintptr_t)p & ~(SZ_4K - 1), ((uintptr_t)p & ~(SZ_4K - 1)) +
		 SZ_4K, PTWALK_WALK_EXTENTS, 0, 0, r, 4, NULL);
	if (n != 1 || !r[0].present || r[0].pfn || (r[0].entry & 0x000ffffffffff000ULL))
		return 22;
	m.pid = getpid();
	for (i = 0; i < 256; i++) {	/* up to the VMA holding p */
		if (ioctl(fd, PTWALK_IOC_MAPS, &m) || m.count != 1)
			return 23;
		if (st.vma.start <= (uintptr_t)p && (uintptr_t)p < st.vma.end)
			break;
		m.start = m.next;
	}
	if (st.extents || st.largest_extent || !st.resident[PTWALK_PS_4K])
		return 24;
	return 0;
}

TEST_F(ptw, unprivileged)
{
	pid_t parent = getpid(), pid;
	int status;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct ptwalk_xlate x;
		struct ptwalk_info info;
		char *p = malloc(SZ_4K);
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		if (ptw_open() >= 0 || errno != EACCES)
			_exit(11);
		/* the parent chmods the device, then signals us through exit of sleep */
		while ((fd = ptw_open()) < 0)
			usleep(10000);
		memset(p, 1, SZ_4K);
		if (ptw_info(fd, &info) || (info.features & PTWALK_FEAT_PFN_VISIBLE))
			_exit(12);
		if (ptw_xlate(fd, parent, (uintptr_t)&x, &x) != -EPERM)
			_exit(13);
		if (ptw_xlate(fd, getpid(), (uintptr_t)p, &x) || x.error || !x.present)
			_exit(14);
		if (x.pfn || (x.valid & PTWALK_XV_PFN) || x.levels[x.leaf_level].entry_phys)
			_exit(15);
		if (x.levels[PTWALK_LEVEL_PTE].entry & 0x000ffffffffff000ULL)
			_exit(16);
		_exit(unprivileged_views(fd, parent, p));
	}
	usleep(200000);
	ASSERT_EQ(0, chmod(PTWALK_DEVICE, 0666));
	waitpid(pid, &status, 0);
	chmod(PTWALK_DEVICE, 0600);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY	1
#endif
#define SWAP_FORM_HIDDEN	0xfffffffffffffe00ULL	/* type 59..63, offset 9..58 */

/* Every level of @x as pagemap's view: no frame, no entry address. 0 or a step. */
static int user_levels(const struct ptwalk_xlate *x)
{
	int i;

	for (i = 0; i < PTWALK_NR_LEVELS; i++)
		if (x->levels[i].entry_phys || (x->levels[i].entry & 0x000ffffffffff000ULL))
			return 1;
	if (!x->present && (x->levels[x->leaf_level].entry & SWAP_FORM_HIDDEN))
		return 1;
	return x->pfn || (x->valid & PTWALK_XV_PFN) || x->phys != (x->va & (SZ_4K - 1));
}

/*
 * Field by field, what a caller without CAP_SYS_ADMIN gets of its own
 * memory: pagemap's view (present, swapped, soft-dirty, exclusive, anon,
 * uffd-wp, flag bits), no page-struct data, no swap type or offset, no folio
 * order.  @mthp: 64K folios are on.  0 or a step.
 */
static int user_view_steps(int fd, bool mthp)
{
	static struct ptwalk_record r[64];
	const size_t mlen = 16 * 64 * 1024;
	struct ptwalk_vma_stats st;
	struct ptwalk_maps m = {
		.size = sizeof(m), .pid = getpid(), .stats = (uintptr_t)&st,
		.stats_size = sizeof(st), .count = 1,
	};
	struct ptwalk_xlate x;
	char *p = mmap(NULL, 16 * SZ_4K, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *t = have_thp() ? thp_region(true) : NULL;
	char *q = mmap_aligned(mlen, 64 * 1024, 0);
	int i, n, uffd;

	if (p == MAP_FAILED || !q)
		return 30;
	memset(p, 1, 16 * SZ_4K);
	/* an exclusive anon page: no refcount, page flags but anon, zone, order */
	if (ptw_xlate(fd, getpid(), (uintptr_t)p + 5, &x) || x.error || !x.present)
		return 31;
	if (user_levels(&x))
		return 32;
	if (!(x.valid & PTWALK_XV_PAGE) || x.page.refcount || x.page.order || x.page.zone[0] ||
	    x.page.flags != PF(ANON) || x.page.mapcount != 1)
		return 33;
	/* the lean answer and a part of it: the same view */
	{
		uint64_t a = (uintptr_t)p + 5;
		struct ptwalk_xlate y;
		const struct ptwalk_level *l;

		memset(&y, 0xa5, sizeof(y));
		if (ptw_xlate_fields(fd, getpid(), &a, 1, PTWALK_XF_LEAF, &y, NULL) || y.error ||
		    !y.present)
			return 45;
		l = &y.levels[y.leaf_level];
		if (y.pfn || (y.valid & PTWALK_XV_PFN) || y.phys != 5 || l->entry_phys ||
		    (l->entry & 0x000ffffffffff000ULL) || l->entry != x.levels[y.leaf_level].entry)
			return 46;
		memset(&y, 0xa5, sizeof(y));
		if (ptw_xlate_fields(fd, getpid(), &a, 1, PTWALK_XF_LEVELS | PTWALK_XF_PAGE, &y,
				     NULL) || y.error || user_levels(&y) ||
		    memcmp(&y.page, &x.page, sizeof(y.page)))
			return 47;
	}
	/* compact records: no frame */
	{
		struct ptwalk_record_compact c[16];

		if (walk_compact(fd, getpid(), (uintptr_t)p, (uintptr_t)p + 16 * SZ_4K, 0, 0, c,
				 16, sizeof(c[0])) != 16)
			return 48;
		for (i = 0; i < 16; i++)
			if (PTWALK_RC_PFN(c[i].pfn_flags) ||
			    PTWALK_RC_VA(c[i].va) != (uintptr_t)p + i * SZ_4K)
				return 49;
	}
	/* a THP: the kind and size stay (smaps tells them), the order does not */
	if (t && (ptw_xlate(fd, getpid(), (uintptr_t)t + SZ_4K, &x) || x.error ||
		  user_levels(&x) || x.page.order || x.page.flags != PF(ANON)))
		return 34;
	/* 64K folios under PTEs: MAPS sizes by leaf, not by folio */
	/* a flag no neighbour has: q stays a VMA of its own */
	if (madvise(q, mlen, MADV_DONTDUMP))
		return 30;
	memset(q, 7, mlen);
	m.start = (uintptr_t)q;
	if (ioctl(fd, PTWALK_IOC_MAPS, &m) || m.count != 1 || st.vma.start != (uintptr_t)q)
		return 35;
	if (st.resident_folio[0] != st.resident[PTWALK_PS_4K] || st.extents ||
	    st.largest_extent || (mthp && st.resident[PTWALK_PS_4K] != mlen))
		return 36;
	for (i = 1; i < PTWALK_NR_FOLIO_ORDERS; i++)
		if (i != 9 && i != 18 && st.resident_folio[i])
			return 37;
	/* swap entries: the kind, no type, no offset */
	if (have_swap()) {
		int found = -1;

		madvise(p, 16 * SZ_4K, MADV_PAGEOUT);
		for (i = 0; i < 16 && found < 0; i++)
			if (pagemap_entry(getpid(), (uintptr_t)p + i * SZ_4K) & PM_SWAP)
				found = i;
		if (found < 0)
			return 38;
		if (ptw_xlate(fd, getpid(), (uintptr_t)p + found * SZ_4K, &x) || x.error ||
		    x.kind != PTWALK_KIND_SWAP || x.swap_type || x.swap_offset ||
		    (x.valid & PTWALK_XV_SWAP) || user_levels(&x))
			return 39;
		n = walk(fd, getpid(), (uintptr_t)p, (uintptr_t)p + 16 * SZ_4K,
			 PTWALK_WALK_RECORDS, CAT(SWAPPED), 0, r, 64, NULL);
		if (n < 1)
			return 40;
		for (i = 0; i < n; i++)
			if (r[i].pfn || (r[i].entry & SWAP_FORM_HIDDEN))
				return 41;
	}
	/* uffd-wp markers (6.4+): a swap-form entry of a type far from 0 */
	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	if (uffd >= 0) {
		struct uffdio_api api = {
			.api = UFFD_API, .features = UFFD_FEATURE_WP_UNPOPULATED,
		};
		char *u = mmap(NULL, 4 * SZ_4K, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct uffdio_register reg = {
			.range = { .start = (uintptr_t)u, .len = 4 * SZ_4K },
			.mode = UFFDIO_REGISTER_MODE_WP,
		};
		struct uffdio_writeprotect wp = {
			.range = reg.range, .mode = UFFDIO_WRITEPROTECT_MODE_WP,
		};

		if (u != MAP_FAILED && !ioctl(uffd, UFFDIO_API, &api) &&
		    !ioctl(uffd, UFFDIO_REGISTER, &reg) && !ioctl(uffd, UFFDIO_WRITEPROTECT, &wp)) {
			if (ptw_xlate(fd, getpid(), (uintptr_t)u, &x) || x.error ||
			    x.kind != PTWALK_KIND_UFFD_WP || x.swap_type || x.swap_offset ||
			    user_levels(&x))
				return 42;
			n = walk(fd, getpid(), (uintptr_t)u, (uintptr_t)u + 4 * SZ_4K,
				 PTWALK_WALK_RECORDS, 0, 0, r, 64, NULL);
			if (n != 4)
				return 43;
			for (i = 0; i < n; i++)
				if (r[i].kind != PTWALK_KIND_UFFD_WP || (r[i].entry & SWAP_FORM_HIDDEN))
					return 44;
		}
		close(uffd);
	}
	return 0;
}

/*
 * The unprivileged view as pagemap's, through an fd nobody opened and
 * through one root opened before dropping to nobody (the opener is admin,
 * the caller is not: the caller's view).
 */
TEST_F(ptw, unprivileged_view_is_pagemaps)
{
	char old[32] = "";
	bool mthp;
	pid_t pid;
	int status;

	sysfs_choice(MTHP_64K, old, sizeof(old));
	mthp = old[0] && !sysfs_write(MTHP_64K, "always");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = ptw_open(), step;

		/* dumpable again: setuid made /proc/self/pagemap root's */
		if (fd < 0 || setgid(65534) || setuid(65534) || prctl(PR_SET_DUMPABLE, 1))
			_exit(10);
		step = user_view_steps(fd, mthp);
		if (step)
			_exit(step);
		close(fd);
		while ((fd = ptw_open()) < 0)
			usleep(10000);
		step = user_view_steps(fd, mthp);
		_exit(step ? step + 50 : 0);
	}
	usleep(200000);
	ASSERT_EQ(0, chmod(PTWALK_DEVICE, 0666));
	waitpid(pid, &status, 0);
	chmod(PTWALK_DEVICE, 0600);
	if (mthp)
		sysfs_write(MTHP_64K, old);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* root's view is whole: refcount, zone and the pfn */
	ASSERT_EQ(0, ptw_xlate(self->fd, getpid(), (uintptr_t)&status, &self->x));
	EXPECT_TRUE(self->x.valid & PTWALK_XV_PFN);
	EXPECT_LT(0, self->x.page.refcount);
	EXPECT_NE(0, self->x.page.zone[0]);
}

/* debugfs: per-open state, text that agrees with pagemap. */
TEST(debugfs_translate)
{
	const char *path = "/sys/kernel/debug/ptwalk/translate";
	char *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	char *q = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	char cmd[64], buf[4096], want[64];
	int a, b, t;
	ssize_t n;

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_NE(MAP_FAILED, q);
	a = open(path, O_RDWR);
	b = open(path, O_RDWR);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	snprintf(cmd, sizeof(cmd), "%d %lx\n", getpid(), (unsigned long)p);
	ASSERT_EQ((ssize_t)strlen(cmd), write(a, cmd, strlen(cmd)));
	snprintf(cmd, sizeof(cmd), "%d 0x%lx\n", getpid(), (unsigned long)q);
	ASSERT_EQ((ssize_t)strlen(cmd), write(b, cmd, strlen(cmd)));
	n = read(a, buf, sizeof(buf) - 1);
	ASSERT_LT(0, n);
	buf[n] = 0;
	snprintf(want, sizeof(want), "pfn 0x%llx ",
		 (unsigned long long)(pagemap_entry(getpid(), (uintptr_t)p) & PM_PFN_MASK));
	EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("want '%s' in:\n%s", want, buf);
	EXPECT_NE(NULL, strstr(buf, "PRESENT  normal 4K"));
	n = read(b, buf, sizeof(buf) - 1);
	ASSERT_LT(0, n);
	buf[n] = 0;
	snprintf(want, sizeof(want), "pfn 0x%llx ",
		 (unsigned long long)(pagemap_entry(getpid(), (uintptr_t)q) & PM_PFN_MASK));
	EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("want '%s' in:\n%s", want, buf);
	/* bad input is refused at write time */
	EXPECT_EQ(-1, write(a, "ffffffff81000000", 16));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, write(a, "8000000000000000", 16));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(a, "zzz", 3));
	EXPECT_EQ(EINVAL, errno);
	/* target: read back what was written */
	t = open("/sys/kernel/debug/ptwalk/target", O_RDWR);
	ASSERT_LE(0, t);
	snprintf(cmd, sizeof(cmd), "%d\n", getpid());
	ASSERT_EQ((ssize_t)strlen(cmd), write(t, cmd, strlen(cmd)));
	ASSERT_EQ(0, lseek(t, 0, SEEK_SET));
	n = read(t, buf, sizeof(buf) - 1);
	ASSERT_LT(0, n);
	buf[n] = 0;
	EXPECT_EQ(getpid(), atoi(buf));
	EXPECT_EQ(-1, write(t, "-5", 2));
	close(t);
	close(a);
	close(b);
}

/* The CLI: exit codes and JSON that agrees with pagemap. */
TEST(cli)
{
	char *p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	char cmd[256], buf[16384], want[64];
	size_t n;
	FILE *f;

	ASSERT_NE(MAP_FAILED, p);
	snprintf(cmd, sizeof(cmd), "ptwalk translate --json %d %lx", getpid(), (unsigned long)p);
	f = popen(cmd, "r");
	ASSERT_NE(NULL, f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	EXPECT_EQ(0, WEXITSTATUS(pclose(f)));
	snprintf(want, sizeof(want), "\"pfn\":%llu,",
		 (unsigned long long)(pagemap_entry(getpid(), (uintptr_t)p) & PM_PFN_MASK));
	/* compare without white space */
	{
		char *r = buf, *w = buf;

		for (; *r; r++)
			if (*r != ' ' && *r != '\n')
				*w++ = *r;
		*w = 0;
	}
	EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("want %s in %s", want, buf);
	EXPECT_NE(NULL, strstr(buf, "\"present\":true"));
	EXPECT_NE(NULL, strstr(buf, "\"leaf\":\"pte\""));
	snprintf(cmd, sizeof(cmd), "ptwalk translate %d %lx > /dev/null", getpid(), (unsigned long)p);
	EXPECT_EQ(0, WEXITSTATUS(system(cmd)));
	EXPECT_EQ(1, WEXITSTATUS(system("ptwalk translate 2 1000 2>/dev/null")));
	EXPECT_EQ(1, WEXITSTATUS(system("ptwalk translate 999999999 1000 2>/dev/null")));
	snprintf(cmd, sizeof(cmd), "ptwalk translate %d ffffffff81000000 >/dev/null 2>&1", getpid());
	EXPECT_EQ(1, WEXITSTATUS(system(cmd)));
	EXPECT_EQ(2, WEXITSTATUS(system("ptwalk translate 2>/dev/null")));
	EXPECT_EQ(2, WEXITSTATUS(system("ptwalk translate 1 xyz 2>/dev/null")));
	EXPECT_EQ(2, WEXITSTATUS(system("ptwalk frobnicate 2>/dev/null")));
}

/*
 * Mappings change under the walk: every answer must stay well-formed.
 * Each churn thread owns every NCHURN-th 2M slice, so no thread writes to
 * memory another has just unmapped or write-protected.
 */
#define NCHURN	3

struct churn {
	char *base;
	size_t len;
	int id;
	volatile int *stop;
};

static void *churn_fn(void *arg)
{
	struct churn *c = arg;
	unsigned int seed = c->id + 1, i = 0;
	size_t nslices = c->len / SZ_2M / NCHURN;

	while (!*c->stop) {
		size_t slice = (rand_r(&seed) % nslices) * NCHURN + c->id;
		char *p = c->base + slice * SZ_2M;

		switch (i++ % 6) {
		case 0:
			mmap(p, SZ_2M, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			madvise(p, SZ_2M, MADV_HUGEPAGE);
			break;
		case 1:
			memset(p, 1, SZ_2M);
			break;
		case 2:
			mprotect(p, SZ_2M, PROT_READ);
			mprotect(p, SZ_2M, PROT_READ | PROT_WRITE);
			break;
		case 3:
			madvise(p, SZ_2M, MADV_DONTNEED);
			break;
		case 4:
			touch(p, SZ_2M / 2);
			madvise(p, SZ_2M, MADV_COLLAPSE);
			break;
		case 5:
			munmap(p + SZ_4K, SZ_4K);
			mmap(p + SZ_4K, SZ_4K, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		}
	}
	return NULL;
}

/* Point the debugfs files at @pid; the bytes written or -1. */
static ssize_t write_target(pid_t pid)
{
	char spid[16];
	ssize_t n;
	int fd = open("/sys/kernel/debug/ptwalk/target", O_WRONLY);

	if (fd < 0)
		return -1;
	snprintf(spid, sizeof(spid), "%d", pid);
	n = write(fd, spid, strlen(spid));
	close(fd);
	return n;
}

/* Per-VMA statistics, a page-table dump and the debugfs files, mid-churn. */
static void race_maps_and_dump(struct __test_metadata *_metadata, int fd,
			       char *base, size_t len, struct ptwalk_record *r,
			       unsigned int round)
{
	static struct ptwalk_vma_stats s[8];
	static char text[1 << 16];
	struct ptwalk_maps m = {
		.size = sizeof(m), .pid = getpid(), .start = (uintptr_t)base,
		.stats = (uintptr_t)s, .stats_size = sizeof(s[0]), .count = 8,
	};
	struct ptwalk_walk w = {
		.size = sizeof(w), .pid = getpid(), .start = (uintptr_t)base,
		.end = (uintptr_t)base + len, .mode = PTWALK_WALK_RANGES,
		.flags = PTWALK_WALK_HOLES, .record_size = sizeof(*r),
		.records = (uintptr_t)r, .count = 512,
	};
	const char *file = round & 128 ? "/sys/kernel/debug/ptwalk/pagetable" :
					 "/sys/kernel/debug/ptwalk/maps";
	unsigned int i;
	int dfd;

	ASSERT_EQ(0, ioctl(fd, PTWALK_IOC_MAPS, &m));
	for (i = 0; i < m.count; i++) {
		ASSERT_EQ(s[i].vma.end - s[i].vma.start,
			  s[i].resident[PTWALK_PS_4K] + s[i].resident[PTWALK_PS_2M] +
			  s[i].resident[PTWALK_PS_1G] + s[i].zero + s[i].swapped +
			  s[i].none + s[i].other);
	}
	ASSERT_EQ(0, ioctl(fd, PTWALK_IOC_WALK, &w));
	if (round % 512)
		return;
	dfd = open(file, O_RDONLY);
	ASSERT_LE(0, dfd);
	while (read(dfd, text, sizeof(text)) > 0)
		;
	close(dfd);
}

TEST_F_TIMEOUT(ptw, race_with_mapping_changes, 60)
{
	size_t len = 6 * NCHURN * SZ_2M;
	char *base = mmap_aligned(len, SZ_2M, 0);
	struct churn c[NCHURN];
	pthread_t t[NCHURN];
	struct timespec start, now;
	unsigned int seed = 1, n = 0, i;
	volatile int stop = 0;

	ASSERT_NE(NULL, base);
	madvise(base, len, MADV_HUGEPAGE);
	ASSERT_LT(0, write_target(getpid()));
	for (i = 0; i < NCHURN; i++) {
		c[i] = (struct churn){ .base = base, .len = len, .id = i, .stop = &stop };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, churn_fn, &c[i]));
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		uint64_t va[64];
		struct ptwalk_xlate x[64];
		unsigned int done;

		for (i = 0; i < 64; i++)
			va[i] = (uintptr_t)base + rand_r(&seed) % len;
		ASSERT_EQ(0, ptw_xlate_many(self->fd, getpid(), va, 64, x, &done));
		for (i = 0; i < 64; i++) {
			ASSERT_EQ(0, x[i].error);
			ASSERT_TRUE(x[i].kind == PTWALK_KIND_NONE ||
				    x[i].kind == PTWALK_KIND_NORMAL ||
				    x[i].kind == PTWALK_KIND_THP ||
				    x[i].kind == PTWALK_KIND_ZERO ||
				    x[i].kind == PTWALK_KIND_MIGRATION ||
				    x[i].kind == PTWALK_KIND_UNMAPPED) {
				TH_LOG("kind %d", x[i].kind);
			}
			if (x[i].present) {
				ASSERT_TRUE(x[i].page_size == SZ_4K || x[i].page_size == SZ_2M);
			}
		}
		n += 64;
		{
			static struct ptwalk_record r[512];
			int k, got = walk(self->fd, getpid(), (uintptr_t)base,
					  (uintptr_t)base + len, n & 64 ? PTWALK_WALK_EXTENTS :
					  PTWALK_WALK_RECORDS, 0, 0, r, 512, NULL);

			ASSERT_LE(0, got);
			for (k = 0; k < got; k++) {
				ASSERT_TRUE(r[k].va >= (uintptr_t)base &&
					    r[k].va + r[k].length <= (uintptr_t)base + len);
			}
			race_maps_and_dump(_metadata, self->fd, base, len, r, n);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - start.tv_sec < 4);
	stop = 1;
	for (i = 0; i < NCHURN; i++)
		pthread_join(t[i], NULL);
	TH_LOG("%u translations, with walks, MAPS and debugfs reads, raced against mmap/munmap/mprotect/DONTNEED/COLLAPSE", n);
}

TEST_HARNESS_MAIN
