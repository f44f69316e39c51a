// SPDX-License-Identifier: GPL-2.0
/*
 * What a walk does to its target and what it shows of a target that goes
 * away:
 *  - the mmap lock is held in short stretches, however much a walk scans
 *    without producing anything: another thread of the target, mapping and
 *    unmapping a page in a loop, never waits for more than a small part
 *    of the walk, and the answers still equal pagemap's;
 *  - a debugfs maps/pagetable file stays with the process it was opened
 *    for: when that process exits and a new one gets its pid number (made
 *    so with ns_last_pid in a pid namespace of our own), the listing ends,
 *    saying so, and shows nothing of the new one;
 *  - a process killed mid-walk ends the walk early and cleanly: the
 *    records so far (checked against a pagemap snapshot), then ESRCH.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "oracle.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif

#define CAT(x)		(1ULL << PTWALK_CAT_##x)
#define DEBUGFS		"/sys/kernel/debug/ptwalk/"
#define BIG		SZ_1G			/* 262144 4K pages */
#define NPAGES		(BIG / SZ_4K)
/*
 * A walk may keep the other thread waiting for this part of itself at
 * most, in the best of its runs: a hold too long shows in every run, a
 * host descheduling the vCPU only in some (a median of 0.52 came from
 * that, the walk's own holds being a 64th of it).  One hold per walk
 * measured 0.82-1.00; the bounded holds 0.01-0.15, and up to 0.25 on a
 * host stalling vCPUs for half a second: a half sits between.
 */
#define MAX_WAIT_PART	2

/* Shared with the target: where its region is, and what its churn thread saw. */
struct target {
	uint64_t region;
	int ready;
	int churn;		/* the churn thread runs */
	int stop;
	uint64_t max_ns;	/* longest mmap + munmap since the last reset */
	uint64_t iters;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Map and unmap a page, again and again: each takes the mmap lock for
 * write, so each waits for whatever read hold is in progress.  PROT_READ:
 * the page never merges with the region's VMA.
 */
static void *churn(void *arg)
{
	struct target *t = arg;

	while (!__atomic_load_n(&t->stop, __ATOMIC_RELAXED)) {
		uint64_t t0 = now_ns(), lat, max;
		void *p = mmap(NULL, SZ_4K, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED)
			munmap(p, SZ_4K);
		lat = now_ns() - t0;
		max = __atomic_load_n(&t->max_ns, __ATOMIC_RELAXED);
		while (lat > max &&
		       !__atomic_compare_exchange_n(&t->max_ns, &max, lat, false,
						    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			;
		__atomic_add_fetch(&t->iters, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* A child with @len bytes of written 4K pages (and a churn thread if asked). */
static pid_t start_target(struct target *t, size_t len, bool with_churn)
{
	pthread_t thread;
	pid_t pid;
	char *p;

	memset(t, 0, sizeof(*t));
	pid = fork();
	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	p = mmap_aligned(len, SZ_1G, MAP_NORESERVE);
	if (!p || thp_advise(p, len, MADV_NOHUGEPAGE) ||
	    madvise(p, len, MADV_POPULATE_WRITE))
		_exit(1);
	t->region = (uintptr_t)p;
	if (with_churn && pthread_create(&thread, NULL, churn, t))
		_exit(1);
	t->churn = with_churn;
	__atomic_store_n(&t->ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&t->stop, __ATOMIC_RELAXED))
		usleep(10000);
	_exit(0);
}

static int wait_ready(struct target *t, pid_t pid)
{
	int status;

	while (!__atomic_load_n(&t->ready, __ATOMIC_ACQUIRE)) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return -1;
		usleep(10000);
	}
	return 0;
}

static void stop_target(struct target *t, pid_t pid)
{
	__atomic_store_n(&t->stop, 1, __ATOMIC_RELAXED);
	waitpid(pid, NULL, 0);
}

/* Wait until @n more mmap+munmap are done (and their waits recorded). */
static void churn_wait(struct target *t, uint64_t n)
{
	uint64_t i0 = __atomic_load_n(&t->iters, __ATOMIC_ACQUIRE);

	while (__atomic_load_n(&t->iters, __ATOMIC_ACQUIRE) < i0 + n)
		usleep(100);
}

/* Forget the longest wait so far, once no iteration of before is in flight. */
static void churn_reset(struct target *t)
{
	__atomic_store_n(&t->max_ns, 0, __ATOMIC_RELAXED);
	churn_wait(t, 2);
	__atomic_store_n(&t->max_ns, 0, __ATOMIC_RELAXED);
}

static int walk(int fd, pid_t pid, uintptr_t start, uintptr_t end, unsigned int mode,
		uint64_t all, struct ptwalk_record *r, unsigned int room, uint64_t *next)
{
	struct ptwalk_walk req = {
		.size = sizeof(req), .pid = pid, .start = start, .end = end, .mode = mode,
		.record_size = sizeof(*r), .records = (uintptr_t)r, .count = room,
		.match_all = all,
	};

	if (ioctl(fd, PTWALK_IOC_WALK, &req))
		return -errno;
	*next = req.next;
	return (int)req.count;
}

static int set_target(pid_t pid)
{
	char spid[16];
	int fd = open(DEBUGFS "target", O_WRONLY), n;

	if (fd < 0)
		return -errno;
	n = snprintf(spid, sizeof(spid), "%d", pid);
	n = write(fd, spid, n) == n ? 0 : -errno;
	close(fd);
	return n;
}

/* The rest of @fd into @buf (NUL-terminated); bytes read or -errno. */
static ssize_t read_rest(int fd, char *buf, size_t size, size_t chunk)
{
	ssize_t got = 0, n = 0;

	while ((size_t)n < size - 1 &&
	       (got = read(fd, buf + n, chunk < size - 1 - n ? chunk : size - 1 - n)) > 0)
		n += got;
	buf[n] = '\0';
	return got < 0 ? -errno : n;
}

static ssize_t read_debugfs(const char *file, char *buf, size_t size)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), DEBUGFS "%s", file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read_rest(fd, buf, size, 1 << 16);
	close(fd);
	return n;
}

FIXTURE(hold) {
	int fd;
	struct target *t;
	pid_t pid;
	size_t len;
};

FIXTURE_SETUP(hold)
{
	self->fd = ptw_open();
	ASSERT_LE(0, self->fd);
	self->t = mmap(NULL, sizeof(*self->t), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->t);
	self->pid = 0;
}

FIXTURE_TEARDOWN(hold)
{
	if (self->pid > 0)
		stop_target(self->t, self->pid);
	close(self->fd);
}

/*
 * A walk while the churn thread runs, RUNS times: how long each took and
 * the longest the thread waited meanwhile.  Under one hold for the whole
 * walk the thread waits for nearly all of it; bounded holds keep the wait
 * a small part.  The lowest part of the runs is judged: a vCPU the host
 * stalls (TCG, a busy machine) inflates some runs' waits, never all.
 * What the thread waits with no walk at all, as long again right after,
 * is the machine's share, not the walk's: taken off before judging.
 */
#define RUNS	7
#define MIN_JUDGED_MS	20

struct op {
	const char *what;
	int (*call)(struct __test_metadata *_metadata, void *self, bool check);
	bool unjudged;	/* holds short already before: checked against pagemap, timed only */
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double timed_runs(struct __test_metadata *_metadata, struct target *t,
			 void *self, const struct op *op, unsigned int runs, double *median_ms)
{
	double part[RUNS], dur_ms[RUNS], wait_ms[RUNS], alone_ms[RUNS];
	unsigned int i;

	for (i = 0; i < runs; i++) {
		uint64_t t0, dur, wait, alone;
		struct timespec ts;

		churn_reset(t);
		t0 = now_ns();
		if (op->call(_metadata, self, i == 0))
			return -1;
		dur = now_ns() - t0;
		/* the mmap blocked by the walk, if any, ends after it: count it */
		churn_wait(t, 1);
		wait = __atomic_load_n(&t->max_ns, __ATOMIC_RELAXED);
		/*
		 * Too long a wait: the same thread as long again with no walk.
		 * Its longest mmap then is the machine's (a host that
		 * deschedules the vCPU for tens of ms when other guests run),
		 * not the walk's.  (Only then: it doubles a run's time.)
		 */
		alone = 0;
		if (wait * MAX_WAIT_PART >= dur) {
			churn_reset(t);
			ts.tv_sec = dur / 1000000000;
			ts.tv_nsec = dur % 1000000000;
			nanosleep(&ts, NULL);
			churn_wait(t, 1);
			alone = __atomic_load_n(&t->max_ns, __ATOMIC_RELAXED);
		}
		part[i] = wait > alone ? (double)(wait - alone) / dur : 0;
		dur_ms[i] = dur / 1e6;
		wait_ms[i] = wait / 1e6;
		alone_ms[i] = alone / 1e6;
	}
	qsort(part, runs, sizeof(part[0]), cmp_double);
	qsort(dur_ms, runs, sizeof(dur_ms[0]), cmp_double);
	qsort(wait_ms, runs, sizeof(wait_ms[0]), cmp_double);
	qsort(alone_ms, runs, sizeof(alone_ms[0]), cmp_double);
	TH_LOG("%-18s %u runs: walk %.1f..%.1f ms, the other thread waited %.2f..%.2f ms at most (%.2f..%.2f with no walk, where measured), parts %.3f..%.3f",
	       op->what, runs, dur_ms[0], dur_ms[runs - 1], wait_ms[0], wait_ms[runs - 1],
	       alone_ms[0], alone_ms[runs - 1], part[0], part[runs - 1]);
	*median_ms = dur_ms[runs / 2];
	return part[0];
}

static struct ptwalk_record rec[1 << 16];
static uint64_t pm[NPAGES];
static char text[1 << 20];

#define HOLD_SELF	FIXTURE_DATA(hold)
#define R0(self)	((uintptr_t)(self)->t->region)

/* page-table ranges: all present, tiling the region, as pagemap says */
static int op_ranges(struct __test_metadata *_metadata, void *v, bool check)
{
	HOLD_SELF *self = v;
	uint64_t next = 0, i, va;
	int n = walk(self->fd, self->pid, R0(self), R0(self) + self->len,
		     PTWALK_WALK_RANGES, 0, rec, 1 << 16, &next);

	EXPECT_LT(0, n);
	EXPECT_EQ(R0(self) + self->len, next);
	if (n <= 0 || !check)
		return n <= 0;
	EXPECT_EQ(0, pagemap_entries(self->pid, R0(self), self->len / SZ_4K, pm));
	for (i = 0; i < self->len / SZ_4K; i++)
		EXPECT_TRUE(pm[i] & PM_PRESENT) TH_LOG("page %" PRIu64, i);
	for (i = 0, va = R0(self); i < (uint64_t)n; va += rec[i].length, i++) {
		EXPECT_EQ(va, rec[i].va);
		EXPECT_TRUE(rec[i].present);
		EXPECT_EQ(PTWALK_KIND_NORMAL, rec[i].kind);
	}
	EXPECT_EQ(R0(self) + self->len, va);
	return 0;
}

/* swapped pages only: none here, as pagemap says; the walk reads every page */
static int op_swapped(struct __test_metadata *_metadata, void *v, bool check)
{
	HOLD_SELF *self = v;
	uint64_t next = 0, i, swapped = 0;
	int n = walk(self->fd, self->pid, R0(self), R0(self) + self->len,
		     PTWALK_WALK_RECORDS, CAT(SWAPPED), rec, 1 << 16, &next);

	EXPECT_LE(0, n);
	EXPECT_EQ(R0(self) + self->len, next);
	if (n < 0 || !check)
		return n < 0;
	EXPECT_EQ(0, pagemap_entries(self->pid, R0(self), self->len / SZ_4K, pm));
	for (i = 0; i < self->len / SZ_4K; i++)
		swapped += !!(pm[i] & PM_SWAP);
	EXPECT_EQ(swapped, n);
	return 0;
}

/* per-VMA statistics of the region: every byte in 4K pages, resident or swapped */
static int op_maps(struct __test_metadata *_metadata, void *v, bool check)
{
	HOLD_SELF *self = v;
	struct ptwalk_vma_stats s;
	struct ptwalk_maps m = {
		.size = sizeof(m), .pid = self->pid, .start = R0(self),
		.stats = (uintptr_t)&s, .stats_size = sizeof(s), .count = 1,
	};

	EXPECT_EQ(0, ioctl(self->fd, PTWALK_IOC_MAPS, &m));
	EXPECT_EQ(1, m.count);
	EXPECT_EQ(R0(self), s.vma.start);
	EXPECT_EQ(R0(self) + self->len, s.vma.end);
	/* the debug kernel's KASAN leaves less room: part of it is swapped out */
	EXPECT_EQ(self->len, s.resident[PTWALK_PS_4K] + s.swapped);
	EXPECT_EQ(0, s.none);
	return m.count != 1;
}

/* the region's lines tile it: present 4K pages at the PTE level */
static int op_pagetable(struct __test_metadata *_metadata, void *v, bool check)
{
	HOLD_SELF *self = v;
	ssize_t n = read_debugfs("pagetable", text, sizeof(text));
	unsigned long start, end, va = R0(self);
	char *line;

	EXPECT_LT(0, n);
	if (n <= 0)
		return 1;
	for (line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (sscanf(line, "0x%lx-0x%lx ", &start, &end) != 2 ||
		    end <= R0(self) || start >= R0(self) + self->len)
			continue;
		EXPECT_EQ(va, start) TH_LOG("%.120s", line);
		EXPECT_EQ(0, strncmp(strstr(line, " pte ") ?: "", " pte   normal    present", 24))
			TH_LOG("%.120s", line);
		va = end;
	}
	EXPECT_EQ(R0(self) + self->len, va);
	EXPECT_NE(NULL, strstr(text, "\nChecked W+X mappings: passed"));
	return 0;
}

static int op_debugfs_maps(struct __test_metadata *_metadata, void *v, bool check)
{
	HOLD_SELF *self = v;
	ssize_t n = read_debugfs("maps", text, sizeof(text));
	char line[64], *at;

	EXPECT_LT(0, n);
	snprintf(line, sizeof(line), "\n%012lx-%012lx ", (unsigned long)R0(self),
		 (unsigned long)(R0(self) + self->len));
	at = strstr(text, line);
	EXPECT_NE(NULL, at) TH_LOG("no line %s", line + 1);
	if (!at)
		return 1;
	/* RSS in KiB, after "rw-p" */
	EXPECT_EQ(self->len / 1024, strtoull(at + strlen(line) + 5, NULL, 10))
		TH_LOG("%.200s", at);
	return 0;
}

/*
 * WALK ranges (one run merging 1 GiB), WALK with a filter matching
 * nothing, MAPS, and the debugfs pagetable and maps files of 1 GiB of 4K
 * pages, each while another thread of the target maps and unmaps a page
 * in a loop; every answer checked against pagemap.
 */
TEST_F_TIMEOUT(hold, lock_holds_are_short, 600)
{
	static const struct op ops[] = {
		{ "WALK ranges", op_ranges },
		{ "WALK swapped", op_swapped },
		{ "MAPS", op_maps },
		{ "debugfs pagetable", op_pagetable },
		{ "debugfs maps", op_debugfs_maps },
	};
	uint64_t t0 = now_ns();
	unsigned int i, judged = 0;
	unsigned long long mib = BIG / SZ_1M;

	/* smaller where the kernel is slow (KASAN): ptwalk_hold_mib= */
	test_knob("hold_mib", "PTWALK_HOLD_MIB", "ptwalk_hold_mib", &mib);
	self->len = (mib && mib < BIG / SZ_1M ? mib : BIG / SZ_1M) * SZ_1M;
	self->pid = start_target(self->t, self->len, true);
	ASSERT_LT(0, self->pid);
	ASSERT_EQ(0, wait_ready(self->t, self->pid));
	TH_LOG("%zu MiB of 4K pages written in %.1f s", self->len / SZ_1M, (now_ns() - t0) / 1e9);
	ASSERT_EQ(0, set_target(self->pid));
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		double ms, part = timed_runs(_metadata, self->t, self, &ops[i], RUNS, &ms);

		ASSERT_LE(0, part) TH_LOG("%s failed", ops[i].what);
		if (ops[i].unjudged)
			continue;
		/* a walk as short as a few holds cannot tell them from one */
		if (ms < MIN_JUDGED_MS) {
			TH_LOG("%s: median walk %.1f ms, under %d ms: not judged",
			       ops[i].what, ms, MIN_JUDGED_MS);
			continue;
		}
		judged++;
		EXPECT_LT(part * MAX_WAIT_PART, 1)
			TH_LOG("%s held the lock too long", ops[i].what);
	}
	EXPECT_LE(3, judged) TH_LOG("only %u walks long enough to judge", judged);
}

/*
 * One page written every 2 MiB of a 16 GiB reservation: 8192 PTE tables
 * (64 GiB took 27-42 s a walk on the KASAN kernel, past the timeout).
 */
#define SPARSE		(16 * SZ_1G)
#define SPARSE_STEP	SZ_2M

static pid_t start_sparse_target(struct target *t)
{
	pthread_t thread;
	size_t off;
	pid_t pid;
	char *p;

	memset(t, 0, sizeof(*t));
	pid = fork();
	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	p = mmap_aligned(SPARSE, SZ_1G, MAP_NORESERVE);
	if (!p || thp_advise(p, SPARSE, MADV_NOHUGEPAGE))
		_exit(1);
	for (off = 0; off < SPARSE; off += SPARSE_STEP)
		p[off] = 1;
	t->region = (uintptr_t)p;
	if (pthread_create(&thread, NULL, churn, t))
		_exit(1);
	__atomic_store_n(&t->ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&t->stop, __ATOMIC_RELAXED))
		usleep(10000);
	_exit(0);
}

/*
 * A W+X audit of a sparse reservation: WALK with holes for the W+X pages
 * only, of which there are none, reads all 4.2 million PTEs of the
 * 8192 tables and finds nothing; the audit must not keep the lock.
 */
static int op_sparse_wx(struct __test_metadata *_metadata, void *v, bool check)
{
	HOLD_SELF *self = v;
	struct ptwalk_walk req = {
		.size = sizeof(req), .pid = self->pid, .start = R0(self),
		.end = R0(self) + SPARSE, .mode = PTWALK_WALK_RANGES,
		.flags = PTWALK_WALK_HOLES, .record_size = sizeof(rec[0]),
		.records = (uintptr_t)rec, .count = 1 << 16, .match_all = CAT(WX),
	};

	EXPECT_EQ(0, ioctl(self->fd, PTWALK_IOC_WALK, &req));
	EXPECT_EQ(0, req.count);
	EXPECT_EQ(R0(self) + SPARSE, req.next);
	return req.next != R0(self) + SPARSE;
}

/* every written page of the reservation, as pagemap has it */
static int op_sparse_records(struct __test_metadata *_metadata, void *v, bool check)
{
	HOLD_SELF *self = v;
	uint64_t next = 0, i;
	int n = walk(self->fd, self->pid, R0(self), R0(self) + SPARSE,
		     PTWALK_WALK_RECORDS, 0, rec, 1 << 16, &next);

	EXPECT_EQ(SPARSE / SPARSE_STEP, n);
	EXPECT_EQ(R0(self) + SPARSE, next);
	if (n != SPARSE / SPARSE_STEP || !check)
		return n != SPARSE / SPARSE_STEP;
	for (i = 0; i < (uint64_t)n; i++) {
		uint64_t e = pagemap_entry(self->pid, R0(self) + i * SPARSE_STEP);

		EXPECT_EQ(R0(self) + i * SPARSE_STEP, rec[i].va);
		EXPECT_TRUE(e & PM_PRESENT);
		EXPECT_EQ(e & PM_PFN_MASK, rec[i].pfn);
	}
	return 0;
}

TEST_F_TIMEOUT(hold, sparse_audit_holds_are_short, 600)
{
	static const struct op ops[] = {
		{ "WALK W+X, holes", op_sparse_wx },
		/* 512 records per copy out held it for 1/64 of the walk anyway */
		{ "WALK records", op_sparse_records, true },
	};
	uint64_t t0 = now_ns();
	unsigned int i;

	self->pid = start_sparse_target(self->t);
	ASSERT_LT(0, self->pid);
	ASSERT_EQ(0, wait_ready(self->t, self->pid));
	TH_LOG("16 GiB reservation, a page every 2 MiB written in %.1f s", (now_ns() - t0) / 1e9);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		double ms, part = timed_runs(_metadata, self->t, self, &ops[i], 3, &ms);

		ASSERT_LE(0, part) TH_LOG("%s failed", ops[i].what);
		if (ops[i].unjudged)
			continue;
		if (ms < MIN_JUDGED_MS) {
			TH_LOG("%s: median walk %.1f ms, under %d ms: not judged",
			       ops[i].what, ms, MIN_JUDGED_MS);
			continue;
		}
		EXPECT_LT(part * MAX_WAIT_PART, 1)
			TH_LOG("%s held the lock too long", ops[i].what);
	}
}

/*
 * Kill the target while a WALK of its 1 GiB runs, a quarter into the
 * walk: the walk must end there, not at the end of the range, with what
 * it found so far (equal to a pagemap snapshot taken before), and the
 * next call must fail with ESRCH.  A walk holding the address space for
 * the whole call would finish the range on a dead process.  A kill that
 * the host delays to the walk's end proves nothing: tried again, earlier.
 */
struct killer {
	pid_t pid;
	uint64_t delay_ns;
	uint64_t sent;		/* when the signal went */
};

static void *kill_later(void *arg)
{
	struct killer *k = arg;
	struct timespec ts = {
		.tv_sec = k->delay_ns / 1000000000ULL, .tv_nsec = k->delay_ns % 1000000000ULL,
	};

	nanosleep(&ts, NULL);
	k->sent = now_ns();
	kill(k->pid, SIGKILL);
	return NULL;
}

static struct ptwalk_record all[NPAGES];

TEST_F_TIMEOUT(hold, exit_mid_walk, 600)
{
	uint64_t next = 0, t0, t1, full, i;
	struct killer k;
	pthread_t thread;
	uintptr_t r0, r1;
	int n = 0, status, try;

	for (try = 0; try < 3; try++) {
		self->pid = start_target(self->t, BIG, false);
		ASSERT_LT(0, self->pid);
		ASSERT_EQ(0, wait_ready(self->t, self->pid));
		r0 = self->t->region;
		r1 = r0 + BIG;
		ASSERT_EQ(0, pagemap_entries(self->pid, r0, NPAGES, pm));
		/* the first walk of a region is the slowest: time the second */
		for (i = 0; i < 2; i++) {
			t0 = now_ns();
			n = walk(self->fd, self->pid, r0, r1, PTWALK_WALK_RECORDS, 0, all, NPAGES,
				 &next);
			full = now_ns() - t0;
			ASSERT_EQ(NPAGES, n);
			ASSERT_EQ(r1, next);
		}

		k.pid = self->pid;
		k.delay_ns = full / (4 << try);
		ASSERT_EQ(0, pthread_create(&thread, NULL, kill_later, &k));
		t0 = now_ns();
		n = walk(self->fd, self->pid, r0, r1, PTWALK_WALK_RECORDS, 0, all, NPAGES, &next);
		t1 = now_ns();
		pthread_join(thread, NULL);
		ASSERT_EQ(self->pid, waitpid(self->pid, &status, 0));
		self->pid = 0;
		EXPECT_TRUE(WIFSIGNALED(status));
		TH_LOG("full walk %.1f ms; killed after %.1f ms, the walk ended after %.1f ms: %d records, next %#" PRIx64,
		       full / 1e6, (k.sent - t0) / 1e6, (t1 - t0) / 1e6, n, next);
		/* ended early, or went on for half a walk after the kill: it tells */
		if (n < 0 || next < r1 || k.sent + full / 2 < t1)
			break;
		TH_LOG("the kill came too late to tell: again, earlier");
	}
	ASSERT_LT(try, 3) TH_LOG("never killed mid-walk");
	if (n >= 0) {
		ASSERT_LT(next, r1) TH_LOG("the walk went on after the target died");
		EXPECT_EQ(r0 + n * SZ_4K, next);
		for (i = 0; i < (uint64_t)n; i++) {
			ASSERT_EQ(r0 + i * SZ_4K, all[i].va);
			ASSERT_EQ(pm[i] & PM_PFN_MASK, all[i].pfn);
		}
	} else {
		EXPECT_EQ(-ESRCH, n);
	}
	/* reaped: gone for every call */
	EXPECT_EQ(-ESRCH, walk(self->fd, k.pid, r0, r1, PTWALK_WALK_RECORDS, 0, all, 1, &next));
}

/* A debugfs listing whose target is killed mid-way ends, saying so. */
TEST_F_TIMEOUT(hold, exit_mid_debugfs_listing, 240)
{
	static const char *const files[] = { "pagetable", "maps" };
	unsigned int f;

	for (f = 0; f < 2; f++) {
		char path[128], c;
		int fd, lines = 0;
		ssize_t n;

		self->pid = start_target(self->t, 64 * SZ_4K, false);
		ASSERT_LT(0, self->pid);
		ASSERT_EQ(0, wait_ready(self->t, self->pid));
		ASSERT_EQ(0, set_target(self->pid));
		snprintf(path, sizeof(path), DEBUGFS "%s", files[f]);
		fd = open(path, O_RDONLY);
		ASSERT_LE(0, fd);
		/* the header and the first line, a byte at a time: mid-listing */
		while (lines < 3 && read(fd, &c, 1) == 1)
			lines += c == '\n';
		kill(self->pid, SIGKILL);
		waitpid(self->pid, NULL, 0);
		self->pid = 0;
		n = read_rest(fd, text, sizeof(text), 4096);
		close(fd);
		ASSERT_LE(0, n) TH_LOG("%s: %s", files[f], strerror(-n));
		EXPECT_NE(NULL, strstr(text, f ? "target exited: listing incomplete, no total\n" :
					    "Checked W+X mappings: incomplete, the target exited"))
			TH_LOG("%s after the target died:\n%s", files[f], text);
		EXPECT_EQ(NULL, strstr(text, f ? "\ntotal " : "passed"));
	}
}

/*
 * pid reuse.  In a pid namespace of our own (its init is a child of the
 * test), process A opens nothing: the init opens debugfs maps and
 * pagetable of A, reads their first lines, lets A exit, sets ns_last_pid
 * so that the next fork, B, gets A's pid number, and reads the rest.  A
 * and B each map a page at an address of their own: the rest of A's
 * listing must end, and never show B's page.
 */
#define A_ADDR	0x5a5a00000000UL
#define B_ADDR	0x5b5b00000000UL

struct reuse {
	int step;		/* the step of the namespace's init that failed */
	int err;
	pid_t a, b;
	char maps_head[4096], pt_head[4096];
	char maps[1 << 16], pt[1 << 16];
};

/* A child of the namespace's init that maps one page at @addr and waits. */
static pid_t mapper(unsigned long addr, int *go)
{
	int ready[2], wait_pipe[2];
	pid_t pid;
	char c = 0;

	if (pipe(ready) || pipe(wait_pipe))
		return -1;
	pid = fork();
	if (pid == 0) {
		char *p = mmap((void *)addr, SZ_4K, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

		/* only the init's end of the pipe it waits on: EOF is the go */
		close(wait_pipe[1]);
		close(ready[0]);
		if (p == MAP_FAILED)
			_exit(1);
		p[0] = 1;
		if (write(ready[1], &c, 1) != 1 || read(wait_pipe[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	close(wait_pipe[0]);
	if (pid < 0 || read(ready[0], &c, 1) != 1)
		pid = -1;
	close(ready[0]);
	*go = wait_pipe[1];
	return pid;
}

/* Read @fd a byte at a time up to and including its @lines-th newline. */
static int read_lines(int fd, char *buf, size_t size, int lines)
{
	size_t n = 0;

	while (lines && n < size - 1 && read(fd, buf + n, 1) == 1)
		lines -= buf[n++] == '\n';
	buf[n] = '\0';
	return lines ? -1 : 0;
}

#define STEP(cond) do { r->step++; if (!(cond)) { r->err = errno; return 1; } } while (0)

static int reuse_init(struct reuse *r)
{
	int go_a, go_b, maps_fd, pt_fd, fd;
	char buf[16];

	r->a = mapper(A_ADDR, &go_a);
	STEP(r->a > 0);
	STEP(!set_target(r->a));
	maps_fd = open(DEBUGFS "maps", O_RDONLY);
	STEP(maps_fd >= 0);
	pt_fd = open(DEBUGFS "pagetable", O_RDONLY);
	STEP(pt_fd >= 0);
	/* headers and the first VMA of A, mid-listing */
	STEP(!read_lines(maps_fd, r->maps_head, sizeof(r->maps_head), 3));
	STEP(!read_lines(pt_fd, r->pt_head, sizeof(r->pt_head), 2));
	close(go_a);
	STEP(waitpid(r->a, NULL, 0) == r->a);
	/* the next pid handed out in this namespace is A's again */
	fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
	STEP(fd >= 0);
	snprintf(buf, sizeof(buf), "%d", r->a - 1);
	STEP(write(fd, buf, strlen(buf)) == (ssize_t)strlen(buf));
	close(fd);
	r->b = mapper(B_ADDR, &go_b);
	STEP(r->b == r->a);
	STEP(read_rest(maps_fd, r->maps, sizeof(r->maps), 4096) >= 0);
	STEP(read_rest(pt_fd, r->pt, sizeof(r->pt), 4096) >= 0);
	close(go_b);
	waitpid(r->b, NULL, 0);
	return 0;
}

TEST(pid_reuse_does_not_mix_processes)
{
	struct reuse *r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t outer, init;
	int status;

	ASSERT_NE(MAP_FAILED, r);
	memset(r, 0, sizeof(*r));
	outer = fork();
	ASSERT_LE(0, outer);
	if (outer == 0) {
		/* the next child is pid 1 of a new namespace */
		if (unshare(CLONE_NEWPID))
			_exit(2);
		init = fork();
		if (init == 0)
			_exit(reuse_init(r));
		_exit(init > 0 && waitpid(init, &status, 0) == init && WIFEXITED(status) ?
		      WEXITSTATUS(status) : 3);
	}
	ASSERT_EQ(outer, waitpid(outer, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status))
		TH_LOG("namespace init failed at step %d: %s", r->step, strerror(r->err));
	TH_LOG("A and B are both pid %d in the namespace", r->a);
	/* the first lines were A's: the files did list A */
	EXPECT_NE(NULL, strstr(r->maps_head, "START-END"));
	EXPECT_NE(NULL, strstr(r->pt_head, "RANGE"));
	/* the rest: nothing of B, and a clear end */
	EXPECT_EQ(NULL, strstr(r->maps, "5b5b00000000")) TH_LOG("maps:\n%s", r->maps);
	EXPECT_EQ(NULL, strstr(r->pt, "5b5b00000000")) TH_LOG("pagetable:\n%s", r->pt);
	EXPECT_NE(NULL, strstr(r->maps, "target exited: listing incomplete")) TH_LOG("%s", r->maps);
	EXPECT_NE(NULL, strstr(r->pt, "Checked W+X mappings: incomplete, the target exited"))
		TH_LOG("%s", r->pt);
	munmap(r, sizeof(*r));
}

TEST_HARNESS_MAIN
