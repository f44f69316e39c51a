// SPDX-License-Identifier: GPL-2.0
/*
 * Live page-fault tracing of one process (all its threads): a kretprobe
 * on handle_mm_fault() sees the VMA, the address, the fault flags, the
 * result and the duration of every fault the traced thread group takes,
 * and whether the entry the CPU faulted on was present (a protection
 * fault).
 * Zero cost when off: the probe is registered only while tracing.
 * Bounded memory: at most FT_MAX_VMAS VMAs, then an overflow bucket.
 */
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "internal.h"

#define FT_MAX_VMAS	256

enum ft_state { FT_IDLE, FT_RUNNING, FT_STOPPED };

static DEFINE_MUTEX(ft_mutex);		/* serialises start/stop/reset/read */
/*
 * Guards the counters below.  Raw: the kretprobe handler runs with
 * preemption off, where PREEMPT_RT's sleeping spinlock_t must not be taken.
 */
static DEFINE_RAW_SPINLOCK(ft_lock);
static enum ft_state ft_state;
static struct pid *ft_pid;		/* thread-group leader's pid, referenced */
static pid_t ft_nr;
static u64 ft_started_ns, ft_elapsed_ns;	/* ktime, as fault durations */
static struct ptwalk_ft_vma *ft_vmas;	/* FT_MAX_VMAS of them */
static unsigned int ft_nr_vmas;
static struct ptwalk_ft_vma ft_overflow;
static u64 ft_hist[PTWALK_FT_HIST];

struct ft_call {
	u64 start_ns;
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned int flags;
	bool protection;
};

static int ft_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct vm_area_struct *vma = (void *)regs_get_kernel_argument(regs, 0);
	struct ft_call *c = (void *)ri->data;

	/* Non-zero: not ours, skip the return handler. */
	if (task_tgid(current) != READ_ONCE(ft_pid))
		return 1;
	c->vm_start = vma->vm_start;
	c->vm_end = vma->vm_end;
	c->flags = regs_get_kernel_argument(regs, 2);
	/* the error code's PF_PROT is gone by now: read what the CPU saw */
	c->protection = ptw_fault_leaf_present(vma->vm_mm,
					       regs_get_kernel_argument(regs, 1));
	/*
	 * Not local_clock(): under an unstable TSC (TCG guests) it can step
	 * by a tick, so every fault read 0 ns, and the return may run on
	 * another CPU, whose local clock may be behind.  The fast monotonic
	 * clock is global, fine-grained and NMI-safe.
	 */
	c->start_ns = ktime_get_mono_fast_ns();
	return 0;
}

static struct ptwalk_ft_vma *ft_slot(unsigned long start, unsigned long end)
{
	unsigned int i;

	for (i = 0; i < ft_nr_vmas; i++)
		if (ft_vmas[i].start == start && ft_vmas[i].end == end)
			return &ft_vmas[i];
	if (ft_nr_vmas == FT_MAX_VMAS)
		return &ft_overflow;
	ft_vmas[ft_nr_vmas].start = start;
	ft_vmas[ft_nr_vmas].end = end;
	return &ft_vmas[ft_nr_vmas++];
}

static int ft_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	/* the register holds the vm_fault_t handle_mm_fault() returned */
	vm_fault_t ret = (__force vm_fault_t)regs_return_value(regs);
	struct ft_call *c = (void *)ri->data;
	u64 now = ktime_get_mono_fast_ns();
	/* the fast clock may step back a little across a timekeeping update */
	u64 ns = now > c->start_ns ? now - c->start_ns : 0;
	struct ptwalk_ft_vma *v;

	raw_spin_lock(&ft_lock);
	v = ft_slot(c->vm_start, c->vm_end);
	v->faults++;
	if (c->flags & FAULT_FLAG_INSTRUCTION)
		v->exec++;
	else if (c->flags & FAULT_FLAG_WRITE)
		v->write++;
	else
		v->read++;
	if (!(c->flags & FAULT_FLAG_USER))
		v->kernel_mode++;
	if (c->protection)
		v->protection++;
	/* as mm_account_fault(): a retried fault is major once it completes */
	if (ret & VM_FAULT_ERROR)
		v->error++;
	else if (ret & VM_FAULT_RETRY)
		v->retry++;
	else if ((ret & VM_FAULT_MAJOR) || (c->flags & FAULT_FLAG_TRIED))
		v->major++;
	else
		v->minor++;
	ft_hist[min_t(unsigned int, ns ? ilog2(ns) : 0, PTWALK_FT_HIST - 1)]++;
	raw_spin_unlock(&ft_lock);
	return 0;
}

static struct kretprobe ft_probe;

static void ft_clear(void)
{
	raw_spin_lock(&ft_lock);
	memset(ft_vmas, 0, FT_MAX_VMAS * sizeof(*ft_vmas));
	ft_nr_vmas = 0;
	memset(&ft_overflow, 0, sizeof(ft_overflow));
	memset(ft_hist, 0, sizeof(ft_hist));
	raw_spin_unlock(&ft_lock);
	ft_started_ns = ktime_get_ns();
	ft_elapsed_ns = 0;
}

static int ft_start(pid_t nr)
{
	struct task_struct *task;
	int ret;

	if (ft_state == FT_RUNNING)
		return -EBUSY;
	ret = ptw_task_get(nr, &task);
	if (ret)
		return ret;
	if (task->flags & PF_KTHREAD) {
		put_task_struct(task);
		return -ENXIO;
	}
	put_pid(ft_pid);
	ft_pid = get_pid(task_tgid(task));
	ft_nr = task_tgid_vnr(task);
	put_task_struct(task);
	if (!ft_vmas) {
		ft_vmas = kcalloc(FT_MAX_VMAS, sizeof(*ft_vmas), GFP_KERNEL);
		if (!ft_vmas)
			return -ENOMEM;
	}
	ft_clear();
	/* A kretprobe is not reusable as is after unregistering: build anew. */
	ft_probe = (struct kretprobe) {
		.kp.symbol_name = "handle_mm_fault",
		.entry_handler = ft_entry,
		.handler = ft_return,
		.data_size = sizeof(struct ft_call),
		/* Faults sleep: keep enough instances for many in flight at once. */
		.maxactive = max_t(int, 64, 8 * num_possible_cpus()),
	};
	ret = register_kretprobe(&ft_probe);
	if (ret)
		return ret;
	ft_state = FT_RUNNING;
	return 0;
}

static void ft_stop(void)
{
	unregister_kretprobe(&ft_probe);	/* waits for running handlers */
	ft_elapsed_ns = ktime_get_ns() - ft_started_ns;
	ft_state = FT_STOPPED;
}

static int ft_read(struct ptwalk_fault_trace *req, struct ptwalk_ft_vma *vmas)
{
	unsigned int n;

	raw_spin_lock(&ft_lock);
	n = min(ft_nr_vmas, req->count);
	memcpy(vmas, ft_vmas, n * sizeof(*vmas));
	req->overflow = ft_overflow;
	memcpy(req->hist, ft_hist, sizeof(ft_hist));
	req->total_vmas = ft_nr_vmas;
	raw_spin_unlock(&ft_lock);
	req->count = n;
	req->max_vmas = FT_MAX_VMAS;
	req->traced_pid = ft_nr;
	req->running = ft_state == FT_RUNNING;
	req->nmissed = ft_probe.nmissed;
	req->elapsed_ns = req->running ? ktime_get_ns() - ft_started_ns : ft_elapsed_ns;
	return 0;
}

/*
 * One request.  For PTWALK_FT_READ, @vmas has room for req->count
 * entries (at most FT_MAX_VMAS) and gets req->count back.
 */
int ptw_fault_trace(struct ptwalk_fault_trace *req, struct ptwalk_ft_vma *vmas)
{
	int ret = 0;

	if (req->flags)
		return -EINVAL;
	mutex_lock(&ft_mutex);
	switch (req->op) {
	case PTWALK_FT_START:
		ret = ft_start(req->pid);
		break;
	case PTWALK_FT_STOP:
		if (ft_state == FT_RUNNING)
			ft_stop();
		else
			ret = -EINVAL;	/* not running */
		break;
	case PTWALK_FT_RESET:
	case PTWALK_FT_READ:
		if (ft_state == FT_IDLE) {
			ret = -ENODATA;	/* never started, or reset since */
		} else if (req->op == PTWALK_FT_RESET) {
			ft_clear();
			/* a stopped trace, reset, is gone: nothing left to read */
			if (ft_state == FT_STOPPED)
				ft_state = FT_IDLE;
		}
		break;
	default:
		ret = -EINVAL;
	}
	if (!ret) {
		if (req->op != PTWALK_FT_READ)
			req->count = 0;
		ret = ft_read(req, vmas);
	}
	mutex_unlock(&ft_mutex);
	return ret;
}

unsigned int ptw_fault_trace_max_vmas(void)
{
	return FT_MAX_VMAS;
}

/* Module unload while tracing: take the probe out before the code goes. */
void ptw_fault_trace_exit(void)
{
	mutex_lock(&ft_mutex);
	if (ft_state == FT_RUNNING)
		ft_stop();
	ft_state = FT_IDLE;
	put_pid(ft_pid);
	ft_pid = NULL;
	kfree(ft_vmas);
	ft_vmas = NULL;
	mutex_unlock(&ft_mutex);
}
