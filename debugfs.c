// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/ptwalk/: the cat-able text face.
 *   target     write a pid; read it back.  The default for new opens.
 *   translate  write "ADDR" or "PID ADDR" (ADDR in hex); read the walk.
 *   zones      watermarks, free pages and buddy lists of every zone.
 *   vmstat     fault and reclaim events, as /proc/vmstat names them.
 *   faults     fault counters of the target process.
 * State is per open file, seeded from the global default at open, so two
 * shells each holding their own fd never see each other's answers.
 * Text only: Debian's lockdown refuses ioctl on debugfs.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mmap_lock.h>
#include <linux/mutex.h>
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
	ret = ptw_may_inspect(file, &t);
	if (!ret)
		ret = mmap_read_lock_killable(t.mm);
	if (!ret) {
		ptw_translate(&t, req->addr, x);
		mmap_read_unlock(t.mm);
		if (!ptw_may_see_pfns(file))
			ptw_hide_pfns(x);
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

int ptw_debugfs_init(void)
{
	ptw_dir = debugfs_create_dir("ptwalk", NULL);
	debugfs_create_file("target", 0600, ptw_dir, NULL, &target_fops);
	debugfs_create_file("translate", 0600, ptw_dir, NULL, &translate_fops);
	debugfs_create_file("zones", 0400, ptw_dir, NULL, &zones_fops);
	debugfs_create_file("vmstat", 0400, ptw_dir, NULL, &vmstat_fops);
	debugfs_create_file("faults", 0400, ptw_dir, NULL, &faults_fops);
	return 0;
}

void ptw_debugfs_exit(void)
{
	debugfs_remove(ptw_dir);
}
