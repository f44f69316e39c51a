// SPDX-License-Identifier: GPL-2.0
/*
 * ZONE_DEVICE memory through fsdax: a file on an ext4 file system mounted
 * with -o dax on pmem (scripts/dax-check.sh boots a guest with a legacy
 * e820 pmem region for it).  Written blocks are pmem pages: kind devmap at
 * whatever level DAX mapped them, on kernels with the devmap bit (6.x) and
 * without it (7.3).  Holes read as the zero page: the huge zero page under
 * a PMD, the 4K one under a PTE, never devmap, THP or PFN map.  Against
 * pagemap (present, PFN) and kpageflags (zero page).  In a private mapping
 * a write gets an anonymous copy (dax_fault_cow_page): a normal page in
 * the DAX VMA, beside the devmap and zero pages not written.  Skips
 * without the mount (DAX_DIR, default /mnt/dax).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "oracle.h"

#define FILE_SIZE	(8 * SZ_2M)
#define DATA_SIZE	(4 * SZ_2M)	/* written; the rest is a hole */

static const char *dax_dir(void)
{
	const char *d = getenv("DAX_DIR");

	return d ? d : "/mnt/dax";
}

/* the file system at @dir is mounted with the dax option */
static bool dax_mounted(const char *dir)
{
	char line[512], mnt[256], opts[256];
	bool dax = false;
	FILE *f = fopen("/proc/mounts", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %255s %*s %255s", mnt, opts) == 2 &&
		    !strcmp(mnt, dir) && strstr(opts, "dax"))
			dax = true;
	fclose(f);
	return dax;
}

/* @len bytes of the file at @off, @share, at an address aligned to @align plus @shift */
static char *map_file_as(int fd, size_t len, off_t off, size_t align, size_t shift, int share)
{
	char *r = mmap(NULL, len + align + shift, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p;

	if (r == MAP_FAILED)
		return NULL;
	p = (char *)(((uintptr_t)r + align - 1) & ~(align - 1)) + shift;
	if (mmap(p, len, PROT_READ | PROT_WRITE, share | MAP_FIXED, fd, off) == MAP_FAILED)
		return NULL;
	return p;
}

static char *map_file(int fd, size_t len, off_t off, size_t align, size_t shift)
{
	return map_file_as(fd, len, off, align, shift, MAP_SHARED);
}

FIXTURE(dax) {
	int ptw, fd;
	char path[300];
	struct ptwalk_xlate x;
};

FIXTURE_SETUP(dax)
{
	static char buf[SZ_2M];
	size_t done;

	self->ptw = -1;
	self->fd = -1;
	if (!dax_mounted(dax_dir()))
		SKIP(return, "%s is not a file system mounted with -o dax", dax_dir());
	self->ptw = ptw_open();
	ASSERT_LE(0, self->ptw);
	snprintf(self->path, sizeof(self->path), "%s/dax_test.%d", dax_dir(), getpid());
	self->fd = open(self->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, self->fd);
	memset(buf, 0x5a, sizeof(buf));
	for (done = 0; done < DATA_SIZE; done += sizeof(buf))
		ASSERT_EQ((ssize_t)sizeof(buf), write(self->fd, buf, sizeof(buf)));
	ASSERT_EQ(0, ftruncate(self->fd, FILE_SIZE));
	ASSERT_EQ(0, fsync(self->fd));
}

FIXTURE_TEARDOWN(dax)
{
	if (self->fd >= 0) {
		close(self->fd);
		unlink(self->path);
	}
	if (self->ptw >= 0)
		close(self->ptw);
}

/* translate @va and check it against pagemap */
static void xlate(struct __test_metadata *_metadata, int ptw, char *va,
		  struct ptwalk_xlate *x)
{
	uint64_t pm = pagemap_entry(getpid(), (uintptr_t)va);

	ASSERT_EQ(0, ptw_xlate(ptw, getpid(), (uintptr_t)va, x));
	ASSERT_EQ(0, x->error);
	ASSERT_TRUE(x->present) TH_LOG("%p not present", va);
	EXPECT_TRUE(pm & PM_PRESENT);
	EXPECT_EQ(pm & PM_PFN_MASK, x->pfn);
}

/*
 * The written blocks, one write fault each 4K: pmem pages, devmap at PMD
 * or PTE level, never normal, THP or PFN map.
 */
TEST_F(dax, data_is_devmap)
{
	char *p = map_file(self->fd, DATA_SIZE, 0, SZ_2M, 0);
	int i, pmd = 0, pte = 0;

	ASSERT_NE(NULL, p);
	for (i = 0; i < (int)(DATA_SIZE / SZ_4K); i++)
		p[i * SZ_4K] = 1;
	for (i = 0; i < (int)(DATA_SIZE / SZ_4K); i++) {
		xlate(_metadata, self->ptw, p + i * SZ_4K, &self->x);
		EXPECT_EQ(PTWALK_KIND_DEVMAP, self->x.kind)
			TH_LOG("page %d: kind %u level %u", i, self->x.kind, self->x.leaf_level);
		EXPECT_FALSE(kpf(kpageflags(self->x.pfn), KPF_ZERO_PAGE));
		pmd += self->x.leaf_level == PTWALK_LEVEL_PMD;
		pte += self->x.leaf_level == PTWALK_LEVEL_PTE;
	}
	TH_LOG("%d pages under PMD leaves, %d under PTEs", pmd, pte);
	munmap(p, DATA_SIZE);
}

/*
 * Holes, read: with the mapping 2M-aligned to the file, fsdax maps the huge
 * zero page by a PMD; 4K off that alignment (the address 4K past a 2M
 * boundary, the file offset on one) it can only map the 4K zero
 * page.  Two holes, as a PTE fault in a hole under a huge zero PMD unmaps
 * the PMD (the DAX entry is downgraded).
 */
TEST_F(dax, holes_are_zero)
{
	size_t hole = (FILE_SIZE - DATA_SIZE) / 2;
	char *p = map_file(self->fd, hole, DATA_SIZE, SZ_2M, 0);
	char *q = map_file(self->fd, hole - SZ_4K, DATA_SIZE + hole, SZ_2M, SZ_4K);
	volatile char c;
	int i, pmd = 0, pte = 0;

	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, q);
	for (i = 0; i < (int)(hole / SZ_4K); i++)
		c = p[i * SZ_4K];
	for (i = 0; i < (int)(hole / SZ_4K) - 1; i++)
		c = q[i * SZ_4K];
	(void)c;
	for (i = 0; i < (int)(hole / SZ_4K); i++) {
		xlate(_metadata, self->ptw, p + i * SZ_4K, &self->x);
		EXPECT_EQ(PTWALK_KIND_ZERO, self->x.kind)
			TH_LOG("aligned page %d: kind %u level %u", i, self->x.kind,
			       self->x.leaf_level);
		EXPECT_TRUE(self->x.page.flags & PF(ZERO));
		EXPECT_TRUE(kpf(kpageflags(self->x.pfn), KPF_ZERO_PAGE));
		pmd += self->x.leaf_level == PTWALK_LEVEL_PMD;
	}
	for (i = 0; i < (int)(hole / SZ_4K) - 1; i++) {
		xlate(_metadata, self->ptw, q + i * SZ_4K, &self->x);
		EXPECT_EQ(PTWALK_KIND_ZERO, self->x.kind)
			TH_LOG("shifted page %d: kind %u level %u", i, self->x.kind,
			       self->x.leaf_level);
		EXPECT_EQ(PTWALK_LEVEL_PTE, self->x.leaf_level);
		EXPECT_TRUE(kpf(kpageflags(self->x.pfn), KPF_ZERO_PAGE));
		pte += self->x.leaf_level == PTWALK_LEVEL_PTE;
	}
	/* the huge zero page is what this test is for: it must have been used */
	EXPECT_LT(0, pmd);
	TH_LOG("holes: %d pages under huge zero PMDs, %d under 4K zero PTEs", pmd, pte);
	munmap(p, hole);
	munmap(q, hole - SZ_4K);
}

/*
 * A private mapping of data and hole, 2M-aligned: every third page of the
 * data's first 2M and of the hole's first 2M written before anything is
 * read (so those 2M are PTE-mapped: DAX takes no PMD write fault in a
 * private mapping), then everything read.  The written pages are
 * anonymous copies: normal, with their page, anon by pagemap and
 * kpageflags, in no device zone.  The rest stay pmem pages (devmap) and
 * zero pages (the 4K one beside written pages, the huge one or the 4K one
 * in the second 2M of hole).
 */
TEST_F(dax, private_cow_is_normal)
{
	const size_t len = DATA_SIZE + SZ_2M * 2;
	char *p = map_file_as(self->fd, len, 0, SZ_2M, 0, MAP_PRIVATE);
	char *hole = p + DATA_SIZE;
	int i, n = (int)(len / SZ_4K), cow = 0, devmap = 0, zero = 0;
	volatile char c;

	ASSERT_NE(NULL, p);
	for (i = 0; i < (int)(SZ_2M / SZ_4K); i += 3) {
		p[i * SZ_4K] = 1;
		hole[i * SZ_4K] = 1;
	}
	for (i = 0; i < n; i++)
		c = p[i * SZ_4K];
	(void)c;
	for (i = 0; i < n; i++) {
		char *va = p + i * SZ_4K;
		bool in_hole = va >= hole;
		size_t j = (size_t)(va - (in_hole ? hole : p)) / SZ_4K;
		bool written = j < SZ_2M / SZ_4K && j % 3 == 0;
		uint64_t pm, kf;

		xlate(_metadata, self->ptw, va, &self->x);
		pm = pagemap_entry(getpid(), (uintptr_t)va);
		kf = kpageflags(self->x.pfn);
		if (written) {
			EXPECT_EQ(PTWALK_KIND_NORMAL, self->x.kind)
				TH_LOG("written page %d: kind %u level %u", i, self->x.kind,
				       self->x.leaf_level);
			EXPECT_EQ(PTWALK_LEVEL_PTE, self->x.leaf_level);
			ASSERT_TRUE(self->x.valid & PTWALK_XV_PAGE) TH_LOG("page %d", i);
			EXPECT_TRUE(self->x.page.flags & PF(ANON));
			EXPECT_TRUE(kpf(kf, KPF_ANON));
			EXPECT_FALSE(pm & PM_FILE);
			EXPECT_STRNE("Device", self->x.page.zone);
			cow += self->x.kind == PTWALK_KIND_NORMAL;
		} else if (!in_hole) {
			EXPECT_EQ(PTWALK_KIND_DEVMAP, self->x.kind)
				TH_LOG("data page %d: kind %u level %u", i, self->x.kind,
				       self->x.leaf_level);
			EXPECT_FALSE(kpf(kf, KPF_ANON));
			EXPECT_FALSE(kpf(kf, KPF_ZERO_PAGE));
			devmap += self->x.kind == PTWALK_KIND_DEVMAP;
		} else {
			EXPECT_EQ(PTWALK_KIND_ZERO, self->x.kind)
				TH_LOG("hole page %d: kind %u level %u", i, self->x.kind,
				       self->x.leaf_level);
			EXPECT_TRUE(kpf(kf, KPF_ZERO_PAGE));
			zero += self->x.kind == PTWALK_KIND_ZERO;
		}
	}
	TH_LOG("private: %d anonymous copies, %d devmap, %d zero pages", cow, devmap, zero);
	munmap(p, len);
}

TEST_HARNESS_MAIN
