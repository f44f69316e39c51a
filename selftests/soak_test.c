// SPDX-License-Identifier: GPL-2.0
/*
 * A race soak: churn threads change the address space while reader
 * threads ask ptwalk about it, and a fault trace runs the whole time.
 *
 * Churn: mmap, munmap, mremap, mprotect, MADV_DONTNEED, MADV_COLLAPSE and
 * writes on an anonymous region; fork/exit of short-lived children; and a
 * SHARED hugetlbfs file mapped at a PUD-aligned address by this process
 * and by a partner process, so the two share the PMD table, which
 * ftruncate (shrink and regrow), fallocate(PUNCH_HOLE), MADV_DONTNEED and
 * munmap take apart again (huge_pmd_unshare).
 * Readers: TRANSLATE, WALK (records, extents, ranges), MAPS, debugfs
 * maps, pagetable and translate, and FAULT_TRACE reads of the running
 * trace.
 *
 * Every return must be 0 (ESRCH for the short-lived children), and the
 * answers must hold together: pages the test never unmaps stay present
 * with pagemap's PFN (when pagemap says the same before and after); the
 * hugetlb file's first page, never truncated, is either not mapped yet
 * or that same page; kinds and leaf sizes fit the region; walks stay in
 * their range and in order; MAPS adds up.  The kernel log must stay quiet.
 *
 * Length: --seconds=N, PTWALK_SOAK_SECONDS=N or ptwalk_soak=N on the
 * kernel command line (the guest's /init passes no environment); 10 s.
 * --rearm-ms=N (PTWALK_SOAK_REARM_MS, ptwalk_soak_rearm_ms=): wait N ms
 * between each restart's STOP and START (0: none); past the module's 2 s
 * its probes go, and the START registers them anew while the churn
 * faults: each restart then patches handle_mm_fault()'s entry twice.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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
#include "kselftest_harness.h"
#include "oracle.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif
#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE	0x01
#define FALLOC_FL_PUNCH_HOLE	0x02
#endif

#define DEBUGFS		"/sys/kernel/debug/ptwalk/"
#define PUD_SZ		SZ_1G
#define NHUGE		4		/* file pages used: 0 is never removed */
#define NCHURN		2		/* anon churn threads */
#define NSLICES		8		/* 2M slices per churn thread */
#define NSTABLE		16		/* 4K pages never unmapped */
#define MAX_REPORTS	20


/* ---- shared state ---- */

/* Shared with the partner process: the lock against truncation, the stop. */
struct shared {
	pthread_mutex_t size_lock;	/* held while the file is short, and to touch it */
	volatile int stop;
	volatile unsigned long touches, remaps, zaps;
};

struct soak {
	int fd;			/* /dev/ptwalk, shared by the readers */
	int pm;			/* /proc/self/pagemap */
	volatile int stop;
	struct shared *sh;
	pid_t self, partner;
	volatile pid_t child;	/* the fork churn's latest */
	/* memory */
	char *anon;		/* NCHURN * NSLICES * 2M */
	size_t anon_len;
	char *stable;		/* NSTABLE pages, mlocked, never unmapped */
	char *huge;		/* the hugetlbfs file, 1G at a PUD boundary */
	int hfd;
	uint64_t pfn0;		/* of the file's page 0 */
	/* counts */
	unsigned long xlates, walks, walk_records, maps, dbg_reads, ft_reads, ft_restarts;
	unsigned long ft_rearms;
	unsigned long stable_checks, stable_moved, shared_seen, unshared_seen, absent_seen;
	unsigned long mmaps, munmaps, mremaps, mprotects, dontneeds, collapses, collapse_fail;
	unsigned long forks, truncates, punches, hzaps, hremaps;
	unsigned long errors;
	pthread_mutex_t report_lock;
};

static struct soak S;

#define INC(x)	__atomic_add_fetch(&(x), 1, __ATOMIC_RELAXED)
#define ADD(x, n)	__atomic_add_fetch(&(x), (n), __ATOMIC_RELAXED)

#define BAD(fmt, ...) do {						\
	pthread_mutex_lock(&S.report_lock);				\
	if (++S.errors <= MAX_REPORTS)					\
		fprintf(stderr, "# BAD %s:%d: " fmt "\n", __func__, __LINE__, ##__VA_ARGS__); \
	pthread_mutex_unlock(&S.report_lock);				\
} while (0)

static uint64_t pagemap_self(uintptr_t va)
{
	uint64_t e = 0;

	if (pread(S.pm, &e, 8, (off_t)(va / SZ_4K) * 8) != 8)
		return 0;
	return e;
}

static void touch_huge(char *base, unsigned int first, unsigned int n)
{
	for (unsigned int i = first; i < first + n; i++)
		*(volatile char *)(base + i * SZ_2M) = (char)i;
}

/* ---- churn ---- */

struct churn {
	int id;
	unsigned int seed;
};

static char *slice(struct churn *c, unsigned int i)
{
	return S.anon + ((size_t)i * NCHURN + c->id) * SZ_2M;
}

static void *churn_anon(void *arg)
{
	struct churn *c = arg;
	unsigned int i = 0;

	while (!S.stop) {
		unsigned int k = rand_r(&c->seed) % NSLICES;
		char *p = slice(c, k), *q = slice(c, (k + 1) % NSLICES);	/* both ours */

		switch (i++ % 8) {
		case 0:
			mmap(p, SZ_2M, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			madvise(p, SZ_2M, MADV_HUGEPAGE);
			INC(S.mmaps);
			break;
		case 1:	/* a byte a page: the faults are the point */
			for (size_t off = 0; off < SZ_2M; off += SZ_4K)
				p[off] = 1;
			break;
		case 2:
			mprotect(p, SZ_2M, PROT_READ);
			mprotect(p, SZ_2M, PROT_READ | PROT_WRITE);
			INC(S.mprotects);
			break;
		case 3:
			madvise(p, SZ_2M, MADV_DONTNEED);
			INC(S.dontneeds);
			break;
		case 4:
			for (size_t off = 0; off < SZ_2M / 2; off += SZ_4K)
				p[off] = 2;
			if (madvise(p, SZ_2M, MADV_COLLAPSE))
				INC(S.collapse_fail);	/* EINVAL without it, EAGAIN... */
			INC(S.collapses);
			break;
		case 5:
			munmap(p + SZ_4K, SZ_4K);
			mmap(p + SZ_4K, SZ_4K, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			INC(S.munmaps);
			break;
		case 6:	/* move a slice onto its neighbour, map the hole again */
			if (mremap(p, SZ_2M, SZ_2M, MREMAP_MAYMOVE | MREMAP_FIXED, q) != MAP_FAILED)
				INC(S.mremaps);
			else	/* a split slice fails, but only once the target is gone */
				mmap(q, SZ_2M, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			mmap(p, SZ_2M, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		case 7:	/* shrink in place, grow back */
			if (mremap(p, SZ_2M, SZ_2M / 2, 0) != MAP_FAILED)
				INC(S.mremaps);
			mmap(p + SZ_2M / 2, SZ_2M / 2, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		}
	}
	return NULL;
}

/* Children that touch memory and exit: targets caught living and dying. */
static void *churn_fork(void *unused)
{
	while (!S.stop) {
		pid_t pid = fork();

		if (pid == 0) {
			memset(S.stable, 3, SZ_4K);	/* a COW fault of its own */
			_exit(0);
		}
		if (pid < 0)
			continue;
		S.child = pid;
		S.forks++;
		waitpid(pid, NULL, 0);
	}
	return NULL;
}

/*
 * The file under the two mappings: shrink to its first page and grow
 * back, punch a hole, zap or remap our mapping; then fault the pages in
 * again, which shares the PMD table with the partner's once more.
 */
static void *churn_hugetlb(void *unused)
{
	unsigned int i = 0;

	while (!S.stop) {
		struct timespec ts = { 0, 1000000 };

		switch (i++ % 4) {
		case 0:
			pthread_mutex_lock(&S.sh->size_lock);
			if (ftruncate(S.hfd, SZ_2M) || ftruncate(S.hfd, PUD_SZ))
				BAD("ftruncate: %s", strerror(errno));
			touch_huge(S.huge, 0, NHUGE);
			pthread_mutex_unlock(&S.sh->size_lock);
			S.truncates++;
			break;
		case 1:
			if (fallocate(S.hfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				      SZ_2M, (NHUGE - 1) * SZ_2M))
				BAD("fallocate(PUNCH_HOLE): %s", strerror(errno));
			touch_huge(S.huge, 0, NHUGE);
			S.punches++;
			break;
		case 2:
			madvise(S.huge + SZ_2M, SZ_2M, MADV_DONTNEED);
			touch_huge(S.huge, 0, NHUGE);
			S.hzaps++;
			break;
		case 3:
			if (i % 16 != 4)
				break;
			if (mmap(S.huge, PUD_SZ, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_NORESERVE | MAP_FIXED, S.hfd, 0) == MAP_FAILED)
				BAD("mmap hugetlbfs: %s", strerror(errno));
			touch_huge(S.huge, 0, NHUGE);
			S.hremaps++;
			break;
		}
		nanosleep(&ts, NULL);	/* the lock is not fair: let the partner in */
	}
	return NULL;
}

/* The partner: maps the same file at the same PUD-aligned address. */
static void partner(void)
{
	unsigned int i = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (!S.sh->stop) {
		struct timespec ts = { 0, 500000 };

		pthread_mutex_lock(&S.sh->size_lock);
		touch_huge(S.huge, 0, NHUGE);
		pthread_mutex_unlock(&S.sh->size_lock);
		S.sh->touches++;
		if (i % 8 == 3) {
			madvise(S.huge + 2 * SZ_2M, SZ_2M, MADV_DONTNEED);
			S.sh->zaps++;
		}
		if (i++ % 16 == 7) {
			munmap(S.huge, PUD_SZ);
			if (mmap(S.huge, PUD_SZ, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_NORESERVE | MAP_FIXED, S.hfd, 0) == MAP_FAILED)
				_exit(2);
			S.sh->remaps++;
		}
		nanosleep(&ts, NULL);
	}
	_exit(0);
}

/* ---- readers ---- */

static bool kind_ok_anon(const struct ptwalk_xlate *x)
{
	switch (x->kind) {
	case PTWALK_KIND_UNMAPPED: case PTWALK_KIND_NONE: case PTWALK_KIND_NORMAL:
	case PTWALK_KIND_THP: case PTWALK_KIND_ZERO: case PTWALK_KIND_MIGRATION:
	case PTWALK_KIND_SWAP:
		break;
	default:
		return false;
	}
	return !x->present || x->page_size == SZ_4K || x->page_size == SZ_2M;
}

/* A never-faulted run can be an empty entry at any level above the PTE. */
static bool hole_rec(const struct ptwalk_record *r)
{
	return r->kind == PTWALK_KIND_NONE && !r->present &&
	       (r->page_size_shift == 12 || r->page_size_shift == 21 ||
		r->page_size_shift == 30 || r->page_size_shift == 39);
}

static bool kind_ok_anon_rec(const struct ptwalk_record *r)
{
	if (hole_rec(r))
		return true;
	switch (r->kind) {
	case PTWALK_KIND_NORMAL: case PTWALK_KIND_THP:
	case PTWALK_KIND_ZERO: case PTWALK_KIND_MIGRATION: case PTWALK_KIND_SWAP:
		return r->page_size_shift == 12 || r->page_size_shift == 21;
	}
	return false;
}

/* The hugetlb file: nothing, or a 2M hugetlb leaf; page 0 is the same page. */
static bool kind_ok_huge(const struct ptwalk_xlate *x, uintptr_t off)
{
	if (x->kind == PTWALK_KIND_UNMAPPED || x->kind == PTWALK_KIND_NONE)
		return !x->present;
	if (x->kind != PTWALK_KIND_HUGETLB || !x->present || x->page_size != SZ_2M)
		return false;
	return off >= SZ_2M || x->pfn == S.pfn0 + off / SZ_4K;
}

static pid_t pick_target(unsigned int *seed, bool *may_vanish)
{
	unsigned int r = rand_r(seed) % 8;

	*may_vanish = r == 7;
	return r < 4 ? S.self : r < 7 ? S.partner : S.child;
}

static void *reader_translate(void *arg)
{
	unsigned int seed = 7;
	static struct ptwalk_xlate x[64];
	uint64_t va[64];

	while (!S.stop) {
		bool vanish;
		pid_t pid = pick_target(&seed, &vanish);
		unsigned int done, i;
		int ret;

		for (i = 0; i < 64; i++) {
			if (i % 3 == 0)
				va[i] = (uintptr_t)S.huge + (rand_r(&seed) % (NHUGE + 2)) * SZ_2M +
					rand_r(&seed) % SZ_2M;
			else
				va[i] = (uintptr_t)S.anon + (uint64_t)rand_r(&seed) % S.anon_len;
		}
		ret = ptw_xlate_many(S.fd, pid, va, 64, x, &done);
		ADD(S.xlates, 64);
		if (ret && !(vanish && ret == -ESRCH)) {
			BAD("TRANSLATE pid %d: %s", pid, strerror(-ret));
			continue;
		}
		for (i = 0; !ret && i < 64; i++) {
			uintptr_t off = va[i] - (uintptr_t)S.huge;
			bool huge = va[i] >= (uintptr_t)S.huge && off < PUD_SZ;

			if (x[i].error)
				BAD("va %#lx error %d", (unsigned long)va[i], x[i].error);
			else if (huge ? !kind_ok_huge(&x[i], off) : !kind_ok_anon(&x[i]))
				BAD("pid %d va %#lx kind %d present %d size %#llx pfn %#llx (pfn0 %#llx)",
				    pid, (unsigned long)va[i], x[i].kind, x[i].present,
				    (unsigned long long)x[i].page_size,
				    (unsigned long long)x[i].pfn, (unsigned long long)S.pfn0);
		}
	}
	return NULL;
}

/*
 * Pages nobody unmaps: when pagemap says the same before and after,
 * TRANSLATE must say it too.  And page 0 of the file, in both
 * processes: the same PMD entry (by its physical address) means the
 * table is shared.
 */
static void *reader_stable(void *arg)
{
	unsigned int i = 0;

	while (!S.stop) {
		uintptr_t va = (uintptr_t)S.stable + (i++ % NSTABLE) * SZ_4K;
		struct ptwalk_xlate x, y;
		uint64_t before, after;
		int ret;

		before = pagemap_self(va);
		ret = ptw_xlate(S.fd, S.self, va, &x);
		after = pagemap_self(va);
		INC(S.xlates);
		S.stable_checks++;
		if (ret || x.error) {
			BAD("stable page %#lx: ret %d error %d", (unsigned long)va, ret, x.error);
		} else if (before != after || !(before & PM_PRESENT)) {
			S.stable_moved++;	/* migrated (compaction) under us */
		} else if (!x.present || x.kind != PTWALK_KIND_NORMAL ||
			   x.pfn != (before & PM_PFN_MASK)) {
			BAD("stable page %#lx: present %d kind %d pfn %#llx, pagemap %#llx",
			    (unsigned long)va, x.present, x.kind, (unsigned long long)x.pfn,
			    (unsigned long long)before);
		}

		ret = ptw_xlate(S.fd, S.self, (uintptr_t)S.huge, &x) ?:
		      ptw_xlate(S.fd, S.partner, (uintptr_t)S.huge, &y);
		ADD(S.xlates, 2);
		if (ret) {
			BAD("TRANSLATE of the file's page 0: %s", strerror(-ret));
			continue;
		}
		if (!kind_ok_huge(&x, 0) || !kind_ok_huge(&y, 0))
			BAD("file page 0: kind %d/%d pfn %#llx/%#llx, pfn0 %#llx", x.kind, y.kind,
			    (unsigned long long)x.pfn, (unsigned long long)y.pfn,
			    (unsigned long long)S.pfn0);
		if (x.present && y.present) {
			if (x.levels[PTWALK_LEVEL_PMD].entry_phys == y.levels[PTWALK_LEVEL_PMD].entry_phys)
				S.shared_seen++;
			else
				S.unshared_seen++;
		} else {
			S.absent_seen++;	/* caught between an unshare and the next fault */
		}
		usleep(1000);
	}
	return NULL;
}

static int walk_once(pid_t pid, uint64_t start, uint64_t end, unsigned int mode,
		     unsigned int flags, struct ptwalk_record *r, unsigned int room,
		     struct ptwalk_walk *w)
{
	*w = (struct ptwalk_walk){
		.size = sizeof(*w), .pid = pid, .start = start, .end = end, .mode = mode,
		.flags = flags, .record_size = sizeof(*r), .records = (uintptr_t)r,
		.count = room,
	};
	return ioctl(S.fd, PTWALK_IOC_WALK, w) ? -errno : 0;
}

static void *reader_walk(void *arg)
{
	static struct ptwalk_record r[512];
	unsigned int seed = 11, n = 0;

	while (!S.stop) {
		bool vanish, huge = n % 3 == 0;
		pid_t pid = pick_target(&seed, &vanish);
		uint64_t start = huge ? (uintptr_t)S.huge : (uintptr_t)S.anon;
		uint64_t end = start + (huge ? (NHUGE + 4) * SZ_2M : S.anon_len);
		unsigned int mode = n % 3, flags = n & 8 ? PTWALK_WALK_HOLES : 0, i;
		struct ptwalk_walk w;
		int ret;

		n++;
		/* the whole range, resuming at the cursor, 512 at a time */
		do {
			uint64_t last = start;

			ret = walk_once(pid, start, end, mode, flags, r, 512, &w);
			S.walks++;
			if (ret) {
				if (!(vanish && ret == -ESRCH))
					BAD("WALK pid %d mode %u: %s", pid, mode, strerror(-ret));
				break;
			}
			S.walk_records += w.count;
			/*
			 * short of the room only at the end, or where the target
			 * died: the next call says ESRCH
			 */
			if (w.count > 512 || w.next < start || w.next > end ||
			    (w.count < 512 && w.next != end && !vanish)) {
				BAD("WALK pid %d: count %u next %#llx of [%#llx, %#llx)", pid, w.count,
				    (unsigned long long)w.next, (unsigned long long)start,
				    (unsigned long long)end);
				break;
			}
			for (i = 0; i < w.count; i++) {
				const struct ptwalk_record *p = &r[i];
				bool hk = huge ? !hole_rec(p) &&
					  (p->kind != PTWALK_KIND_HUGETLB || p->page_size_shift != 21 ||
					   (p->present && p->level != PTWALK_LEVEL_PMD)) :
					  !kind_ok_anon_rec(p);

				if (p->va < last || !p->length || p->va + p->length > end || hk) {
					BAD("WALK pid %d mode %u record %u: va %#llx len %#llx kind %d shift %u level %u (after %#llx)",
					    pid, mode, i, (unsigned long long)p->va,
					    (unsigned long long)p->length, p->kind, p->page_size_shift,
					    p->level, (unsigned long long)last);
					break;
				}
				last = p->va + p->length;
			}
			start = w.next;
		} while (start < end && !S.stop);
	}
	return NULL;
}

static ssize_t read_whole(const char *path, char *buf, size_t size)
{
	ssize_t n = 0, total = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	while ((size_t)total < size - 1 && (n = read(fd, buf + total, size - 1 - total)) > 0)
		total += n;
	if (n < 0)
		total = -errno;
	close(fd);
	if (total >= 0)
		buf[total] = '\0';
	return total;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		ret = -errno;
	close(fd);
	return ret;
}

static void *reader_maps(void *arg)
{
	static struct ptwalk_vma_stats st[64];
	static char text[1 << 20];
	unsigned int seed = 13, n = 0;

	while (!S.stop) {
		bool vanish;
		pid_t pid = pick_target(&seed, &vanish);
		struct ptwalk_maps m = {
			.size = sizeof(m), .pid = pid, .stats = (uintptr_t)st,
			.stats_size = sizeof(st[0]), .count = 64,
		};
		char line[64];
		ssize_t got;
		int ret;

		ret = ioctl(S.fd, PTWALK_IOC_MAPS, &m) ? -errno : 0;
		S.maps++;
		if (ret && !(vanish && ret == -ESRCH))
			BAD("MAPS pid %d: %s", pid, strerror(-ret));
		for (unsigned int i = 0; !ret && i < m.count; i++) {
			const struct ptwalk_vma_stats *s = &st[i];
			uint64_t sum = s->resident[PTWALK_PS_4K] + s->resident[PTWALK_PS_2M] +
				       s->resident[PTWALK_PS_1G] + s->zero + s->swapped + s->none +
				       s->other;

			if (sum != s->vma.end - s->vma.start)
				BAD("MAPS pid %d VMA %#llx-%#llx: parts add up to %#llx", pid,
				    (unsigned long long)s->vma.start, (unsigned long long)s->vma.end,
				    (unsigned long long)sum);
			if (s->vma.start == (uintptr_t)S.huge &&
			    (s->hugetlb > NHUGE * SZ_2M || s->resident[PTWALK_PS_4K] || s->thp))
				BAD("MAPS pid %d hugetlb VMA: hugetlb %#llx 4K %#llx thp %llu", pid,
				    (unsigned long long)s->hugetlb,
				    (unsigned long long)s->resident[PTWALK_PS_4K],
				    (unsigned long long)s->thp);
		}

		/* the debugfs face of the same */
		if (n++ % 4)
			continue;
		snprintf(line, sizeof(line), "%d", pid);
		ret = write_str(DEBUGFS "target", line);
		if (ret)
			BAD("debugfs target %d: %s", pid, strerror(-ret));
		got = read_whole(n % 8 ? DEBUGFS "maps" : DEBUGFS "pagetable", text, sizeof(text));
		S.dbg_reads++;
		if (got < 0 && !(vanish && got == -ESRCH))
			BAD("debugfs %s of %d: %s", n % 8 ? "maps" : "pagetable", pid,
			    strerror(-got));
		else if (got > 0 && !(n % 8) && !strstr(text, "Checked W+X mappings"))
			BAD("debugfs pagetable of %d: no W+X verdict", pid);
		snprintf(line, sizeof(line), "%d %lx", pid,
			 (unsigned long)S.huge + (rand_r(&seed) % NHUGE) * SZ_2M);
		ret = write_str(DEBUGFS "translate", line);
		got = ret ?: read_whole(DEBUGFS "translate", text, sizeof(text));
		S.dbg_reads++;
		if (got < 0 && !(vanish && got == -ESRCH))
			BAD("debugfs translate \"%s\": %s", line, strerror(-got));
	}
	return NULL;
}

/* ---- the fault trace ---- */

static int ft(unsigned int op, pid_t pid, struct ptwalk_fault_trace *t,
	      struct ptwalk_ft_vma *v, unsigned int room)
{
	*t = (struct ptwalk_fault_trace){
		.size = sizeof(*t), .op = op, .pid = pid, .vmas = (uintptr_t)v,
		.vma_size = sizeof(*v), .count = room,
	};
	return ioctl(S.fd, PTWALK_IOC_FAULT_TRACE, t) ? -errno : 0;
}

static uint64_t ft_total(const struct ptwalk_fault_trace *t, const struct ptwalk_ft_vma *v)
{
	uint64_t sum = t->overflow.faults;

	for (unsigned int i = 0; i < t->count; i++)
		sum += v[i].faults;
	return sum;
}

/* ---- setup ---- */

/* A hugetlbfs with 2M pages: /dev/hugepages, else one we mount. */
static const char *hugetlbfs_dir(bool *mounted)
{
	static const char *const dirs[] = { "/dev/hugepages", "/tmp/ptwalk-soak-hugetlbfs" };
	char line[512];
	FILE *f = fopen("/proc/mounts", "r");

	*mounted = false;
	while (f && fgets(line, sizeof(line), f)) {
		char dev[128], dir[256], type[64], opts[256];

		if (sscanf(line, "%127s %255s %63s %255s", dev, dir, type, opts) == 4 &&
		    !strcmp(type, "hugetlbfs") && !strcmp(dir, dirs[0]) &&
		    (strstr(opts, "pagesize=2M") || !strstr(opts, "pagesize="))) {
			fclose(f);
			return dirs[0];
		}
	}
	if (f)
		fclose(f);
	mkdir(dirs[1], 0700);
	if (mount("none", dirs[1], "hugetlbfs", 0, "pagesize=2M"))
		return NULL;
	*mounted = true;
	return dirs[1];
}

static unsigned long free_huge_2m(void)
{
	char buf[32] = "";
	int fd = open("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", O_RDONLY);

	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) < 0)
			buf[0] = '\0';
		close(fd);
	}
	return strtoul(buf, NULL, 10);
}

FIXTURE(soak) {
	char path[256];
	const char *dir;
	bool mounted;
};

FIXTURE_SETUP(soak)
{
	pthread_mutexattr_t ma;
	char *raw;

	S.fd = ptw_open();
	ASSERT_LE(0, S.fd) TH_LOG("open %s: %s", PTWALK_DEVICE, strerror(errno));
	S.pm = open("/proc/self/pagemap", O_RDONLY);
	ASSERT_LE(0, S.pm);
	S.self = getpid();
	S.child = S.self;	/* until the first fork */
	pthread_mutex_init(&S.report_lock, NULL);

	S.sh = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, S.sh);
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&S.sh->size_lock, &ma);

	S.anon_len = (size_t)NCHURN * NSLICES * SZ_2M;
	S.anon = mmap_aligned(S.anon_len, SZ_2M, 0);
	ASSERT_NE(NULL, S.anon);
	madvise(S.anon, S.anon_len, MADV_HUGEPAGE);
	S.stable = mmap(NULL, NSTABLE * SZ_4K, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, S.stable);
	madvise(S.stable, NSTABLE * SZ_4K, MADV_NOHUGEPAGE);
	memset(S.stable, 1, NSTABLE * SZ_4K);
	ASSERT_EQ(0, mlock(S.stable, NSTABLE * SZ_4K));

	/* the shared hugetlbfs file, at a PUD boundary, 1G long */
	ASSERT_LE(NHUGE, free_huge_2m()) TH_LOG("fewer than %d free 2M hugetlb pages", NHUGE);
	self->dir = hugetlbfs_dir(&self->mounted);
	ASSERT_NE(NULL, self->dir) TH_LOG("mount hugetlbfs: %s", strerror(errno));
	snprintf(self->path, sizeof(self->path), "%s/ptwalk-soak.%d", self->dir, S.self);
	S.hfd = open(self->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, S.hfd) TH_LOG("%s: %s", self->path, strerror(errno));
	ASSERT_EQ(0, ftruncate(S.hfd, PUD_SZ));
	raw = mmap(NULL, 2 * PUD_SZ, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, raw);
	S.huge = (char *)(((uintptr_t)raw + PUD_SZ - 1) & ~(PUD_SZ - 1));
	ASSERT_EQ(S.huge, mmap(S.huge, PUD_SZ, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_NORESERVE | MAP_FIXED, S.hfd, 0));
	if (S.huge > raw)
		munmap(raw, S.huge - raw);
	munmap(S.huge + PUD_SZ, raw + PUD_SZ - S.huge);
	touch_huge(S.huge, 0, NHUGE);
	S.pfn0 = pagemap_self((uintptr_t)S.huge) & PM_PFN_MASK;
	ASSERT_TRUE(pagemap_self((uintptr_t)S.huge) & PM_PRESENT);

	/* the partner, before any thread exists */
	S.partner = fork();
	ASSERT_LE(0, S.partner);
	if (S.partner == 0)
		partner();
}

FIXTURE_TEARDOWN(soak)
{
	S.sh->stop = 1;
	if (S.partner > 0)
		waitpid(S.partner, NULL, 0);
	if (S.hfd >= 0) {
		munmap(S.huge, PUD_SZ);
		close(S.hfd);
		unlink(self->path);
	}
	if (self->mounted)
		umount(self->dir);
	close(S.fd);
}

TEST_F_TIMEOUT(soak, churn_against_readers, 900)
{
	static struct ptwalk_ft_vma v[256];
	pthread_t churn[NCHURN], fork_t, huge_t, readers[4];
	void *(*const readfn[4])(void *) = {
		reader_translate, reader_stable, reader_walk, reader_maps,
	};
	struct churn c[NCHURN];
	struct ptwalk_fault_trace t;
	unsigned long long seconds = 10, restart_ms = 500, rearm_ms = 0;
	unsigned long taint0, taint1;
	struct timespec t0, now, last;
	uint64_t traced = 0;
	int kmsg, ret, status, complaints = 0;
	unsigned int i;

	test_knob("seconds", "PTWALK_SOAK_SECONDS", "ptwalk_soak", &seconds);
	test_knob("restart-ms", "PTWALK_SOAK_RESTART_MS", "ptwalk_soak_restart_ms", &restart_ms);
	test_knob("rearm-ms", "PTWALK_SOAK_REARM_MS", "ptwalk_soak_rearm_ms", &rearm_ms);
	if (rearm_ms)
		fprintf(stderr, "# each restart waits %llu ms between STOP and START (--rearm-ms=N / PTWALK_SOAK_REARM_MS / ptwalk_soak_rearm_ms=)\n",
			rearm_ms);
	fprintf(stderr, "# soak for %llu s (--seconds=N / PTWALK_SOAK_SECONDS / ptwalk_soak=), trace restarted every %llu ms (0: never; --restart-ms=N / PTWALK_SOAK_RESTART_MS / ptwalk_soak_restart_ms=), file page 0 at pfn %#llx\n",
		seconds, restart_ms, (unsigned long long)S.pfn0);
	kmsg = kmsg_open();
	taint0 = kernel_tainted();

	/* whatever ran before: stop and discard, then trace ourselves */
	ft(PTWALK_FT_STOP, 0, &t, NULL, 0);
	ft(PTWALK_FT_RESET, 0, &t, NULL, 0);
	ASSERT_EQ(0, ft(PTWALK_FT_START, S.self, &t, NULL, 0));

	for (i = 0; i < NCHURN; i++) {
		c[i] = (struct churn){ .id = i, .seed = i + 1 };
		ASSERT_EQ(0, pthread_create(&churn[i], NULL, churn_anon, &c[i]));
	}
	ASSERT_EQ(0, pthread_create(&fork_t, NULL, churn_fork, NULL));
	ASSERT_EQ(0, pthread_create(&huge_t, NULL, churn_hugetlb, NULL));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&readers[i], NULL, readfn[i], NULL));

	/*
	 * The trace is read as it runs and restarted (STOP, START) every
	 * restart_ms while the churn faults on the other CPU: restarts once
	 * crashed TCG guests (RIP 0 at handle_mm_fault's entry, ~1 in 100).
	 */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	last = t0;
	for (i = 0;; i++) {
		struct timespec ts = { 0, 200000000 };

		nanosleep(&ts, NULL);
		ret = ft(PTWALK_FT_READ, 0, &t, v, 256);
		S.ft_reads++;
		if (ret || !t.running || t.traced_pid != S.self)
			BAD("FT_READ: %s, running %u, pid %d", strerror(-ret), t.running,
			    t.traced_pid);
		/* one snapshot under the trace's lock: each VMA's counts add up */
		for (unsigned int k = 0; !ret && k <= t.count; k++) {
			const struct ptwalk_ft_vma *c = k < t.count ? &v[k] : &t.overflow;

			if (c->read + c->write + c->exec != c->faults ||
			    c->minor + c->major + c->retry + c->error != c->faults ||
			    c->protection > c->faults || c->kernel_mode > c->faults)
				BAD("FT_READ VMA %#llx-%#llx: faults %llu = r %llu w %llu x %llu = minor %llu major %llu retry %llu error %llu",
				    (unsigned long long)c->start, (unsigned long long)c->end,
				    (unsigned long long)c->faults, (unsigned long long)c->read,
				    (unsigned long long)c->write, (unsigned long long)c->exec,
				    (unsigned long long)c->minor, (unsigned long long)c->major,
				    (unsigned long long)c->retry, (unsigned long long)c->error);
		}
		if (!ret && (t.count > t.total_vmas || t.total_vmas > t.max_vmas))
			BAD("FT_READ: count %u total %u max %u", t.count, t.total_vmas, t.max_vmas);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (restart_ms && (now.tv_sec - last.tv_sec) * 1000 +
				  (now.tv_nsec - last.tv_nsec) / 1000000 >= (long)restart_ms) {
			last = now;
			traced += ft_total(&t, v);
			if (ft(PTWALK_FT_STOP, 0, &t, NULL, 0))
				BAD("stopping the trace: %s", strerror(errno));
			if (rearm_ms) {
				struct timespec p = { rearm_ms / 1000, rearm_ms % 1000 * 1000000 };

				nanosleep(&p, NULL);
				S.ft_rearms++;
			}
			if (ft(PTWALK_FT_START, S.self, &t, NULL, 0))
				BAD("restarting the trace: %s", strerror(errno));
			S.ft_restarts++;
		}
		complaints += kmsg_check(kmsg, "soak");
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((unsigned long long)(now.tv_sec - t0.tv_sec) >= seconds)
			break;
	}
	S.stop = 1;
	for (i = 0; i < NCHURN; i++)
		pthread_join(churn[i], NULL);
	pthread_join(fork_t, NULL);
	pthread_join(huge_t, NULL);
	for (i = 0; i < 4; i++)
		pthread_join(readers[i], NULL);
	EXPECT_EQ(0, ft(PTWALK_FT_STOP, 0, &t, NULL, 0));
	EXPECT_EQ(0, ft(PTWALK_FT_READ, 0, &t, v, 256));
	traced += ft_total(&t, v);
	ft(PTWALK_FT_RESET, 0, &t, NULL, 0);
	usleep(100000);
	complaints += kmsg_check(kmsg, "soak");
	taint1 = kernel_tainted();

	fprintf(stderr, "# readers: %lu translations, %lu walks (%lu records), %lu MAPS, %lu debugfs reads, %lu trace reads, %lu trace restarts (%lu after a %llu ms pause)\n",
		S.xlates, S.walks, S.walk_records, S.maps, S.dbg_reads, S.ft_reads, S.ft_restarts,
		S.ft_rearms, rearm_ms);
	fprintf(stderr, "# checks: %lu stable-page checks (%lu moved under us); file page 0 in both: one PMD table %lu times, two %lu, absent in one %lu\n",
		S.stable_checks, S.stable_moved, S.shared_seen, S.unshared_seen, S.absent_seen);
	fprintf(stderr, "# churn: %lu mmap, %lu munmap, %lu mremap, %lu mprotect, %lu DONTNEED, %lu COLLAPSE (%lu failed), %lu forks\n",
		S.mmaps, S.munmaps, S.mremaps, S.mprotects, S.dontneeds, S.collapses,
		S.collapse_fail, S.forks);
	fprintf(stderr, "# hugetlb: %lu truncates, %lu hole punches, %lu zaps, %lu remaps; partner: %lu touches, %lu zaps, %lu remaps\n",
		S.truncates, S.punches, S.hzaps, S.hremaps, S.sh->touches, S.sh->zaps,
		S.sh->remaps);
	fprintf(stderr, "# %llu faults traced; %lu bad answers, %d kernel complaints, taint %#lx -> %#lx\n",
		(unsigned long long)traced, S.errors, complaints, taint0, taint1);
	EXPECT_EQ(0, S.errors);
	EXPECT_EQ(0, complaints);
	EXPECT_EQ(0, (taint1 & ~taint0) & ~TAINT_OK);
	EXPECT_LT(0, traced);
	EXPECT_LT(0, S.shared_seen) TH_LOG("the two mappings never shared a PMD table");
	EXPECT_LT(0, S.truncates + S.punches);
	S.sh->stop = 1;
	waitpid(S.partner, &status, 0);
	S.partner = 0;
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("partner: status %#x", status);
}

TEST_HARNESS_MAIN
