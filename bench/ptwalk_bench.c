// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_bench: ptwalk against /proc/self/pagemap on the same ranges, in
 * the same guest run, both sides warmed.  Prints pages/s and the ratio
 * ptwalk time / pagemap time per case; a ratio below 1 means ptwalk is
 * faster.  Not a test: nothing here passes or fails.
 *
 * Each case ends in one line "(x) NAME ratio_vs_pagemap=R spread=S": after
 * a warm-up of both, REPS rounds each time pagemap, then ptwalk; R is the
 * best ptwalk time over the best pagemap time, S the range of the rounds'
 * own ratios (largest - smallest) over R.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/perf_event.h>
#include <time.h>
#include <unistd.h>
#include <linux/ptwalk.h>

#define SZ_4K	4096UL
#define SZ_2M	(2UL << 20)
#define SZ_1G	(1UL << 30)
#define CHUNK	65536		/* entries per pread / records per WALK */
#define NADDR	20000		/* random addresses for (d) and (e) */
#define SINGLE_LEN	(256UL << 20)	/* ...within the first 256 MiB */
#define REPS	5

static int dev, pagemap;
static uint64_t pm_buf[CHUNK];
static struct ptwalk_record rec_buf[CHUNK];
static struct ptwalk_record_compact crec_buf[CHUNK];

/*
 * The guest's clocksource: with hpet (a TCG guest's TSC may be marked
 * unstable; the 6.1 guest's is, even on a quiet host) every clock read is
 * an emulated MMIO access, and (f)'s tracer reads the clock twice a fault.
 */
static void print_clocksource(const char *when)
{
	char cs[64] = "?";
	FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");

	if (f) {
		if (!fgets(cs, sizeof(cs), f))
			strcpy(cs, "?");
		fclose(f);
	}
	cs[strcspn(cs, "\n")] = 0;
	printf("clocksource at the %s: %s\n", when, cs);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "ptwalk_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* pread the pagemap of [start, end) in CHUNK-entry slices. */
static void pagemap_range(uintptr_t start, uintptr_t end)
{
	uintptr_t va;

	for (va = start; va < end; va += CHUNK * SZ_4K) {
		size_t n = (end - va) / SZ_4K < CHUNK ? (end - va) / SZ_4K : CHUNK;

		if (pread(pagemap, pm_buf, n * 8, (va / SZ_4K) * 8) != (ssize_t)(n * 8))
			die("pread pagemap");
	}
}

static unsigned long walk_range(uintptr_t start, uintptr_t end, unsigned int mode)
{
	unsigned long records = 0;

	while (start < end) {
		struct ptwalk_walk req = {
			.size = sizeof(req), .pid = getpid(), .start = start, .end = end,
			.mode = mode, .record_size = sizeof(rec_buf[0]),
			.records = (uintptr_t)rec_buf, .count = CHUNK,
		};

		if (mode == PTWALK_WALK_COMPACT) {
			req.record_size = sizeof(crec_buf[0]);
			req.records = (uintptr_t)crec_buf;
		}

		if (ioctl(dev, PTWALK_IOC_WALK, &req))
			die("WALK");
		records += req.count;
		start = req.next;
	}
	return records;
}

/* A timed piece of work; fields a job does not need stay zero. */
struct job {
	void (*fn)(struct job *j);
	uintptr_t start, end;
	unsigned int mode;	/* WALK mode, or TRANSLATE fields */
	unsigned long result;
	pid_t pid;		/* TRANSLATE target; 0: ourselves */
};

#define MEMORY	"/sys/kernel/debug/ptwalk/memory"

/* Peak kernel memory the module's ioctls held during one run of @j. */
static long call_memory(struct job *j)
{
	char buf[128];
	long live = -1, peak = -1;
	int fd = open(MEMORY, O_RDWR);

	if (fd < 0 || write(fd, "0", 1) != 1)
		return -1;
	j->fn(j);
	if (pread(fd, buf, sizeof(buf) - 1, 0) > 0 &&
	    sscanf(buf, "ioctl buffers: live %ld bytes, peak %ld", &live, &peak) != 2)
		peak = -1;
	close(fd);
	return peak;
}

static double timed(struct job *j)
{
	double t0 = now();

	j->fn(j);
	return now() - t0;
}

/*
 * ptwalk's @pw against pagemap's @pm, interleaved; prints the case's line
 * and returns the best ptwalk time (and the best pagemap one in *@pm_best).
 */
static double compare(const char *tag, const char *name, struct job *pm, struct job *pw,
		      double *pm_best)
{
	double bp = 1e9, bw = 1e9, rmin = 1e9, rmax = 0, tp, tw;
	int rep;

	pm->fn(pm);
	pw->fn(pw);
	for (rep = 0; rep < REPS; rep++) {
		tp = timed(pm);
		tw = timed(pw);
		bp = tp < bp ? tp : bp;
		bw = tw < bw ? tw : bw;
		rmin = tw / tp < rmin ? tw / tp : rmin;
		rmax = tw / tp > rmax ? tw / tp : rmax;
	}
	printf("%s %s ratio_vs_pagemap=%.3f spread=%.3f\n", tag, name, bw / bp,
	       (rmax - rmin) / (bw / bp));
	if (pm_best)
		*pm_best = bp;
	return bw;
}

/*
 * Instructions (user and kernel) of one run of @j, where the guest has a
 * PMU; -1 where it has none (TCG emulates none).
 */
static long long insns(struct job *j)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_HARDWARE, .size = sizeof(a),
		.config = PERF_COUNT_HW_INSTRUCTIONS, .disabled = 1, .exclude_hv = 1,
	};
	long long n = -1;
	int fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);

	if (fd < 0)
		return -1;
	ioctl(fd, PERF_EVENT_IOC_RESET, 0);
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	j->fn(j);
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	if (read(fd, &n, sizeof(n)) != sizeof(n))
		n = -1;
	close(fd);
	return n;
}

static void pagemap_job(struct job *j)
{
	pagemap_range(j->start, j->end);
}

static void walk_job(struct job *j)
{
	j->result = walk_range(j->start, j->end, j->mode);
}

static void range_case(const char *tag, uintptr_t start, uintptr_t end, bool compact)
{
	unsigned long pages = (end - start) / SZ_4K;
	struct job pmj = { pagemap_job, start, end };
	struct job recj = { walk_job, start, end, PTWALK_WALK_RECORDS };
	struct job extj = { walk_job, start, end, PTWALK_WALK_EXTENTS };
	struct job cj = { walk_job, start, end, PTWALK_WALK_COMPACT };
	double pm, rec, ext, com = 0;

	rec = compare(tag, "records", &pmj, &recj, &pm);
	ext = compare(tag, "extents", &pmj, &extj, NULL);
	if (compact)
		com = compare(tag, "compact", &pmj, &cj, NULL);
	printf("%s %lu pages: pagemap %.4fs (%.1f ns a page), records %.4fs (%.1f ns, "
	       "%lu records), extents %.4fs (%.1f ns, %lu extents)", tag, pages, pm,
	       pm / pages * 1e9, rec, rec / pages * 1e9, recj.result, ext, ext / pages * 1e9,
	       extj.result);
	if (compact)
		printf(", compact %.4fs (%.1f ns, %lu records)", com, com / pages * 1e9, cj.result);
	printf("\n%s kernel memory per call (module's ioctl buffers, peak): records %ld bytes, "
	       "extents %ld bytes", tag, call_memory(&recj), call_memory(&extj));
	if (compact)
		printf(", compact %ld bytes", call_memory(&cj));
	printf("\n");
}

static char *map(size_t len, int prot, int extra)
{
	char *p = mmap(NULL, len + SZ_2M, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		       extra, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return (char *)(((uintptr_t)p + SZ_2M - 1) & ~(SZ_2M - 1));
}

static void touch(char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += SZ_4K)
		p[i] = 1;
}

static uint64_t addrs[NADDR];
static struct ptwalk_xlate xs[NADDR];

/* (d) and (e)'s addresses: NADDR 4K pages of the first SINGLE_LEN at @p, the same each run */
static void random_addrs(char *p)
{
	unsigned int seed = 42, i;

	for (i = 0; i < NADDR; i++)
		addrs[i] = (uintptr_t)p + (rand_r(&seed) % (SINGLE_LEN / SZ_4K)) * SZ_4K;
}

static void pagemap_each_job(struct job *j)
{
	uint64_t entry;
	unsigned int i;

	for (i = 0; i < NADDR; i++)
		if (pread(pagemap, &entry, 8, addrs[i] / SZ_4K * 8) != 8)
			die("pread");
}

static void translate(pid_t pid, unsigned int first, unsigned int count, unsigned int fields)
{
	struct ptwalk_translate req = {
		.size = sizeof(req), .pid = pid ? pid : getpid(), .count = count,
		.xlate_size = sizeof(xs[0]), .addrs = (uintptr_t)&addrs[first],
		.results = (uintptr_t)&xs[first], .fields = fields,
	};

	if (ioctl(dev, PTWALK_IOC_TRANSLATE, &req))
		die("TRANSLATE");
}

static void translate_each_job(struct job *j)
{
	unsigned int i;

	for (i = 0; i < NADDR; i++)
		translate(j->pid, i, 1, j->mode);
}

static void translate_batch_job(struct job *j)
{
	translate(j->pid, 0, NADDR, j->mode);
}

/* The floor under (d): an ioctl that walks nothing. */
static void get_info_job(struct job *j)
{
	struct ptwalk_info info = { .size = sizeof(info) };
	unsigned int i;

	for (i = 0; i < NADDR; i++)
		if (ioctl(dev, PTWALK_IOC_GET_INFO, &info))
			die("GET_INFO");
}

/* The floor of any call: a system call that does nothing. */
static void getppid_job(struct job *j)
{
	unsigned int i;

	for (i = 0; i < NADDR; i++)
		syscall(SYS_getppid);
}

/* ...and under that: an ioctl number the module refuses at once (ENOTTY). */
static void enotty_job(struct job *j)
{
	struct ptwalk_info info = { .size = sizeof(info) };
	unsigned int i;

	for (i = 0; i < NADDR; i++)
		if (ioctl(dev, _IOWR(PTWALK_IOC_MAGIC, 0x7f, struct ptwalk_info), &info) != -1)
			die("ioctl 0x7f");
}

/* TRANSLATE of a kernel address: copy in, target, policy, copy out; no walk */
static uint64_t kaddr = 0xffffffff81000000ULL;

static void translate_kernel_job(struct job *j)
{
	struct ptwalk_translate req = {
		.size = sizeof(req), .pid = getpid(), .count = 1, .xlate_size = sizeof(xs[0]),
		.addrs = (uintptr_t)&kaddr, .results = (uintptr_t)&xs[0],
		.fields = PTWALK_XF_LEAF,
	};
	unsigned int i;

	for (i = 0; i < NADDR; i++)
		if (ioctl(dev, PTWALK_IOC_TRANSLATE, &req) || xs[0].error != -EFAULT)
			die("TRANSLATE kernel address");
}

static struct job *pm_each;	/* (d)'s pagemap job, timed beside each per-call line */

/*
 * One part of (d)'s cost, interleaved with pagemap as compare() does (the
 * machine's load moves both alike): its ratio, and the time that ratio
 * gives of pagemap's best.
 */
static void per_call(const char *what, struct job *j)
{
	double bp = 1e9, bw = 1e9, tp, tw;
	long long n = insns(j);
	int rep;

	pm_each->fn(pm_each);
	j->fn(j);
	for (rep = 0; rep < REPS; rep++) {
		tp = timed(pm_each);
		tw = timed(j);
		bp = tp < bp ? tp : bp;
		bw = tw < bw ? tw : bw;
	}
	printf("%s %-44s %6.3f us (%.3f of a pagemap pread)",
	       j->fn == translate_batch_job ? "(e) per address:" : "(d) per call:", what,
	       bw / NADDR * 1e6, bw / bp);
	if (n >= 0)
		printf(", %lld instructions", n / NADDR);
	printf("\n");
}

static void b_parts(struct job *b)
{
	b->mode = PTWALK_XF_LEAF;
	per_call("leaf only", b);
	b->mode = PTWALK_XF_LEAF | PTWALK_XF_LEVELS;
	per_call("  + every level", b);
	b->mode = PTWALK_XF_LEAF | PTWALK_XF_LEVELS | PTWALK_XF_VMA;
	per_call("  + the VMA, no name", b);
	b->mode = PTWALK_XF_ALL & ~PTWALK_XF_PAGE;
	per_call("  + its name (all but the page)", b);
	b->mode = PTWALK_XF_ALL;
	per_call("  + the page (the full answer)", b);
}

static void single_cases(char *p)
{
	struct job pmj = { pagemap_each_job };
	struct job full = { translate_each_job }, lean = { translate_each_job };
	struct job batch = { translate_batch_job }, lean_batch = { translate_batch_job };
	struct job j = { translate_each_job };
	struct job enotty = { enotty_job }, info = { get_info_job }, sys = { getppid_job };
	struct job kern = { translate_kernel_job };
	double pm, one, onel, b, bl;
	pid_t child;

	random_addrs(p);
	lean.mode = PTWALK_XF_LEAF;
	lean_batch.mode = PTWALK_XF_LEAF;
	one = compare("(d)", "single", &pmj, &full, &pm);
	pm_each = &pmj;
	onel = compare("(d)", "single_lean", &pmj, &lean, NULL);
	b = compare("(e)", "batch", &pmj, &batch, NULL);
	bl = compare("(e)", "batch_lean", &pmj, &lean_batch, NULL);
	printf("(d)/(e) %u random addresses in 256 MiB: pagemap one-entry preads %.2f us each, "
	       "one TRANSLATE each %.3f us (lean %.3f), one batch %.3f us per address "
	       "(lean %.3f)\n", NADDR, pm / NADDR * 1e6, one / NADDR * 1e6, onel / NADDR * 1e6,
	       b / NADDR * 1e6, bl / NADDR * 1e6);
	printf("(d)/(e) kernel memory per call (module's ioctl buffers, peak): single %ld bytes, "
	       "batch %ld bytes\n", call_memory(&full), call_memory(&batch));
	/* where a call's time goes: each line adds one part to the one above */
	per_call("getppid() (a system call, no file)", &sys);
	per_call("empty ioctl (unknown number: ENOTTY)", &enotty);
	per_call("GET_INFO (copy in, policy, copy out)", &info);
	per_call("TRANSLATE, kernel address (no lock, no walk)", &kern);
	j.mode = PTWALK_XF_LEAF;
	per_call("TRANSLATE leaf only (lock, walk)", &j);
	j.mode = PTWALK_XF_LEAF | PTWALK_XF_LEVELS;
	per_call("  + every level", &j);
	j.mode = PTWALK_XF_LEAF | PTWALK_XF_LEVELS | PTWALK_XF_VMA;
	per_call("  + the VMA, no name", &j);
	j.mode = PTWALK_XF_ALL & ~PTWALK_XF_PAGE;
	per_call("  + its name (all but the page)", &j);
	j.mode = PTWALK_XF_ALL;
	per_call("  + the page (the full answer)", &j);
	j.mode = PTWALK_XF_ALL & ~PTWALK_XF_VMA_NAME;
	per_call("full answer but the VMA name", &j);
	/* another process: pid -> task -> mm with references (a forked copy) */
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		pause();
		_exit(0);
	}
	/* the same parts in one batch: what an address costs past the call */
	b_parts(&batch);
	j.pid = child;
	j.mode = PTWALK_XF_LEAF;
	per_call("TRANSLATE leaf only, another process", &j);
	j.mode = PTWALK_XF_ALL;
	per_call("TRANSLATE full, another process", &j);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

/*
 * Case p (scripts/guest-profile.py samples the guest's vCPUs meanwhile):
 * each part of (d), (e) and (a) again and again for PROFILE_S seconds,
 * between markers the sampler waits for.
 */
#define PROFILE_S	20

static void profile_one(const char *name, struct job *j)
{
	const char *only = getenv("PTWALK_PROFILE_PART");
	double t0 = now();
	unsigned long runs = 0;

	if (only && *only && strcmp(only, name))
		return;
	printf("PTWALK-PROFILE begin %s\n", name);
	while (now() - t0 < PROFILE_S) {
		j->fn(j);
		runs++;
	}
	printf("PTWALK-PROFILE end %s %lu runs\n", name, runs);
}

static void profile_cases(char *p)
{
	struct job batch_lean = { translate_batch_job, .mode = PTWALK_XF_LEAF };
	struct job batch = { translate_batch_job, .mode = PTWALK_XF_ALL };
	struct job single_lean = { translate_each_job, .mode = PTWALK_XF_LEAF };
	struct job records = { walk_job, (uintptr_t)p, (uintptr_t)p + SZ_1G, PTWALK_WALK_RECORDS };
	/* one PTE table's worth: a call short enough for --trace to step */
	struct job pm_2m = { pagemap_job, (uintptr_t)p, (uintptr_t)p + SZ_2M };
	struct job rec_2m = { walk_job, (uintptr_t)p, (uintptr_t)p + SZ_2M, PTWALK_WALK_RECORDS };
	struct job com_2m = { walk_job, (uintptr_t)p, (uintptr_t)p + SZ_2M, PTWALK_WALK_COMPACT };

	random_addrs(p);
	profile_one("e_batch_lean", &batch_lean);
	profile_one("e_batch_full", &batch);
	profile_one("d_single_lean", &single_lean);
	profile_one("a_records", &records);
	profile_one("a_pagemap_2m", &pm_2m);
	profile_one("a_records_2m", &rec_2m);
	profile_one("a_compact_2m", &com_2m);
}

/* (c)'s shape, 16 MiB of it: 1% of the pages touched, then PROT_NONE */
static void profile_sparse(void)
{
	const size_t len = 8 * SZ_2M;
	char *p = map(len, PROT_READ | PROT_WRITE, 0);
	struct job pm = { pagemap_job, (uintptr_t)p, (uintptr_t)p + len };
	struct job ext = { walk_job, (uintptr_t)p, (uintptr_t)p + len, PTWALK_WALK_EXTENTS };
	unsigned int seed = 7, i;

	madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len / SZ_4K / 100; i++)
		p[(rand_r(&seed) % (len / SZ_4K)) * SZ_4K] = 1;
	if (mprotect(p, len, PROT_NONE))
		die("mprotect");
	profile_one("c_pagemap_16m", &pm);
	profile_one("c_extents_16m", &ext);
	munmap(p, len);
}

static int fault_trace(unsigned int op, pid_t pid)
{
	struct ptwalk_fault_trace t = { .size = sizeof(t), .op = op, .pid = pid };

	return ioctl(dev, PTWALK_IOC_FAULT_TRACE, &t);
}

/* Fault loop: touch 64 MiB of fresh pages, unmap, again. */
static void fault_loop(struct job *j)
{
	int i;

	for (i = 0; i < 4; i++) {
		char *p = mmap(NULL, 64UL << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap");
		madvise(p, 64UL << 20, MADV_NOHUGEPAGE);
		touch(p, 64UL << 20);
		munmap(p, 64UL << 20);
	}
}

/* One untimed loop (the emulator retranslates patched code), one timed. */
static double settled_loop(struct job *loop)
{
	double t0;

	loop->fn(loop);
	t0 = now();
	loop->fn(loop);
	return now() - t0;
}

/*
 * Off and on alternate, so drift in the guest weighs on both alike; each
 * switch patches kernel text, which TCG pays for in the loop after it.
 */
static void trace_case(void)
{
	struct job loop = { fault_loop };
	double off = 1e9, on = 1e9, other = 1e9, t;
	int rep;

	for (rep = 0; rep < 4; rep++) {
		t = settled_loop(&loop);
		if (t < off)
			off = t;
		if (fault_trace(PTWALK_FT_START, getpid()))
			die("FAULT_TRACE start");
		t = settled_loop(&loop);
		fault_trace(PTWALK_FT_STOP, 0);
		if (t < on)
			on = t;
		/* what everyone else pays while one process is traced: init here */
		if (fault_trace(PTWALK_FT_START, 1))
			die("FAULT_TRACE start");
		t = settled_loop(&loop);
		fault_trace(PTWALK_FT_STOP, 0);
		if (t < other)
			other = t;
	}
	printf("(f) fault loop of 65536 faults: trace off %.4fs, on %.4fs, "
	       "another process traced %.4fs\n", off, on, other);
	printf("(f) untraced process while another is traced: slowdown=%.3f\n", other / off);
	printf("(f) fault_trace slowdown=%.3f\n", on / off);
}

/* Case q, as case p: the fault loop untraced, then traced. */
static void profile_faults(void)
{
	struct job loop = { fault_loop };

	profile_one("f_faults_off", &loop);
	if (fault_trace(PTWALK_FT_START, getpid()))
		die("FAULT_TRACE start");
	profile_one("f_faults_traced", &loop);
	fault_trace(PTWALK_FT_STOP, 0);
}

/* ptwalk_bench [CASES]: the cases to run, e.g. "ad"; all by default. */
/*
 * (f) the fault trace's cost on a fault-heavy process: 2 threads, each
 * mapping, touching and unmapping 1 MiB of anonymous memory over and
 * over.  Off means no trace ran for FTOO_DISARM s, so the module's probes
 * are unregistered (the kernel's own fault path); on means this process
 * traced.  Each run follows an untimed one (TCG retranslates patched
 * text).  Best of FTOO_RUNS each; spread = (max - min) / min of the
 * worse side.  "stopped" is the cost while the probes are still armed
 * just after a STOP.
 */
#define FTOO_RUNS	6
#define FTOO_DISARM	3	/* s: the module disarms 2 s after a STOP */
#define FTOO_MIBS	64	/* MiB each thread maps and touches, 1 at a time */

static void *ftoo_thread(void *arg)
{
	const size_t len = 1UL << 20;
	int i;

	(void)arg;
	for (i = 0; i < FTOO_MIBS; i++) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		size_t o;

		if (p == MAP_FAILED)
			die("mmap");
		madvise(p, len, MADV_NOHUGEPAGE);
		for (o = 0; o < len; o += SZ_4K)
			p[o] = 1;
		munmap(p, len);
	}
	return NULL;
}

static void fault_trace_on_off(void)
{
	double t[3][FTOO_RUNS], best[3], worst[3], t0, spread;
	struct ptwalk_fault_trace ft = { .size = sizeof(ft) };
	int rep, side, k;

	for (rep = 0; rep < FTOO_RUNS; rep++) {
		for (side = 0; side < 3; side++) {
			ft.op = side == 1 ? PTWALK_FT_START : PTWALK_FT_STOP;
			ft.pid = getpid();
			ioctl(dev, PTWALK_IOC_FAULT_TRACE, &ft);
			if (side == 0)
				sleep(FTOO_DISARM);
			for (k = 0; k < 2; k++) {
				pthread_t th[2];

				t0 = now();
				if (pthread_create(&th[0], NULL, ftoo_thread, NULL) ||
				    pthread_create(&th[1], NULL, ftoo_thread, NULL))
					die("pthread_create");
				pthread_join(th[0], NULL);
				pthread_join(th[1], NULL);
				t[side][rep] = now() - t0;
			}
		}
	}
	ft.op = PTWALK_FT_STOP;
	ioctl(dev, PTWALK_IOC_FAULT_TRACE, &ft);
	for (side = 0; side < 3; side++) {
		best[side] = 1e9;
		worst[side] = 0;
		for (rep = 0; rep < FTOO_RUNS; rep++) {
			best[side] = t[side][rep] < best[side] ? t[side][rep] : best[side];
			worst[side] = t[side][rep] > worst[side] ? t[side][rep] : worst[side];
		}
	}
	spread = (worst[0] - best[0]) / best[0];
	if ((worst[1] - best[1]) / best[1] > spread)
		spread = (worst[1] - best[1]) / best[1];
	printf("(f) 2 threads x %d faults: off %.4fs, on %.4fs, stopped (probes armed) %.4fs\n",
	       FTOO_MIBS * 256, best[0], best[1], best[2]);
	printf("(f) fault_trace_on_off ratio=%.3f spread=%.3f\n", best[1] / best[0], spread);
	printf("(f) fault_trace_stopped_armed ratio=%.3f\n", best[2] / best[0]);
}

int main(int argc, char **argv)
{
	/* p and q (profiling loops) only when asked for */
	const char *cases = argc > 1 ? argv[1] : "abcdef";
	size_t len;
	char *p;
	unsigned int seed = 7, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	print_clocksource("start");
	dev = open(PTWALK_DEVICE, O_RDWR);
	pagemap = open("/proc/self/pagemap", O_RDONLY);
	if (dev < 0 || pagemap < 0)
		die("open");

	len = SZ_1G;
	p = map(len, PROT_READ | PROT_WRITE, 0);
	madvise(p, len, MADV_NOHUGEPAGE);
	touch(p, len);
	if (strchr(cases, 'a'))
		range_case("(a)", (uintptr_t)p, (uintptr_t)p + len, true);
	if (strchr(cases, 'd') || strchr(cases, 'e'))
		single_cases(p);
	if (strchr(cases, 'p'))
		profile_cases(p);
	munmap(p, len);
	if (strchr(cases, 'p'))
		profile_sparse();
	if (!strchr(cases, 'b'))
		goto sparse;

	p = map(len, PROT_READ | PROT_WRITE, 0);
	madvise(p, len, MADV_HUGEPAGE);
	touch(p, len);
	range_case("(b)", (uintptr_t)p, (uintptr_t)p + len, false);
	munmap(p, len);

sparse:
	if (!strchr(cases, 'c'))
		goto trace;
	len = 64 * SZ_1G;
	p = map(len, PROT_READ | PROT_WRITE, 0);
	madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len / SZ_4K / 100; i++)
		p[(rand_r(&seed) % (len / SZ_4K)) * SZ_4K] = 1;
	if (mprotect(p, len, PROT_NONE))
		die("mprotect");
	range_case("(c)", (uintptr_t)p, (uintptr_t)p + len, false);
	munmap(p, len);

trace:
	if (strchr(cases, 'f'))
		trace_case();
	if (strchr(cases, 'f'))
		fault_trace_on_off();
	if (strchr(cases, 'q'))
		profile_faults();
	print_clocksource("end");
	return 0;
}
