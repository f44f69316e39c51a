// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk's MAPS and WALK without ptwalk.ko, from what /proc tells anyone:
 * /proc/PID/maps for the VMAs, /proc/PID/pagemap for present, swapped,
 * soft-dirty, uffd-wp and the PFN (root only), /proc/kpageflags (root
 * only) for THP, hugetlb and the zero page.  Page tables themselves and
 * the hardware bits (accessed, dirty, RW) stay invisible; THP and hugetlb
 * leaf sizes are inferred: a whole, aligned compound page mapped at an
 * aligned address is taken for one PMD (PUD) leaf.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fallback.h"

#define PM_PFN_MASK	((1ULL << 55) - 1)
#define PM_SOFT_DIRTY	(1ULL << 55)
#define PM_UFFD_WP	(1ULL << 57)
#define PM_FILE		(1ULL << 61)
#define PM_SWAP		(1ULL << 62)
#define PM_PRESENT	(1ULL << 63)

#define KPF_COMPOUND_HEAD	15
#define KPF_HUGE		17
#define KPF_NOPAGE		20
#define KPF_THP			22
#define KPF_ZERO_PAGE		24
#define KPF(bits, nr)		(((bits) >> (nr)) & 1)

#define PAGE_SHIFT	12
#define PMD_SHIFT	21
#define PUD_SHIFT	30
/* pagemap is read 1 GiB of address space (2 MiB of entries) at a time,
 * chunks aligned so that a 1G leaf never straddles two reads */
#define CHUNK_SHIFT	PUD_SHIFT
#define CHUNK_PAGES	(1UL << (CHUNK_SHIFT - PAGE_SHIFT))
#define CHUNK_MASK	((1ULL << CHUNK_SHIFT) - 1)

#define BIT(nr)		(1ULL << (nr))

/* One leaf as pagemap and kpageflags show it. */
struct fb_leaf {
	uint64_t va;
	unsigned int shift;	/* 12, 21 or 30 */
	uint64_t pm;		/* pagemap entry of its first page */
	uint64_t kpf;		/* kpageflags of its first page, 0 if unknown */
};

typedef int (*leaf_fn)(const struct ptwalk_vma *v, const struct fb_leaf *l, void *ctx);

/* Open files and buffers of one emulated call. */
struct scan {
	int pm_fd;
	int kpf_fd;		/* -1: kpageflags not readable */
	uint64_t *pm;
	uint64_t *kpf;
	leaf_fn visit;
	void *ctx;
};

static uint64_t user_va_end(void)
{
	static uint64_t end;
	char line[4096];
	FILE *f;

	if (end)
		return end;
	end = (1ULL << 47) - 4096;
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f)) {
		/* a kernel booted with no5lvl clears la57 from the flags */
		if (!strncmp(line, "flags", 5) && strstr(line, " la57")) {
			end = (1ULL << 56) - 4096;
			break;
		}
	}
	if (f)
		fclose(f);
	return end;
}

static int pread_full(int fd, void *buf, size_t len, off_t off)
{
	char *p = buf;

	while (len) {
		ssize_t got = pread(fd, p, len, off);

		if (got <= 0)
			return got ? -errno : -EIO;
		p += got;
		len -= got;
		off += got;
	}
	return 0;
}

/* Whether this process sees PFNs in pagemap (CAP_SYS_ADMIN). */
static int pfns_visible(void)
{
	static int visible = -1;
	volatile char probe = 1;
	uint64_t pm = 0;
	int fd;

	if (visible >= 0)
		return visible;
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && !pread_full(fd, &pm, sizeof(pm),
				   ((uintptr_t)&probe >> PAGE_SHIFT) * sizeof(pm)))
		visible = (pm & PM_PFN_MASK) != 0;
	else
		visible = 0;
	if (fd >= 0)
		close(fd);
	return visible;
}

static int kpageflags_readable(void)
{
	return !access("/proc/kpageflags", R_OK) && pfns_visible();
}

const char *const *fallback_missing(int maps)
{
	static const char *names[24];
	static const char *const maps_always[] = {
		"tables", "tables_first", "pte_deposited", "dirty", "accessed",
		"write_protected", "nodes", "resident_by_folio", NULL,
	};
	static const char *const walk_always[] = {
		"entry", "accessed", "dirty", "rw", "nx", NULL,
	};
	unsigned int n = 0, i;

	for (i = 0; maps ? maps_always[i] : walk_always[i]; i++)
		names[n++] = maps ? maps_always[i] : walk_always[i];
	if (!kpageflags_readable()) {
		names[n++] = maps ? "thp" : "kind";
		names[n++] = maps ? "hugetlb" : "level";
		if (maps) {
			/* no leaf sizes: a THP would pass for 4K pages */
			names[n++] = "zero";
			names[n++] = "resident_4k";
			names[n++] = "resident_2m";
			names[n++] = "resident_1g";
			names[n++] = "thp_bytes";
		}
	}
	if (!pfns_visible()) {
		names[n++] = maps ? "extents" : "pfn";
		if (maps)
			names[n++] = "largest_extent";
	}
	names[n] = NULL;
	return names;
}

static int info(struct ptwalk_info *info)
{
	uint32_t size = info->size;

	memset(info, 0, size < sizeof(*info) ? size : sizeof(*info));
	info->size = size;
	info->abi_version = PTWALK_ABI_VERSION;
	info->paging_levels = user_va_end() > (1ULL << 47) ? 5 : 4;
	info->page_shift = PAGE_SHIFT;
	info->page_sizes = BIT(PAGE_SHIFT) | BIT(PMD_SHIFT) | BIT(PUD_SHIFT);
	info->features = PTWALK_FEAT_WALK | PTWALK_FEAT_MAPS |
			 (pfns_visible() ? PTWALK_FEAT_PFN_VISIBLE : 0);
	info->user_va_end = user_va_end();
	info->max_batch = PTWALK_MAX_BATCH;
	return 0;
}

static uint64_t vma_flags(const char *perms, unsigned long inode, const char *name)
{
	uint64_t f = 0;

	f |= perms[0] == 'r' ? BIT(PTWALK_VF_READ) : 0;
	f |= perms[1] == 'w' ? BIT(PTWALK_VF_WRITE) : 0;
	f |= perms[2] == 'x' ? BIT(PTWALK_VF_EXEC) : 0;
	f |= perms[3] == 's' ? BIT(PTWALK_VF_SHARED) : 0;
	if (inode)
		f |= BIT(PTWALK_VF_FILE);
	else if (strncmp(name, "[v", 2))	/* [vdso], [vvar]: special */
		f |= BIT(PTWALK_VF_ANON);
	return f;
}

static int parse_maps_line(char *line, struct ptwalk_vma *v)
{
	unsigned long long start, end, pgoff;
	unsigned long inode;
	char perms[5], *name;
	int pos = 0;

	if (sscanf(line, "%llx-%llx %4s %llx %*s %lu %n", &start, &end, perms, &pgoff,
		   &inode, &pos) < 5 || !pos)
		return -1;
	name = line + pos;
	name[strcspn(name, "\n")] = '\0';
	memset(v, 0, sizeof(*v));
	v->start = start;
	v->end = end;
	v->pgoff = pgoff;
	v->flags = vma_flags(perms, inode, name);
	snprintf(v->name, sizeof(v->name), "%s", name);
	return 0;
}

/* The VMAs of @pid below the end of user space, in address order. */
static int read_vmas(int pid, struct ptwalk_vma **out, size_t *n)
{
	struct ptwalk_vma *vmas = NULL, *grown;
	size_t len = 0, cap = 0, linecap = 0;
	char path[64], *line = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	while (getline(&line, &linecap, f) > 0) {
		if (len == cap) {
			cap = cap ? 2 * cap : 64;
			grown = realloc(vmas, cap * sizeof(*vmas));
			if (!grown)
				break;
			vmas = grown;
		}
		if (!parse_maps_line(line, &vmas[len]) && vmas[len].start < user_va_end())
			len++;
	}
	free(line);
	fclose(f);
	*out = vmas;
	*n = len;
	if (!len) {	/* every user process has a VMA: a kernel thread */
		free(vmas);
		return -ENXIO;
	}
	return 0;
}

/* kpageflags of each present page, one pread per run of consecutive PFNs. */
static void read_kpageflags(const struct scan *s, size_t n)
{
	uint64_t last_pfn = 0, last_flags = 0;
	size_t i = 0, j;

	while (i < n) {
		uint64_t pfn = s->pm[i] & PM_PFN_MASK;

		if (s->kpf_fd < 0 || !(s->pm[i] & PM_PRESENT) || !pfn) {
			s->kpf[i++] = 0;
			continue;
		}
		for (j = i + 1; j < n && (s->pm[j] & PM_PRESENT) &&
		     (s->pm[j] & PM_PFN_MASK) == pfn + (j - i); j++)
			;
		if (j == i + 1 && pfn == last_pfn) {	/* the zero page, again */
			s->kpf[i++] = last_flags;
			continue;
		}
		if (pread_full(s->kpf_fd, s->kpf + i, (j - i) * 8, pfn * 8))
			memset(s->kpf + i, 0, (j - i) * 8);
		last_pfn = s->pm[j - 1] & PM_PFN_MASK;
		last_flags = s->kpf[j - 1];
		i = j;
	}
}

/* Whether pages [i, i + 2^(shift-12)) are one whole compound page. */
static int whole_compound(const struct scan *s, size_t i, size_t n, uint64_t va,
			  unsigned int shift)
{
	size_t pages = 1UL << (shift - PAGE_SHIFT), j;
	uint64_t pfn = s->pm[i] & PM_PFN_MASK;

	if ((va & ((1ULL << shift) - 1)) || i + pages > n || !(s->pm[i] & PM_PRESENT) ||
	    !pfn || (pfn & (pages - 1)) || !KPF(s->kpf[i], KPF_COMPOUND_HEAD))
		return 0;
	if (!(shift == PUD_SHIFT ? KPF(s->kpf[i], KPF_HUGE) :
	      KPF(s->kpf[i], KPF_HUGE) || KPF(s->kpf[i], KPF_THP)))
		return 0;
	for (j = 1; j < pages; j++)
		if (!(s->pm[i + j] & PM_PRESENT) || (s->pm[i + j] & PM_PFN_MASK) != pfn + j ||
		    KPF(s->kpf[i + j], KPF_COMPOUND_HEAD))
			return 0;
	return 1;
}

static unsigned int leaf_shift(const struct scan *s, size_t i, size_t n, uint64_t va)
{
	if (whole_compound(s, i, n, va, PUD_SHIFT))
		return PUD_SHIFT;
	if (whole_compound(s, i, n, va, PMD_SHIFT))
		return PMD_SHIFT;
	return PAGE_SHIFT;
}

/* Visit the leaves of @v that end above @start and begin below @end. */
static int scan_vma(struct scan *s, const struct ptwalk_vma *v, uint64_t start, uint64_t end)
{
	uint64_t cs = start & ~CHUNK_MASK;

	if (cs < v->start)
		cs = v->start;
	if (end > v->end)
		end = v->end;
	while (cs < end) {
		uint64_t ce = (cs | CHUNK_MASK) + 1 < v->end ? (cs | CHUNK_MASK) + 1 : v->end;
		size_t n = (ce - cs) >> PAGE_SHIFT, i = 0;
		int err = pread_full(s->pm_fd, s->pm, n * 8, (cs >> PAGE_SHIFT) * 8);

		if (err)
			return err;
		read_kpageflags(s, n);
		while (i < n) {
			struct fb_leaf l = { .va = cs + (i << PAGE_SHIFT), .pm = s->pm[i],
					     .kpf = s->kpf[i] };

			if (l.va >= end)
				return 0;
			l.shift = leaf_shift(s, i, n, l.va);
			i += 1UL << (l.shift - PAGE_SHIFT);
			if (l.va + (1ULL << l.shift) > start && s->visit(v, &l, s->ctx))
				return 1;
		}
		cs = ce;
	}
	return 0;
}

static int scan_open(struct scan *s, int pid)
{
	char path[64];

	memset(s, 0, sizeof(*s));
	s->pm_fd = -1;
	s->kpf_fd = -1;
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	s->pm_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->pm_fd < 0)
		return errno == ENOENT ? -ESRCH : errno == EACCES ? -EPERM : -errno;
	s->kpf_fd = kpageflags_readable() ? open("/proc/kpageflags", O_RDONLY | O_CLOEXEC) : -1;
	s->pm = malloc(CHUNK_PAGES * sizeof(*s->pm));
	s->kpf = malloc(CHUNK_PAGES * sizeof(*s->kpf));
	return s->pm && s->kpf ? 0 : -ENOMEM;
}

static void scan_close(struct scan *s)
{
	if (s->pm_fd >= 0)
		close(s->pm_fd);
	if (s->kpf_fd >= 0)
		close(s->kpf_fd);
	free(s->pm);
	free(s->kpf);
}

static uint8_t leaf_kind(const struct ptwalk_vma *v, const struct fb_leaf *l)
{
	if (!(l->pm & PM_PRESENT))
		return l->pm & PM_SWAP ? PTWALK_KIND_SWAP : PTWALK_KIND_NONE;
	if (KPF(l->kpf, KPF_ZERO_PAGE))
		return PTWALK_KIND_ZERO;
	if (KPF(l->kpf, KPF_NOPAGE) || !strncmp(v->name, "[vvar", 5))
		return PTWALK_KIND_PFNMAP;
	if (KPF(l->kpf, KPF_HUGE))
		return PTWALK_KIND_HUGETLB;
	if (KPF(l->kpf, KPF_THP) && l->shift > PAGE_SHIFT)
		return PTWALK_KIND_THP;
	return PTWALK_KIND_NORMAL;
}

/* Entry flags: pagemap's bits; RW and NX are the VMA's, not the PTE's. */
static uint64_t leaf_flags(const struct ptwalk_vma *v, const struct fb_leaf *l)
{
	uint64_t f = 0;

	/* pagemap sets soft-dirty on the holes of a VM_SOFTDIRTY VMA too:
	 * only an entry (present or swapped) has the bit, as the uapi says */
	if (l->pm & (PM_PRESENT | PM_SWAP))
		f |= l->pm & PM_SOFT_DIRTY ? BIT(PTWALK_EF_SOFT_DIRTY) : 0;
	f |= l->pm & PM_UFFD_WP ? BIT(PTWALK_EF_UFFD_WP) : 0;
	if (!(l->pm & PM_PRESENT))
		return f;
	f |= BIT(PTWALK_EF_PRESENT) | BIT(PTWALK_EF_USER);
	f |= v->flags & BIT(PTWALK_VF_WRITE) ? BIT(PTWALK_EF_RW) : 0;
	f |= v->flags & BIT(PTWALK_VF_EXEC) ? 0 : BIT(PTWALK_EF_NX);
	f |= l->shift > PAGE_SHIFT ? BIT(PTWALK_EF_PSE) : 0;
	return f;
}

static uint64_t leaf_cats(const struct ptwalk_vma *v, const struct fb_leaf *l, uint8_t kind)
{
	int w = !!(v->flags & BIT(PTWALK_VF_WRITE)), x = !!(v->flags & BIT(PTWALK_VF_EXEC));
	uint64_t c = 0;

	if (kind == PTWALK_KIND_NONE)
		return BIT(PTWALK_CAT_NONE);
	c |= leaf_flags(v, l) & BIT(PTWALK_EF_SOFT_DIRTY) ? BIT(PTWALK_CAT_SOFT_DIRTY) : 0;
	c |= v->flags & BIT(PTWALK_VF_FILE) ? BIT(PTWALK_CAT_FILE) : 0;
	c |= v->flags & BIT(PTWALK_VF_ANON) ? BIT(PTWALK_CAT_ANON) : 0;
	if (kind == PTWALK_KIND_SWAP)
		return c | BIT(PTWALK_CAT_SWAPPED);
	c |= BIT(PTWALK_CAT_PRESENT);
	c |= l->shift > PAGE_SHIFT ? BIT(PTWALK_CAT_HUGE) : 0;
	c |= kind == PTWALK_KIND_ZERO ? BIT(PTWALK_CAT_ZERO) : 0;
	c |= w ? BIT(PTWALK_CAT_WRITABLE) : 0;
	c |= x ? BIT(PTWALK_CAT_EXEC) : 0;
	c |= w && x ? BIT(PTWALK_CAT_WX) : 0;
	return c;
}

static void leaf_record(const struct ptwalk_vma *v, const struct fb_leaf *l,
			struct ptwalk_record *r)
{
	memset(r, 0, sizeof(*r));
	r->va = l->va;
	r->length = 1ULL << l->shift;
	r->present = !!(l->pm & PM_PRESENT);
	r->pfn = r->present ? l->pm & PM_PFN_MASK : 0;
	r->kind = leaf_kind(v, l);
	r->flags = leaf_flags(v, l);
	r->cats = leaf_cats(v, l, r->kind);
	r->vma_start = v->start;
	r->page_size_shift = l->shift;
	r->level = l->shift == PUD_SHIFT ? PTWALK_LEVEL_PUD :
		   l->shift == PMD_SHIFT ? PTWALK_LEVEL_PMD : PTWALK_LEVEL_PTE;
}

/* ---- MAPS ---- */

struct maps_acc {
	struct ptwalk_vma_stats *st;
	uint64_t run_va_end;	/* where the current extent ends, in va and pfn */
	uint64_t run_pfn_end;
	uint64_t run_len;
};

static void count_extent(struct maps_acc *a, const struct ptwalk_record *r)
{
	if (!r->pfn)
		return;
	if (a->run_len && r->va == a->run_va_end && r->pfn == a->run_pfn_end) {
		a->run_len += r->length;
	} else {
		a->st->extents++;
		a->run_len = r->length;
	}
	a->run_va_end = r->va + r->length;
	a->run_pfn_end = r->pfn + (r->length >> PAGE_SHIFT);
	if (a->run_len > a->st->largest_extent)
		a->st->largest_extent = a->run_len;
}

static int count_leaf(const struct ptwalk_vma *v, const struct fb_leaf *l, void *ctx)
{
	struct maps_acc *a = ctx;
	struct ptwalk_vma_stats *st = a->st;
	struct ptwalk_record r;

	leaf_record(v, l, &r);
	if (r.flags & BIT(PTWALK_EF_SOFT_DIRTY))
		st->soft_dirty += r.length;
	switch (r.kind) {
	case PTWALK_KIND_NONE:
		st->none += r.length;
		return 0;
	case PTWALK_KIND_SWAP:
		st->swapped += r.length;
		return 0;
	case PTWALK_KIND_ZERO:
		st->zero += r.length;
		return 0;
	case PTWALK_KIND_PFNMAP:
		st->other += r.length;
		return 0;
	}
	st->resident[r.level == PTWALK_LEVEL_PUD ? PTWALK_PS_1G :
		     r.level == PTWALK_LEVEL_PMD ? PTWALK_PS_2M : PTWALK_PS_4K] += r.length;
	st->hugetlb += r.kind == PTWALK_KIND_HUGETLB ? r.length : 0;
	st->thp += r.kind == PTWALK_KIND_THP;
	count_extent(a, &r);
	return 0;
}

static int fb_maps(struct ptwalk_maps *req)
{
	struct ptwalk_vma_stats *out = (void *)(uintptr_t)req->stats;
	struct ptwalk_vma *vmas;
	struct scan s;
	size_t n, i;
	uint32_t done = 0;
	int err;

	if (req->stats_size != sizeof(*out))
		return -EINVAL;
	err = read_vmas(req->pid, &vmas, &n);
	if (err)
		return err;
	err = scan_open(&s, req->pid);
	for (i = 0; !err && i < n && done < req->count; i++) {
		struct maps_acc acc = { .st = &out[done] };

		if (vmas[i].start < req->start)	/* as the module: VMAs starting there or above */
			continue;
		memset(acc.st, 0, sizeof(*acc.st));
		acc.st->vma = vmas[i];
		s.visit = count_leaf;
		s.ctx = &acc;
		err = scan_vma(&s, &vmas[i], vmas[i].start, vmas[i].end);
		done++;
	}
	req->count = done;
	/* as the module: past the last VMA written, user_va_end when none is left */
	while (i < n && vmas[i].start < req->start)
		i++;
	if (i == n)
		req->next = user_va_end();
	else
		req->next = done ? out[done - 1].vma.end :
			    req->start < user_va_end() ? req->start : user_va_end();
	scan_close(&s);
	free(vmas);
	return err < 0 ? err : 0;
}

/* ---- WALK ---- */

struct walk_acc {
	const struct ptwalk_walk *req;
	struct ptwalk_record *out;
	uint32_t count;
	struct ptwalk_record cur;	/* the run being grown */
	int have_cur;
};

static int can_merge(uint32_t mode, const struct ptwalk_record *a,
		     const struct ptwalk_record *b)
{
	if (mode == PTWALK_WALK_RECORDS || a->va + a->length != b->va ||
	    a->vma_start != b->vma_start || a->level != b->level || a->kind != b->kind ||
	    a->flags != b->flags)
		return 0;
	if (mode == PTWALK_WALK_RANGES)
		return 1;
	return a->cats == b->cats &&
	       (!a->present || (a->pfn && b->pfn == a->pfn + (a->length >> PAGE_SHIFT)));
}

static int wanted(const struct ptwalk_walk *req, const struct ptwalk_record *r)
{
	if (r->kind == PTWALK_KIND_NONE && !(req->flags & PTWALK_WALK_HOLES) &&
	    !(req->match_all & BIT(PTWALK_CAT_NONE)))
		return 0;
	return (r->cats & req->match_all) == req->match_all && !(r->cats & req->match_none);
}

/* Move the current run to the output; nonzero when there is no room. */
static int emit(struct walk_acc *a)
{
	if (!a->have_cur)
		return 0;
	if (a->count == a->req->count)
		return 1;
	a->out[a->count++] = a->cur;
	a->have_cur = 0;
	return 0;
}

static int walk_leaf(const struct ptwalk_vma *v, const struct fb_leaf *l, void *ctx)
{
	struct walk_acc *a = ctx;
	struct ptwalk_record r;

	leaf_record(v, l, &r);
	if (!wanted(a->req, &r))
		return 0;
	if (a->have_cur && can_merge(a->req->mode, &a->cur, &r)) {
		a->cur.length += r.length;
		a->cur.cats |= r.cats;
		return 0;
	}
	if (emit(a))
		return 1;
	a->cur = r;
	a->have_cur = 1;
	return 0;
}

static int fb_walk(struct ptwalk_walk *req)
{
	struct walk_acc acc = { .req = req, .out = (void *)(uintptr_t)req->records };
	struct ptwalk_vma *vmas;
	struct scan s;
	size_t n, i;
	int err, full = 0;

	if (req->record_size != sizeof(struct ptwalk_record) || !req->count ||
	    req->mode > PTWALK_WALK_RANGES || req->flags & ~PTWALK_WALK_HOLES)
		return -EINVAL;
	err = read_vmas(req->pid, &vmas, &n);
	if (err)
		return err;
	err = scan_open(&s, req->pid);
	s.visit = walk_leaf;
	s.ctx = &acc;
	for (i = 0; !err && i < n && vmas[i].start < req->end; i++)
		if (vmas[i].end > req->start)
			err = scan_vma(&s, &vmas[i], req->start, req->end);
	full = err == 1 || emit(&acc);
	req->count = acc.count;
	req->next = full ? acc.cur.va : req->end;
	scan_close(&s);
	free(vmas);
	return err < 0 ? err : 0;
}

int fallback_ioctl(unsigned long cmd, void *arg)
{
	int err;

	switch (cmd) {
	case PTWALK_IOC_GET_INFO:
		err = info(arg);
		break;
	case PTWALK_IOC_MAPS:
		err = fb_maps(arg);
		break;
	case PTWALK_IOC_WALK:
		err = fb_walk(arg);
		break;
	default:
		err = -ENOTTY;
	}
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}
