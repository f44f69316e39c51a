// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk: command-line face of ptwalk.ko.
 *   ptwalk [--json] translate PID ADDR...
 *   ptwalk [--json] zones [--watch SECONDS] | vmstat
 *   ptwalk [--json] faults PID [--trace SECONDS]
 *   ptwalk [--json] walk PID [START END] [--extents]
 * Parses arguments, calls the ioctls, hands the answers to render.c.
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
#include <unistd.h>
#include "render.h"

#define EXIT_FAILED	1
#define EXIT_USAGE	2

static int opt_extents;
static int opt_watch = -1;	/* zones --watch SECONDS */
static int opt_trace = -1;	/* faults --trace SECONDS */
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
		"  translate  walk PID's page tables for each ADDR (hex, 0x optional):\n"
		"             every level's entry, the leaf, the VMA and the page\n"
		"  zones      watermarks, free pages and free blocks of every zone\n"
		"  vmstat     fault and reclaim events of the whole system\n"
		"  faults     minor/major faults of PID, all threads and reaped children;\n"
		"             --trace: trace them live by VMA for SECONDS (root)\n"
		"  --watch    print the zones again every second for SECONDS\n"
		"  walk       every mapped leaf of PID in [START, END) (hex; default all);\n"
		"             --extents: runs contiguous in virtual and physical memory\n"
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

/* The ioctl, or a one-line reason on stderr and EXIT_FAILED. */
static int call(int fd, unsigned long cmd, void *arg, const char *what)
{
	if (!ioctl(fd, cmd, arg))
		return 0;
	fprintf(stderr, "ptwalk: %s: %s\n", what, ptw_strerror(errno));
	return EXIT_FAILED;
}

static int get_info(int fd, struct ptwalk_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
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
		done += req.done;
	}
	return 0;
}

static void print_json(struct json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
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
		if (json)
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

static int cmd_walk(int argc, char **argv, int json)
{
	static struct ptwalk_record recs[4096];
	struct json_object *arr = json ? json_object_new_array() : NULL;
	struct ptwalk_info info;
	uint64_t start = 0, end, total = 0;
	int fd, pid;
	unsigned int i;

	if ((argc != 1 && argc != 3) || parse_pid(argv[0], &pid) ||
	    (argc == 3 && (parse_addr(argv[1], &start) || parse_addr(argv[2], &end)))) {
		usage(stderr);
		return EXIT_USAGE;
	}
	fd = open_device();
	if (fd < 0)
		return EXIT_FAILED;
	if (get_info(fd, &info)) {
		fprintf(stderr, "ptwalk: GET_INFO: %s\n", strerror(errno));
		return EXIT_FAILED;
	}
	if (argc == 1)
		end = info.user_va_end;
	while (start < end) {
		struct ptwalk_walk req = {
			.size = sizeof(req), .pid = pid, .start = start, .end = end,
			.mode = opt_extents ? PTWALK_WALK_EXTENTS : PTWALK_WALK_RECORDS,
			.record_size = sizeof(recs[0]), .records = (uintptr_t)recs,
			.count = 4096,
		};

		if (call(fd, PTWALK_IOC_WALK, &req, argv[0]))
			return EXIT_FAILED;
		for (i = 0; i < req.count; i++) {
			if (json)
				json_object_array_add(arr, render_record_json(&recs[i],
					!!(info.features & PTWALK_FEAT_PFN_VISIBLE)));
			else
				render_record_text(stdout, &recs[i]);
			total += recs[i].length;
		}
		start = req.next;
	}
	close(fd);
	if (json)
		print_json(arr);
	else
		printf("%" PRIu64 " KiB mapped\n", total >> 10);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "watch", required_argument, NULL, 'w' },
		{ "trace", required_argument, NULL, 't' },
		{ "extents", no_argument, NULL, 'e' },
		{ 0 }
	};
	int json = 0, c;
	char *end;

	/* Options may come before or after the command (GNU permutation). */
	while ((c = getopt_long(argc, argv, "jhw:t:e", opts, NULL)) != -1) {
		if (c == 'j') {
			json = 1;
		} else if (c == 'e') {
			opt_extents = 1;
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
	} cmds[] = {
		{ "translate", cmd_translate },
		{ "zones", cmd_zones },
		{ "vmstat", cmd_vmstat },
		{ "faults", cmd_faults },
		{ "walk", cmd_walk },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[optind], cmds[i].name))
			return cmds[i].fn(argc - optind - 1, argv + optind + 1, json);
	fprintf(stderr, "ptwalk: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return EXIT_USAGE;
}
