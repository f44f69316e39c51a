// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk: command-line face of ptwalk.ko.
 *   ptwalk [--json] translate PID ADDR...
 *   ptwalk [--json] zones [--watch SECONDS] | vmstat
 *   ptwalk [--json] faults PID [--trace SECONDS]
 *   ptwalk [--json] walk PID [START END] [--extents]
 *   ptwalk [--json] maps PID [--svg FILE]
 *   ptwalk [--json] pagetable PID [START END]
 *   ptwalk [--json] info | --version
 * Parses arguments, calls the ioctls, hands the answers to render.c and
 * svg.c.  Without the module, walk, maps and pagetable get their answers
 * from fallback.c (/proc/PID/pagemap) in the same structs.
 * Exit: 0 every address translated (present or not), 1 any failed,
 * 2 usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <time.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "fallback.h"
#include "render.h"
#include "svg.h"

#define EXIT_FAILED	1
#define EXIT_USAGE	2

static int opt_extents;
static int opt_watch = -1;	/* zones --watch SECONDS */
static int opt_trace = -1;	/* faults --trace SECONDS */
static const char *opt_svg;	/* maps --svg FILE */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ptwalk [--json] translate PID ADDR...\n"
		"       ptwalk [--json] zones [--watch SECONDS]\n"
		"       ptwalk [--json] vmstat\n"
		"       ptwalk [--json] faults PID [--trace SECONDS]\n"
		"       ptwalk [--json] walk PID [START END] [--extents]\n"
		"       ptwalk [--json] maps PID [--svg FILE]\n"
		"       ptwalk [--json] pagetable PID [START END]\n"
		"       ptwalk [--json] info\n"
		"       ptwalk --version\n"
		"  translate  walk PID's page tables for each ADDR (hex, 0x optional):\n"
		"             every level's entry, the leaf, the VMA and the page\n"
		"  zones      watermarks, free pages and free blocks of every zone\n"
		"  vmstat     fault and reclaim events of the whole system\n"
		"  faults     minor/major faults of PID, all threads and reaped children;\n"
		"             --trace: trace them live by VMA for SECONDS (root)\n"
		"  --watch    print the zones again every second for SECONDS; with --json\n"
		"             one compact JSON array per line (JSON Lines)\n"
		"  walk       every mapped leaf of PID in [START, END) (hex; default all);\n"
		"             --extents: runs contiguous in virtual and physical memory\n"
		"  maps       per VMA: what backs it (4K, THP, hugetlb, zero page, swap,\n"
		"             never faulted), dirty/accessed, page tables, extents, nodes;\n"
		"             --svg FILE: also draw it\n"
		"  pagetable  ptdump-style ranges of PID's page tables in [START, END),\n"
		"             holes included, then the W+X check\n"
		"  info       the loaded module: ABI, paging levels, features, the kernel\n"
		"  without the module, walk, maps and pagetable read /proc/PID/pagemap\n"
		"  and /proc/kpageflags instead, and say which fields are missing\n"
		"  --json     print JSON instead of text\n");
}

static int open_device(void)
{
	int fd = open(PTWALK_DEVICE, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "ptwalk: %s\n",
			errno == ENOENT ? ptw_strerror(ENOENT) : strerror(errno));
	return fd;
}

/*
 * The device, or FALLBACK_FD when the module is not loaded: then one line
 * on stderr says what the answer will lack (@maps: for the maps command).
 */
static int open_device_or_fallback(int maps)
{
	int fd = open(PTWALK_DEVICE, O_RDONLY | O_CLOEXEC);
	const char *const *m;

	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : open_device();
	m = fallback_missing(maps);
	fprintf(stderr, "ptwalk: module not loaded (no %s): using /proc/PID/pagemap%s;"
		" missing:", PTWALK_DEVICE, maps ? "" : " (rw/nx from the VMA)");
	for (; *m; m++)
		fprintf(stderr, " %s", *m);
	fputc('\n', stderr);
	return FALLBACK_FD;
}

static void close_device(int fd)
{
	if (fd >= 0)
		close(fd);
}

static struct maps_view source_view(int fd, int pid, int maps)
{
	struct maps_view view = { .pid = pid, .source = "ptwalk", .vmpte_kb = -1 };

	if (fd == FALLBACK_FD) {
		view.source = "pagemap";
		view.missing = fallback_missing(maps);
	}
	return view;
}

/* The ioctl, or a one-line reason on stderr and EXIT_FAILED. */
static int call(int fd, unsigned long cmd, void *arg, const char *what)
{
	if (!(fd == FALLBACK_FD ? fallback_ioctl(cmd, arg) : ioctl(fd, cmd, arg)))
		return 0;
	if (fd == FALLBACK_FD && (errno == EPERM || errno == EACCES))
		fprintf(stderr, "ptwalk: %s: permission denied: /proc/PID/maps and pagemap "
			"need ptrace-read access to the process (same user, or CAP_SYS_PTRACE)\n",
			what);
	else
		fprintf(stderr, "ptwalk: %s: %s\n", what, ptw_strerror(errno));
	return EXIT_FAILED;
}

static int get_info(int fd, struct ptwalk_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	if (fd == FALLBACK_FD)
		return fallback_ioctl(PTWALK_IOC_GET_INFO, info);
	return ioctl(fd, PTWALK_IOC_GET_INFO, info);
}

static int parse_pid(const char *s, int *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < -1 || v > INT32_MAX)
		return -1;
	*pid = (int)v;
	return 0;
}

static int parse_addr(const char *s, uint64_t *addr)
{
	char *end;

	if (*s == '-')
		return -1;
	errno = 0;
	*addr = strtoull(s, &end, 16);
	return errno || *end || end == s ? -1 : 0;
}

/* Translate @n addresses in batches the module accepts. */
static int translate(int fd, int pid, const uint64_t *addrs, unsigned int n,
		     struct ptwalk_xlate *xs, unsigned int max_batch)
{
	unsigned int done = 0;

	while (done < n) {
		struct ptwalk_translate req = {
			.size = sizeof(req),
			.pid = pid,
			.count = n - done < max_batch ? n - done : max_batch,
			.xlate_size = sizeof(*xs),
			.addrs = (uintptr_t)(addrs + done),
			.results = (uintptr_t)(xs + done),
		};

		if (ioctl(fd, PTWALK_IOC_TRANSLATE, &req))
			return -errno;
		/* no progress (or more than asked): the loop would never end */
		if (!req.done || req.done > req.count)
			return -EPROTO;
		done += req.done;
	}
	return 0;
}

static void print_json_ext(struct json_object *o, int flags)
{
	puts(json_object_to_json_string_ext(o, flags | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static void print_json(struct json_object *o)
{
	print_json_ext(o, JSON_C_TO_STRING_PRETTY);
}

static int cmd_translate(int argc, char **argv, int json)
{
	struct ptwalk_xlate *xs;
	struct ptwalk_info info;
	struct json_object *arr = NULL;
	uint64_t *addrs;
	int i, n, pid, fd, err, failed = 0;

	if (argc < 2 || parse_pid(argv[0], &pid)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	n = argc - 1;
	addrs = calloc(n, sizeof(*addrs));
	xs = calloc(n, sizeof(*xs));
	if (!addrs || !xs) {
		perror("ptwalk");
		return EXIT_FAILED;
	}
	for (i = 0; i < n; i++) {
		if (parse_addr(argv[i + 1], &addrs[i])) {
			fprintf(stderr, "ptwalk: bad address '%s' (hex expected)\n", argv[i + 1]);
			return EXIT_USAGE;
		}
	}
	fd = open_device();
	if (fd < 0)
		return EXIT_FAILED;
	if (get_info(fd, &info)) {
		fprintf(stderr, "ptwalk: GET_INFO: %s\n", strerror(errno));
		return EXIT_FAILED;
	}
	err = translate(fd, pid, addrs, n, xs, info.max_batch);
	close(fd);
	if (err) {
		fprintf(stderr, "ptwalk: pid %d: %s\n", pid, ptw_strerror(-err));
		failed = 1;
	}
	if (json)
		arr = json_object_new_array();
	for (i = 0; i < n; i++) {
		if (err)
			xs[i].va = addrs[i], xs[i].error = err;
		else if (xs[i].error)
			fprintf(stderr, "ptwalk: pid %d va 0x%" PRIx64 ": %s\n", pid,
				addrs[i], ptw_strerror(-xs[i].error));
		failed |= xs[i].error != 0;
		if (json)
			json_object_array_add(arr, render_xlate_json(pid, &xs[i],
					!!(info.features & PTWALK_FEAT_PFN_VISIBLE)));
		else if (!err)
			render_xlate_text(stdout, pid, &xs[i]);
	}
	if (json)
		print_json(arr);
	free(addrs);
	free(xs);
	return failed ? EXIT_FAILED : 0;
}

static int cmd_zones(int argc, char **argv, int json)
{
	struct ptwalk_zone zones[64];
	struct ptwalk_zones req = {
		.size = sizeof(req),
		.zone_size = sizeof(zones[0]),
		.count = 64,
		.zones = (uintptr_t)zones,
	};
	int fd, i;

	(void)argv;
	if (argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	fd = open_device();
	if (fd < 0)
		return EXIT_FAILED;
	for (i = 0;; i++) {
		req.count = 64;
		if (call(fd, PTWALK_IOC_ZONES, &req, "zones"))
			return EXIT_FAILED;
		if (opt_watch >= 0 && !json)
			printf("--- %d s\n", i);
		if (json && opt_watch >= 0)	/* JSON Lines: one compact array a second */
			print_json_ext(render_zones_json(zones, req.count), JSON_C_TO_STRING_PLAIN);
		else if (json)
			print_json(render_zones_json(zones, req.count));
		else
			render_zones_text(stdout, zones, req.count);
		fflush(stdout);
		if (i >= opt_watch || interrupted)
			break;
		sleep(1);
	}
	close(fd);
	return 0;
}

static int cmd_vmstat(int argc, char **argv, int json)
{
	struct ptwalk_vmstat_item items[256];
	struct ptwalk_vmstat req = {
		.size = sizeof(req),
		.item_size = sizeof(items[0]),
		.count = 256,
		.items = (uintptr_t)items,
	};
	int fd;

	(void)argv;
	if (argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	fd = open_device();
	if (fd < 0)
		return EXIT_FAILED;
	if (call(fd, PTWALK_IOC_VMSTAT, &req, "vmstat"))
		return EXIT_FAILED;
	close(fd);
	if (json)
		print_json(render_vmstat_json(items, req.count));
	else
		render_vmstat_text(stdout, items, req.count);
	return 0;
}

static int fault_trace_op(int fd, struct ptwalk_fault_trace *t, unsigned int op,
			  struct ptwalk_ft_vma *vmas, unsigned int room)
{
	t->size = sizeof(*t);
	t->op = op;
	t->vmas = (uintptr_t)vmas;
	t->vma_size = sizeof(*vmas);
	t->count = room;
	return ioctl(fd, PTWALK_IOC_FAULT_TRACE, t) ? -errno : 0;
}

static uint64_t trace_total(const struct ptwalk_fault_trace *t,
			    const struct ptwalk_ft_vma *vmas, int major)
{
	uint64_t sum = major ? t->overflow.major : t->overflow.faults;
	unsigned int i;

	for (i = 0; i < t->count; i++)
		sum += major ? vmas[i].major : vmas[i].faults;
	return sum;
}

/* Trace @pid for @secs seconds, a live line each second, the table at the end. */
static int trace_faults(int fd, int pid, int secs, int json)
{
	static struct ptwalk_ft_vma vmas[4096];
	struct ptwalk_fault_trace t = { .pid = pid };
	FILE *live = json ? stderr : stdout;
	int err, i;

	err = fault_trace_op(fd, &t, PTWALK_FT_START, vmas, 0);
	if (err) {
		fprintf(stderr, "ptwalk: trace pid %d: %s\n", pid,
			err == -EBUSY ? "a trace is already running" : ptw_strerror(-err));
		return EXIT_FAILED;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	for (i = 1; i <= secs && !interrupted; i++) {
		sleep(1);
		if (fault_trace_op(fd, &t, PTWALK_FT_READ, vmas, 4096))
			break;
		fprintf(live, "%3d s  faults %" PRIu64 "  major %" PRIu64 "  VMAs %u  missed %" PRIu64 "\n",
			i, trace_total(&t, vmas, 0), trace_total(&t, vmas, 1), t.total_vmas,
			(uint64_t)t.nmissed);
		fflush(live);
	}
	err = fault_trace_op(fd, &t, PTWALK_FT_STOP, vmas, 0);
	if (!err)
		err = fault_trace_op(fd, &t, PTWALK_FT_READ, vmas, 4096);
	if (err) {
		fprintf(stderr, "ptwalk: trace: %s\n", ptw_strerror(-err));
		return EXIT_FAILED;
	}
	if (json)
		print_json(render_trace_json(&t, vmas));
	else
		render_trace_text(stdout, &t, vmas);
	return 0;
}

static int cmd_faults(int argc, char **argv, int json)
{
	struct ptwalk_faults req = { .size = sizeof(req), .flags = PTWALK_FAULTS_CHILDREN };
	int fd, pid;

	if (argc != 1 || parse_pid(argv[0], &pid)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	req.pid = pid;
	fd = open_device();
	if (fd < 0)
		return EXIT_FAILED;
	if (call(fd, PTWALK_IOC_FAULTS, &req, argv[0]))
		return EXIT_FAILED;
	if (opt_trace >= 0) {
		int ret = trace_faults(fd, pid, opt_trace, json);

		close(fd);
		return ret;
	}
	close(fd);
	if (json)
		print_json(render_faults_json(pid, &req));
	else
		render_faults_text(stdout, pid, &req);
	return 0;
}

static int cmd_info(int argc, char **argv, int json)
{
	struct ptwalk_info info;
	struct utsname uts;
	int fd;

	(void)argv;
	if (argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	fd = open_device();
	if (fd < 0)
		return EXIT_FAILED;
	if (get_info(fd, &info)) {
		fprintf(stderr, "ptwalk: GET_INFO: %s\n", strerror(errno));
		close(fd);
		return EXIT_FAILED;
	}
	close(fd);
	uname(&uts);
	if (json)
		print_json(render_info_json(&info, uts.release));
	else
		render_info_text(stdout, &info, uts.release);
	return 0;
}

/* Device (or fallback) and info for a command that needs @feature. */
static int open_for(int maps, uint64_t feature, struct ptwalk_info *info)
{
	int fd = open_device_or_fallback(maps);

	if (fd == -1)
		return -1;
	if (get_info(fd, info)) {
		fprintf(stderr, "ptwalk: GET_INFO: %s\n", strerror(errno));
		close_device(fd);
		return -1;
	}
	if (!(info->features & feature)) {
		fprintf(stderr, "ptwalk: the loaded ptwalk.ko is too old for this command\n");
		close_device(fd);
		return -1;
	}
	return fd;
}

typedef void (*record_fn)(const struct ptwalk_record *r, void *ctx);

/* Stream @proto's range through WALK, handing each record to @fn. */
static int walk_range(int fd, const struct ptwalk_walk *proto, record_fn fn, void *ctx,
		      const char *what)
{
	static struct ptwalk_record recs[4096];
	uint64_t start = proto->start;
	unsigned int i;

	while (start < proto->end) {
		struct ptwalk_walk req = *proto;

		req.size = sizeof(req);
		req.start = start;
		req.record_size = sizeof(recs[0]);
		req.records = (uintptr_t)recs;
		req.count = 4096;
		if (call(fd, PTWALK_IOC_WALK, &req, what))
			return EXIT_FAILED;
		for (i = 0; i < req.count; i++)
			fn(&recs[i], ctx);
		if (req.next <= start) {
			fprintf(stderr, "ptwalk: %s: walk stuck at 0x%" PRIx64 "\n", what, start);
			return EXIT_FAILED;
		}
		start = req.next;
	}
	return 0;
}

/* PID [START END]: the range, all of user space by default. */
static int parse_pid_range(int argc, char **argv, int *pid, __u64 *start, __u64 *end)
{
	uint64_t s = 0, e = 0;

	if ((argc != 1 && argc != 3) || parse_pid(argv[0], pid) ||
	    (argc == 3 && (parse_addr(argv[1], &s) || parse_addr(argv[2], &e))))
		return -1;
	if (argc == 3 && s >= e) {
		fprintf(stderr, "ptwalk: START 0x%" PRIx64 " is not below END 0x%" PRIx64 "\n", s, e);
		return -1;
	}
	*start = s;
	*end = e;
	return 0;
}

/*
 * PID [START END] of a walking command into @req, and the device (or the
 * fallback) open: the fd, or -1 with *@exit_code set.
 */
static int open_range(int argc, char **argv, struct ptwalk_walk *req,
		      struct ptwalk_info *info, int *exit_code)
{
	int fd;

	if (parse_pid_range(argc, argv, &req->pid, &req->start, &req->end)) {
		usage(stderr);
		*exit_code = EXIT_USAGE;
		return -1;
	}
	fd = open_for(0, PTWALK_FEAT_WALK, info);
	if (fd == -1) {
		*exit_code = EXIT_FAILED;
		return -1;
	}
	if (argc == 1)
		req->end = info->user_va_end;
	return fd;
}

struct walk_out {
	struct json_object *arr;	/* NULL: text */
	struct maps_view view;
	int see_phys;
	uint64_t total;
};

static void walk_record(const struct ptwalk_record *r, void *ctx)
{
	struct walk_out *w = ctx;

	if (w->arr)
		json_object_array_add(w->arr, render_record_json(r, &w->view, w->see_phys));
	else
		render_record_text(stdout, r);
	w->total += r->length;
}

static int cmd_walk(int argc, char **argv, int json)
{
	struct walk_out w = { .arr = json ? json_object_new_array() : NULL };
	struct ptwalk_walk req = {
		.mode = opt_extents ? PTWALK_WALK_EXTENTS : PTWALK_WALK_RECORDS,
	};
	struct ptwalk_info info;
	int fd, ret;

	fd = open_range(argc, argv, &req, &info, &ret);
	if (fd == -1)
		return ret;
	w.see_phys = !!(info.features & PTWALK_FEAT_PFN_VISIBLE);
	w.view = source_view(fd, req.pid, 0);
	ret = walk_range(fd, &req, walk_record, &w, argv[0]);
	close_device(fd);
	if (ret) {
		json_object_put(w.arr);
		return ret;
	}
	if (json) {
		struct json_object *o = render_source_json(&w.view);

		json_object_object_add(o, "records", w.arr);
		print_json(o);
	} else {
		printf("%" PRIu64 " KiB mapped\n", w.total >> 10);
	}
	return 0;
}

/* Every VMA's statistics, MAPS call after MAPS call. */
static int fetch_maps(int fd, int pid, uint64_t va_end, const char *what,
		      struct ptwalk_vma_stats **out, size_t *n)
{
	struct ptwalk_vma_stats *stats = NULL, *grown;
	size_t len = 0, cap = 0;
	uint64_t start = 0;

	for (;;) {
		struct ptwalk_maps req = { .size = sizeof(req), .pid = pid, .start = start };

		if (cap - len < 64) {
			cap = cap ? 2 * cap : 256;
			grown = realloc(stats, cap * sizeof(*stats));
			if (!grown) {
				free(stats);
				fprintf(stderr, "ptwalk: %s\n", strerror(ENOMEM));
				return EXIT_FAILED;
			}
			stats = grown;
		}
		req.stats = (uintptr_t)(stats + len);
		req.stats_size = sizeof(*stats);
		req.count = cap - len;
		if (call(fd, PTWALK_IOC_MAPS, &req, what)) {
			free(stats);
			return EXIT_FAILED;
		}
		len += req.count;
		if (!req.count || req.next >= va_end || req.next <= start)
			break;
		start = req.next;
	}
	*out = stats;
	*n = len;
	return 0;
}

/* VmPTE of /proc/PID/status in kB, -1 if it cannot be read. */
static long long read_vmpte_kb(int pid)
{
	long long kb = -1;
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPTE: %lld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static int write_svg(const char *path, const struct maps_view *view,
		     const struct ptwalk_vma_stats *s, size_t n)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "ptwalk: %s: %s\n", path, strerror(errno));
		return EXIT_FAILED;
	}
	svg_maps(f, view, s, n);
	if (fclose(f)) {
		fprintf(stderr, "ptwalk: %s: %s\n", path, strerror(errno));
		return EXIT_FAILED;
	}
	return 0;
}

static int cmd_maps(int argc, char **argv, int json)
{
	struct ptwalk_vma_stats *stats;
	struct ptwalk_info info;
	struct maps_view view;
	size_t n;
	int fd, pid, ret;

	if (argc != 1 || parse_pid(argv[0], &pid)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	fd = open_for(1, PTWALK_FEAT_MAPS, &info);
	if (fd == -1)
		return EXIT_FAILED;
	ret = fetch_maps(fd, pid, info.user_va_end, argv[0], &stats, &n);
	close_device(fd);
	if (ret)
		return ret;
	view = source_view(fd, pid, 1);
	view.vmpte_kb = read_vmpte_kb(pid);
	if (opt_svg)
		ret = write_svg(opt_svg, &view, stats, n);
	if (json)
		print_json(render_maps_json(&view, stats, n));
	else
		render_maps_text(stdout, &view, stats, n);
	free(stats);
	return ret;
}

/* What pagetable gathers while the ranges stream past. */
struct pagetable_out {
	int json;
	struct maps_view view;
	const struct ptwalk_vma_stats *vmas;	/* for the names */
	size_t nvmas;
	struct json_object *ranges, *wx_json;
	struct ptwalk_record *wx;	/* text: W+X ranges, listed again at the end */
	size_t nwx;
	uint64_t wx_pages;
};

static const char *vma_name_at(const struct pagetable_out *p, uint64_t vma_start)
{
	size_t lo = 0, hi = p->nvmas;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->vmas[mid].vma.start == vma_start)
			return p->vmas[mid].vma.name;
		if (p->vmas[mid].vma.start < vma_start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return "";
}

static void pagetable_range(const struct ptwalk_record *r, void *ctx)
{
	struct pagetable_out *p = ctx;
	const char *name = vma_name_at(p, r->vma_start);
	struct ptwalk_record *grown;

	if (p->json)
		json_object_array_add(p->ranges, render_range_json(&p->view, r, name));
	else
		render_range_text(stdout, r, name);
	if (!range_wx_pages(r))
		return;
	p->wx_pages += range_wx_pages(r);
	if (p->json) {
		json_object_array_add(p->wx_json, render_range_json(&p->view, r, name));
		return;
	}
	grown = realloc(p->wx, (p->nwx + 1) * sizeof(*p->wx));
	if (grown) {
		p->wx = grown;
		p->wx[p->nwx++] = *r;
	}
}

static void pagetable_wx_text(const struct pagetable_out *p)
{
	size_t i;

	printf("\nW+X ranges:%s\n", p->nwx ? "" : " none");
	for (i = 0; i < p->nwx; i++)
		render_range_text(stdout, &p->wx[i], vma_name_at(p, p->wx[i].vma_start));
	render_wx_check_text(stdout, p->wx_pages);
}

static int cmd_pagetable(int argc, char **argv, int json)
{
	struct pagetable_out p = { .json = json };
	struct ptwalk_walk req = { .mode = PTWALK_WALK_RANGES, .flags = PTWALK_WALK_HOLES };
	struct ptwalk_vma_stats *stats = NULL;
	struct ptwalk_info info;
	int fd, ret;

	fd = open_range(argc, argv, &req, &info, &ret);
	if (fd == -1)
		return ret;
	/* VMA names, by start; a module without MAPS leaves them empty */
	if ((info.features & PTWALK_FEAT_MAPS) &&
	    fetch_maps(fd, req.pid, info.user_va_end, argv[0], &stats, &p.nvmas)) {
		close_device(fd);
		return EXIT_FAILED;
	}
	p.vmas = stats;
	if (json) {
		p.ranges = json_object_new_array();
		p.wx_json = json_object_new_array();
	}
	p.view = source_view(fd, req.pid, 0);
	ret = walk_range(fd, &req, pagetable_range, &p, argv[0]);
	close_device(fd);
	if (!ret && json) {
		print_json(render_pagetable_json(&p.view, p.ranges, p.wx_json, p.wx_pages));
	} else if (!ret) {
		pagetable_wx_text(&p);
	}
	free(stats);
	free(p.wx);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "watch", required_argument, NULL, 'w' },
		{ "trace", required_argument, NULL, 't' },
		{ "extents", no_argument, NULL, 'e' },
		{ "svg", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	int json = 0, c;
	char *end;

	/* Options may come before or after the command (GNU permutation). */
	while ((c = getopt_long(argc, argv, "jhw:t:es:V", opts, NULL)) != -1) {
		if (c == 'j') {
			json = 1;
		} else if (c == 'e') {
			opt_extents = 1;
		} else if (c == 's') {
			opt_svg = optarg;
		} else if (c == 'w' || c == 't') {
			long v = strtol(optarg, &end, 10);

			if (*end || end == optarg || v < 0 || v > 86400) {
				fprintf(stderr, "ptwalk: bad number of seconds '%s'\n", optarg);
				return EXIT_USAGE;
			}
			*(c == 'w' ? &opt_watch : &opt_trace) = (int)v;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else if (c == 'V') {
			printf("ptwalk %s, ABI %u\n", PTWALK_VERSION, PTWALK_ABI_VERSION);
			return 0;
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv, int json);
		const char *opt;	/* the one option besides --json it takes */
	} cmds[] = {
		{ "translate", cmd_translate, NULL },
		{ "zones", cmd_zones, "--watch" },
		{ "vmstat", cmd_vmstat, NULL },
		{ "faults", cmd_faults, "--trace" },
		{ "walk", cmd_walk, "--extents" },
		{ "maps", cmd_maps, "--svg" },
		{ "pagetable", cmd_pagetable, NULL },
		{ "info", cmd_info, NULL },
	};
	const char *given[] = {
		opt_watch >= 0 ? "--watch" : NULL, opt_trace >= 0 ? "--trace" : NULL,
		opt_extents ? "--extents" : NULL, opt_svg ? "--svg" : NULL,
	};
	unsigned int i, j;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[optind], cmds[i].name))
			continue;
		for (j = 0; j < sizeof(given) / sizeof(given[0]); j++) {
			if (given[j] && (!cmds[i].opt || strcmp(given[j], cmds[i].opt))) {
				fprintf(stderr, "ptwalk: %s does not take %s\n", cmds[i].name,
					given[j]);
				usage(stderr);
				return EXIT_USAGE;
			}
		}
		return cmds[i].fn(argc - optind - 1, argv + optind + 1, json);
	}
	fprintf(stderr, "ptwalk: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return EXIT_USAGE;
}
