// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "oracle.h"

int pagemap_entries(pid_t pid, uintptr_t va, size_t n, uint64_t *out)
{
	size_t len = n * sizeof(*out);
	char path[64];
	ssize_t got;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	got = pread(fd, out, len, (off_t)(va / SZ_4K) * 8);
	close(fd);
	return got == (ssize_t)len ? 0 : -EIO;
}

uint64_t pagemap_entry(pid_t pid, uintptr_t va)
{
	uint64_t v;

	return pagemap_entries(pid, va, 1, &v) ? 0 : v;
}

/*
 * kpageflags and kpagecount are the machine's, not a process's: opened
 * once (a debug kernel's open is slow; per page it timed a test out).
 */
static uint64_t read_kpage(const char *path, int *fd, uint64_t pfn)
{
	uint64_t v = 0;

	if (*fd < 0)
		*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0 || pread(*fd, &v, sizeof(v), (off_t)pfn * 8) != sizeof(v))
		return 0;
	return v;
}

uint64_t kpageflags(uint64_t pfn)
{
	static int fd = -1;

	return read_kpage("/proc/kpageflags", &fd, pfn);
}

uint64_t kpagecount(uint64_t pfn)
{
	static int fd = -1;

	return read_kpage("/proc/kpagecount", &fd, pfn);
}

bool kpf(uint64_t flags, int bit)
{
	return (flags >> bit) & 1;
}

int ptw_open(void)
{
	return open(PTWALK_DEVICE, O_RDWR | O_CLOEXEC);
}

int ptw_xlate_fields(int fd, pid_t pid, const uint64_t *va, unsigned int n,
		     unsigned int fields, struct ptwalk_xlate *x, unsigned int *done)
{
	struct ptwalk_translate req = {
		.size = sizeof(req),
		.pid = pid,
		.count = n,
		.xlate_size = sizeof(*x),
		.addrs = (uintptr_t)va,
		.results = (uintptr_t)x,
		.fields = fields,
	};
	int ret = ioctl(fd, PTWALK_IOC_TRANSLATE, &req) ? -errno : 0;

	if (done)
		*done = req.done;
	return ret;
}

int ptw_xlate_many(int fd, pid_t pid, const uint64_t *va, unsigned int n,
		   struct ptwalk_xlate *x, unsigned int *done)
{
	struct ptwalk_translate req = {
		.size = sizeof(req),
		.pid = pid,
		.count = n,
		.xlate_size = sizeof(*x),
		.addrs = (uintptr_t)va,
		.results = (uintptr_t)x,
	};
	int ret = ioctl(fd, PTWALK_IOC_TRANSLATE, &req) ? -errno : 0;

	if (done)
		*done = req.done;
	return ret;
}

int ptw_xlate(int fd, pid_t pid, uintptr_t va, struct ptwalk_xlate *x)
{
	uint64_t a = va;

	memset(x, 0xa5, sizeof(*x));	/* catch fields the module forgets */
	return ptw_xlate_many(fd, pid, &a, 1, x, NULL);
}

int ptw_info(int fd, struct ptwalk_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ioctl(fd, PTWALK_IOC_GET_INFO, info) ? -errno : 0;
}

uint64_t leaf_flags(const struct ptwalk_xlate *x)
{
	return x->levels[x->leaf_level].flags;
}

void *mmap_aligned(size_t size, size_t align, int extra_flags)
{
	char *raw = mmap(NULL, size + align, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | extra_flags, -1, 0);
	uintptr_t p;

	if (raw == MAP_FAILED)
		return NULL;
	p = ((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1);
	if (p > (uintptr_t)raw)
		munmap(raw, p - (uintptr_t)raw);
	munmap((char *)p + size, (uintptr_t)raw + align - p);
	return (void *)p;
}

bool have_thp(void)
{
	return access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0;
}

int thp_advise(void *p, size_t len, int advice)
{
	if (advice == MADV_NOHUGEPAGE && !have_thp())
		return 0;
	return madvise(p, len, advice);
}

/* The selected word of a sysfs choice ("always [madvise] never"), or "". */
void sysfs_choice(const char *path, char *buf, size_t len)
{
	char line[128] = "", *a, *b;
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return;
	if (fgets(line, sizeof(line), f) && (a = strchr(line, '[')) && (b = strchr(a, ']'))) {
		*b = 0;
		snprintf(buf, len, "%s", a + 1);
	}
	fclose(f);
}

int sysfs_write(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -1;
	ret = fputs(val, f) < 0;
	return fclose(f) || ret ? -1 : 0;
}

uint64_t folio_pages(uint64_t pfn)
{
	uint64_t head = pfn, n = 1;

	while (head && pfn - head < (1 << 18) && kpf(kpageflags(head), KPF_COMPOUND_TAIL))
		head--;
	while (n < (1 << 18) && kpf(kpageflags(head + n), KPF_COMPOUND_TAIL))
		n++;
	return n;
}

bool have_swap(void)
{
	char line[256];
	int n = 0;
	FILE *f = fopen("/proc/swaps", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n > 1;
}

/* ---- knobs and kernel complaints, for the long-running tests ---- */

bool test_knob(const char *name, const char *env, const char *key,
		 unsigned long long *val)
{
	char buf[4096], want[64];
	const char *v = NULL;
	ssize_t n;
	int fd;

	snprintf(want, sizeof(want), "--%s=", name);
	fd = open("/proc/self/cmdline", O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	for (ssize_t i = 0; n > 0 && i < n; i += strlen(buf + i) + 1) {
		buf[n] = '\0';
		if (!strncmp(buf + i, want, strlen(want))) {
			v = buf + i + strlen(want);
			break;
		}
	}
	if (!v)
		v = getenv(env);
	if (!v) {
		snprintf(want, sizeof(want), "%s=", key);
		fd = open("/proc/cmdline", O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		if (n > 0) {
			char *tok, *save;

			buf[n] = '\0';
			for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
				if (!strncmp(tok, want, strlen(want)))
					v = tok + strlen(want);
		}
	}
	if (!v)
		return false;
	*val = strtoull(v, NULL, 0);
	return true;
}

static const char *const complaints[] = {
	"BUG:", "BUG ", "WARNING:", "Oops", "KASAN", "UBSAN", "KFENCE",
	"suspected memory leak", "lockdep", "circular locking", "recursive locking",
	"self-detected stall", "detected stalls", "rcu: INFO:", "general protection",
	"Kernel panic", "INFO: task", "list_add corruption", "list_del corruption",
	"Call Trace",
};

int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

int kmsg_check(int fd, const char *what)
{
	char rec[2048];
	int bad = 0;
	ssize_t n;

	while (fd >= 0 && (n = read(fd, rec, sizeof(rec) - 1)) != 0) {
		const char *msg;

		if (n < 0) {
			if (errno == EPIPE)	/* overwritten records: go on */
				continue;
			break;
		}
		rec[n] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		for (unsigned int i = 0; i < sizeof(complaints) / sizeof(complaints[0]); i++) {
			if (strstr(msg, complaints[i])) {
				fprintf(stderr, "# KERNEL COMPLAINT (%s): %s", what, msg);
				bad++;
				break;
			}
		}
	}
	return bad;
}

unsigned long kernel_tainted(void)
{
	char buf[32] = "";
	int fd = open("/proc/sys/kernel/tainted", O_RDONLY);

	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) < 0)
			buf[0] = '\0';
		close(fd);
	}
	return strtoul(buf, NULL, 10);
}
