// SPDX-License-Identifier: GPL-2.0
/*
 * Whole-process views: per-VMA statistics (MAPS), the page-table dump
 * (WALK ranges) and the debugfs maps/pagetable files.  The target is a
 * child frozen on a pipe after the test built its mappings, so the module
 * and the oracles (/proc/PID/smaps, pagemap, kpageflags, status) see the
 * same address space.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "oracle.h"

#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB	(21 << 26)
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

#define MAX_VMAS	256
#define CAT(x)		(1ULL << PTWALK_CAT_##x)
#define DEBUGFS		"/sys/kernel/debug/ptwalk/"

/* The mappings each test builds before freezing the child. */
struct layout {
	char *small;		/* 64 of 128 4K pages written, THP off */
	char *thp;		/* 4M, MADV_HUGEPAGE, written */
	char *zero;		/* 16 4K pages read, never written */
	char *swapped;		/* 32 pages written, then paged out */
	char *hugetlb;		/* 2 x 2M hugetlb, written; NULL without pages */
	char *file;		/* 8 pages of a tmpfs file, read */
	char *none;		/* 64M PROT_NONE, never touched */
	char *wx;		/* one rwx page, written */
	char *cow;		/* 16 pages written by the parent before the fork */
	char *sliced;		/* 3 GiB, a page written every 256 MiB: walked in slices */
};

static char *map_anon(size_t len, int prot, int flags)
{
	char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void build_layout(struct layout *l, bool with_wx)
{
	size_t i;
	int fd;

	memset(l, 0, sizeof(*l));
	l->small = map_anon(128 * SZ_4K, PROT_READ | PROT_WRITE, 0);
	thp_advise(l->small, 128 * SZ_4K, MADV_NOHUGEPAGE);
	for (i = 0; i < 64; i++)
		l->small[i * SZ_4K] = 1;
	l->thp = mmap_aligned(2 * SZ_2M, SZ_2M, 0);
	madvise(l->thp, 2 * SZ_2M, MADV_HUGEPAGE);
	memset(l->thp, 2, 2 * SZ_2M);
	l->zero = map_anon(16 * SZ_4K, PROT_READ | PROT_WRITE, 0);
	thp_advise(l->zero, 16 * SZ_4K, MADV_NOHUGEPAGE);
	for (i = 0; i < 16; i++)
		(void)*(volatile char *)(l->zero + i * SZ_4K);
	l->swapped = map_anon(32 * SZ_4K, PROT_READ | PROT_WRITE, 0);
	thp_advise(l->swapped, 32 * SZ_4K, MADV_NOHUGEPAGE);
	memset(l->swapped, 3, 32 * SZ_4K);
	madvise(l->swapped, 32 * SZ_4K, MADV_PAGEOUT);
	l->hugetlb = map_anon(2 * SZ_2M, PROT_READ | PROT_WRITE, MAP_HUGETLB | MAP_HUGE_2MB);
	if (l->hugetlb)
		memset(l->hugetlb, 4, 2 * SZ_2M);
	fd = open("/tmp/ptw_maps_file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0 && !ftruncate(fd, 8 * SZ_4K)) {
		l->file = mmap(NULL, 8 * SZ_4K, PROT_READ, MAP_SHARED, fd, 0);
		if (l->file == MAP_FAILED)
			l->file = NULL;
		for (i = 0; l->file && i < 8; i++)
			(void)*(volatile char *)(l->file + i * SZ_4K);
	}
	if (fd >= 0)
		close(fd);
	l->none = map_anon(64 << 20, PROT_NONE, MAP_NORESERVE);
	l->sliced = map_anon(3 * SZ_1G, PROT_READ | PROT_WRITE, MAP_NORESERVE);
	thp_advise(l->sliced, 3 * SZ_1G, MADV_NOHUGEPAGE);
	for (i = 0; l->sliced && i < 12; i++)
		l->sliced[i * (SZ_1G / 4)] = 1;
	if (with_wx) {
		l->wx = map_anon(SZ_4K, PROT_READ | PROT_WRITE | PROT_EXEC, 0);
		if (l->wx)
			l->wx[0] = 1;
	}
}

/* A child holding @l's mappings, blocked until the pipe closes. */
struct frozen {
	pid_t pid;
	int wfd;
};

static int freeze_child(struct frozen *f, bool with_wx, struct layout *l)
{
	int ready[2], hold[2];
	char *cow;
	char c;

	cow = map_anon(16 * SZ_4K, PROT_READ | PROT_WRITE, 0);
	if (!cow || thp_advise(cow, 16 * SZ_4K, MADV_NOHUGEPAGE))
		return -1;
	memset(cow, 5, 16 * SZ_4K);
	if (pipe(ready) || pipe(hold))
		return -1;
	f->pid = fork();
	if (f->pid < 0)
		return -1;
	if (!f->pid) {
		close(ready[0]);
		close(hold[1]);
		build_layout(l, with_wx);
		l->cow = cow;
		if (write(ready[1], l, sizeof(*l)) != sizeof(*l))
			_exit(1);
		(void)read(hold[0], &c, 1);
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	f->wfd = hold[1];
	if (read(ready[0], l, sizeof(*l)) != sizeof(*l))
		return -1;
	close(ready[0]);
	return 0;
}

static void thaw_child(struct frozen *f)
{
	close(f->wfd);
	waitpid(f->pid, NULL, 0);
}

static int maps(int fd, pid_t pid, uint64_t start, struct ptwalk_vma_stats *s,
		unsigned int room, uint64_t *next)
{
	struct ptwalk_maps req = {
		.size = sizeof(req), .pid = pid, .start = start,
		.stats = (uintptr_t)s, .stats_size = sizeof(*s), .count = room,
	};

	if (ioctl(fd, PTWALK_IOC_MAPS, &req))
		return -errno;
	if (next)
		*next = req.next;
	return (int)req.count;
}

/* All VMAs of @pid, in several calls so the cursor is exercised. */
static int all_maps(int fd, pid_t pid, struct ptwalk_vma_stats *s)
{
	uint64_t pos = 0, next = 0;
	int n = 0, got;

	do {
		got = maps(fd, pid, pos, s + n, 7, &next);
		if (got < 0)
			return got;
		n += got;
		pos = next;
	} while (got && n + 7 <= MAX_VMAS);
	return n;
}

static uint64_t resident(const struct ptwalk_vma_stats *s)
{
	return s->resident[PTWALK_PS_4K] + s->resident[PTWALK_PS_2M] +
	       s->resident[PTWALK_PS_1G];
}

static const struct ptwalk_vma_stats *find_stats(const struct ptwalk_vma_stats *s,
						 int n, const void *addr)
{
	int i;

	for (i = 0; addr && i < n; i++)
		if (s[i].vma.start <= (uintptr_t)addr && (uintptr_t)addr < s[i].vma.end)
			return &s[i];
	return NULL;
}

/* ---- oracles: smaps and pagemap of the frozen child ---- */

struct smaps_vma {
	uint64_t start, end;
	uint64_t rss, anon_huge, swap, hugetlb;	/* bytes */
};

static char smaps_buf[1 << 20];

static int read_file(const char *path, char *buf, size_t size)
{
	ssize_t got, n = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((got = read(fd, buf + n, size - 1 - n)) > 0)
		n += got;
	close(fd);
	buf[n] = '\0';
	return (int)n;
}

static int read_smaps(pid_t pid, struct smaps_vma *v, int room)
{
	char path[64], *line, *save = NULL;
	unsigned long long a, b, kb;
	int n = -1;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	if (read_file(path, smaps_buf, sizeof(smaps_buf)) < 0)
		return -1;
	for (line = strtok_r(smaps_buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%llx-%llx ", &a, &b) == 2 && strchr(line, '-') <
		    strchr(line, ' ')) {
			if (++n == room)
				return -1;
			v[n] = (struct smaps_vma){ .start = a, .end = b };
		} else if (n >= 0 && sscanf(line, "Rss: %llu kB", &kb) == 1) {
			v[n].rss = kb << 10;
		} else if (n >= 0 && sscanf(line, "AnonHugePages: %llu kB", &kb) == 1) {
			v[n].anon_huge = kb << 10;
		} else if (n >= 0 && sscanf(line, "Swap: %llu kB", &kb) == 1) {
			v[n].swap = kb << 10;
		} else if (n >= 0 && (sscanf(line, "Private_Hugetlb: %llu kB", &kb) == 1 ||
				      sscanf(line, "Shared_Hugetlb: %llu kB", &kb) == 1)) {
			v[n].hugetlb += kb << 10;
		}
	}
	return n + 1;
}

/* What pagemap and kpageflags say of one VMA, in 4K pages. */
struct pagemap_count {
	uint64_t present, zero, swapped, soft_dirty;
	uint64_t extents, largest;	/* of present, non-zero pages */
};

static void count_pagemap(pid_t pid, uint64_t start, uint64_t end,
			  struct pagemap_count *c)
{
	static uint64_t pm[4096];
	uint64_t va, run = 0, next_pfn = 0, pfn;
	char path[64];
	int fd, i, n;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	for (va = start; va < end; va += (uint64_t)n * SZ_4K) {
		n = (int)((end - va) / SZ_4K < 4096 ? (end - va) / SZ_4K : 4096);
		if (pread(fd, pm, n * 8, (off_t)(va / SZ_4K) * 8) != n * 8)
			break;
		for (i = 0; i < n; i++) {
			c->swapped += !!(pm[i] & PM_SWAP);
			c->soft_dirty += !!(pm[i] & PM_SOFT_DIRTY) &&
					 (pm[i] & (PM_PRESENT | PM_SWAP));
			if (!(pm[i] & PM_PRESENT)) {
				run = 0;
				continue;
			}
			c->present++;
			pfn = pm[i] & PM_PFN_MASK;
			if (kpf(kpageflags(pfn), KPF_ZERO_PAGE)) {
				c->zero++;
				run = 0;
				continue;
			}
			if (!run || pfn != next_pfn)
				c->extents++, run = 0;
			run++;
			next_pfn = pfn + 1;
			if (run > c->largest)
				c->largest = run;
		}
	}
	close(fd);
}

/* pagemap of @va in @pid, read a window of 4096 entries at a time */
static uint64_t pagemap_page(pid_t pid, uint64_t va)
{
	static uint64_t win[4096], base = -1ULL;
	static pid_t win_pid;
	char path[64];
	int fd;

	if (pid != win_pid || va / SZ_4K < base || va / SZ_4K >= base + 4096) {
		memset(win, 0, sizeof(win));
		base = va / SZ_4K;
		win_pid = pid;
		snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
		fd = open(path, O_RDONLY);
		/* a short read (the end of user space) leaves zeros: not present */
		if (fd >= 0) {
			if (pread(fd, win, sizeof(win), (off_t)base * 8) < 0)
				memset(win, 0, sizeof(win));
			close(fd);
		}
	}
	return win[va / SZ_4K - base];
}

static uint64_t vmpte_kb(pid_t pid)
{
	static char buf[8192];
	char path[64], *p;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return 0;
	p = strstr(buf, "VmPTE:");
	return p ? strtoull(p + 6, NULL, 10) : 0;
}

FIXTURE(maps) {
	int fd;
	struct frozen child;
	struct layout l;
	struct ptwalk_vma_stats s[MAX_VMAS];
	int n;
};

FIXTURE_SETUP(maps)
{
	self->fd = ptw_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", PTWALK_DEVICE, strerror(errno));
	ASSERT_EQ(0, freeze_child(&self->child, true, &self->l));
	self->n = all_maps(self->fd, self->child.pid, self->s);
	ASSERT_LT(8, self->n);
}

FIXTURE_TEARDOWN(maps)
{
	thaw_child(&self->child);
	close(self->fd);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	alarms++;
}

/*
 * A caller with a fast timer signal (100 us): MAPS stops between VMAs with EINTR,
 * the VMAs done so far and the cursor, and never in a VMA's walk (that
 * work would be lost and a periodic signal would stop every call before
 * its first VMA).  Resumed at the cursor, it gives what one quiet call
 * gives.  The 3 GiB sliced VMA takes many lock holds.
 */
TEST_F(maps, timer_signals_stop_between_vmas)
{
	static struct ptwalk_vma_stats got[MAX_VMAS];
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval every = { { 0, 100 }, { 0, 100 } }, off = { 0 };
	struct ptwalk_maps req;
	unsigned int eintr = 0, calls = 0, round;
	uint64_t pos = 0;
	int n = 0, i, ret = 0;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &every, NULL));
	/* a fast guest may finish a call between two alarms: try again */
	for (round = 0; round < 50 && !eintr && ret == 0; round++) {
		n = 0;
		pos = 0;
		do {
			req = (struct ptwalk_maps) {
				.size = sizeof(req), .pid = self->child.pid, .start = pos,
				.stats = (uintptr_t)(got + n), .stats_size = sizeof(got[0]),
				.count = MAX_VMAS - n,
			};
			ret = ioctl(self->fd, PTWALK_IOC_MAPS, &req) ? errno : 0;
			calls++;
			if (ret == EINTR) {
				eintr++;
				/* progress: at least the VMA it was in when the signal came */
				if (!req.count)
					break;
			} else if (ret) {
				break;
			}
			n += req.count;
			pos = req.next;
		} while (ret == EINTR && n < MAX_VMAS && calls < 100000);
	}
	setitimer(ITIMER_REAL, &off, NULL);
	signal(SIGALRM, SIG_DFL);
	ASSERT_EQ(0, ret) TH_LOG("call %u: %s with %u VMAs (%u EINTR so far)", calls,
				 strerror(ret), req.count, eintr);
	/* else the test proves nothing: the timer never hit a call */
	ASSERT_LT(0, eintr) TH_LOG("%u alarms in %u calls, none interrupted one", alarms, calls);
	ASSERT_EQ(self->n, n);
	for (i = 0; i < n; i++)
		EXPECT_EQ(0, memcmp(&self->s[i], &got[i], sizeof(got[i])))
			TH_LOG("VMA %d (%llx-%llx) differs after resuming", i,
			       (unsigned long long)got[i].vma.start,
			       (unsigned long long)got[i].vma.end);
	TH_LOG("%u calls, %u stopped by EINTR, %u alarms", calls, eintr, alarms);
}

/* Every VMA: the sizes add up, and smaps and pagemap agree. */
TEST_F(maps, every_vma_matches_smaps_and_pagemap)
{
	static struct smaps_vma sm[MAX_VMAS];
	int nsm = read_smaps(self->child.pid, sm, MAX_VMAS);
	int i, j;

	/* smaps shows the vsyscall page too, which is no VMA of the mm */
	while (nsm > 0 && sm[nsm - 1].start >= (1ULL << 56))
		nsm--;
	ASSERT_EQ(nsm, self->n);
	for (i = 0; i < self->n; i++) {
		const struct ptwalk_vma_stats *s = &self->s[i];
		uint64_t size = s->vma.end - s->vma.start, nodes = s->node_other;
		struct pagemap_count pm;

		EXPECT_EQ(size, resident(s) + s->zero + s->swapped + s->none + s->other)
			TH_LOG("%s", s->vma.name);
		for (j = 0; j < PTWALK_MAX_NODES; j++)
			nodes += s->node[j];
		EXPECT_EQ(resident(s), nodes);
		for (j = 0, nodes = 0; j < PTWALK_NR_FOLIO_ORDERS; j++)
			nodes += s->resident_folio[j];
		EXPECT_EQ(resident(s), nodes) TH_LOG("%s: by folio size", s->vma.name);
		ASSERT_EQ(sm[i].start, s->vma.start);
		ASSERT_EQ(sm[i].end, s->vma.end);
		/* smaps leaves hugetlb out of Rss */
		EXPECT_EQ(sm[i].rss, resident(s) - s->hugetlb) TH_LOG("%s", s->vma.name);
		EXPECT_EQ(sm[i].hugetlb, s->hugetlb);
		EXPECT_EQ(sm[i].swap, s->swapped);
		if (s->vma.flags & VF(ANON)) {
			EXPECT_EQ(sm[i].anon_huge, s->thp * SZ_2M);
		}
		/* pagemap shows PFN maps ([vvar]) present; ptwalk counts them as other */
		if (s->vma.flags & (VF(PFNMAP) | VF(IO)))
			continue;
		count_pagemap(self->child.pid, s->vma.start, s->vma.end, &pm);
		EXPECT_EQ(pm.present * SZ_4K, resident(s) + s->zero) TH_LOG("%s", s->vma.name);
		EXPECT_EQ(pm.zero * SZ_4K, s->zero);
		EXPECT_EQ(pm.swapped * SZ_4K, s->swapped);
		/* pagemap's neither present nor swapped: never faulted (no other kinds here) */
		EXPECT_EQ(size - (pm.present + pm.swapped) * SZ_4K, s->none + s->other)
			TH_LOG("%s", s->vma.name);
		EXPECT_EQ(pm.soft_dirty * SZ_4K, s->soft_dirty);
		EXPECT_EQ(pm.extents, s->extents) TH_LOG("%s", s->vma.name);
		EXPECT_EQ(pm.largest * SZ_4K, s->largest_extent);
		if (s->resident[PTWALK_PS_4K] || s->zero) {
			EXPECT_LE(1, s->tables[PTWALK_LEVEL_PTE]);
		}
		EXPECT_LE(s->tables_first[PTWALK_LEVEL_PTE], s->tables[PTWALK_LEVEL_PTE]);
	}
}

/* The mappings the test built hold exactly what was done to them. */
TEST_F(maps, built_mappings)
{
	const struct layout *l = &self->l;
	const struct ptwalk_vma_stats *s;

	s = find_stats(self->s, self->n, l->small);
	ASSERT_NE(NULL, s);
	/* once 65 pages on the debug lane: which VMA was it? */
	EXPECT_EQ(64 * SZ_4K, s->resident[PTWALK_PS_4K])
		TH_LOG("VMA %#llx-%#llx, the 128 pages mapped at %p",
		       (unsigned long long)s->vma.start, (unsigned long long)s->vma.end, l->small);
	EXPECT_EQ(64 * SZ_4K, s->dirty);
	s = find_stats(self->s, self->n, l->zero);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(16 * SZ_4K, s->zero);
	EXPECT_EQ(16 * SZ_4K, s->write_protected);
	s = find_stats(self->s, self->n, l->none);
	ASSERT_NE(NULL, s);
	EXPECT_EQ((uint64_t)64 << 20, s->none);
	s = find_stats(self->s, self->n, l->file);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(8 * SZ_4K, s->resident[PTWALK_PS_4K]);
	EXPECT_EQ(8 * SZ_4K, s->write_protected);
	s = find_stats(self->s, self->n, l->thp);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(s->thp * SZ_2M, s->resident[PTWALK_PS_2M]);
	EXPECT_EQ(s->thp, s->pte_deposited);
	EXPECT_EQ(s->thp * SZ_2M, s->resident_folio[9]);
	if (s->thp && s->thp * SZ_2M == resident(s)) {
		/* a THP is one extent (two may join one, if contiguous) */
		EXPECT_LE(SZ_2M, s->largest_extent);
		EXPECT_GE(s->thp, s->extents);
	}
	if (!have_thp()) {
		/* no CONFIG_TRANSPARENT_HUGEPAGE: the 4M are 4K pages */
		EXPECT_EQ(0, s->thp);
		EXPECT_EQ(2 * SZ_2M, s->resident[PTWALK_PS_4K]);
	}
	TH_LOG("THP VMA: %llu THPs", (unsigned long long)s->thp);
	s = find_stats(self->s, self->n, l->hugetlb);
	if (s) {
		EXPECT_EQ(2 * SZ_2M, s->hugetlb);
		EXPECT_EQ(2 * SZ_2M, s->resident[PTWALK_PS_2M]);
		EXPECT_EQ(2 * SZ_2M, s->resident_folio[9]);
		EXPECT_EQ(0, s->thp);
	}
	s = find_stats(self->s, self->n, l->sliced);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(12 * SZ_4K, s->resident[PTWALK_PS_4K]);
	EXPECT_LE(12, s->tables[PTWALK_LEVEL_PTE]);
	EXPECT_LE(3, s->tables[PTWALK_LEVEL_PMD]);	/* a PMD table a gigabyte */
	s = find_stats(self->s, self->n, l->cow);
	ASSERT_NE(NULL, s);
	EXPECT_LE(16 * SZ_4K, s->resident[PTWALK_PS_4K]);
	EXPECT_LE(16 * SZ_4K, s->write_protected);	/* shared with the parent */
	s = find_stats(self->s, self->n, l->swapped);
	ASSERT_NE(NULL, s);
	if (have_swap()) {
		EXPECT_LT(16 * SZ_4K, s->swapped);
	}
}

/* Each page table once: the sum over VMAs is what the kernel charges. */
TEST_F(maps, page_tables_match_vmpte)
{
	uint64_t tables = 0, vmpte = vmpte_kb(self->child.pid);
	int i;

	for (i = 0; i < self->n; i++)
		tables += self->s[i].tables_first[PTWALK_LEVEL_PTE] +
			  self->s[i].tables_first[PTWALK_LEVEL_PMD] +
			  self->s[i].tables_first[PTWALK_LEVEL_PUD] +
			  self->s[i].pte_deposited;
	EXPECT_EQ(vmpte, tables * 4);
	TH_LOG("VmPTE %llu kB = %llu tables", (unsigned long long)vmpte,
	       (unsigned long long)tables);
}

/* One call or one VMA per call: the same answers; bad requests fail cleanly. */
TEST_F(maps, cursor_and_bad_requests)
{
	static struct ptwalk_vma_stats one;
	const struct ptwalk_vma_stats *s;
	struct ptwalk_info info;
	struct ptwalk_maps req;
	uint64_t pos = 0, next = 0;
	int i;

	for (i = 0; i < self->n; i++) {
		ASSERT_EQ(1, maps(self->fd, self->child.pid, pos, &one, 1, &next));
		EXPECT_EQ(0, memcmp(&one.vma, &self->s[i].vma, sizeof(one.vma)));
		EXPECT_EQ(resident(&self->s[i]), resident(&one));
		EXPECT_EQ(one.vma.end, next);
		pos = next;
	}
	ASSERT_EQ(0, ptw_info(self->fd, &info));
	ASSERT_EQ(0, maps(self->fd, self->child.pid, pos, &one, 1, &next));
	EXPECT_EQ(info.user_va_end, next);
	/* a start inside a VMA skips it: that is how a grown VMA is not seen twice */
	s = find_stats(self->s, self->n, self->l.small);
	ASSERT_EQ(1, maps(self->fd, self->child.pid, s->vma.start, &one, 1, NULL));
	EXPECT_EQ(s->vma.start, one.vma.start);
	ASSERT_EQ(1, maps(self->fd, self->child.pid, s->vma.start + 1, &one, 1, NULL));
	EXPECT_EQ(s[1].vma.start, one.vma.start);
	EXPECT_EQ(-ESRCH, maps(self->fd, 0x3fffffff, 0, &one, 1, NULL));
	EXPECT_EQ(-EINVAL, maps(self->fd, -1, 0, &one, 1, NULL));
	EXPECT_EQ(-EINVAL, maps(self->fd, self->child.pid, 0, &one, 0, NULL));
	EXPECT_EQ(-EFAULT, maps(self->fd, self->child.pid, 0, (void *)16, 1, NULL));
	req = (struct ptwalk_maps){ .size = sizeof(req), .pid = self->child.pid,
		.stats = (uintptr_t)&one, .stats_size = 16, .count = 1 };
	EXPECT_EQ(-1, ioctl(self->fd, PTWALK_IOC_MAPS, &req));
	EXPECT_EQ(EINVAL, errno);
	req.stats_size = sizeof(one);
	req.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, PTWALK_IOC_MAPS, &req));
	EXPECT_EQ(EINVAL, errno);
}

static int walk_ranges(int fd, pid_t pid, uint64_t start, uint64_t end,
		       struct ptwalk_record *r, unsigned int room, uint64_t *next)
{
	struct ptwalk_walk req = {
		.size = sizeof(req), .pid = pid, .start = start, .end = end,
		.mode = PTWALK_WALK_RANGES, .flags = PTWALK_WALK_HOLES,
		.record_size = sizeof(*r), .records = (uintptr_t)r, .count = room,
	};

	if (ioctl(fd, PTWALK_IOC_WALK, &req))
		return -errno;
	*next = req.next;
	return (int)req.count;
}

/* The dump's ranges tile every VMA exactly; pagemap agrees page by page. */
TEST_F(maps, pagetable_ranges_tile_the_vmas)
{
	static struct ptwalk_record r[8192];
	struct ptwalk_info info;
	uint64_t pos = 0, next, covered = 0, vmas = 0, wx = 0, off, pages = 0;
	int n = 0, got, i, v = 0;

	ASSERT_EQ(0, ptw_info(self->fd, &info));
	do {
		got = walk_ranges(self->fd, self->child.pid, pos, info.user_va_end,
				  r + n, 500, &next);
		ASSERT_LE(0, got);
		n += got;
		pos = next;
		ASSERT_GT(8192 - 500, n);
	} while (pos < info.user_va_end);
	for (i = 0; i < self->n; i++)
		vmas += self->s[i].vma.end - self->s[i].vma.start;
	for (i = 0; i < n; i++) {
		while (v < self->n && self->s[v].vma.end <= r[i].va)
			v++;
		ASSERT_LT(v, self->n);
		ASSERT_LE(self->s[v].vma.start, r[i].va);
		ASSERT_LE(r[i].va + r[i].length, self->s[v].vma.end);
		ASSERT_EQ(self->s[v].vma.start, r[i].vma_start);
		if (i) {
			ASSERT_LE(r[i - 1].va + r[i - 1].length, r[i].va);
		}
		/* a dump line is a maximal run: its neighbour in the VMA differs */
		if (i && r[i - 1].va + r[i - 1].length == r[i].va &&
		    r[i - 1].vma_start == r[i].vma_start) {
			EXPECT_FALSE(r[i - 1].kind == r[i].kind && r[i - 1].level == r[i].level &&
				     r[i - 1].flags == r[i].flags && r[i - 1].cats == r[i].cats)
				TH_LOG("ranges %d and %d at %#llx are alike", i - 1, i,
				       (unsigned long long)r[i].va);
		}
		covered += r[i].length;
		if (r[i].cats & CAT(WX))
			wx += r[i].length;
		/* every page against pagemap (which walks PFN maps as holes) */
		if (self->s[v].vma.flags & (VF(PFNMAP) | VF(IO)))
			continue;
		for (off = 0; off < r[i].length; off += SZ_4K) {
			uint64_t pm = pagemap_page(self->child.pid, r[i].va + off);

			ASSERT_EQ(!!(pm & PM_PRESENT), r[i].present)
				TH_LOG("range %#llx +%#llx", (unsigned long long)r[i].va,
				       (unsigned long long)off);
			ASSERT_EQ(!!(pm & PM_SWAP), r[i].kind == PTWALK_KIND_SWAP)
				TH_LOG("range %#llx +%#llx", (unsigned long long)r[i].va,
				       (unsigned long long)off);
			if (pm & (PM_PRESENT | PM_SWAP)) {
				ASSERT_EQ(!!(pm & PM_SOFT_DIRTY), !!(r[i].cats & CAT(SOFT_DIRTY)))
					TH_LOG("range %#llx +%#llx", (unsigned long long)r[i].va,
					       (unsigned long long)off);
			}
			pages++;
		}
	}
	EXPECT_EQ(vmas, covered);
	EXPECT_EQ(SZ_4K, wx);
	TH_LOG("%d ranges for %d VMAs, %llu pages against pagemap", n, self->n,
	       (unsigned long long)pages);
}

static int walk_all(int fd, pid_t pid, unsigned int mode, struct ptwalk_record *r,
		    int room)
{
	struct ptwalk_info info;
	uint64_t pos = 0;
	int n = 0;

	if (ptw_info(fd, &info))
		return -1;
	while (pos < info.user_va_end) {
		struct ptwalk_walk req = {
			.size = sizeof(req), .pid = pid, .start = pos,
			.end = info.user_va_end, .mode = mode,
			.record_size = sizeof(*r), .records = (uintptr_t)(r + n),
			.count = 300,
		};

		if (n + 300 > room || ioctl(fd, PTWALK_IOC_WALK, &req))
			return -1;
		n += req.count;
		pos = req.next;
	}
	return n;
}

/*
 * Records and extents of every mapping kind the layout has (4K, THP,
 * hugetlb, zero, swapped, file, COW, PROT_NONE), page by page against
 * pagemap, and pagemap's present pages all covered.
 */
TEST_F(maps, walk_matches_pagemap_for_every_kind)
{
	static struct ptwalk_record r[16384];
	const struct ptwalk_vma_stats *vma;
	uint64_t off, covered = 0, pm_present = 0;
	struct pagemap_count pm;
	int mode, n, i;

	for (mode = PTWALK_WALK_RECORDS; mode <= PTWALK_WALK_EXTENTS; mode++) {
		n = walk_all(self->fd, self->child.pid, mode, r, 16384);
		ASSERT_LT(0, n);
		covered = 0;
		for (i = 0; i < n; i++) {
			vma = find_stats(self->s, self->n, (void *)(uintptr_t)r[i].va);
			ASSERT_NE(NULL, vma);
			/* pagemap walks PFN maps ([vvar]) as holes */
			if (vma->vma.flags & (VF(PFNMAP) | VF(IO)))
				continue;
			for (off = 0; off < r[i].length; off += SZ_4K) {
				uint64_t e = pagemap_page(self->child.pid, r[i].va + off);

				ASSERT_EQ(!!(e & PM_PRESENT), r[i].present)
					TH_LOG("%#llx kind %d", (unsigned long long)(r[i].va + off),
					       r[i].kind);
				ASSERT_EQ(!!(e & PM_SWAP), r[i].kind == PTWALK_KIND_SWAP);
				if (r[i].present) {
					ASSERT_EQ(r[i].pfn + off / SZ_4K, e & PM_PFN_MASK);
				}
			}
			if (r[i].present)
				covered += r[i].length;
		}
		pm_present = 0;
		for (i = 0; i < self->n; i++) {
			if (self->s[i].vma.flags & (VF(PFNMAP) | VF(IO)))
				continue;
			count_pagemap(self->child.pid, self->s[i].vma.start,
				      self->s[i].vma.end, &pm);
			pm_present += pm.present * SZ_4K;
		}
		EXPECT_EQ(pm_present, covered) TH_LOG("mode %d", mode);
		TH_LOG("mode %d: %d records", mode, n);
	}
}

static int read_debugfs(const char *file, pid_t pid, char *buf, size_t size,
			size_t chunk)
{
	char path[128], spid[16];
	ssize_t got, n = 0;
	int fd;

	snprintf(path, sizeof(path), DEBUGFS "target");
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	snprintf(spid, sizeof(spid), "%d", pid);
	if (write(fd, spid, strlen(spid)) < 0) {
		close(fd);
		return -errno;
	}
	close(fd);
	snprintf(path, sizeof(path), DEBUGFS "%s", file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	while ((size_t)n < size - 1 &&
	       (got = read(fd, buf + n, chunk < size - 1 - n ? chunk : size - 1 - n)) > 0)
		n += got;
	close(fd);
	buf[n] = '\0';
	return got < 0 ? -errno : (int)n;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static char big[1 << 20], small[1 << 20];

/* debugfs maps: a line per VMA and a total, the same in any read size. */
TEST_F(maps, debugfs_maps)
{
	int n = read_debugfs("maps", self->child.pid, big, sizeof(big), 1 << 20);

	ASSERT_LT(0, n);
	/* two header lines, the VMAs, the total and the page-table line */
	EXPECT_EQ(self->n + 4, count_lines(big)) TH_LOG("%s", big);
	EXPECT_NE(NULL, strstr(big, "\ntotal "));
	EXPECT_NE(NULL, strstr(big, "\npage tables: pte "));
	ASSERT_EQ(n, read_debugfs("maps", self->child.pid, small, sizeof(small), 37));
	EXPECT_EQ(0, strcmp(big, small));
}

/* debugfs pagetable: the W+X audit finds the one rwx page, in any read size. */
TEST_F(maps, debugfs_pagetable_wx_audit)
{
	int n = read_debugfs("pagetable", self->child.pid, big, sizeof(big), 1 << 20);
	char *last;

	ASSERT_LT(0, n);
	big[n - 1] = '\0';
	last = strrchr(big, '\n');
	ASSERT_NE(NULL, last);
	EXPECT_STREQ("\nChecked W+X mappings: FAILED, 1 W+X pages", last);
	EXPECT_NE(NULL, strstr(big, " W+X  "));
	ASSERT_EQ(n, read_debugfs("pagetable", self->child.pid, small, sizeof(small), 61));
	small[n - 1] = '\0';
	EXPECT_EQ(0, strcmp(big, small));
}

/* A process without W+X mappings passes the audit. */
TEST(pagetable_wx_audit_passes)
{
	struct frozen child;
	struct layout l;
	int n;

	ASSERT_EQ(0, freeze_child(&child, false, &l));
	n = read_debugfs("pagetable", child.pid, big, sizeof(big), 4096);
	thaw_child(&child);
	ASSERT_LT(0, n);
	EXPECT_NE(NULL, strstr(big, "\nChecked W+X mappings: passed, 0 W+X pages\n"));
	EXPECT_EQ(NULL, strstr(big, " W+X  "));
}

/*
 * What debugfs gives a reader that is not root: nobody opens no ptwalk
 * file (the mount is root's, the files 0400/0600: EACCES), and files root
 * opened, read after dropping to nobody, refuse another process (EPERM:
 * the policy asks whoever reads now, not only whoever opened).
 */
TEST(debugfs_as_nobody)
{
	static const char *const files[] = { "target", "translate", "zones", "vmstat",
					     "faults", "maps", "pagetable", "memory" };
	char spid[16], req[64], buf[4096];
	int fd, mfd, xfd, st, code, n, got;
	struct frozen child;
	struct layout l;
	unsigned int i;
	pid_t pid;

	ASSERT_EQ(0, freeze_child(&child, false, &l));
	snprintf(spid, sizeof(spid), "%d", child.pid);
	fd = open(DEBUGFS "target", O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(spid), write(fd, spid, strlen(spid)));
	close(fd);
	mfd = open(DEBUGFS "maps", O_RDONLY);
	ASSERT_LE(0, mfd);
	xfd = open(DEBUGFS "translate", O_RDWR);
	ASSERT_LE(0, xfd);
	snprintf(req, sizeof(req), "%d %lx", child.pid, (unsigned long)l.small);
	ASSERT_EQ((ssize_t)strlen(req), write(xfd, req, strlen(req)));
	/* root reads them (the same fds, a fresh open for maps) */
	ASSERT_LT(0, read(xfd, buf, sizeof(buf)));
	ASSERT_LT(0, read_debugfs("maps", child.pid, buf, sizeof(buf), sizeof(buf)));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		code = 0;
		if (setgid(65534) || setuid(65534))
			_exit(100);
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			char path[128];

			snprintf(path, sizeof(path), DEBUGFS "%s", files[i]);
			errno = 0;
			fd = open(path, O_RDONLY);
			if (fd >= 0 || errno != EACCES) {
				fprintf(stderr, "# nobody opened %s: fd %d errno %d\n", path, fd,
					errno);
				code |= 1;
			}
		}
		/* maps: its two header lines, then EPERM where the first VMA would be */
		n = 0;
		while ((got = read(mfd, buf + n, sizeof(buf) - 1 - n)) > 0)
			n += got;
		buf[n] = 0;
		if (got == 0 || errno != EPERM || count_lines(buf) != 2 ||
		    strncmp(buf, "# ", 2) || !strstr(buf, "\nSTART-END ")) {
			fprintf(stderr, "# nobody read root's maps fd: errno %d, got:\n%s\n", errno,
				buf);
			code |= 2;
		}
		errno = 0;
		if (lseek(xfd, 0, SEEK_SET) || read(xfd, buf, sizeof(buf)) >= 0 || errno != EPERM) {
			fprintf(stderr, "# nobody read root's translate fd: errno %d\n", errno);
			code |= 4;
		}
		_exit(code);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	close(mfd);
	close(xfd);
	thaw_child(&child);
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st)) TH_LOG("1: nobody opened a file, 2: read maps, 4: translate");
}

/*
 * Resident bytes by folio size with 64K multi-size THP on (6.8+): a VMA
 * of 64K folios mapped by PTEs, against the folio sizes kpageflags gives
 * (compound head and tails) for every page pagemap shows present.
 */
TEST(resident_by_folio_size_mthp)
{
	const size_t len = 16 * 64 * 1024;	/* 1M: no PMD fits */
	uint64_t want[PTWALK_NR_FOLIO_ORDERS] = { 0 }, va, pm, n;
	struct ptwalk_vma_stats s;
	int fd = ptw_open(), o;
	char old[32];
	char *p;

	ASSERT_LE(0, fd);
	sysfs_choice(MTHP_64K, old, sizeof(old));
	if (!old[0])
		SKIP(return, "no multi-size THP (kernel before 6.8, or without THP)");
	ASSERT_EQ(0, sysfs_write(MTHP_64K, "always"));
	/* MAP_NORESERVE: a VMA of its own, merged with no other */
	p = mmap_aligned(len, 64 * 1024, MAP_NORESERVE);
	ASSERT_NE(NULL, p);
	memset(p, 9, len);
	sysfs_write(MTHP_64K, old);
	ASSERT_EQ(1, maps(fd, getpid(), (uintptr_t)p, &s, 1, NULL));
	ASSERT_EQ((uintptr_t)p, s.vma.start) TH_LOG("VMA %#llx-%#llx",
		(unsigned long long)s.vma.start, (unsigned long long)s.vma.end);
	for (va = s.vma.start; va < s.vma.end; va += SZ_4K) {
		pm = pagemap_entry(getpid(), va);
		if (!(pm & PM_PRESENT))
			continue;
		n = folio_pages(pm & PM_PFN_MASK);
		for (o = 0; o < PTWALK_NR_FOLIO_ORDERS - 1 && (1ULL << o) < n; o++)
			;
		want[o] += SZ_4K;
	}
	for (o = 0; o < PTWALK_NR_FOLIO_ORDERS; o++)
		EXPECT_EQ(want[o], s.resident_folio[o]) TH_LOG("order %d", o);
	EXPECT_LT(0, want[4]) TH_LOG("no 64K folio at all: mTHP was not used");
	TH_LOG("64K folios %llu KiB, 4K pages %llu KiB", (unsigned long long)want[4] / 1024,
	       (unsigned long long)want[0] / 1024);
	munmap(p, len);
	close(fd);
}

TEST_HARNESS_MAIN
