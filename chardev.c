// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ptwalk: the ioctl face.  Each handler copies a size-versioned
 * request in, checks it, calls the walker's visitors and copies the answer
 * out; no page-table knowledge lives here.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/mmap_lock.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include "compat.h"
#include "internal.h"

/*
 * Every buffer an ioctl allocates is counted, so the benchmark can show
 * what a call costs in kernel memory (debugfs "memory").
 */
static atomic_long_t call_mem_live, call_mem_peak;

static void *call_alloc(size_t n, size_t size)
{
	void *p = kcalloc(n, size, GFP_KERNEL);
	long live, peak;

	if (!p)
		return NULL;
	live = atomic_long_add_return(n * size, &call_mem_live);
	peak = atomic_long_read(&call_mem_peak);
	while (live > peak && !atomic_long_try_cmpxchg(&call_mem_peak, &peak, live))
		;
	return p;
}

static void call_free(void *p, size_t n, size_t size)
{
	if (p)
		atomic_long_sub(n * size, &call_mem_live);
	kfree(p);
}

void ptw_call_mem(long *live, long *peak)
{
	*live = atomic_long_read(&call_mem_live);
	*peak = atomic_long_read(&call_mem_peak);
}

void ptw_call_mem_reset(void)
{
	atomic_long_set(&call_mem_peak, atomic_long_read(&call_mem_live));
}

/* Addresses translated per mmap-lock hold: bounds kernel memory and latency. */
#define XLATE_CHUNK	32

/*
 * Loads a word at a time, for the same reason as copy_words_to_user()
 * below: copy_from_user() is a byte-wise "rep movsb" on CPUs with FSRM,
 * which costs TCG an emulated iteration a byte (about 1 us for a 48-byte
 * request); on hardware either is a few cycles.
 */
static int copy_words_from_user(void *dst, const void __user *src, size_t len)
{
	const u64 __user *s = src;
	u64 *w = dst;
	size_t i;

	if (len % sizeof(u64))
		return copy_from_user(dst, src, len) ? -EFAULT : 0;
	if (!user_access_begin(src, len))
		return -EFAULT;
	for (i = 0; i < len / sizeof(u64); i++)
		unsafe_get_user(w[i], s + i, efault);
	user_access_end();
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

/*
 * Copy in a struct that starts with its own __u32 size.  Older callers
 * pass a shorter struct (the rest reads as zero); newer ones a longer one
 * whose unknown tail must be zero (-E2BIG otherwise).
 */
static int copy_req_from_user(void *dst, size_t ksize, size_t min_size,
			      const void __user *src, u32 *usize)
{
	if (get_user(*usize, (const u32 __user *)src))
		return -EFAULT;
	if (*usize < min_size)
		return -EINVAL;
	if (*usize > PAGE_SIZE)
		return -E2BIG;
	/* a caller of the module's own size, the common case: see copy_words_from_user() */
	if (*usize == ksize)
		return copy_words_from_user(dst, src, ksize);
	return copy_struct_from_user(dst, ksize, src, *usize);
}

/*
 * Our structs are made of u64 fields: storing them a word at a time is as
 * fast as copy_to_user() on hardware and several times faster than its
 * byte-wise "rep movsb" under emulation (TCG), where the tests run.
 */
static int copy_words_to_user(void __user *dst, const void *src, size_t len)
{
	const u64 *w = src;
	u64 __user *d = dst;
	size_t i;

	if (!len)
		return 0;
	if (len % sizeof(u64))
		return copy_to_user(dst, src, len) ? -EFAULT : 0;
	if (!user_access_begin(dst, len))
		return -EFAULT;
	/* eight at a time: a record is eight words */
	for (i = 0; i + 8 <= len / sizeof(u64); i += 8) {
		unsafe_put_user(w[i], d + i, efault);
		unsafe_put_user(w[i + 1], d + i + 1, efault);
		unsafe_put_user(w[i + 2], d + i + 2, efault);
		unsafe_put_user(w[i + 3], d + i + 3, efault);
		unsafe_put_user(w[i + 4], d + i + 4, efault);
		unsafe_put_user(w[i + 5], d + i + 5, efault);
		unsafe_put_user(w[i + 6], d + i + 6, efault);
		unsafe_put_user(w[i + 7], d + i + 7, efault);
	}
	for (; i < len / sizeof(u64); i++)
		unsafe_put_user(w[i], d + i, efault);
	user_access_end();
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

static int copy_reply_to_user(void __user *dst, u32 usize, const void *src,
			      size_t ksize)
{
	if (copy_words_to_user(dst, src, min_t(size_t, usize, ksize)))
		return -EFAULT;
	if (usize > ksize && clear_user(dst + ksize, usize - ksize))
		return -EFAULT;
	return 0;
}

/* A resumable call's reply goes out after a signal too: its cursor says where. */
static int reply_with_cursor(void __user *uarg, u32 usize, const void *req,
			     size_t ksize, int ret)
{
	if (ret && ret != -EINTR)
		return ret;
	return copy_reply_to_user(uarg, usize, req, ksize) ?: ret;
}

/* @n elements of @ksize bytes, to a user array whose elements are @usize. */
static int copy_array_to_user(void __user *dst, u32 usize, const void *src,
			      size_t ksize, unsigned int n)
{
	unsigned int i;
	int ret = 0;

	if (usize == ksize)	/* the common case: one copy */
		return copy_words_to_user(dst, src, n * ksize);
	for (i = 0; !ret && i < n; i++)
		ret = copy_reply_to_user(dst + (size_t)i * usize, usize,
					 src + i * ksize, ksize);
	return ret;
}

/*
 * The parts of each of @n results that @fields names (not all of them),
 * to a user array of @usize-byte elements, in one user-access section.
 */
static int copy_xlate_parts(void __user *dst, u32 usize, const struct ptwalk_xlate *xs,
			    unsigned int n, u32 fields)
{
	const size_t head = offsetof(struct ptwalk_xlate, levels) / sizeof(u64);
	const size_t lvl = sizeof(struct ptwalk_level) / sizeof(u64);
	const size_t vma_head = offsetof(struct ptwalk_vma, name) / sizeof(u64);
	unsigned int i;
	size_t j;

	/* a longer struct will need its tail written, or clipped to usize */
	BUILD_BUG_ON(sizeof(struct ptwalk_xlate) != PTWALK_XLATE_SIZE_VER0);
	if (!user_access_begin(dst, (size_t)n * usize))
		return -EFAULT;
	for (i = 0; i < n; i++, dst += usize) {
		const struct ptwalk_xlate *x = &xs[i];
		struct ptwalk_xlate __user *u = dst;
		const u64 *w = (const u64 *)x;
		u64 __user *d = dst;

		for (j = 0; j < head; j++)
			unsafe_put_user(w[j], d + j, efault);
		if (fields & PTWALK_XF_LEVELS) {
			w = (const u64 *)x->levels;
			d = (u64 __user *)u->levels;
			for (j = 0; j < PTWALK_NR_LEVELS * lvl; j++)
				unsafe_put_user(w[j], d + j, efault);
		} else {
			/* by offset, not subscript: no UBSAN bounds call in uaccess */
			size_t l = min_t(size_t, x->leaf_level, PTWALK_NR_LEVELS - 1);

			w = (const u64 *)x->levels + l * lvl;
			d = (u64 __user *)u->levels + l * lvl;
			for (j = 0; j < lvl; j++)
				unsafe_put_user(w[j], d + j, efault);
		}
		if (fields & PTWALK_XF_VMA) {
			w = (const u64 *)&x->vma;
			d = (u64 __user *)&u->vma;
			for (j = 0; j < (fields & PTWALK_XF_VMA_NAME ?
					 sizeof(x->vma) / sizeof(u64) : vma_head); j++)
				unsafe_put_user(w[j], d + j, efault);
		}
		if (fields & PTWALK_XF_PAGE) {
			w = (const u64 *)&x->page;
			d = (u64 __user *)&u->page;
			for (j = 0; j < sizeof(x->page) / sizeof(u64); j++)
				unsafe_put_user(w[j], d + j, efault);
		}
	}
	user_access_end();
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

/* @n results: the whole answers in one copy, or the parts asked for. */
static int copy_xlates(void __user *dst, u32 usize, const struct ptwalk_xlate *xs,
		       unsigned int n, u32 fields)
{
	if (fields != PTWALK_XF_ALL)
		return copy_xlate_parts(dst, usize, xs, n, fields);
	return copy_array_to_user(dst, usize, xs, sizeof(*xs), n);
}

static long ioc_get_info(struct file *file, void __user *uarg)
{
	struct ptwalk_info info;
	u32 usize;
	int ret;

	ret = copy_req_from_user(&info, sizeof(info), PTWALK_INFO_SIZE_VER0,
				 uarg, &usize);
	if (ret)
		return ret;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.abi_version = PTWALK_ABI_VERSION;
	info.paging_levels = ptw_paging_levels();
	info.page_shift = PAGE_SHIFT;
	info.page_sizes = PAGE_SIZE | PMD_SIZE | PUD_SIZE;
	info.features = PTWALK_FEAT_TRANSLATE | PTWALK_FEAT_VMSTAT | PTWALK_FEAT_WALK |
			 PTWALK_FEAT_MAPS;
	if (ptw_may_see_pfns(file))
		info.features |= PTWALK_FEAT_PFN_VISIBLE;
	if (ptw_have_thp())
		info.features |= PTWALK_FEAT_THP;
	if (ptw_have_fault_trace())
		info.features |= PTWALK_FEAT_FAULT_TRACE;
	info.user_va_end = ptw_user_va_end();
	info.max_batch = PTWALK_MAX_BATCH;
	info.xlate_size = sizeof(struct ptwalk_xlate);
	return copy_reply_to_user(uarg, usize, &info, sizeof(info));
}

static int translate_chunk(struct ptw_target *t, const u64 *addrs,
			   struct ptwalk_xlate *xs, unsigned int n, bool admin, u32 fields)
{
	struct vm_area_struct *hint = NULL;	/* valid in this hold only */
	unsigned int i;
	int ret;

	ret = mmap_read_lock_killable(t->mm);
	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		ptw_translate(t, addrs[i], &xs[i], admin, fields, &hint);
	mmap_read_unlock(t->mm);
	return 0;
}

static long ioc_translate(struct file *file, void __user *uarg)
{
	struct ptwalk_translate __user *ureq = uarg;
	struct ptwalk_translate req;
	struct ptwalk_xlate *xs = NULL, one_x;
	u64 __user *uaddrs;
	void __user *ures;
	struct ptw_target t;
	u64 *addrs = NULL, one_addr;
	unsigned int done, n, i, chunk;
	bool show_pfns;
	u32 usize, fields;
	int ret;

	ret = copy_req_from_user(&req, sizeof(req), PTWALK_TRANSLATE_SIZE_VER0,
				 uarg, &usize);
	if (ret)
		return ret;
	if (req.flags || req.pad || (req.fields & ~PTWALK_XF_ALL) || !req.count ||
	    req.xlate_size < PTWALK_XLATE_SIZE_VER0 || req.xlate_size > PAGE_SIZE)
		return -EINVAL;
	fields = req.fields ? req.fields | PTWALK_XF_LEAF : PTWALK_XF_ALL;
	if (fields & PTWALK_XF_VMA_NAME)
		fields |= PTWALK_XF_VMA;
	if (req.count > PTWALK_MAX_BATCH)
		return -E2BIG;
	uaddrs = u64_to_user_ptr(req.addrs);
	ures = u64_to_user_ptr(req.results);

	ret = ptw_target_get(req.pid, &t);
	if (ret)
		return ret;
	ret = ptw_may_inspect(file, &t, &show_pfns);
	if (ret)
		goto out_put;
	chunk = min_t(unsigned int, XLATE_CHUNK, req.count);
	if (chunk == 1) {	/* one address, the interactive case: no buffer */
		addrs = &one_addr;
		xs = &one_x;
	} else {
		addrs = call_alloc(chunk, sizeof(*addrs));
		xs = call_alloc(chunk, sizeof(*xs));
	}
	if (!addrs || !xs) {
		ret = -ENOMEM;
		goto out_free;
	}

	for (done = 0; done < req.count; done += n) {
		n = min_t(unsigned int, XLATE_CHUNK, req.count - done);
		ret = copy_words_from_user(addrs, uaddrs + done, n * sizeof(*addrs));
		if (ret)
			break;
		ret = translate_chunk(&t, addrs, xs, n, show_pfns, fields);
		if (ret)
			break;
		ret = copy_xlates(ures + (size_t)done * req.xlate_size, req.xlate_size,
				  xs, n, fields);
		if (ret) {
			/* one at a time, to tell how many are in place */
			for (i = 0; i < n; i++)
				if (copy_xlates(ures + (size_t)(done + i) * req.xlate_size,
						req.xlate_size, &xs[i], 1, fields))
					break;
			done += i;
			break;
		}
		if (fatal_signal_pending(current)) {
			done += n;
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	if (put_user(done, &ureq->done))
		ret = -EFAULT;
out_free:
	if (chunk > 1) {
		call_free(xs, chunk, sizeof(*xs));
		call_free(addrs, chunk, sizeof(*addrs));
	}
out_put:
	ptw_target_put(&t);
	return ret;
}

/*
 * Records per copy to user space of a WALK: bounds the kernel memory.  The
 * mmap lock is held for less, as the walk bounds each hold by its work.
 */
#define WALK_BATCH	512

/*
 * The target exited mid-call (the next hold found no address space): the
 * records (VMAs) found so far are the answer, with the cursor after them,
 * and the next call fails with -ESRCH; with none, this one does.
 */
static int exited_mid_call(int ret, unsigned int written)
{
	return ret == -ESRCH && written ? 0 : ret;
}

static long ioc_walk(struct file *file, void __user *uarg)
{
	struct ptwalk_walk req;
	struct ptw_records v;
	struct ptw_target t;
	void __user *dst;
	unsigned int written = 0, batch;
	bool show_pfns, compact;
	size_t ksize;
	u32 usize;
	int ret, walked;

	ret = copy_req_from_user(&req, sizeof(req), PTWALK_WALK_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	compact = req.mode == PTWALK_WALK_COMPACT;
	ksize = compact ? sizeof(struct ptwalk_record_compact) : sizeof(struct ptwalk_record);
	if ((req.flags & ~PTWALK_WALK_HOLES) || req.mode > PTWALK_WALK_COMPACT || !req.count ||
	    req.record_size < (compact ? PTWALK_RECORD_COMPACT_SIZE_VER0 :
			       PTWALK_RECORD_SIZE_VER0) || req.record_size > PAGE_SIZE ||
	    req.start >= req.end || req.end > ptw_user_va_end() ||
	    (req.match_all | req.match_none) >> PTWALK_NR_CATS)
		return -EINVAL;
	/* compact records carry no length: whole pages, and no holes */
	if (compact && ((req.start | req.end) & ~PAGE_MASK || (req.flags & PTWALK_WALK_HOLES) ||
			(req.match_all & BIT_ULL(PTWALK_CAT_NONE))))
		return -EINVAL;
	ret = ptw_target_grab(req.pid, &t);
	if (ret)
		return ret;
	ret = ptw_may_inspect(file, &t, &show_pfns);
	if (ret)
		goto out_put;
	v = (struct ptw_records) {
		.pos = req.start,
		.end = req.end,
		.match_all = req.match_all,
		.match_none = req.match_none,
		.extents = req.mode == PTWALK_WALK_EXTENTS,
		.ranges = req.mode == PTWALK_WALK_RANGES,
		.holes = req.flags & PTWALK_WALK_HOLES,
		.show_pfns = show_pfns,
		.compact = compact,
	};
	/* the same kernel memory, in more of the smaller records */
	batch = WALK_BATCH * sizeof(*v.buf) / ksize;
	v.buf = call_alloc(batch, ksize);
	if (!v.buf) {
		ret = -ENOMEM;
		goto out_put;
	}
	v.cbuf = (struct ptwalk_record_compact *)v.buf;
	dst = u64_to_user_ptr(req.records);
	while (v.pos < v.end && written < req.count) {
		v.n = 0;
		v.cap = min_t(unsigned int, batch, req.count - written);
		/* takes and drops the mmap lock and the address space itself */
		walked = ptw_walk_records(t.mm, &v);
		/* copy out only now, with no lock held: what was found, then its error */
		ret = copy_array_to_user(dst + (size_t)written * req.record_size,
					 req.record_size, v.buf, ksize, v.n);
		if (ret)
			break;
		written += v.n;
		ret = walked;
		if (ret)
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	call_free(v.buf, batch, ksize);
	req.count = written;
	req.next = v.pos;
	ret = reply_with_cursor(uarg, usize, &req, sizeof(req), exited_mid_call(ret, written));
out_put:
	ptw_target_drop(&t);
	return ret;
}

static long ioc_maps(struct file *file, void __user *uarg)
{
	struct ptwalk_vma_stats *s;
	struct ptwalk_maps req;
	struct ptw_target t;
	void __user *dst;
	unsigned int written = 0;
	u64 pos;
	bool show_pfns;
	u32 usize;
	int ret;

	ret = copy_req_from_user(&req, sizeof(req), PTWALK_MAPS_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	if (req.flags || req.pad || !req.count ||
	    req.stats_size < PTWALK_VMA_STATS_SIZE_VER0 || req.stats_size > PAGE_SIZE)
		return -EINVAL;
	ret = ptw_target_grab(req.pid, &t);
	if (ret)
		return ret;
	ret = ptw_may_inspect(file, &t, &show_pfns);
	if (ret)
		goto out_put;
	s = call_alloc(1, sizeof(*s));
	if (!s) {
		ret = -ENOMEM;
		goto out_put;
	}
	dst = u64_to_user_ptr(req.stats);
	pos = min(req.start, ptw_user_va_end());
	/* one VMA at a time, copied out with no lock or address space held */
	while (written < req.count) {
		ret = ptw_vma_stats(&t, pos, show_pfns, s);
		if (ret <= 0) {
			if (!ret)
				pos = ptw_user_va_end();
			break;
		}
		ret = copy_array_to_user(dst + (size_t)written * req.stats_size,
					 req.stats_size, s, sizeof(*s), 1);
		if (ret)
			break;
		written++;
		pos = s->vma.end;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	call_free(s, 1, sizeof(*s));
	req.count = written;
	req.next = pos;
	ret = reply_with_cursor(uarg, usize, &req, sizeof(req), exited_mid_call(ret, written));
out_put:
	ptw_target_drop(&t);
	return ret;
}

struct zones_out {
	void __user *dst;
	u32 zone_size;
	u32 room;
	u32 written;
	u32 total;
};

static int copy_zone(void *priv, const struct ptwalk_zone *z)
{
	struct zones_out *o = priv;
	int ret = 0;

	if (o->written < o->room) {
		ret = copy_reply_to_user(o->dst + (size_t)o->written * o->zone_size,
					 o->zone_size, z, sizeof(*z));
		o->written += !ret;
	}
	o->total++;
	return ret;
}

static const struct ptw_zone_ops copy_zone_ops = { .zone = copy_zone };

static long ioc_zones(struct file *file, void __user *uarg)
{
	struct ptwalk_zones req;
	struct zones_out o;
	u32 usize;
	int ret;

	ret = copy_req_from_user(&req, sizeof(req), PTWALK_ZONES_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	if (req.zone_size < PTWALK_ZONE_SIZE_VER0 || req.zone_size > PAGE_SIZE)
		return -EINVAL;
	o = (struct zones_out) {
		.dst = u64_to_user_ptr(req.zones),
		.zone_size = req.zone_size,
		.room = req.count,
	};
	ret = ptw_visit_zones(&copy_zone_ops, &o);
	if (ret)
		return ret;
	req.count = o.written;
	req.total = o.total;
	return copy_reply_to_user(uarg, usize, &req, sizeof(req));
}

static long ioc_vmstat(struct file *file, void __user *uarg)
{
	unsigned int n = ptw_nr_vm_events();
	struct ptwalk_vmstat_item *items;
	struct ptwalk_vmstat req;
	void __user *dst;
	u32 usize;
	int ret;

	ret = copy_req_from_user(&req, sizeof(req), PTWALK_VMSTAT_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	if (req.item_size < PTWALK_VMSTAT_ITEM_SIZE_VER0 || req.item_size > PAGE_SIZE)
		return -EINVAL;
	items = call_alloc(n, sizeof(*items));
	if (!items)
		return -ENOMEM;
	ret = ptw_read_vm_events(items);
	dst = u64_to_user_ptr(req.items);
	req.count = min(req.count, n);
	if (!ret)
		ret = copy_array_to_user(dst, req.item_size, items, sizeof(*items), req.count);
	call_free(items, n, sizeof(*items));
	if (ret)
		return ret;
	req.total = n;
	return copy_reply_to_user(uarg, usize, &req, sizeof(req));
}

static long ioc_faults(struct file *file, void __user *uarg)
{
	struct task_struct *task;
	struct ptwalk_faults req;
	u32 usize;
	int ret;

	ret = copy_req_from_user(&req, sizeof(req), PTWALK_FAULTS_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	if (req.flags & ~PTWALK_FAULTS_CHILDREN)
		return -EINVAL;
	ret = ptw_task_get(req.pid, &task);
	if (ret)
		return ret;
	ret = ptw_may_inspect_task(file, task);
	if (!ret)
		ptw_read_faults(task, req.flags & PTWALK_FAULTS_CHILDREN, &req);
	put_task_struct(task);
	if (ret)
		return ret;
	return copy_reply_to_user(uarg, usize, &req, sizeof(req));
}

static long ioc_fault_trace(struct file *file, void __user *uarg)
{
	struct ptwalk_ft_vma *vmas = NULL;
	struct ptwalk_fault_trace req;
	unsigned int room = 0;
	void __user *dst;
	u32 usize;
	int ret;

	ret = copy_req_from_user(&req, sizeof(req), PTWALK_FT_SIZE_VER0, uarg, &usize);
	if (ret)
		return ret;
	ret = ptw_may_trace(file);
	if (ret)
		return ret;
	if (req.op == PTWALK_FT_READ) {
		if (req.vma_size < PTWALK_FT_VMA_SIZE_VER0 || req.vma_size > PAGE_SIZE)
			return -EINVAL;
		room = max(min(req.count, ptw_fault_trace_max_vmas()), 1U);
		req.count = min(req.count, room);
		vmas = call_alloc(room, sizeof(*vmas));
		if (!vmas)
			return -ENOMEM;
	}
	ret = ptw_fault_trace(&req, vmas);
	dst = u64_to_user_ptr(req.vmas);
	if (!ret && vmas)
		ret = copy_array_to_user(dst, req.vma_size, vmas, sizeof(*vmas), req.count);
	call_free(vmas, room, sizeof(*vmas));
	if (ret)
		return ret;
	return copy_reply_to_user(uarg, usize, &req, sizeof(req));
}

static long ptw_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	/* The size bits of cmd are ignored: structs carry their own size. */
	if (_IOC_TYPE(cmd) != PTWALK_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(PTWALK_IOC_GET_INFO):
		return ioc_get_info(file, uarg);
	case _IOC_NR(PTWALK_IOC_TRANSLATE):
		return ioc_translate(file, uarg);
	case _IOC_NR(PTWALK_IOC_WALK):
		return ioc_walk(file, uarg);
	case _IOC_NR(PTWALK_IOC_MAPS):
		return ioc_maps(file, uarg);
	case _IOC_NR(PTWALK_IOC_ZONES):
		return ioc_zones(file, uarg);
	case _IOC_NR(PTWALK_IOC_VMSTAT):
		return ioc_vmstat(file, uarg);
	case _IOC_NR(PTWALK_IOC_FAULTS):
		return ioc_faults(file, uarg);
	case _IOC_NR(PTWALK_IOC_FAULT_TRACE):
		return ioc_fault_trace(file, uarg);
	}
	return -ENOTTY;
}

/*
 * The opener's capability, asked once (ptw_opener_admin()): its f_cred
 * cannot change.  private_data points to one of these two.
 */
struct ptw_opener {
	bool admin;
};

static struct ptw_opener opener_admin = { .admin = true }, opener_user;

static int ptw_open(struct inode *inode, struct file *file)
{
	file->private_data = ptw_opener_admin(file) ? &opener_admin : &opener_user;
	return 0;
}

static const struct file_operations ptw_fops = {
	.owner = THIS_MODULE,
	.open = ptw_open,
	.unlocked_ioctl = ptw_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/* 1 or 0: what the opener of /dev/ptwalk @file was; -1: another file */
int ptw_chardev_opener_admin(const struct file *file)
{
	const struct ptw_opener *o = file->private_data;

	return file->f_op == &ptw_fops ? o->admin : -1;
}

static struct miscdevice ptw_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ptwalk",
	.fops = &ptw_fops,
	.mode = 0600,
};

int ptw_chardev_init(void)
{
	return misc_register(&ptw_misc);
}

void ptw_chardev_exit(void)
{
	misc_deregister(&ptw_misc);
}
