// SPDX-License-Identifier: GPL-2.0
/*
 * Live page-fault tracing of one process (all its threads): a probe on
 * handle_mm_fault()'s entry and return (an fprobe where the kernel has
 * them, else a kretprobe: compat.h) sees the VMA, the address, the fault
 * flags, the result and the duration of every fault the traced thread
 * group takes, and whether the entry the CPU faulted on was present (a
 * protection fault).
 * Zero cost when off: the probes are registered only while tracing (and
 * FT_DISARM_DELAY after).  No lock on the fault path: per-CPU tables,
 * added up at READ.  Bounded memory: at most FT_MAX_VMAS VMAs per CPU,
 * FT_MAX_VMAS in a READ, then an overflow bucket.
 */
#include <linux/atomic.h>
#include <linux/kdebug.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/workqueue.h>
#include <asm/nops.h>
#include <asm/text-patching.h>
#include "compat.h"
#include "internal.h"

#define FT_MAX_VMAS	256
/*
 * The probes stay armed this long after a STOP, so that a trace stopped
 * and started again does not patch handle_mm_fault()'s entry each time
 * (see ft_arm()); then they go, and the fault path is the kernel's own.
 */
#define FT_DISARM_DELAY	(2 * HZ)

enum ft_state { FT_IDLE, FT_RUNNING, FT_STOPPED };

/*
 * One CPU's share of the trace.  Only the probe handlers running on that
 * CPU write it, with preemption off and never nested (handle_mm_fault()
 * is not called from interrupts), inside @seq; READ copies every CPU's share under its @seq and
 * adds them up, so each CPU's counts are read as one consistent snapshot
 * and no lock is taken on the fault path.
 */
struct ft_cpu {
	/*
	 * raw_ accessors: on kernels without ftrace-based kprobes the handlers
	 * run from int3, an NMI-like context lockdep must not see the count in.
	 */
	seqcount_t seq;
	unsigned int nr_vmas;
	bool decided;		/* ft_entry() decided this call for ft_count() */
	bool traced;		/* ...and what it decided */
	u64 entries;		/* traced handle_mm_fault() calls (ft_count) */
	u64 followed;		/* of them, those ft_entry() saw */
	struct ptwalk_ft_vma overflow;
	u64 hist[PTWALK_FT_HIST];
	struct ptwalk_ft_vma *vmas;	/* FT_MAX_VMAS of them */
};

static DEFINE_MUTEX(ft_mutex);		/* serialises start/stop/reset/read/arming */
static enum ft_state ft_state;
static struct pid *ft_pid;		/* thread-group leader's pid, referenced */
/*
 * What the handlers test: ft_pid while running, else NULL.  Set with
 * release after the tables are cleared and ft_gen bumped; cleared, then
 * synchronize_rcu() waits for every handler that may have seen it (they
 * run with preemption off).
 */
static struct pid *ft_gate;
static unsigned int ft_gen;		/* bumped by START and RESET */
/* ptw_ft_unattributed() at the last clear; ft_lost_stop also at STOP */
static unsigned long ft_lost0, ft_lost_stop;
static pid_t ft_nr;
static u64 ft_started_ns, ft_elapsed_ns;	/* ktime, as fault durations */
static struct ft_cpu __percpu *ft_cpus;
static struct ptwalk_ft_vma *ft_snap;	/* READ: one CPU's table, copied */
static struct ptwalk_ft_vma *ft_sum;	/* READ: the sum, FT_MAX_VMAS */
static bool ft_armed;
static void ft_idle_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(ft_idle, ft_idle_fn);
/*
 * Where the probe has a pool (a kretprobe, 6.12's fprobe), each fault in
 * flight holds an instance while it sleeps (I/O, locks, userfaultfd):
 * room for many per CPU.  Capped: 6.7+'s objpool gives every
 * possible CPU a power-of-two slot array of this size (8 KiB each at 1024).
 */
#define FT_MAXACTIVE	clamp_t(int, 32 * num_possible_cpus(), 128, 1024)
/* A CPU faulting without pause must not keep READ (and STOP) waiting. */
#define FT_READ_TRIES	64

struct ft_call {
	u64 start_ns;
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned int flags;
	unsigned int gen;
	bool protection;
};

static bool ft_traced(void)
{
	/* acquire: pairs with ft_open(), so ft_gen and the tables are new */
	return task_tgid(current) == smp_load_acquire(&ft_gate);
}

static void ft_count_entry(struct ft_cpu *fc)
{
	raw_write_seqcount_begin(&fc->seq);
	fc->entries++;
	raw_write_seqcount_end(&fc->seq);
}

/*
 * Count a call: the counter probe's handler (compat.h) where there is one.
 * That probe runs for every call, even when the tracer has no free
 * instance left and skips its entry handler, so entries - followed is
 * exactly the traced faults the trace lost.  It runs after the tracer's
 * entry handler (compat.h): it counts what ft_entry() decided, whatever
 * the gate says by then, or decides itself when ft_entry() did not run.
 * Either way the decision ends with the call.
 */
static void ft_count(void)
{
	struct ft_cpu *fc = this_cpu_ptr(ft_cpus);
	bool traced = fc->decided ? fc->traced : ft_traced();

	fc->decided = false;
	if (traced)
		ft_count_entry(fc);
}

static int ft_entry(struct vm_area_struct *vma, unsigned long address,
		    unsigned int flags, void *data)
{
	struct ft_cpu *fc = this_cpu_ptr(ft_cpus);
	struct ft_call *c = data;
	bool traced = ft_traced();

	if (PTW_FT_COUNTER) {
		fc->decided = true;
		fc->traced = traced;
	} else if (traced) {
		/* no counter probe: nothing can skip this handler, it counts */
		ft_count_entry(fc);
	}
	/* Non-zero: not ours, skip the return handler. */
	if (!traced)
		return 1;
	c->gen = READ_ONCE(ft_gen);
	c->vm_start = vma->vm_start;
	c->vm_end = vma->vm_end;
	c->flags = flags;
	/* the error code's PF_PROT is gone by now: read what the CPU saw */
	c->protection = ptw_fault_leaf_present(vma->vm_mm, address);
	raw_write_seqcount_begin(&fc->seq);
	fc->followed++;
	raw_write_seqcount_end(&fc->seq);
	/*
	 * Not local_clock(): under an unstable TSC (TCG guests) it can step
	 * by a tick, so every fault read 0 ns, and the return may run on
	 * another CPU, whose local clock may be behind.  The fast monotonic
	 * clock is global, fine-grained and NMI-safe.
	 */
	c->start_ns = ktime_get_mono_fast_ns();
	return 0;
}

static struct ptwalk_ft_vma *ft_slot(struct ft_cpu *fc, unsigned long start,
				     unsigned long end)
{
	unsigned int i;

	for (i = 0; i < fc->nr_vmas; i++)
		if (fc->vmas[i].start == start && fc->vmas[i].end == end)
			return &fc->vmas[i];
	if (fc->nr_vmas == FT_MAX_VMAS)
		return &fc->overflow;
	fc->vmas[fc->nr_vmas].start = start;
	fc->vmas[fc->nr_vmas].end = end;
	return &fc->vmas[fc->nr_vmas++];
}

static void ft_return(vm_fault_t ret, void *data)
{
	struct ft_call *c = data;
	u64 now = ktime_get_mono_fast_ns();
	/* the fast clock may step back a little across a timekeeping update */
	u64 ns = now > c->start_ns ? now - c->start_ns : 0;
	struct ptwalk_ft_vma *v;
	struct ft_cpu *fc;

	/* entered before a STOP, RESET or restart: not this trace's */
	if (!READ_ONCE(ft_gate) || c->gen != READ_ONCE(ft_gen))
		return;
	fc = this_cpu_ptr(ft_cpus);
	raw_write_seqcount_begin(&fc->seq);
	v = ft_slot(fc, c->vm_start, c->vm_end);
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
	fc->hist[min_t(unsigned int, ns ? ilog2(ns) : 0, PTWALK_FT_HIST - 1)]++;
	raw_write_seqcount_end(&fc->seq);
}

/*
 * A stale int3 at the site (see ft_int3_notify()): run in its place what
 * memory now holds there, the site's 5-byte NOP or its call into ftrace,
 * as text_poke_bp()'s own int3 handler does while it patches.  Backing up
 * to run the site again finds the same stale translation and traps
 * again, forever when nothing patches the page anew (both vCPUs of a 6.1
 * guest stuck so, soft lockups).  Counted for rmmod's line.
 */
static atomic_t ft_int3_retries = ATOMIC_INIT(0);

static bool ft_retry_int3(struct pt_regs *regs)
{
	static const u8 nop5[] = { BYTES_NOP5 };
	unsigned long ip = instruction_pointer(regs) - INT3_INSN_SIZE;
	u8 insn[CALL_INSN_SIZE];

	memcpy(insn, (void *)ip, sizeof(insn));
	if (!memcmp(insn, nop5, sizeof(insn))) {
		int3_emulate_jmp(regs, ip + CALL_INSN_SIZE);
	} else if (insn[0] == CALL_INSN_OPCODE) {
		int3_emulate_push(regs, ip + CALL_INSN_SIZE);
		int3_emulate_jmp(regs, ip + CALL_INSN_SIZE + *(s32 *)(insn + 1));
	} else {
		return false;	/* not the site as ftrace writes it */
	}
	atomic_inc(&ft_int3_retries);
	return true;
}

PTW_FT_HANDLERS(ft_entry, ft_return, ft_count, ft_retry_int3)
static struct ptw_ft_probe ft_probe;

static int ft_alloc(void)
{
	int cpu;

	if (ft_cpus)
		return 0;
	ft_cpus = alloc_percpu(struct ft_cpu);
	ft_snap = kcalloc(FT_MAX_VMAS, sizeof(*ft_snap), GFP_KERNEL);
	ft_sum = kcalloc(FT_MAX_VMAS, sizeof(*ft_sum), GFP_KERNEL);
	if (!ft_cpus || !ft_snap || !ft_sum)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct ft_cpu *fc = per_cpu_ptr(ft_cpus, cpu);

		seqcount_init(&fc->seq);
		fc->vmas = kcalloc_node(FT_MAX_VMAS, sizeof(*fc->vmas), GFP_KERNEL,
					cpu_to_node(cpu));
		if (!fc->vmas)
			return -ENOMEM;
	}
	/*
	 * 7.x: a call still in flight when its probe went can reach
	 * ft_return() once the probe is back at that address (a reloaded
	 * module): its gen must not be this trace's by chance.
	 */
	ft_gen = get_random_u32();
	return 0;
}

static void ft_free(void)
{
	int cpu;

	if (ft_cpus)
		for_each_possible_cpu(cpu)
			kfree(per_cpu_ptr(ft_cpus, cpu)->vmas);
	free_percpu(ft_cpus);
	ft_cpus = NULL;
	kfree(ft_snap);
	ft_snap = NULL;
	kfree(ft_sum);
	ft_sum = NULL;
}

/* Only with the gate closed and its readers gone (ft_close()). */
static void ft_clear(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct ft_cpu *fc = per_cpu_ptr(ft_cpus, cpu);

		memset(fc->vmas, 0, FT_MAX_VMAS * sizeof(*fc->vmas));
		fc->nr_vmas = 0;
		fc->entries = 0;
		fc->followed = 0;
		memset(&fc->overflow, 0, sizeof(fc->overflow));
		memset(fc->hist, 0, sizeof(fc->hist));
	}
	ft_gen++;
	ft_lost0 = ptw_ft_unattributed(&ft_probe);
	/* a stopped trace reset reads 0 lost, not a wrapped lost_stop - lost0 */
	ft_lost_stop = ft_lost0;
	ft_started_ns = ktime_get_ns();
	ft_elapsed_ns = 0;
}

/* Close the gate; on return no handler counts for the old trace. */
static void ft_close(void)
{
	if (!ft_gate)
		return;
	WRITE_ONCE(ft_gate, NULL);
	synchronize_rcu();
}

static void ft_open(void)
{
	/* release: the cleared tables and ft_gen before the gate opens */
	smp_store_release(&ft_gate, ft_pid);
}

/*
 * QEMU's TCG can run a stale translation of a site text_poke_bp() has
 * already rewritten, and so an int3 no longer in memory that the patching
 * code does not claim.  Kernels up to 6.1 retried such an int3
 * (kprobe_int3_handler()); later ones die ("Oops: int3" at
 * handle_mm_fault+0x5, seen with the fprobe on 6.12 and 7.3).  Once ptwalk
 * has patched handle_mm_fault()'s ftrace site, an int3 in its first bytes
 * that is gone from memory is retried, as 6.1 did.  An int3 still there is
 * someone's breakpoint: not ours.  On hardware it never comes.  (Where a
 * kprobe is hashed on the site, kprobes see the int3 first: compat.h.)
 * "Retried" means the instruction now there is run in the int3's place.
 */
#define FT_SITE_BYTES	16	/* endbr64 and the 5-byte call, with room */
static bool ft_int3_registered;

static int ft_int3_notify(struct notifier_block *nb, unsigned long val, void *data)
{
	struct die_args *args = data;
	unsigned long ip, fn = (unsigned long)handle_mm_fault;

	if (val != DIE_INT3 || user_mode(args->regs))
		return NOTIFY_DONE;
	ip = instruction_pointer(args->regs) - INT3_INSN_SIZE;
	if (ip < fn || ip >= fn + FT_SITE_BYTES || *(u8 *)ip == INT3_INSN_OPCODE)
		return NOTIFY_DONE;
	return ft_retry_int3(args->regs) ? NOTIFY_STOP : NOTIFY_DONE;
}

static struct notifier_block ft_int3_nb = { .notifier_call = ft_int3_notify };

/*
 * Register the probes, once for a run of traces.  Arming a probe
 * rewrites handle_mm_fault()'s ftrace call site (text_poke_bp: an int3
 * on the site while the rest is written) while other CPUs fault through
 * it.  A kprobe on that site (the kretprobe path) is ftrace-based and has
 * no out-of-line instruction copy (ainsn.insn is NULL): an int3 hit there
 * that the patching code does not claim is single-stepped to address 0.
 * Registering and unregistering the probe at every START and STOP did
 * that twice in ~200 restarts under TCG, whose CPUs can keep executing a
 * stale translation of the site; disable/enable_kprobe() patches the same
 * way with the probe still hashed and crashed within seconds.  An fprobe
 * hashes no kprobe there, which ends that single-step, but the int3 then
 * went unclaimed: "Oops: int3" at handle_mm_fault+0x5 (6.12, 7.3).  Both
 * are retried now (ft_int3_notify(), compat.h's counter).
 * The site is still patched only when tracing begins and FT_DISARM_DELAY
 * after the last STOP, not at every restart.
 */
static int ft_arm(void)
{
	int ret;

	cancel_delayed_work(&ft_idle);
	if (ft_armed)
		return 0;
	if (!ft_int3_registered) {
		/* before the first patch; it stays until the module goes */
		ret = register_die_notifier(&ft_int3_nb);
		if (ret)
			return ret;
		ft_int3_registered = true;
	}
	ret = ptw_ft_register(&ft_probe, "handle_mm_fault", sizeof(struct ft_call),
			      FT_MAXACTIVE);
	if (ret)
		return ret;
	ft_armed = true;
	return 0;
}

static void ft_disarm(void)
{
	if (!ft_armed)
		return;
	ptw_ft_unregister(&ft_probe);
	ft_armed = false;
}

static void ft_idle_fn(struct work_struct *work)
{
	mutex_lock(&ft_mutex);
	if (ft_state != FT_RUNNING)
		ft_disarm();
	mutex_unlock(&ft_mutex);
}

static int ft_start(pid_t nr)
{
	struct task_struct *task;
	struct pid *pid;
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
	/* a zombie or a reaped group: no thread left that could fault */
	if (!atomic_read(&task->signal->live)) {
		put_task_struct(task);
		return -ESRCH;
	}
	pid = get_pid(task_tgid(task));
	nr = task_tgid_vnr(task);
	put_task_struct(task);
	ret = ft_alloc();
	if (ret) {
		ft_free();
		put_pid(pid);
		return ret;
	}
	ret = ft_arm();
	if (ret) {
		put_pid(pid);
		return ret;
	}
	put_pid(ft_pid);
	ft_pid = pid;
	ft_nr = nr;
	ft_clear();
	ft_open();
	ft_state = FT_RUNNING;
	return 0;
}

static void ft_stop(void)
{
	ft_close();
	ft_lost_stop = ptw_ft_unattributed(&ft_probe);
	ft_elapsed_ns = ktime_get_ns() - ft_started_ns;
	ft_state = FT_STOPPED;
	schedule_delayed_work(&ft_idle, FT_DISARM_DELAY);
}

static int ft_cmp(const void *a, const void *b)
{
	const struct ptwalk_ft_vma *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

static void ft_add(struct ptwalk_ft_vma *to, const struct ptwalk_ft_vma *v)
{
	to->faults += v->faults;
	to->read += v->read;
	to->write += v->write;
	to->exec += v->exec;
	to->kernel_mode += v->kernel_mode;
	to->minor += v->minor;
	to->major += v->major;
	to->retry += v->retry;
	to->error += v->error;
	to->protection += v->protection;
}

/* Add up every CPU's share: each one copied whole under its seqcount. */
static void ft_read(struct ptwalk_fault_trace *req, struct ptwalk_ft_vma *vmas)
{
	struct ptwalk_ft_vma overflow = {};
	unsigned int n = 0, i, j, k;
	u64 entries = 0, followed = 0;
	int cpu;

	memset(req->hist, 0, sizeof(req->hist));
	for_each_possible_cpu(cpu) {
		struct ft_cpu *fc = per_cpu_ptr(ft_cpus, cpu);
		struct ptwalk_ft_vma over;
		u64 hist[PTWALK_FT_HIST], e, f;
		unsigned int nr, seq, tries = 0;

		/* after FT_READ_TRIES: a counter may be one fault behind another */
		do {
			seq = raw_read_seqcount_begin(&fc->seq);
			nr = min_t(unsigned int, READ_ONCE(fc->nr_vmas), FT_MAX_VMAS);
			memcpy(ft_snap, fc->vmas, nr * sizeof(*ft_snap));
			over = fc->overflow;
			memcpy(hist, fc->hist, sizeof(hist));
			e = fc->entries;
			f = fc->followed;
		} while (read_seqcount_retry(&fc->seq, seq) && ++tries < FT_READ_TRIES);
		entries += e;
		followed += f;
		for (k = 0; k < PTWALK_FT_HIST; k++)
			req->hist[k] += hist[k];
		ft_add(&overflow, &over);
		for (i = 0; i < nr; i++) {
			for (j = 0; j < n; j++)
				if (ft_sum[j].start == ft_snap[i].start &&
				    ft_sum[j].end == ft_snap[i].end)
					break;
			if (j == n && n == FT_MAX_VMAS) {
				ft_add(&overflow, &ft_snap[i]);
				continue;
			}
			if (j == n) {
				ft_sum[n] = (struct ptwalk_ft_vma){
					.start = ft_snap[i].start,
					.end = ft_snap[i].end,
				};
				n++;
			}
			ft_add(&ft_sum[j], &ft_snap[i]);
		}
	}
	sort(ft_sum, n, sizeof(*ft_sum), ft_cmp, NULL);
	req->count = min(n, req->count);
	memcpy(vmas, ft_sum, req->count * sizeof(*vmas));
	req->overflow = overflow;
	req->total_vmas = n;
	req->max_vmas = FT_MAX_VMAS;
	req->traced_pid = ft_nr;
	req->running = ft_state == FT_RUNNING;
	/*
	 * The traced process's own faults that found every instance taken
	 * (threads blocked in a fault hold one each).  Exact once stopped;
	 * while running, a fault between the two entry handlers may show.
	 * 7.x: no pool, no counter (entries == followed); what fgraph had no
	 * room for is the fprobe's nmissed, of every process, added whole.
	 */
	req->nmissed = entries > followed ? entries - followed : 0;
	req->nmissed += (req->running ? ptw_ft_unattributed(&ft_probe) : ft_lost_stop) -
			ft_lost0;
	req->elapsed_ns = req->running ? ktime_get_ns() - ft_started_ns : ft_elapsed_ns;
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
			ft_close();
			ft_clear();
			if (ft_state == FT_RUNNING)
				ft_open();
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
		ft_read(req, vmas);
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
	mutex_unlock(&ft_mutex);
	cancel_delayed_work_sync(&ft_idle);
	ft_disarm();
	if (ft_int3_registered) {
		unregister_die_notifier(&ft_int3_nb);
		ft_int3_registered = false;
		if (atomic_read(&ft_int3_retries))
			pr_info("ptwalk: retried %d stale int3 at handle_mm_fault's patched site (an emulator's stale code)\n",
				atomic_read(&ft_int3_retries));
	}
	put_pid(ft_pid);
	ft_pid = NULL;
	ft_free();
}
