// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/ptwalk/: the cat-able text face.
 *   target     write a pid; read it back.  The default for new opens.
 *   translate  write "ADDR" or "PID ADDR" (ADDR in hex); read the walk.
 *   zones      watermarks, free pages and buddy lists of every zone.
 *   vmstat     fault and reclaim events, as /proc/vmstat names them.
 *   faults     fault counters of the target process.
 *   maps       per-VMA statistics of the target, and its total.
 *   pagetable  the target's page tables as ranges, ptdump-style, and a
 *              W+X audit of them.
 *   memory     kernel memory the ioctls hold now and at most; a write
 *              resets the peak.
 * State is per open file, seeded from the global default at open, so two
 * shells each holding their own fd never see each other's answers.
 * Text only: Debian's lockdown refuses ioctl on debugfs.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mmap_lock.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "internal.h"

static struct dentry *ptw_dir;

static DEFINE_MUTEX(default_lock);
static pid_t default_pid;
static u64 default_addr;
static bool default_has_addr;

struct translate_req {
	pid_t pid;
	u64 addr;
	bool has_addr;
};

static ssize_t read_user_line(const char __user *ubuf, size_t len, char *buf,
			      size_t size)
{
	if (len >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	return len;
}

static ssize_t target_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	char buf[24];
	ssize_t ret;
	int pid;

	ret = read_user_line(ubuf, len, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	ret = kstrtoint(strim(buf), 10, &pid);
	if (ret)
		return ret;
	if (pid <= 0)
		return -EINVAL;
	mutex_lock(&default_lock);
	default_pid = pid;
	mutex_unlock(&default_lock);
	return len;
}

static ssize_t target_read(struct file *file, char __user *ubuf, size_t len,
			   loff_t *ppos)
{
	char buf[24];
	int n;

	mutex_lock(&default_lock);
	n = scnprintf(buf, sizeof(buf), "%d\n", default_pid);
	mutex_unlock(&default_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations target_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = target_read,
	.write = target_write,
	.llseek = default_llseek,
};

static int translate_show(struct seq_file *m, void *unused)
{
	struct translate_req *req = m->private;
	const struct file *file = m->file;
	struct ptwalk_xlate *x;
	struct ptw_target t;
	bool show_pfns;
	int ret;

	if (!req->has_addr) {
		seq_puts(m, "write a hex address (or \"PID ADDR\") to this file, then read it\n");
		return 0;
	}
	if (!req->pid) {
		seq_puts(m, "no target: write a pid to target, or \"PID ADDR\" here\n");
		return 0;
	}
	x = kmalloc(sizeof(*x), GFP_KERNEL);
	if (!x)
		return -ENOMEM;
	ret = ptw_target_get(req->pid, &t);
	if (ret)
		goto out_free;
	ret = ptw_may_inspect(file, &t, &show_pfns);
	if (!ret)
		ret = mmap_read_lock_killable(t.mm);
	if (!ret) {
		struct vm_area_struct *hint = NULL;

		ptw_translate(&t, req->addr, x, show_pfns, PTWALK_XF_ALL, &hint);
		mmap_read_unlock(t.mm);
		ptw_format_xlate(m, &t, x);
	}
	ptw_target_put(&t);
out_free:
	kfree(x);
	return ret;
}

static int translate_open(struct inode *inode, struct file *file)
{
	struct translate_req *req = kzalloc(sizeof(*req), GFP_KERNEL);
	int ret;

	if (!req)
		return -ENOMEM;
	mutex_lock(&default_lock);
	req->pid = default_pid;
	req->addr = default_addr;
	req->has_addr = default_has_addr;
	mutex_unlock(&default_lock);
	ret = single_open(file, translate_show, req);
	if (ret)
		kfree(req);
	return ret;
}

static int translate_release(struct inode *inode, struct file *file)
{
	kfree(((struct seq_file *)file->private_data)->private);
	return single_release(inode, file);
}

/* "ADDR" or "PID ADDR"; ADDR is hex with or without 0x, as in /proc/PID/maps. */
static int parse_translate(char *buf, struct translate_req *req)
{
	char *first, *second;
	int pid = req->pid;
	u64 addr;
	int ret;

	buf = strim(buf);
	first = strsep(&buf, " \t");
	second = buf ? skip_spaces(buf) : NULL;
	if (second && *second) {
		ret = kstrtoint(first, 10, &pid);
		if (ret || pid <= 0)
			return -EINVAL;
		first = second;
	}
	ret = kstrtou64(first, 16, &addr);
	if (ret)
		return ret;
	ret = ptw_check_user_addr(addr);
	if (ret)
		return ret;
	req->pid = pid;
	req->addr = addr;
	req->has_addr = true;
	return 0;
}

static ssize_t translate_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct translate_req *req = m->private;
	char buf[64];
	ssize_t ret;

	ret = read_user_line(ubuf, len, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	/* a read on this fd runs translate_show() under m->lock */
	mutex_lock(&m->lock);
	ret = parse_translate(buf, req);
	mutex_unlock(&m->lock);
	if (ret)
		return ret;
	mutex_lock(&default_lock);
	default_pid = req->pid;
	default_addr = req->addr;
	default_has_addr = true;
	mutex_unlock(&default_lock);
	*ppos = 0;	/* the next read on this fd shows the new answer */
	return len;
}

static const struct file_operations translate_fops = {
	.owner = THIS_MODULE,
	.open = translate_open,
	.read = seq_read,
	.write = translate_write,
	.llseek = seq_lseek,
	.release = translate_release,
};

/*
 * maps and pagetable stream one line per ->show() without a buffer sized
 * by the process.  The position encodes where the walk goes on:
 * 0 is the header, ADDR + 1 a line starting at ADDR, SUMMARY_POS the
 * closing lines.  Each line takes the mmap lock on its own, in holds
 * bounded by the walk's work; totals only take lines further on than the
 * last one counted, so seq_file's replays count nothing twice.
 *
 * The file keeps the process it was opened for: its struct pid (a pid
 * number may be reused) and its mm_struct (mmgrab(), which pins no
 * memory).  Each line looks the task up again and takes the address space
 * with mmget_not_zero() only while it walks.  Once the process has exited
 * (or exec'd: a new address space is another listing), the listing ends
 * with a line that says so instead of the totals.
 */
#define SUMMARY_POS	((loff_t)ptw_user_va_end() + 1)

struct mm_iter {
	void *(*load)(struct seq_file *m, loff_t *pos);	/* the line at *pos */
	struct pid *pid;
	struct mm_struct *mm;
	bool gone;			/* the target exited mid-listing */
	bool show_pfns;
	unsigned long counted_end;	/* totals include everything below */
	unsigned long next;		/* where the line after this one starts */
	struct ptwalk_vma_stats cur;	/* maps */
	struct ptwalk_vma_stats total;
	struct ptwalk_record range;	/* pagetable */
	struct ptwalk_vma vma;
	u64 wx_pages;
};

static int mm_iter_open(struct inode *inode, struct file *file,
			const struct seq_operations *ops,
			void *(*load)(struct seq_file *m, loff_t *pos))
{
	struct ptw_target t;
	struct mm_iter *it;
	pid_t pid;
	int ret;

	it = __seq_open_private(file, ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	mutex_lock(&default_lock);
	pid = default_pid;
	mutex_unlock(&default_lock);
	ret = pid ? ptw_target_grab(pid, &t) : -ESRCH;
	if (!ret) {
		ret = ptw_may_inspect_task(file, t.task);
		if (!ret) {
			it->pid = get_task_pid(t.task, PIDTYPE_PID);
			it->mm = t.mm;
			mmgrab(it->mm);
		}
		ptw_target_drop(&t);
	}
	if (ret) {
		seq_release_private(inode, file);
		return ret;
	}
	it->load = load;
	return 0;
}

static int mm_iter_release(struct inode *inode, struct file *file)
{
	struct mm_iter *it = ((struct seq_file *)file->private_data)->private;

	mmdrop(it->mm);
	put_pid(it->pid);
	return seq_release_private(inode, file);
}

/*
 * The target, for one line: the task the file was opened for, with the
 * mm it had then (grabbed, not held); -ESRCH once it has exited.  The
 * policy is asked again each time, of whoever reads now.
 */
static int mm_iter_target(struct seq_file *m, struct ptw_target *t)
{
	struct mm_iter *it = m->private;
	int ret;

	t->task = get_pid_task(it->pid, PIDTYPE_PID);
	if (!t->task)
		return -ESRCH;
	t->mm = it->mm;
	t->pid = pid_vnr(it->pid);
	ret = ptw_may_inspect(m->file, t, &it->show_pfns);
	if (ret)
		put_task_struct(t->task);
	return ret;
}

static void mm_iter_target_put(struct ptw_target *t)
{
	put_task_struct(t->task);
}

/* The listing's last line at *pos; -ESRCH (exited) ends it there. */
static void *mm_iter_end(struct mm_iter *it, loff_t *pos, int err)
{
	if (err != -ESRCH)
		return ERR_PTR(err);
	it->gone = true;
	*pos = SUMMARY_POS;
	return &it->total;
}

static void *mm_iter_stop_at(struct mm_iter *it, loff_t *pos)
{
	if (*pos == 0) {
		it->counted_end = 0;
		memset(&it->total, 0, sizeof(it->total));
		it->wx_pages = 0;
		return SEQ_START_TOKEN;
	}
	return *pos == SUMMARY_POS ? &it->total : NULL;
}

/* The first VMA starting at or after *pos - 1, added to the total once. */
static void *maps_load(struct seq_file *m, loff_t *pos)
{
	struct mm_iter *it = m->private;
	struct ptw_target t;
	int ret;

	if (*pos == 0 || *pos >= SUMMARY_POS)
		return mm_iter_stop_at(it, pos);
	ret = mm_iter_target(m, &t);
	if (ret)
		return mm_iter_end(it, pos, ret);
	ret = ptw_vma_stats(&t, *pos - 1, it->show_pfns, &it->cur);
	mm_iter_target_put(&t);
	if (ret < 0)
		return mm_iter_end(it, pos, ret);
	if (!ret) {
		*pos = SUMMARY_POS;
		return &it->total;
	}
	if (it->cur.vma.start >= it->counted_end) {
		ptw_vma_stats_add(&it->total, &it->cur);
		it->counted_end = it->cur.vma.end;
	}
	it->next = it->cur.vma.end;
	*pos = it->cur.vma.start + 1;
	return &it->cur;
}

static void *mm_iter_start(struct seq_file *m, loff_t *pos)
{
	struct mm_iter *it = m->private;

	return it->load(m, pos);
}

static void *mm_iter_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct mm_iter *it = m->private;

	if (v == SEQ_START_TOKEN)
		*pos = 1;
	else if (v == &it->total)
		*pos = SUMMARY_POS + 1;
	else
		*pos = it->next + 1;
	return it->load(m, pos);
}

static void mm_iter_stop(struct seq_file *m, void *v)
{
}

static int maps_show(struct seq_file *m, void *v)
{
	struct mm_iter *it = m->private;

	if (v == SEQ_START_TOKEN)
		ptw_format_maps_header(m);
	else if (v == &it->cur)
		ptw_format_vma_stats(m, &it->cur);
	else if (it->gone)
		ptw_format_target_gone(m);
	else
		ptw_format_maps_total(m, &it->total);
	return 0;
}

static const struct seq_operations maps_seq_ops = {
	.start = mm_iter_start,
	.next = mm_iter_next,
	.stop = mm_iter_stop,
	.show = maps_show,
};

static int maps_open(struct inode *inode, struct file *file)
{
	return mm_iter_open(inode, file, &maps_seq_ops, maps_load);
}

static const struct file_operations maps_fops = {
	.owner = THIS_MODULE,
	.open = maps_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = mm_iter_release,
};

/* The range of equal entries that starts at or after *pos - 1. */
static void *pagetable_load(struct seq_file *m, loff_t *pos)
{
	struct mm_iter *it = m->private;
	struct ptw_records v;
	struct ptw_target t;
	int ret;

	if (*pos == 0 || *pos >= SUMMARY_POS)
		return mm_iter_stop_at(it, pos);
	v = (struct ptw_records) {
		.pos = *pos - 1,
		.end = ptw_user_va_end(),
		.ranges = true,
		.holes = true,
		.buf = &it->range,
		.cap = 1,
		.first_vma = &it->vma,
	};
	ret = mm_iter_target(m, &t);
	if (ret)
		return mm_iter_end(it, pos, ret);
	v.show_pfns = it->show_pfns;
	ret = ptw_walk_records(t.mm, &v);
	mm_iter_target_put(&t);
	if (ret)
		return mm_iter_end(it, pos, ret);
	if (!v.n) {
		*pos = SUMMARY_POS;
		return &it->total;
	}
	if (it->range.va >= it->counted_end) {
		if (it->range.cats & BIT_ULL(PTWALK_CAT_WX))
			it->wx_pages += it->range.length >> PAGE_SHIFT;
		it->counted_end = it->range.va + it->range.length;
	}
	it->next = v.pos;
	*pos = it->range.va + 1;
	return &it->range;
}

static int pagetable_show(struct seq_file *m, void *v)
{
	struct mm_iter *it = m->private;

	if (v == SEQ_START_TOKEN)
		ptw_format_pagetable_header(m);
	else if (v == &it->range)
		ptw_format_range(m, &it->range, it->vma.name);
	else if (it->gone)
		ptw_format_wx_gone(m, it->wx_pages);
	else
		ptw_format_wx_check(m, it->wx_pages);
	return 0;
}

static const struct seq_operations pagetable_seq_ops = {
	.start = mm_iter_start,
	.next = mm_iter_next,
	.stop = mm_iter_stop,
	.show = pagetable_show,
};

static int pagetable_open(struct inode *inode, struct file *file)
{
	return mm_iter_open(inode, file, &pagetable_seq_ops, pagetable_load);
}

static const struct file_operations pagetable_fops = {
	.owner = THIS_MODULE,
	.open = pagetable_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = mm_iter_release,
};

static const struct ptw_zone_ops format_zone_ops = { .zone = ptw_format_zone };

static int zones_show(struct seq_file *m, void *unused)
{
	ptw_format_zones_header(m);
	return ptw_visit_zones(&format_zone_ops, m);
}
DEFINE_SHOW_ATTRIBUTE(zones);

static int vmstat_show(struct seq_file *m, void *unused)
{
	unsigned int n = ptw_nr_vm_events();
	struct ptwalk_vmstat_item *items = kcalloc(n, sizeof(*items), GFP_KERNEL);
	int ret;

	if (!items)
		return -ENOMEM;
	ret = ptw_read_vm_events(items);
	if (!ret)
		ptw_format_vmstat(m, items, n);
	kfree(items);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(vmstat);

/* The live trace table, when a trace has been started. */
static int show_fault_trace(struct seq_file *m)
{
	unsigned int room = ptw_fault_trace_max_vmas();
	struct ptwalk_fault_trace t = { .op = PTWALK_FT_READ, .count = room };
	struct ptwalk_ft_vma *vmas;
	int ret;

	if (ptw_may_trace(m->file))
		return 0;
	vmas = kcalloc(room, sizeof(*vmas), GFP_KERNEL);
	if (!vmas)
		return -ENOMEM;
	ret = ptw_fault_trace(&t, vmas);
	if (!ret)
		ptw_format_fault_trace(m, &t, vmas);
	kfree(vmas);
	return ret == -ENODATA ? 0 : ret;
}

static int faults_show(struct seq_file *m, void *unused)
{
	struct ptwalk_faults f = {};
	struct task_struct *task;
	pid_t pid;
	int ret;

	mutex_lock(&default_lock);
	pid = default_pid;
	mutex_unlock(&default_lock);
	if (!pid) {
		seq_puts(m, "no target: write a pid to target\n");
		return 0;
	}
	ret = ptw_task_get(pid, &task);
	if (ret)
		return ret;
	ret = ptw_may_inspect_task(m->file, task);
	if (!ret) {
		ptw_read_faults(task, true, &f);
		ptw_format_faults(m, pid, &f);
	}
	put_task_struct(task);
	if (!ret)
		ret = show_fault_trace(m);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(faults);

static int memory_show(struct seq_file *m, void *unused)
{
	long live, peak;

	ptw_call_mem(&live, &peak);
	seq_printf(m, "ioctl buffers: live %ld bytes, peak %ld bytes\n", live, peak);
	return 0;
}

static int memory_open(struct inode *inode, struct file *file)
{
	return single_open(file, memory_show, NULL);
}

static ssize_t memory_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	ptw_call_mem_reset();
	return len;
}

static const struct file_operations memory_fops = {
	.owner = THIS_MODULE,
	.open = memory_open,
	.read = seq_read,
	.write = memory_write,
	.llseek = seq_lseek,
	.release = single_release,
};

int ptw_debugfs_init(void)
{
	ptw_dir = debugfs_create_dir("ptwalk", NULL);
	debugfs_create_file("target", 0600, ptw_dir, NULL, &target_fops);
	debugfs_create_file("translate", 0600, ptw_dir, NULL, &translate_fops);
	debugfs_create_file("zones", 0400, ptw_dir, NULL, &zones_fops);
	debugfs_create_file("vmstat", 0400, ptw_dir, NULL, &vmstat_fops);
	debugfs_create_file("faults", 0400, ptw_dir, NULL, &faults_fops);
	debugfs_create_file("maps", 0400, ptw_dir, NULL, &maps_fops);
	debugfs_create_file("pagetable", 0400, ptw_dir, NULL, &pagetable_fops);
	debugfs_create_file("memory", 0600, ptw_dir, NULL, &memory_fops);
	return 0;
}

void ptw_debugfs_exit(void)
{
	debugfs_remove(ptw_dir);
}
