// SPDX-License-Identifier: GPL-2.0
/*
 * vmstat_ext selftests: zones against /proc/zoneinfo and /proc/buddyinfo,
 * vm events against /proc/vmstat, fault counters against /proc/PID/stat.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/userfaultfd.h>
#include "kselftest_harness.h"
#include "oracle.h"

#define MAX_ZONES	32

static int read_zones(int fd, struct ptwalk_zone *z, unsigned int room,
		      unsigned int *total)
{
	struct ptwalk_zones req = {
		.size = sizeof(req), .zone_size = sizeof(*z), .count = room,
		.zones = (uintptr_t)z,
	};

	if (ioctl(fd, PTWALK_IOC_ZONES, &req))
		return -errno;
	if (total)
		*total = req.total;
	return (int)req.count;
}

/* The /proc/zoneinfo block of node @node, zone @name, as one string. */
static char *zoneinfo_block(int node, const char *name)
{
	static char buf[1 << 16];
	char head[64], *start, *end;
	FILE *f = fopen("/proc/zoneinfo", "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	snprintf(head, sizeof(head), "Node %d, zone %8s", node, name);
	start = strstr(buf, head);
	if (!start)
		return NULL;
	end = strstr(start + 1, "\nNode ");
	if (end)
		*end = 0;
	return start;
}

static long long field(const char *block, const char *key)
{
	const char *p = strstr(block, key);

	return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

FIXTURE(vm) {
	int fd;
};

FIXTURE_SETUP(vm)
{
	self->fd = ptw_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(vm)
{
	close(self->fd);
}

static long long thresholds(const char *block);

TEST_F(vm, zones_match_zoneinfo)
{
	struct ptwalk_zone z[MAX_ZONES];
	unsigned int total = 0, i, j;
	int n = read_zones(self->fd, z, MAX_ZONES, &total);

	ASSERT_LT(0, n);
	EXPECT_EQ(total, (unsigned int)n);
	for (i = 0; i < (unsigned int)n; i++) {
		char *b = zoneinfo_block(z[i].node, z[i].name);
		unsigned long long prot[PTWALK_MAX_ZONE_RESERVE];
		long long boost;
		char *p;

		ASSERT_NE(NULL, b) TH_LOG("zone %s not in /proc/zoneinfo", z[i].name);
		boost = field(b, "\n        boost    ");
		/* zoneinfo prints the watermarks the allocator uses: with boost */
		EXPECT_EQ(field(b, "\n        min      "), (long long)(z[i].wmark_min + boost));
		EXPECT_EQ(field(b, "\n        low      "), (long long)(z[i].wmark_low + boost));
		EXPECT_EQ(field(b, "\n        high     "), (long long)(z[i].wmark_high + boost));
		EXPECT_EQ(boost, (long long)z[i].watermark_boost);
		EXPECT_EQ(field(b, "\n        spanned  "), (long long)z[i].spanned);
		EXPECT_EQ(field(b, "\n        present  "), (long long)z[i].present);
		EXPECT_EQ(field(b, "\n        managed  "), (long long)z[i].managed);
		/*
		 * The per-CPU deltas folded in differ from the counter by at
		 * most each CPU's stat threshold (zoneinfo prints them).
		 */
		EXPECT_GE(thresholds(b), llabs((long long)z[i].free - (long long)z[i].free_snapshot))
			TH_LOG("%s: free %llu snapshot %llu", z[i].name,
			       (unsigned long long)z[i].free, (unsigned long long)z[i].free_snapshot);
		EXPECT_EQ((long long)z[i].free - (long long)(z[i].wmark_low + boost),
			  z[i].headroom);
		/* lowmem_reserve[] entry by entry: "protection: (0, 2735, 2735, 2735, 2735)" */
		p = strstr(b, "protection: (");
		ASSERT_NE(NULL, p);
		p += strlen("protection: (");
		for (j = 0; j < PTWALK_MAX_ZONE_RESERVE; j++) {
			char *e;

			prot[j] = strtoull(p, &e, 10);
			if (e == p)
				break;
			p = e;
			if (*p == ')') {
				j++;
				break;
			}
			ASSERT_EQ(',', *p) TH_LOG("%s protection: %.60s", z[i].name, p);
			p++;
		}
		ASSERT_EQ(')', *p) TH_LOG("%s protection: more than %d entries", z[i].name, j);
		EXPECT_EQ(j, z[i].nr_reserve) TH_LOG("%s", z[i].name);
		for (j = 0; j < z[i].nr_reserve && j < PTWALK_MAX_ZONE_RESERVE; j++) {
			EXPECT_EQ(prot[j], z[i].lowmem_reserve[j])
				TH_LOG("%s lowmem_reserve[%u]", z[i].name, j);
		}
	}
}

/* The sum of the zone's per-CPU "vm stats threshold" of /proc/zoneinfo. */
static long long thresholds(const char *block)
{
	const char *key = "vm stats threshold: ", *p = block;
	long long sum = 0;

	while ((p = strstr(p, key))) {
		p += strlen(key);
		sum += strtoll(p, NULL, 10);
	}
	return sum;
}

/* Free pages of every zone of /proc/zoneinfo ("pages free") and buddyinfo. */
struct free_view {
	long long free[MAX_ZONES];
	long long blocks[MAX_ZONES][PTWALK_MAX_ORDERS];
};

static void read_free(const struct ptwalk_zone *z, int n, struct free_view *v)
{
	char line[512], name[32], *p;
	int i, node, off;
	unsigned int o;
	FILE *f;

	memset(v, 0xff, sizeof(*v));	/* -1: not found */
	for (i = 0; i < n; i++) {
		char *b = zoneinfo_block(z[i].node, z[i].name);

		if (b)
			v->free[i] = field(b, "pages free     ");
	}
	f = fopen("/proc/buddyinfo", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Node %d, zone %31s%n", &node, name, &off) != 2)
			continue;
		for (i = 0; i < n; i++) {
			if (z[i].node != node || strcmp(z[i].name, name))
				continue;
			p = line + off;
			for (o = 0; o < z[i].nr_orders && o < PTWALK_MAX_ORDERS; o++)
				v->blocks[i][o] = strtoll(p, &p, 10);
		}
	}
	fclose(f);
}

/* lo..hi or hi..lo holds v */
static bool between(long long a, long long b, long long v)
{
	return (a <= v && v <= b) || (b <= v && v <= a);
}

/*
 * Free pages and free blocks per order, each between what /proc/zoneinfo
 * and /proc/buddyinfo said just before and just after: exact when nothing
 * moved.  Pages move meanwhile (and may move out and back), so up to ten
 * tries; a wrong count never lands in the bracket.
 */
TEST_F(vm, free_pages_between_before_and_after)
{
	static struct free_view before, after;
	struct ptwalk_zone z[MAX_ZONES];
	int n = 0, i, try, bad = 0, exact = 0;
	unsigned int o;

	for (try = 0; try < 10; try++) {
		n = read_zones(self->fd, z, MAX_ZONES, NULL);
		ASSERT_LT(0, n);
		read_free(z, n, &before);
		ASSERT_EQ(n, read_zones(self->fd, z, MAX_ZONES, NULL));
		read_free(z, n, &after);
		bad = exact = 0;
		for (i = 0; i < n; i++) {
			ASSERT_LE(0, before.free[i]) TH_LOG("zone %s not in zoneinfo", z[i].name);
			bad += !between(before.free[i], after.free[i], (long long)z[i].free);
			exact += before.free[i] == after.free[i];
			for (o = 0; o < z[i].nr_orders && o < PTWALK_MAX_ORDERS; o++) {
				ASSERT_LE(0, before.blocks[i][o]) TH_LOG("%s not in buddyinfo",
									  z[i].name);
				bad += !between(before.blocks[i][o], after.blocks[i][o],
						(long long)z[i].free_blocks[o]);
			}
		}
		if (!bad)
			break;
	}
	for (i = 0; i < n; i++) {
		EXPECT_TRUE(between(before.free[i], after.free[i], (long long)z[i].free))
			TH_LOG("%s free %llu, zoneinfo %lld then %lld", z[i].name,
			       (unsigned long long)z[i].free, before.free[i], after.free[i]);
		/* braces: EXPECT's TH_LOG handler is a statement of its own */
		for (o = 0; o < z[i].nr_orders && o < PTWALK_MAX_ORDERS; o++) {
			EXPECT_TRUE(between(before.blocks[i][o], after.blocks[i][o],
					    (long long)z[i].free_blocks[o]))
				TH_LOG("%s order %u: %llu, buddyinfo %lld then %lld", z[i].name, o,
				       (unsigned long long)z[i].free_blocks[o],
				       before.blocks[i][o], after.blocks[i][o]);
		}
	}
	TH_LOG("%d tries; %d of %d zones unchanged in the last", try + 1, exact, n);
}

TEST_F(vm, zones_match_buddyinfo)
{
	struct ptwalk_zone z[MAX_ZONES];
	int n = read_zones(self->fd, z, MAX_ZONES, NULL), i;
	char line[512];
	FILE *f = fopen("/proc/buddyinfo", "r");
	int matched = 0;

	ASSERT_LT(0, n);
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		char name[32], *p;
		int node, off;
		unsigned int o;

		if (sscanf(line, "Node %d, zone %31s%n", &node, name, &off) != 2)
			continue;
		for (i = 0; i < n; i++) {
			if (z[i].node != node || strcmp(z[i].name, name))
				continue;
			/* as many orders (the counts: free_pages_between_before_and_after) */
			p = line + off;
			for (o = 0; ; o++) {
				char *e;

				strtoll(p, &e, 10);
				if (e == p)
					break;
				p = e;
			}
			EXPECT_EQ(o, z[i].nr_orders) TH_LOG("%s", name);
			matched++;
		}
	}
	fclose(f);
	EXPECT_EQ(n, matched);
}

TEST_F(vm, zones_small_buffer)
{
	struct ptwalk_zone z[1];
	struct ptwalk_zones req = {
		.size = sizeof(req), .zone_size = sizeof(z[0]), .count = 0,
		.zones = (uintptr_t)z,
	};

	ASSERT_EQ(0, ioctl(self->fd, PTWALK_IOC_ZONES, &req));
	EXPECT_EQ(0, req.count);
	EXPECT_LT(0, req.total);
	req.count = 1;
	ASSERT_EQ(0, ioctl(self->fd, PTWALK_IOC_ZONES, &req));
	EXPECT_EQ(1, req.count);
	req.zone_size = 8;
	EXPECT_EQ(-1, ioctl(self->fd, PTWALK_IOC_ZONES, &req));
	EXPECT_EQ(EINVAL, errno);
	req.zone_size = sizeof(z[0]);
	req.count = 4;
	req.zones = 0;
	EXPECT_EQ(-1, ioctl(self->fd, PTWALK_IOC_ZONES, &req));
	EXPECT_EQ(EFAULT, errno);
}

static long long proc_vmstat(const char *name)
{
	char key[64];
	long long v;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", key, &v) == 2) {
		if (!strcmp(key, name)) {
			fclose(f);
			return v;
		}
	}
	fclose(f);
	return -1;
}

TEST_F(vm, vmstat_matches_proc)
{
	struct ptwalk_vmstat_item items[128];
	struct ptwalk_vmstat req = {
		.size = sizeof(req), .item_size = sizeof(items[0]), .count = 128,
		.items = (uintptr_t)items,
	};
	long long before[128];
	unsigned int i, checked = 0;

	for (i = 0; i < 128; i++)
		before[i] = -1;
	/* names first, so "before" is read for exactly the module's events */
	ASSERT_EQ(0, ioctl(self->fd, PTWALK_IOC_VMSTAT, &req));
	ASSERT_LT(0, req.count);
	EXPECT_EQ(req.total, req.count);
	for (i = 0; i < req.count; i++)
		before[i] = proc_vmstat(items[i].name);
	ASSERT_EQ(0, ioctl(self->fd, PTWALK_IOC_VMSTAT, &req));
	for (i = 0; i < req.count; i++) {
		long long after = proc_vmstat(items[i].name);

		ASSERT_LE(0, before[i]) TH_LOG("%s not in /proc/vmstat", items[i].name);
		EXPECT_LE(before[i], (long long)items[i].value) TH_LOG("%s", items[i].name);
		EXPECT_GE(after, (long long)items[i].value) TH_LOG("%s", items[i].name);
		checked++;
	}
	EXPECT_NE(-1, proc_vmstat("pgfault"));
	TH_LOG("%u events within [before, after] of /proc/vmstat", checked);
}

static int proc_stat_faults(pid_t pid, long long f[4])
{
	char path[64], buf[1024], *p;
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fp = fopen(path, "r");
	if (!fp)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = 0;
	p = strrchr(buf, ')');	/* comm may hold spaces */
	if (!p)
		return -1;
	/* after ") ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt */
	return sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %lld %lld %lld %lld",
		      &f[0], &f[1], &f[2], &f[3]) == 4 ? 0 : -1;
}

static void *toucher(void *arg)
{
	size_t len = 256 * SZ_4K, i;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)arg;
	if (p != MAP_FAILED) {
		thp_advise(p, len, MADV_NOHUGEPAGE);
		for (i = 0; i < len; i += SZ_4K)
			p[i] = 1;
	}
	return NULL;
}

/* toucher, then says so on the pipe fd *@arg and stays */
static void *toucher_stays(void *arg)
{
	toucher(NULL);
	if (write(*(int *)arg, "t", 1) != 1)
		return NULL;
	pause();
	return NULL;
}

/* A child with threads that fault, some of which exit; then it sits still. */
TEST_F(vm, faults_match_proc_stat)
{
	struct ptwalk_faults req = { .size = sizeof(req), .flags = PTWALK_FAULTS_CHILDREN };
	int ready[2], go[2];
	long long f[4];
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pthread_t t[4];
		int i, done[2];

		if (pipe(done))
			_exit(1);
		for (i = 0; i < 4; i++)
			pthread_create(&t[i], NULL, toucher, NULL);
		for (i = 0; i < 2; i++)		/* two exit: their faults move to signal */
			pthread_join(t[i], NULL);
		if (fork() == 0) {		/* a reaped child adds to cmin_flt */
			toucher(NULL);
			_exit(0);
		}
		wait(NULL);
		for (i = 2; i < 4; i++)
			pthread_join(t[i], NULL);
		/* one stays alive, its faults all taken before the counts are read
		 * (a 100 ms sleep was not enough on the debug kernel: 1270 vs 1314) */
		pthread_create(&t[0], NULL, toucher_stays, &done[1]);
		c = 0;
		if (read(done[0], &c, 1) != 1 || write(ready[1], &c, 1) != 1 ||
		    read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	req.pid = pid;
	ASSERT_EQ(0, ioctl(self->fd, PTWALK_IOC_FAULTS, &req));
	ASSERT_EQ(0, proc_stat_faults(pid, f));
	EXPECT_EQ(f[0], (long long)req.min_flt);
	EXPECT_EQ(f[1], (long long)req.cmin_flt);
	EXPECT_EQ(f[2], (long long)req.maj_flt);
	EXPECT_EQ(f[3], (long long)req.cmaj_flt);
	EXPECT_LE(256 * 3, req.min_flt);	/* three threads touched 256 pages each */
	EXPECT_LE(256, req.cmin_flt);
	EXPECT_EQ(2, req.nr_threads);
	ASSERT_EQ(1, write(go[1], "g", 1));
	waitpid(pid, NULL, 0);
}

TEST_F(vm, faults_bad_input)
{
	struct ptwalk_faults req = { .size = sizeof(req) };

	req.pid = 0;
	EXPECT_EQ(-1, ioctl(self->fd, PTWALK_IOC_FAULTS, &req));
	EXPECT_EQ(EINVAL, errno);
	req.pid = 0x3fffffff;
	EXPECT_EQ(-1, ioctl(self->fd, PTWALK_IOC_FAULTS, &req));
	EXPECT_EQ(ESRCH, errno);
	req.pid = getpid();
	req.flags = 0x80;
	EXPECT_EQ(-1, ioctl(self->fd, PTWALK_IOC_FAULTS, &req));
	EXPECT_EQ(EINVAL, errno);
	req.flags = 0;
	req.size = 8;
	EXPECT_EQ(-1, ioctl(self->fd, PTWALK_IOC_FAULTS, &req));
	EXPECT_EQ(EINVAL, errno);
	req.size = sizeof(req);
	EXPECT_EQ(0, ioctl(self->fd, PTWALK_IOC_FAULTS, &req));
	EXPECT_LT(0, req.min_flt);
}

static int ft_op(int fd, struct ptwalk_fault_trace *t, unsigned int op, pid_t pid,
		 struct ptwalk_ft_vma *vmas, unsigned int room)
{
	memset(t, 0, sizeof(*t));
	t->size = sizeof(*t);
	t->op = op;
	t->pid = pid;
	t->vmas = (uintptr_t)vmas;
	t->vma_size = sizeof(*vmas);
	t->count = room;
	return ioctl(fd, PTWALK_IOC_FAULT_TRACE, t) ? -errno : 0;
}

enum page_op { PAGES_NONE, PAGES_READ, PAGES_WRITE, PAGES_WRITE_PAGEOUT };

static char page_op(char *p, unsigned int npages, enum page_op op)
{
	unsigned int i;
	char c = 0;

	for (i = 0; op != PAGES_NONE && i < npages; i++) {
		if (op == PAGES_READ)
			c += *(volatile char *)(p + i * SZ_4K);
		else
			p[i * SZ_4K] = 1;
	}
	if (op == PAGES_WRITE_PAGEOUT)
		madvise(p, npages * SZ_4K, 21 /* MADV_PAGEOUT */);
	return c;
}

/*
 * A child that does @before to @npages pages at @p, says ready, waits for
 * the go, does @traced (the phase the parent traces), says ready again
 * and exits at the next go.  The parent reads the first "ready" itself.
 */
static pid_t phased_child(char *p, unsigned int npages, enum page_op before,
			  enum page_op traced, int ready[2], int go[2])
{
	pid_t pid;
	char c;

	if (pipe(ready) || pipe(go))
		return -1;
	pid = fork();
	if (pid)
		return pid;
	c = page_op(p, npages, before);
	if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
		_exit(1);
	c = page_op(p, npages, traced);
	if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
		_exit(1);
	_exit(0);
}

/* Trace @pid through one phase of its work: let it go, wait for "ready". */
static int trace_phase(int fd, pid_t pid, int go, int ready, struct ptwalk_fault_trace *t,
		       struct ptwalk_ft_vma *v, unsigned int room)
{
	char c;

	if (ft_op(fd, t, PTWALK_FT_START, pid, NULL, 0) || write(go, "g", 1) != 1 ||
	    read(ready, &c, 1) != 1 || ft_op(fd, t, PTWALK_FT_STOP, 0, NULL, 0))
		return -1;
	return ft_op(fd, t, PTWALK_FT_READ, 0, v, room);
}

/* The traced VMA holding @addr, or NULL. */
static const struct ptwalk_ft_vma *ft_vma_of(const struct ptwalk_fault_trace *t,
					     const struct ptwalk_ft_vma *v, uintptr_t addr)
{
	unsigned int i;

	for (i = 0; i < t->count; i++)
		if (v[i].start <= addr && addr < v[i].end)
			return &v[i];
	return NULL;
}

TEST_F(vm, trace_bad_ops)
{
	struct ptwalk_fault_trace t;

	/* whatever ran before: stop and discard, back to "never started" */
	ft_op(self->fd, &t, PTWALK_FT_STOP, 0, NULL, 0);
	ft_op(self->fd, &t, PTWALK_FT_RESET, 0, NULL, 0);
	EXPECT_EQ(-ENODATA, ft_op(self->fd, &t, PTWALK_FT_READ, 0, NULL, 0));
	EXPECT_EQ(-ENODATA, ft_op(self->fd, &t, PTWALK_FT_RESET, 0, NULL, 0));
	EXPECT_EQ(-EINVAL, ft_op(self->fd, &t, PTWALK_FT_STOP, 0, NULL, 0));
	EXPECT_EQ(-EINVAL, ft_op(self->fd, &t, 99, 0, NULL, 0));
	EXPECT_EQ(-ESRCH, ft_op(self->fd, &t, PTWALK_FT_START, 0x3fffffff, NULL, 0));
	EXPECT_EQ(-EINVAL, ft_op(self->fd, &t, PTWALK_FT_START, 0, NULL, 0));
	EXPECT_EQ(-ENXIO, ft_op(self->fd, &t, PTWALK_FT_START, 2, NULL, 0));
	ASSERT_EQ(0, ft_op(self->fd, &t, PTWALK_FT_START, getpid(), NULL, 0));
	EXPECT_EQ(1, t.running);
	EXPECT_EQ(-EBUSY, ft_op(self->fd, &t, PTWALK_FT_START, getpid(), NULL, 0));
	t.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, PTWALK_IOC_FAULT_TRACE, &t));
	EXPECT_EQ(EINVAL, errno);
	t = (struct ptwalk_fault_trace){ .size = sizeof(t), .op = PTWALK_FT_READ,
					 .vma_size = 4, .count = 1 };
	EXPECT_EQ(-1, ioctl(self->fd, PTWALK_IOC_FAULT_TRACE, &t));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, ft_op(self->fd, &t, PTWALK_FT_STOP, 0, NULL, 0));
	EXPECT_EQ(0, t.running);
	EXPECT_EQ(-EINVAL, ft_op(self->fd, &t, PTWALK_FT_STOP, 0, NULL, 0));
	EXPECT_EQ(0, ft_op(self->fd, &t, PTWALK_FT_READ, 0, NULL, 0));
	EXPECT_EQ(getpid(), t.traced_pid);
}

/*
 * A child that waits for a byte on @go, then takes @n page faults of its
 * own (mmap, touch, munmap: a fresh page each time) and exits.
 */
static pid_t noisy_child(int go[2], unsigned int n)
{
	long pg = sysconf(_SC_PAGESIZE);
	pid_t pid;
	char c;

	if (pipe(go))
		return -1;
	pid = fork();
	if (pid)
		return pid;
	if (read(go[0], &c, 1) != 1)
		_exit(1);
	while (n--) {
		char *p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		*(volatile char *)p = 1;
		munmap(p, pg);
	}
	_exit(0);
}

static unsigned int uffd_parked;	/* uffd_touch() threads at their read() */

static void *uffd_touch(void *arg)
{
	int *rfd = arg;
	char *page;

	__atomic_add_fetch(&uffd_parked, 1, __ATOMIC_RELEASE);
	if (read(rfd[0], &page, sizeof(page)) != sizeof(page))
		return NULL;
	*(volatile char *)page = 1;	/* blocks in userfaultfd until resolved */
	return NULL;
}

/*
 * Whether the running trace's probe keeps each call in flight in a fixed
 * pool of instances: a kretprobe (in kprobes/list) or a 6.12 fprobe (its
 * rethook).  From 6.14 an fprobe keeps them on the task's own fgraph
 * shadow stack: no pool.  The kernel tells, not the module.
 */
static bool ft_probe_has_pool(void)
{
	FILE *fp = fopen("/sys/kernel/debug/kprobes/list", "r");
	unsigned int major = 0, minor = 0;
	bool kprobe = false;
	struct utsname u;
	char line[256];

	while (fp && fgets(line, sizeof(line), fp))
		kprobe |= strstr(line, "handle_mm_fault") != NULL;
	if (fp)
		fclose(fp);
	if (kprobe || uname(&u))
		return true;
	sscanf(u.release, "%u.%u", &major, &minor);
	return major < 6 || (major == 6 && minor < 14);
}

/* minflt + majflt of this process from a pre-opened /proc/self/stat: no fault */
static long long stat_faults(int fd)
{
	static char buf[1024];
	long long f[4];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	char *p;

	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %lld %lld %lld %lld",
			 &f[0], &f[1], &f[2], &f[3]) != 4)
		return -1;
	return f[0] + f[2];
}

/*
 * nmissed is the traced process's own lost faults.  Where the probe has a
 * pool (ft_probe_has_pool()), its threads blocked in userfaultfd each hold
 * an instance: with more of them than the module keeps (maxactive, 32 a
 * CPU, 128 to 4096) the rest are lost, and counted; an untraced process
 * faulting all the while, when no instance is free for anyone, adds
 * nothing.  Without a pool nothing is lost: nmissed is 0 and every fault
 * is followed, each blocked thread's too, as many completed ones as the
 * process's own minflt + majflt say.  Then, with no blocked thread, an
 * untraced process faulting heavily leaves nmissed at 0.
 */
/* 328 blocked threads and 8000 faults: minutes on the KASAN kernel */
TEST_F_TIMEOUT(vm, trace_nmissed_counts_own_lost_faults, 300)
{
	static struct ptwalk_ft_vma v[256];
	long pg = sysconf(_SC_PAGESIZE), ncpu = sysconf(_SC_NPROCESSORS_CONF);
	unsigned int maxactive = ncpu * 32 < 128 ? 128 : ncpu * 32 > 4096 ? 4096 : ncpu * 32;
	unsigned int nthr = maxactive + 200, noise = 4000, i, got = 0;
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {};
	struct uffdio_zeropage zp = {};
	const struct ptwalk_ft_vma *av;
	struct ptwalk_fault_trace t;
	long long done0, done1, done = 0;
	int uffd, rfd[2], go[2], statfd;
	pthread_attr_t attr;
	pthread_t *th;
	bool pool;
	pid_t child;
	char *area;

	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		SKIP(return, "no userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api));
	area = mmap(NULL, nthr * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, area);
	reg.range.start = (uintptr_t)area;
	reg.range.len = nthr * pg;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));
	th = calloc(nthr, sizeof(*th));
	ASSERT_NE(NULL, th);
	ASSERT_EQ(0, pipe(rfd));
	/* threads and child first: their own faults come before the trace */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	for (i = 0; i < nthr; i++)
		ASSERT_EQ(0, pthread_create(&th[i], &attr, uffd_touch, rfd));
	child = noisy_child(go, noise);
	ASSERT_LT(0, child);
	close(go[0]);

	/*
	 * Every thread past its start-up faults, at its read(): a fault taken
	 * across the START would count in minflt but not in the trace.
	 */
	while (__atomic_load_n(&uffd_parked, __ATOMIC_ACQUIRE) < nthr)
		usleep(10000);
	usleep(200000);
	statfd = open("/proc/self/stat", O_RDONLY);
	ASSERT_LE(0, statfd);
	ASSERT_LE(0, stat_faults(statfd));	/* its own first faults, before */
	ft_op(self->fd, &t, PTWALK_FT_STOP, 0, NULL, 0);
	done0 = stat_faults(statfd);
	ASSERT_EQ(0, ft_op(self->fd, &t, PTWALK_FT_START, getpid(), NULL, 0));
	pool = ft_probe_has_pool();
	for (i = 0; i < nthr; i++) {
		char *page = area + (size_t)i * pg;

		ASSERT_EQ(sizeof(page), write(rfd[1], &page, sizeof(page)));
	}
	/* every thread blocked: one userfaultfd message each */
	while (got < nthr) {
		struct pollfd pfd = { .fd = uffd, .events = POLLIN };
		struct uffd_msg msg;

		ASSERT_EQ(1, poll(&pfd, 1, 20000));
		if (read(uffd, &msg, sizeof(msg)) == sizeof(msg))
			got++;
	}
	/* now nobody has an instance: the child's faults are all missed */
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(child, waitpid(child, NULL, 0));
	close(go[1]);
	zp.range.start = (uintptr_t)area;
	zp.range.len = nthr * pg;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_ZEROPAGE, &zp));
	for (i = 0; i < nthr; i++)
		pthread_join(th[i], NULL);
	ASSERT_EQ(0, ft_op(self->fd, &t, PTWALK_FT_STOP, 0, NULL, 0));
	done1 = stat_faults(statfd);
	close(statfd);
	ASSERT_EQ(0, ft_op(self->fd, &t, PTWALK_FT_READ, 0, v, 256));
	for (i = 0; i <= t.count; i++) {
		const struct ptwalk_ft_vma *x = i < t.count ? &v[i] : &t.overflow;

		done += x->minor + x->major;
	}
	av = ft_vma_of(&t, v, (uintptr_t)area);
	TH_LOG("%u threads blocked, %s: nmissed %llu, %lld faults done (minflt+majflt %lld), blocked VMA %llu faults %llu retried",
	       nthr, pool ? "a pool" : "no pool", (unsigned long long)t.nmissed, done,
	       done1 - done0, av ? (unsigned long long)av->faults : 0ULL,
	       av ? (unsigned long long)av->retry : 0ULL);
	if (pool) {
		/*
		 * At least the threads beyond maxactive; at most every traced
		 * call: each thread's fault, its retry once woken (while others
		 * still hold their instance), a few more.  The child's
		 * thousands: none.
		 */
		EXPECT_LE(nthr - maxactive, t.nmissed);
		EXPECT_GE(2 * nthr + 64, t.nmissed);
	} else {
		/* every call followed: each thread's wait (a retry), then its fault */
		EXPECT_EQ(0, t.nmissed);
		EXPECT_EQ(done1 - done0, done);
		ASSERT_NE(NULL, av);
		EXPECT_LE(nthr, av->retry);
		EXPECT_LE(2 * nthr, av->faults);
	}

	/* no blocked thread: another process's faults cost the trace nothing */
	child = noisy_child(go, noise);
	ASSERT_LT(0, child);
	close(go[0]);
	ASSERT_EQ(0, ft_op(self->fd, &t, PTWALK_FT_START, getpid(), NULL, 0));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(child, waitpid(child, NULL, 0));
	close(go[1]);
	ASSERT_EQ(0, ft_op(self->fd, &t, PTWALK_FT_STOP, 0, NULL, 0));
	EXPECT_EQ(0, t.nmissed);
	ASSERT_EQ(0, ft_op(self->fd, &t, PTWALK_FT_RESET, 0, NULL, 0));
	munmap(area, nthr * pg);
	close(uffd);
	close(rfd[0]);
	close(rfd[1]);
	free(th);
}

/* A zombie (exited, not reaped yet) has nothing left to trace: ESRCH. */
TEST_F(vm, trace_start_on_zombie)
{
	struct ptwalk_fault_trace t;
	siginfo_t si;
	pid_t z;

	ft_op(self->fd, &t, PTWALK_FT_STOP, 0, NULL, 0);
	z = fork();
	if (!z)
		_exit(0);
	ASSERT_LT(0, z);
	ASSERT_EQ(0, waitid(P_PID, z, &si, WEXITED | WNOWAIT));
	EXPECT_EQ(-ESRCH, ft_op(self->fd, &t, PTWALK_FT_START, z, NULL, 0));
	ASSERT_EQ(z, waitpid(z, NULL, 0));
	EXPECT_EQ(-ESRCH, ft_op(self->fd, &t, PTWALK_FT_START, z, NULL, 0));
}

/* N fresh pages written in one VMA: >= N minor write faults there, none elsewhere. */
TEST_F(vm, trace_counts_faults_by_vma)
{
	static struct ptwalk_ft_vma v[256];
	const unsigned int npages = 64;
	struct ptwalk_fault_trace t;
	uint64_t others = 0, hist = 0, all = 0;
	int ready[2], go[2], found = 0;
	unsigned int i;
	char *p;
	pid_t pid;
	char c;

	p = mmap(NULL, npages * SZ_4K, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, thp_advise(p, npages * SZ_4K, MADV_NOHUGEPAGE));
	/* ready first: the child's own post-fork faults fall before the trace */
	pid = phased_child(p, npages, PAGES_NONE, PAGES_WRITE, ready, go);
	ASSERT_LE(0, pid);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, trace_phase(self->fd, pid, go[1], ready[0], &t, v, 256));
	ASSERT_EQ(1, write(go[1], "g", 1));
	waitpid(pid, NULL, 0);
	EXPECT_EQ(pid, t.traced_pid);
	EXPECT_EQ(0, t.nmissed);
	for (i = 0; i < t.count; i++) {
		all += v[i].faults;
		if (v[i].start <= (uintptr_t)p && (uintptr_t)p < v[i].end) {
			found = 1;
			EXPECT_LE(npages, v[i].faults);
			EXPECT_LE(npages, v[i].write);
			EXPECT_LE(npages, v[i].minor);
			EXPECT_EQ(0, v[i].major);
			EXPECT_EQ(0, v[i].error);
			EXPECT_EQ(0, v[i].protection);	/* fresh pages: not present */
			EXPECT_EQ(v[i].faults, v[i].minor + v[i].major + v[i].retry + v[i].error);
		} else {
			others += v[i].faults;
		}
	}
	for (i = 0; i < PTWALK_FT_HIST; i++)
		hist += t.hist[i];
	EXPECT_TRUE(found);
	EXPECT_EQ(0, others) TH_LOG("%llu faults outside the touched VMA",
				    (unsigned long long)others);
	EXPECT_EQ(all + t.overflow.faults, hist);
	/*
	 * Durations are plausible: no fault takes under 2 ns (bucket 0, where
	 * a coarse clock puts them all), none 2^31 ns (where a negative delta
	 * across CPUs lands).
	 */
	EXPECT_EQ(0, t.hist[0]) TH_LOG("%llu of %llu faults in 0-1 ns",
				      (unsigned long long)t.hist[0], (unsigned long long)hist);
	EXPECT_EQ(0, t.hist[PTWALK_FT_HIST - 1]);
}

/*
 * Protection faults: N pages read first (the zero page, read-only), then
 * written: every write faults on a present entry.  A PROT_NONE page made
 * accessible again faults on an absent one.
 */
TEST_F(vm, trace_protection_faults)
{
	static struct ptwalk_ft_vma v[256];
	const unsigned int npages = 32;
	struct ptwalk_fault_trace t;
	const struct ptwalk_ft_vma *vma;
	int ready[2], go[2];
	char *p, c;
	pid_t pid;

	p = mmap(NULL, npages * SZ_4K, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, thp_advise(p, npages * SZ_4K, MADV_NOHUGEPAGE));
	pid = phased_child(p, npages, PAGES_READ, PAGES_WRITE, ready, go);
	ASSERT_LE(0, pid);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, trace_phase(self->fd, pid, go[1], ready[0], &t, v, 256));
	ASSERT_EQ(1, write(go[1], "g", 1));
	waitpid(pid, NULL, 0);
	vma = ft_vma_of(&t, v, (uintptr_t)p);
	ASSERT_NE(NULL, vma);
	EXPECT_LE(npages, vma->protection);
	EXPECT_LE(npages, vma->write);
	EXPECT_GE(vma->faults, vma->protection);
	TH_LOG("%llu faults, %llu on present entries", (unsigned long long)vma->faults,
	       (unsigned long long)vma->protection);
}

/*
 * Start a trace of a child that then runs @life and exits; return once it
 * is reaped, with the trace still on.  0, or -1 if any step failed.
 */
static int trace_whole_life(int fd, struct ptwalk_fault_trace *t, void (*life)(void))
{
	int go[2];
	pid_t pid;
	char c;

	if (pipe(go))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		life();
		_exit(0);
	}
	if (ft_op(fd, t, PTWALK_FT_START, pid, NULL, 0) || write(go[1], "g", 1) != 1)
		return -1;
	return waitpid(pid, NULL, 0) == pid ? 0 : -1;
}

static void touch_and_exit(void)
{
	toucher(NULL);
}

static void exec_dd(void)
{
	execl("/bin/dd", "dd", "if=/dev/zero", "of=/dev/null", "bs=4M", "count=1",
	      "status=none", (char *)NULL);
	_exit(2);
}

/* The traced process exits mid-trace: counters stay, nothing complains. */
TEST_F(vm, trace_target_exits)
{
	static struct ptwalk_ft_vma v[256];
	struct ptwalk_fault_trace t;
	uint64_t all = 0;
	unsigned int i;

	ASSERT_EQ(0, trace_whole_life(self->fd, &t, touch_and_exit));
	ASSERT_EQ(0, ft_op(self->fd, &t, PTWALK_FT_READ, 0, v, 256));
	EXPECT_EQ(1, t.running);
	ASSERT_EQ(0, ft_op(self->fd, &t, PTWALK_FT_STOP, 0, NULL, 0));
	ASSERT_EQ(0, ft_op(self->fd, &t, PTWALK_FT_READ, 0, v, 256));
	for (i = 0; i < t.count; i++)
		all += v[i].faults;
	EXPECT_LE(256, all);
	ASSERT_EQ(0, ft_op(self->fd, &t, PTWALK_FT_RESET, 0, NULL, 0));
	EXPECT_EQ(0, t.total_vmas);
	EXPECT_EQ(-ENODATA, ft_op(self->fd, &t, PTWALK_FT_READ, 0, v, 256));
}

/*
 * The traced process execs: the trace follows it into the new image (dd
 * with a 4 MiB buffer faults it in, page by page) and nothing complains.
 */
TEST_F(vm, trace_follows_exec)
{
	static struct ptwalk_ft_vma v[256];
	struct ptwalk_fault_trace t;
	uint64_t big = 0;
	unsigned int i;

	ASSERT_EQ(0, trace_whole_life(self->fd, &t, exec_dd));
	ASSERT_EQ(0, ft_op(self->fd, &t, PTWALK_FT_STOP, 0, NULL, 0));
	ASSERT_EQ(0, ft_op(self->fd, &t, PTWALK_FT_READ, 0, v, 256));
	for (i = 0; i < t.count; i++)
		if (v[i].end - v[i].start >= (4UL << 20))
			big += v[i].faults;
	EXPECT_LE(1000, big) TH_LOG("%llu faults in VMAs of 4 MiB or more after exec",
				    (unsigned long long)big);
}

/* Reading back swapped-out pages: major faults, in the trace and in /proc. */
TEST_F(vm, trace_major_faults_from_swap)
{
	static struct ptwalk_ft_vma v[256];
	const unsigned int npages = 64;
	struct ptwalk_fault_trace t;
	struct ptwalk_faults f = { .size = sizeof(f) };
	const struct ptwalk_ft_vma *vma;
	int ready[2], go[2];
	uint64_t major = 0;
	long long st[4], before[4];
	pid_t pid;
	char c;
	char *p;

	if (access("/dev/zram0", F_OK) || system("grep -q zram0 /proc/swaps"))
		SKIP(return, "no swap device");
	p = mmap(NULL, npages * SZ_4K, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, thp_advise(p, npages * SZ_4K, MADV_NOHUGEPAGE));
	pid = phased_child(p, npages, PAGES_WRITE_PAGEOUT, PAGES_READ, ready, go);
	ASSERT_LE(0, pid);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, proc_stat_faults(pid, before));
	ASSERT_EQ(0, trace_phase(self->fd, pid, go[1], ready[0], &t, v, 256));
	f.pid = pid;
	ASSERT_EQ(0, ioctl(self->fd, PTWALK_IOC_FAULTS, &f));
	ASSERT_EQ(0, proc_stat_faults(pid, st));
	ASSERT_EQ(1, write(go[1], "g", 1));
	waitpid(pid, NULL, 0);
	vma = ft_vma_of(&t, v, (uintptr_t)p);
	ASSERT_NE(NULL, vma);
	major = vma->major;
	/* pages still in the swap cache come back minor: the kernel's count decides */
	EXPECT_EQ(st[2] - before[2], (long long)major) TH_LOG("major faults in the VMA: %llu",
							    (unsigned long long)major);
	EXPECT_LT(0, major);
	EXPECT_EQ(st[2], (long long)f.maj_flt);
}

/* A file read after drop_caches, with readahead off: a major fault a page. */
TEST_F(vm, trace_major_faults_after_drop_caches)
{
	static struct ptwalk_ft_vma v[256];
	const char *path = "/mnt/ext2/ptw_major";
	const unsigned int npages = 32;
	const struct ptwalk_ft_vma *vma;
	struct ptwalk_fault_trace t;
	int ready[2], go[2], fd;
	uint64_t major = 0;
	unsigned int i;
	char buf[4096];
	pid_t pid;
	char c, *p;

	if (system("grep -q ' /mnt/ext2 ' /proc/mounts"))
		SKIP(return, "no disk file system mounted at /mnt/ext2");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	memset(buf, 'm', sizeof(buf));
	for (i = 0; i < npages; i++)
		ASSERT_EQ((ssize_t)sizeof(buf), write(fd, buf, sizeof(buf)));
	ASSERT_EQ(0, fsync(fd));
	ASSERT_EQ(0, system("echo 3 > /proc/sys/vm/drop_caches"));
	p = mmap(NULL, npages * SZ_4K, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, madvise(p, npages * SZ_4K, MADV_RANDOM));
	pid = phased_child(p, npages, PAGES_NONE, PAGES_READ, ready, go);
	ASSERT_LE(0, pid);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, trace_phase(self->fd, pid, go[1], ready[0], &t, v, 256));
	ASSERT_EQ(1, write(go[1], "g", 1));
	waitpid(pid, NULL, 0);
	vma = ft_vma_of(&t, v, (uintptr_t)p);
	ASSERT_NE(NULL, vma);
	major = vma->major;
	EXPECT_LE(npages / 2, major) TH_LOG("major faults in the file VMA: %llu",
					    (unsigned long long)major);
	close(fd);
	unlink(path);
}

static int slurp(const char *cmd, char *buf, size_t len)
{
	FILE *f = popen(cmd, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	return WEXITSTATUS(pclose(f));
}

/*
 * The debugfs vmstat text as /proc/vmstat's: "name value" lines of names
 * /proc/vmstat has, and "# " comments (the events this kernel lacks).
 */
static void vmstat_lines(struct __test_metadata *_metadata, const char *text)
{
	unsigned int values = 0, comments = 0;
	static char buf[1 << 16];
	char *line, *save;

	snprintf(buf, sizeof(buf), "%s", text);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64], rest[2];
		unsigned long long v;

		if (line[0] == '#') {
			comments++;
			continue;
		}
		ASSERT_EQ(2, sscanf(line, "%63s %llu%1s", name, &v, rest)) TH_LOG("line \"%s\"", line);
		EXPECT_LE(0, proc_vmstat(name)) TH_LOG("%s not in /proc/vmstat", name);
		values++;
	}
	EXPECT_LT(0, values);
	TH_LOG("vmstat: %u name-value lines, %u comments", values, comments);
}

TEST(debugfs_and_cli)
{
	static char buf[1 << 16];
	char cmd[128];

	ASSERT_EQ(0, slurp("cat /sys/kernel/debug/ptwalk/zones", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "headroom"));
	EXPECT_NE(NULL, strstr(buf, "free_blocks:"));
	EXPECT_NE(NULL, strstr(buf, "with_boost: min "));
	ASSERT_EQ(0, slurp("cat /sys/kernel/debug/ptwalk/vmstat", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "pgfault "));
	vmstat_lines(_metadata, buf);
	/* what the kernel's config lacks is listed absent, never left out silently */
	EXPECT_EQ(!have_thp(), !!strstr(buf, "\n# thp_fault_alloc absent (no CONFIG_TRANSPARENT_HUGEPAGE)\n"));
	EXPECT_EQ(have_thp(), proc_vmstat("thp_fault_alloc") >= 0);
	snprintf(cmd, sizeof(cmd), "echo %d > /sys/kernel/debug/ptwalk/target", getpid());
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(0, slurp("cat /sys/kernel/debug/ptwalk/faults", buf, sizeof(buf)));
	snprintf(cmd, sizeof(cmd), "pid %d threads 1", getpid());
	EXPECT_NE(NULL, strstr(buf, cmd)) TH_LOG("%s", buf);
	ASSERT_EQ(0, slurp("ptwalk zones --json", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "\"headroom\""));
	ASSERT_EQ(0, slurp("ptwalk vmstat", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "pgmajfault"));
	snprintf(cmd, sizeof(cmd), "ptwalk faults --json %d", getpid());
	ASSERT_EQ(0, slurp(cmd, buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "\"maj_flt\""));
	EXPECT_EQ(1, slurp("ptwalk faults 999999999 2>/dev/null", buf, sizeof(buf)));
	snprintf(cmd, sizeof(cmd), "ptwalk faults --json %d --trace 1 2>/dev/null", getpid());
	ASSERT_EQ(0, slurp(cmd, buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "\"hist_log2_ns\""));
	EXPECT_EQ(2, slurp("ptwalk faults 1 --trace xyz 2>/dev/null", buf, sizeof(buf)));
}

TEST_HARNESS_MAIN
