// SPDX-License-Identifier: GPL-2.0
/*
 * The page-table walker: pgd -> p4d -> pud -> pmd -> pte of one mm over a
 * range, VMA by VMA, handing every entry it reads to a visitor.  It knows
 * nothing of its callers: no user copies, no formatting, no policy.
 *
 * Locking (see the kernel-api brief): the caller holds the mmap lock for
 * read, which pins the VMAs and the upper tables.  Since 6.5 an empty PTE
 * table can be detached without the mmap lock and freed by RCU, so PTE
 * tables are read under rcu_read_lock() plus their ptl, after re-checking
 * that the PMD still points to them.  Leaves above the PTE level are read
 * under their own lock (pmd_lock/pud_lock) after the same re-check.
 *
 * A bounded walk (ptw_walk_bounded) counts the entries it reads and stops
 * between two entries once a hold has done its share, or early when a
 * writer waits for the mmap lock, so that the caller can let it in and
 * walk on from where it stopped.  cond_resched() runs after every entry
 * of every level, outside the page-table locks and RCU.
 */
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/jiffies.h>
#include <linux/mmap_lock.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/sched/signal.h>
#include <linux/pid.h>
#include <linux/hugetlb.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/fs.h>
#include <linux/io.h>
#include "compat.h"
#include "internal.h"

/* A reference on the task behind @pid, as the caller's pid namespace sees it. */
int ptw_task_get(pid_t pid, struct task_struct **taskp)
{
	struct task_struct *task;
	struct pid *p;

	if (pid <= 0)
		return -EINVAL;
	p = find_get_pid(pid);
	task = p ? get_pid_task(p, PIDTYPE_PID) : NULL;
	put_pid(p);
	if (!task)
		return -ESRCH;
	*taskp = task;
	return 0;
}

/*
 * The target's task and mm, with references held until ptw_target_put().
 * The calling thread itself needs none: it cannot exit, nor its mm change
 * (only its own exec or exit would), before this call returns.
 */
int ptw_target_get(pid_t pid, struct ptw_target *t)
{
	struct task_struct *task;
	struct mm_struct *mm;
	int ret;

	if (pid > 0 && current->mm && !(current->flags & PF_KTHREAD) &&
	    pid == task_pid_vnr(current)) {
		*t = (struct ptw_target) {
			.task = current, .mm = current->mm, .pid = pid, .self = true,
		};
		return 0;
	}
	ret = ptw_task_get(pid, &task);
	if (ret)
		return ret;
	if (task->flags & PF_KTHREAD) {
		put_task_struct(task);
		return -ENXIO;		/* no user address space */
	}
	mm = get_task_mm(task);		/* NULL once the task has exited */
	if (!mm) {
		put_task_struct(task);
		return -ESRCH;
	}
	t->task = task;
	t->mm = mm;
	t->pid = pid;
	t->self = false;
	return 0;
}

void ptw_target_put(struct ptw_target *t)
{
	if (!t->self) {
		mmput(t->mm);
		put_task_struct(t->task);
	}
	t->mm = NULL;
	t->task = NULL;
}

/* As fs/proc/task_mmu.c: the mm_struct is kept, its address space is not. */
int ptw_target_grab(pid_t pid, struct ptw_target *t)
{
	int ret = ptw_target_get(pid, t);

	if (ret)
		return ret;
	mmgrab(t->mm);
	if (t->self) {
		/* ptw_target_get() took none: take the task ref drop() gives back */
		get_task_struct(t->task);
		t->self = false;
		return 0;
	}
	mmput(t->mm);
	return 0;
}

void ptw_target_drop(struct ptw_target *t)
{
	mmdrop(t->mm);
	put_task_struct(t->task);
	t->mm = NULL;
	t->task = NULL;
}

/* The address space of a grabbed @mm and its mmap lock (read), for one hold. */
int ptw_hold(struct mm_struct *mm)
{
	int ret;

	if (!mmget_not_zero(mm))
		return -ESRCH;		/* exited, or exec'd away from this mm */
	ret = mmap_read_lock_killable(mm);
	if (ret)
		mmput(mm);
	return ret;
}

void ptw_unhold(struct mm_struct *mm)
{
	mmap_read_unlock(mm);
	mmput(mm);
}

/*
 * Wait, a jiffy at most, for the tasks queued on the mmap lock to take it.
 * The unlock only wakes the writer at the head of the queue; a reader that
 * locks again before it runs steals the lock back (rwsem lets readers in
 * until a writer has waited a jiffy and asks for a handoff), and a walker
 * that yields every few tables would keep it out for as long as it walks:
 * measured under TCG, every hold of a walk ended contended, and the
 * writer waited for a third of the walk.
 */
static void let_waiters_in(struct mm_struct *mm)
{
	unsigned long until = jiffies + 1;

	/* sleep, not spin: the writer may be queued on this CPU */
	while (mmap_lock_is_contended(mm) && time_before_eq(jiffies, until) &&
	       !fatal_signal_pending(current))
		usleep_range(20, 50);
}

/*
 * Between two holds: let the tasks waiting for the lock in, and others
 * run.  On failure (-ESRCH, -EINTR) nothing is held.  Only a fatal signal
 * stops here: callers that lose the hold's work on -EINTR (MAPS' VMA,
 * a debugfs line) would never finish under a periodic timer signal.
 */
int ptw_rehold(struct mm_struct *mm)
{
	bool contended = mmap_lock_is_contended(mm);

	ptw_unhold(mm);
	cond_resched();
	if (contended)
		let_waiters_in(mm);
	if (fatal_signal_pending(current))
		return -EINTR;
	return ptw_hold(mm);
}

struct ptw_walk {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	const struct ptw_ops *ops;
	void *priv;
	bool zone_device;	/* the VMA may map unmarked ZONE_DEVICE pages */
	struct ptw_bound *bound;	/* NULL: one hold, however long */
	unsigned long work;		/* entries read in this hold */
};

/*
 * Has this hold done its share?  Asked before each entry of each level,
 * with no page-table lock held: a walk stopped here resumes at @addr.
 */
static bool hold_spent(struct ptw_walk *w, unsigned long addr)
{
	struct ptw_bound *b = w->bound;

	if (!b || w->work < PTW_HOLD_MIN_ENTRIES)
		return false;
	if (w->work < b->max_entries && !mmap_lock_is_contended(w->mm))
		return false;
	b->next = addr;
	return true;
}

static void entry_init(struct ptw_walk *w, struct ptw_entry *e, u8 level,
		       unsigned long addr, unsigned long size, unsigned int index,
		       u64 val, void *ptr)
{
	*e = (struct ptw_entry) {
		.level = level,
		.index = index,
		.start = addr & ~(size - 1),
		.size = size,
		.val = val,
		.phys = virt_to_phys(ptr),
		.vma = w->vma,
	};
}

static int emit(struct ptw_walk *w, const struct ptw_entry *e)
{
	/* a visitor of leaves alone is not called for the tables above them */
	if (e->type == PTW_TABLE && w->ops->leaves_only)
		return 0;
	return w->ops->entry(w->priv, e);
}

static bool vma_is_pfnmap(struct vm_area_struct *vma)
{
	return vma->vm_flags & (VM_PFNMAP | VM_IO);
}

/* A non-present, non-empty entry: swap, migration, marker... */
static void set_swap_leaf(struct ptw_entry *e)
{
	e->type = PTW_LEAF;
	e->kind = ptw_swap_kind(e->val, &e->swp_type, &e->swp_offset);
}

/* pfn_valid() is a good part of a PTE's cost: only for visitors that ask */
static struct page *page_of(struct ptw_walk *w, unsigned long pfn)
{
	return w->ops->pages && pfn_valid(pfn) ? pfn_to_page(pfn) : NULL;
}

/*
 * ZONE_DEVICE memory that no entry bit marks (7.3), by the page's zone,
 * read only in VMAs that can map it (ptw_vma_zone_device(), once per
 * VMA).  Device-coherent pages in anonymous VMAs are not looked for: they
 * read as normal, and their zone name tells when pages are read anyway.
 */
static bool zone_device(struct ptw_walk *w, unsigned long pfn)
{
	return w->zone_device && pfn_valid(pfn) && is_zone_device_page(pfn_to_page(pfn));
}

static void set_present_pte(struct ptw_walk *w, struct ptw_entry *e, pte_t pte)
{
	e->type = PTW_LEAF;
	e->present = true;
	e->pfn = pte_pfn(pte);
	if (is_zero_pfn(e->pfn)) {
		/* special, mostly; first, as a DAX file maps it in holes */
		e->kind = PTWALK_KIND_ZERO;
		e->page = page_of(w, e->pfn);
	} else if (ptw_pte_devmap(pte)) {
		/* before special: x86's pte_mkdevmap() sets both */
		e->kind = PTWALK_KIND_DEVMAP;
	} else if (pte_special(pte) || vma_is_pfnmap(w->vma)) {
		/* no struct page to speak of */
		e->kind = PTWALK_KIND_PFNMAP;
	} else if (zone_device(w, e->pfn)) {
		e->kind = PTWALK_KIND_DEVMAP;
	} else {
		e->kind = PTWALK_KIND_NORMAL;
		e->page = page_of(w, e->pfn);
	}
}

static void set_present_pmd(struct ptw_walk *w, struct ptw_entry *e, pmd_t pmd)
{
	struct vm_area_struct *vma = w->vma;

	e->type = PTW_LEAF;
	e->present = true;
	e->pfn = pmd_pfn(pmd);
	if (is_vm_hugetlb_page(vma)) {
		e->kind = PTWALK_KIND_HUGETLB;
		e->page = page_of(w, e->pfn);
	} else if (ptw_pmd_devmap(pmd)) {
		e->kind = PTWALK_KIND_DEVMAP;
	} else if (vma_is_pfnmap(vma)) {
		e->kind = PTWALK_KIND_PFNMAP;
	} else {
		struct page *page = pfn_valid(e->pfn) ? pfn_to_page(e->pfn) : NULL;

		/* the huge zero page first: 7.3 maps it special, DAX in holes */
		if (ptw_huge_zero_page(vma, page))
			e->kind = PTWALK_KIND_ZERO;
		else if (w->zone_device && page && is_zone_device_page(page))
			e->kind = PTWALK_KIND_DEVMAP;
		else if (ptw_pmd_special(pmd))
			e->kind = PTWALK_KIND_PFNMAP;
		else
			e->kind = PTWALK_KIND_THP;
		e->page = w->ops->pages && (e->kind == PTWALK_KIND_ZERO ||
					    e->kind == PTWALK_KIND_THP) ? page : NULL;
	}
}

static void set_present_pud(struct ptw_walk *w, struct ptw_entry *e, pud_t pud)
{
	e->type = PTW_LEAF;
	e->present = true;
	e->pfn = pud_pfn(pud);
	if (is_vm_hugetlb_page(w->vma)) {
		e->kind = PTWALK_KIND_HUGETLB;
		e->page = page_of(w, e->pfn);
	} else if (ptw_pud_devmap(pud)) {
		e->kind = PTWALK_KIND_DEVMAP;
	} else if (!vma_is_pfnmap(w->vma) && zone_device(w, e->pfn)) {
		/* as at PTE and PMD level: a PFN map's pfns are never read as pages */
		e->kind = PTWALK_KIND_DEVMAP;
	} else {
		e->kind = PTWALK_KIND_PFNMAP;
	}
}

/*
 * For ops->ptes visitors: the PTE @pte at @ptep, mapping @addr of @vma,
 * as walk_pte() would hand it to ops->entry() (without e->page).
 */
void ptw_pte_entry(struct vm_area_struct *vma, pte_t *ptep, pte_t pte,
		   unsigned long addr, struct ptw_entry *e)
{
	static const struct ptw_ops no_pages;
	struct ptw_walk w = { .mm = vma->vm_mm, .vma = vma, .ops = &no_pages,
			      .zone_device = ptw_vma_zone_device(vma) };

	entry_init(&w, e, PTWALK_LEVEL_PTE, addr, PAGE_SIZE, pte_index(addr),
		   pte_val(pte), ptep);
	if (pte_none(pte))
		e->type = PTW_NONE;
	else if (pte_present(pte))
		set_present_pte(&w, e, pte);
	else
		set_swap_leaf(e);
}

/*
 * For ops->ptes visitors: do a present PTE's bits alone tell its kind in
 * @vma (as ptw_pte_entry() decodes it), so that PTEs with equal bits but
 * the frame's are of one kind?  Not where ZONE_DEVICE pages no bit marks
 * may be mapped (their kind is read off the page), nor in a VM_MIXEDMAP
 * VMA, where vm_insert_page() may map the zero page without the special
 * bit it has everywhere else.
 */
bool ptw_pte_bits_tell_kind(struct vm_area_struct *vma)
{
	return !ptw_vma_zone_device(vma) && !(vma->vm_flags & VM_MIXEDMAP);
}

/*
 * The raw words of the 8 PTEs from @w ORed.  Plain loads, so that each is
 * one "or" from memory: with READ_ONCE() the compiler loads all eight into
 * registers first (spilling), and pte_val() is a paravirt call site per
 * entry.  The callers hold the table's lock: an empty entry becomes used
 * only under it, and what the hardware sets (accessed, dirty) leaves a
 * used entry used; pte_none() reads the raw word too.
 */
static __always_inline pteval_t or8_ptes(const pteval_t *w)
{
	return w[0] | w[1] | w[2] | w[3] | w[4] | w[5] | w[6] | w[7];
}

/*
 * How many of the @n entries from @ptep are empty, up to the first used
 * one: the bulk of a sparse table, so 32 and then eight are tested at
 * once.  Their OR is empty exactly when each is (pte_none() ignores the
 * same bits in all).
 */
unsigned int ptw_count_empty(const pte_t *ptep, unsigned int n)
{
	const pteval_t *w = (const pteval_t *)ptep;	/* a pte_t is its pteval_t */
	const pteval_t *end = w + n, *p = w;

	/* a table with a few pages in it: 32 at a time, then 8 */
	for (; end - p >= 32; p += 32)
		if (!pte_none(native_make_pte(or8_ptes(p) | or8_ptes(p + 8) |
					      or8_ptes(p + 16) | or8_ptes(p + 24))))
			break;
	for (; end - p >= 8; p += 8)
		if (!pte_none(native_make_pte(or8_ptes(p))))
			break;
	while (p < end && pte_none(ptep_get((pte_t *)p)))
		p++;
	return p - w;
}

static int walk_pte(struct ptw_walk *w, pmd_t *pmdp, pmd_t pmd,
		    const struct ptw_entry *pmde, unsigned long addr,
		    unsigned long end, bool *changed)
{
	struct ptw_entry e;
	spinlock_t *ptl;	/* the PTE table's lock */
	pte_t *ptep;
	int ret = 0;

	/*
	 * As __pte_offset_map(): only a PMD read inside the RCU section
	 * points to a table that cannot be freed before we lock it.
	 */
	rcu_read_lock();
	if (!pmd_same(pmd, ptw_pmdp_get(pmdp))) {
		*changed = true;
		rcu_read_unlock();
		return 0;
	}
	ptep = pte_offset_kernel(&pmd, addr);
	ptl = pte_lockptr(w->mm, &pmd);
	spin_lock(ptl);
	/* ...and it may have been detached since: the lock now tells */
	if (!pmd_same(pmd, ptw_pmdp_get(pmdp))) {
		*changed = true;
		goto out;
	}
	ret = emit(w, pmde);
	/* a visitor that reads the table itself, under the same locks */
	if (!ret && w->ops->ptes) {
		ret = w->ops->ptes(w->priv, w->vma, ptep, addr, end);
		goto out;
	}
	entry_init(w, &e, PTWALK_LEVEL_PTE, addr, PAGE_SIZE, 0, 0, ptep);
	for (; !ret && addr < end; ptep++, addr = (addr & PAGE_MASK) + PAGE_SIZE) {
		pte_t pte = ptep_get(ptep);

		/* the bulk of a sparse table: skipped here, before any decoding */
		if (pte_none(pte) && w->ops->skip_empty_ptes) {
			unsigned int n = ((end - 1) >> PAGE_SHIFT) - (addr >> PAGE_SHIFT) + 1;
			unsigned int skip = ptw_count_empty(ptep, n);

			if (skip == n)
				break;
			ptep += skip;
			addr = (addr & PAGE_MASK) + skip * PAGE_SIZE;
			pte = ptep_get(ptep);
		}
		/* per PTE, only what the previous one may have set */
		e.start = addr & PAGE_MASK;
		e.index = pte_index(addr);
		e.val = pte_val(pte);
		e.phys = virt_to_phys(ptep);
		e.kind = 0;
		e.present = false;
		e.pfn = 0;
		e.page = NULL;
		if (pte_none(pte))
			e.type = PTW_NONE;
		else if (pte_present(pte))
			set_present_pte(w, &e, pte);
		else
			set_swap_leaf(&e);
		ret = emit(w, &e);
	}
out:
	spin_unlock(ptl);
	rcu_read_unlock();
	return ret;
}

/*
 * A leaf (or a non-present entry) above the PTE level: decoded and handed
 * on under its page-table lock, once the entry still reads as @pmd/@pud
 * there (*@changed otherwise: read it again).
 */
static int emit_pmd_leaf(struct ptw_walk *w, pmd_t *pmdp, pmd_t pmd, struct ptw_entry *e,
			 bool *changed)
{
	spinlock_t *ptl = pmd_lock(w->mm, pmdp);
	int ret = 0;

	if (!pmd_same(pmd, ptw_pmdp_get(pmdp))) {
		*changed = true;
	} else {
		if (pmd_present(pmd))
			set_present_pmd(w, e, pmd);
		else
			set_swap_leaf(e);
		ret = emit(w, e);
	}
	spin_unlock(ptl);
	return ret;
}

static int emit_pud_leaf(struct ptw_walk *w, pud_t *pudp, pud_t pud, struct ptw_entry *e,
			 bool *changed)
{
	spinlock_t *ptl = pud_lock(w->mm, pudp);
	int ret = 0;

	if (pud_val(pud) != pud_val(READ_ONCE(*pudp))) {
		*changed = true;
	} else {
		/* as walk_pud(): PROT_NONE 1G leaves read as hugetlb does */
		if (pte_present(__pte(pud_val(pud))))
			set_present_pud(w, e, pud);
		else
			set_swap_leaf(e);
		ret = emit(w, e);
	}
	spin_unlock(ptl);
	return ret;
}

static int walk_pmd(struct ptw_walk *w, pud_t *pudp, unsigned long addr,
		    unsigned long end)
{
	pmd_t *pmdp = pmd_offset(pudp, addr);
	unsigned long next;
	struct ptw_entry e;
	bool changed;
	pmd_t pmd;
	int ret;

	do {
		next = pmd_addr_end(addr, end);
		if (hold_spent(w, addr))
			return PTW_YIELD;
retry:
		if (fatal_signal_pending(current))
			return -EINTR;
		w->work++;
		pmd = ptw_pmdp_get(pmdp);
		entry_init(w, &e, PTWALK_LEVEL_PMD, addr, PMD_SIZE,
			   pmd_index(addr), pmd_val(pmd), pmdp);
		if (pmd_none(pmd)) {
			e.type = PTW_NONE;
			ret = emit(w, &e);
		} else if (!pmd_present(pmd) || pmd_leaf(pmd)) {
			changed = false;
			ret = emit_pmd_leaf(w, pmdp, pmd, &e, &changed);
			if (changed)
				goto retry;
		} else if (pmd_bad(pmd)) {
			e.type = PTW_BAD;
			ret = emit(w, &e);
		} else {
			e.type = PTW_TABLE;
			changed = false;
			ret = walk_pte(w, pmdp, pmd, &e, addr, next, &changed);
			if (changed)
				goto retry;
			w->work += (next - addr) >> PAGE_SHIFT;
		}
		cond_resched();
	} while (pmdp++, addr = next, addr != end && !ret);
	return ret;
}

static int walk_pud(struct ptw_walk *w, p4d_t *p4dp, unsigned long addr,
		    unsigned long end)
{
	pud_t *pudp = pud_offset(p4dp, addr);
	unsigned long next;
	struct ptw_entry e;
	bool present, changed;
	pud_t pud;
	int ret;

	do {
		next = pud_addr_end(addr, end);
		if (hold_spent(w, addr))
			return PTW_YIELD;
retry:
		w->work++;
		pud = READ_ONCE(*pudp);
		entry_init(w, &e, PTWALK_LEVEL_PUD, addr, PUD_SIZE,
			   pud_index(addr), pud_val(pud), pudp);
		/*
		 * pud_present() ignores _PAGE_PROTNONE and pud_leaf() wants
		 * _PAGE_PRESENT: read a PROT_NONE 1G leaf as hugetlb does.
		 */
		present = pte_present(__pte(pud_val(pud)));
		if (pud_none(pud)) {
			e.type = PTW_NONE;
			ret = emit(w, &e);
		} else if (!present || (pud_val(pud) & _PAGE_PSE)) {
			changed = false;
			ret = emit_pud_leaf(w, pudp, pud, &e, &changed);
			if (changed)
				goto retry;
		} else if (pud_bad(pud)) {
			e.type = PTW_BAD;
			ret = emit(w, &e);
		} else {
			e.type = PTW_TABLE;
			ret = emit(w, &e);
			if (!ret)
				ret = walk_pmd(w, pudp, addr, next);
		}
		cond_resched();
	} while (pudp++, addr = next, addr != end && !ret);
	return ret;
}

/*
 * On 4-level paging the p4d level is folded into the pgd: p4d_offset()
 * returns the pgd entry itself.  Report it once as the PGD and once more
 * as a folded P4D so every walk shows five levels.
 */
static int walk_p4d(struct ptw_walk *w, pgd_t *pgdp, unsigned long addr,
		    unsigned long end)
{
	p4d_t *p4dp = p4d_offset(pgdp, addr);
	bool folded = !pgtable_l5_enabled();
	unsigned long next;
	struct ptw_entry e;
	p4d_t p4d;
	int ret;

	do {
		next = p4d_addr_end(addr, end);
		if (hold_spent(w, addr))
			return PTW_YIELD;
		w->work++;
		p4d = READ_ONCE(*p4dp);
		entry_init(w, &e, PTWALK_LEVEL_P4D, addr, P4D_SIZE,
			   p4d_index(addr), p4d_val(p4d), p4dp);
		if (p4d_none(p4d))
			e.type = PTW_NONE;
		else if (p4d_bad(p4d))
			e.type = PTW_BAD;
		else
			e.type = PTW_TABLE;
		if (folded) {
			struct ptw_entry pgde = e;

			pgde.level = PTWALK_LEVEL_PGD;
			pgde.index = pgd_index(addr);
			ret = emit(w, &pgde);
			if (ret)
				break;
			e.folded = true;
		}
		ret = emit(w, &e);
		if (!ret && e.type == PTW_TABLE)
			ret = walk_pud(w, p4dp, addr, next);
		cond_resched();
	} while (p4dp++, addr = next, addr != end && !ret);
	return ret;
}

static int walk_pgd(struct ptw_walk *w, unsigned long addr, unsigned long end)
{
	pgd_t *pgdp = pgd_offset(w->mm, addr);
	unsigned long next;
	struct ptw_entry e;
	pgd_t pgd;
	int ret;

	do {
		next = pgd_addr_end(addr, end);
		if (!pgtable_l5_enabled()) {
			ret = walk_p4d(w, pgdp, addr, next);
			continue;
		}
		if (hold_spent(w, addr))
			return PTW_YIELD;
		w->work++;
		pgd = READ_ONCE(*pgdp);
		entry_init(w, &e, PTWALK_LEVEL_PGD, addr, PGDIR_SIZE,
			   pgd_index(addr), pgd_val(pgd), pgdp);
		if (pgd_none(pgd))
			e.type = PTW_NONE;
		else if (pgd_bad(pgd))
			e.type = PTW_BAD;
		else
			e.type = PTW_TABLE;
		ret = emit(w, &e);
		if (!ret && e.type == PTW_TABLE)
			ret = walk_p4d(w, pgdp, addr, next);
		cond_resched();
	} while (pgdp++, addr = next, addr != end && !ret);
	return ret;
}

static int walk_vma(struct ptw_walk *w, struct vm_area_struct *vma,
		    unsigned long start, unsigned long end)
{
	struct address_space *mapping = NULL;
	int ret;

	w->vma = vma;
	w->zone_device = ptw_vma_zone_device(vma);
	ret = w->ops->vma ? w->ops->vma(w->priv, vma) : 0;
	if (ret)
		return ret;
	/* Shared hugetlb PMD tables are unshared under i_mmap_rwsem (write). */
	if (is_vm_hugetlb_page(vma) && (vma->vm_flags & VM_MAYSHARE) && vma->vm_file)
		mapping = vma->vm_file->f_mapping;
	if (mapping)
		i_mmap_lock_read(mapping);
	ret = walk_pgd(w, start, end);
	if (mapping)
		i_mmap_unlock_read(mapping);
	return ret;
}

/* walk_one()'s PTE, decoded as walk_pte() does, after its PMD (if asked for). */
static int one_pte_emit(struct ptw_walk *w, const struct ptw_entry *pmde, pte_t *ptep,
			pte_t pte, unsigned long addr)
{
	struct ptw_entry e;
	int ret = 0;

	entry_init(w, &e, PTWALK_LEVEL_PTE, addr, PAGE_SIZE, pte_index(addr), pte_val(pte), ptep);
	if (pte_none(pte))
		e.type = PTW_NONE;
	else if (pte_present(pte))
		set_present_pte(w, &e, pte);
	else
		set_swap_leaf(&e);
	if (pmde)
		ret = w->ops->entry(w->priv, pmde);
	return ret ?: w->ops->entry(w->priv, &e);
}

/*
 * The PTE for @addr of the table @pmd points to, for walk_one().  Without
 * ops->pages (and outside VMAs that may map unmarked ZONE_DEVICE pages,
 * whose struct page is read) no page-table lock is taken: as GUP-fast
 * does, the entry is read once inside an RCU section in which the PMD
 * points to its table before and after the read.  A PTE table detached
 * under the mmap read lock (khugepaged's retract_page_tables(), empty
 * table reclaim) is freed only after RCU and never attached again (what
 * puts a table back, collapse_huge_page() failing, holds the mmap lock for
 * write), so the table was in use all along and a non-empty value read
 * is one a reader under the lock could have seen; an empty one is read
 * again under the lock.  A page's fields need the lock: it keeps the
 * page mapped.
 */
static int walk_one_pte(struct ptw_walk *w, pmd_t *pmdp, pmd_t pmd,
			const struct ptw_entry *pmde, unsigned long addr, bool *changed)
{
	spinlock_t *ptl;	/* the PTE table's lock, when pages are read */
	pte_t *ptep;
	int ret = 0;

	rcu_read_lock();
	if (!pmd_same(pmd, ptw_pmdp_get(pmdp))) {
		*changed = true;
		goto out;
	}
	ptep = pte_offset_kernel(&pmd, addr);
	if (!w->ops->pages && !w->zone_device) {
		pte_t pte = ptep_get(ptep);

		/*
		 * An empty entry may be a moment inside a change made under
		 * the lock (mprotect, COW, NUMA hinting, migration clear the
		 * entry, then write it): only the lock tells it from a hole.
		 */
		if (!pte_none(pte)) {
			if (pmd_same(pmd, ptw_pmdp_get(pmdp)))
				ret = one_pte_emit(w, pmde, ptep, pte, addr);
			else
				*changed = true;
			goto out;
		}
	}
	ptl = pte_lockptr(w->mm, &pmd);
	spin_lock(ptl);
	if (pmd_same(pmd, ptw_pmdp_get(pmdp)))
		ret = one_pte_emit(w, pmde, ptep, ptep_get(ptep), addr);
	else
		*changed = true;
	spin_unlock(ptl);
out:
	rcu_read_unlock();
	return ret;
}

/*
 * Hand on an upper-level entry of walk_one(): a table only if asked for.
 * The entry is built here, only when handed on: with INIT_STACK_ALL_ZERO
 * (Debian's kernels) every struct on the stack is zeroed where its scope
 * begins, and walk_one() builds no entry for a table it does not hand on.
 */
static int emit_one_entry(struct ptw_walk *w, u8 level, unsigned long addr,
			  unsigned long size, unsigned int index, u64 val, void *ptr,
			  enum ptw_type type)
{
	struct ptw_entry e;

	entry_init(w, &e, level, addr, size, index, val, ptr);
	e.type = type;
	return w->ops->entry(w->priv, &e);
}

static int emit_one(struct ptw_walk *w, u8 level, unsigned long addr, unsigned long size,
		    unsigned int index, u64 val, void *ptr, enum ptw_type type)
{
	if (type == PTW_TABLE && w->ops->leaves_only)
		return 0;
	return emit_one_entry(w, level, addr, size, index, val, ptr, type);
}

/* The P4D of walk_one(), after the PGD it is folded into on 4-level paging. */
static int emit_one_p4d(struct ptw_walk *w, unsigned long addr, p4d_t *p4dp, p4d_t p4d,
			enum ptw_type type, bool l5)
{
	struct ptw_entry e;
	int ret;

	entry_init(w, &e, PTWALK_LEVEL_P4D, addr, P4D_SIZE, p4d_index(addr), p4d_val(p4d), p4dp);
	e.type = type;
	if (!l5) {	/* as walk_p4d(): the PGD, then the folded P4D */
		struct ptw_entry pgde = e;

		pgde.level = PTWALK_LEVEL_PGD;
		pgde.index = pgd_index(addr);
		ret = w->ops->entry(w->priv, &pgde);
		if (ret)
			return ret;
		e.folded = true;
	}
	return w->ops->entry(w->priv, &e);
}

static int emit_one_pud_leaf(struct ptw_walk *w, unsigned long addr, pud_t *pudp, pud_t pud,
			     bool *changed)
{
	struct ptw_entry e;

	entry_init(w, &e, PTWALK_LEVEL_PUD, addr, PUD_SIZE, pud_index(addr), pud_val(pud), pudp);
	return emit_pud_leaf(w, pudp, pud, &e, changed);
}

/* What walk_one_pmd() takes for a table: present, not a leaf, not bad. */
static bool one_pmd_table(pmd_t pmd)
{
	return pmd_present(pmd) && !pmd_leaf(pmd) && !pmd_bad(pmd);
}

/*
 * walk_one()'s PMD as walk_pmd() reads it, and what it maps; walk_one()
 * itself takes a table a leaf-only visitor skips (one_pmd_table()).
 */
static int walk_one_pmd(struct ptw_walk *w, unsigned long addr, pmd_t *pmdp, pmd_t pmd,
			bool *changed)
{
	struct ptw_entry pmde;

	entry_init(w, &pmde, PTWALK_LEVEL_PMD, addr, PMD_SIZE, pmd_index(addr), pmd_val(pmd),
		   pmdp);
	/* as walk_pmd(): empty, then a leaf (or not present), then bad, then a table */
	if (pmd_none(pmd)) {
		pmde.type = PTW_NONE;
		return w->ops->entry(w->priv, &pmde);
	}
	if (pmd_present(pmd) && !pmd_leaf(pmd) && pmd_bad(pmd)) {
		pmde.type = PTW_BAD;
		return w->ops->entry(w->priv, &pmde);
	}
	if (!pmd_present(pmd) || pmd_leaf(pmd))
		return emit_pmd_leaf(w, pmdp, pmd, &pmde, changed);
	pmde.type = PTW_TABLE;
	return walk_one_pte(w, pmdp, pmd, w->ops->leaves_only ? NULL : &pmde, addr, changed);
}

/*
 * walk_pgd(w, @addr, @addr + 1) of a VMA that is not hugetlb, straight
 * down: the same entries, read under the same locks (but see
 * walk_one_pte()), handed on in the same order, without the loops, the
 * hold's accounting and the cond_resched() of every level.
 */
static int walk_one(struct ptw_walk *w, unsigned long addr)
{
	bool l5 = pgtable_l5_enabled(), tables = !w->ops->leaves_only, changed;
	pgd_t *pgdp = pgd_offset(w->mm, addr);
	enum ptw_type type;
	p4d_t *p4dp;
	pud_t *pudp;
	pmd_t *pmdp;
	p4d_t p4d;
	pud_t pud;
	pmd_t pmd;
	int ret;

	if (l5) {
		pgd_t pgd = READ_ONCE(*pgdp);

		type = pgd_none(pgd) ? PTW_NONE : pgd_bad(pgd) ? PTW_BAD : PTW_TABLE;
		ret = emit_one(w, PTWALK_LEVEL_PGD, addr, PGDIR_SIZE, pgd_index(addr),
			       pgd_val(pgd), pgdp, type);
		if (ret || type != PTW_TABLE)
			return ret;
	}
	p4dp = p4d_offset(pgdp, addr);
	p4d = READ_ONCE(*p4dp);
	type = p4d_none(p4d) ? PTW_NONE : p4d_bad(p4d) ? PTW_BAD : PTW_TABLE;
	if (type != PTW_TABLE || tables) {
		ret = emit_one_p4d(w, addr, p4dp, p4d, type, l5);
		if (ret || type != PTW_TABLE)
			return ret;
	}
	pudp = pud_offset(p4dp, addr);
retry_pud:
	pud = READ_ONCE(*pudp);
	if (pud_none(pud))
		return emit_one(w, PTWALK_LEVEL_PUD, addr, PUD_SIZE, pud_index(addr),
				pud_val(pud), pudp, PTW_NONE);
	if (!pte_present(__pte(pud_val(pud))) || (pud_val(pud) & _PAGE_PSE)) {
		changed = false;
		ret = emit_one_pud_leaf(w, addr, pudp, pud, &changed);
		if (changed && !fatal_signal_pending(current))
			goto retry_pud;
		return changed ? -EINTR : ret;
	}
	type = pud_bad(pud) ? PTW_BAD : PTW_TABLE;
	ret = emit_one(w, PTWALK_LEVEL_PUD, addr, PUD_SIZE, pud_index(addr), pud_val(pud),
		       pudp, type);
	if (ret || type != PTW_TABLE)
		return ret;
	pmdp = pmd_offset(pudp, addr);
retry_pmd:
	pmd = ptw_pmdp_get(pmdp);
	changed = false;
	/* a table whose entry is not asked for: straight to the PTE */
	if (!tables && one_pmd_table(pmd))
		ret = walk_one_pte(w, pmdp, pmd, NULL, addr, &changed);
	else
		ret = walk_one_pmd(w, addr, pmdp, pmd, &changed);
	if (changed && !fatal_signal_pending(current))
		goto retry_pmd;
	return changed ? -EINTR : ret;
}

/*
 * Was the leaf entry for @addr present, as x86's PF_PROT bit would say of
 * a fault on it?  Only for a fault in progress on @mm, from a probe with
 * IRQs off.  The fault's mmap or VMA lock keeps this mm's own page tables,
 * but not an upper entry: a PUD pointing to a shared hugetlb PMD table is
 * cleared by huge_pmd_unshare() under i_mmap_rwsem alone, and a PTE table
 * may be retracted by khugepaged.  So, as GUP-fast does, each level is read
 * once and the next table is found from that snapshot (the *_offset_lockless
 * helpers), never by re-reading the entry.  A table unlinked meanwhile is
 * freed only after an IPI or RCU grace period, which IRQs off hold back.
 * A PROT_NONE entry has _PAGE_PRESENT clear: the CPU saw it absent.
 */
static bool leaf_present(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgdp = pgd_offset(mm, addr);
	pgd_t pgd = READ_ONCE(*pgdp);
	p4d_t *p4dp;
	p4d_t p4d;
	pud_t *pudp;
	pud_t pud;
	pmd_t *pmdp;
	pmd_t pmd;

	if (!pgd_present(pgd))
		return false;
	p4dp = p4d_offset_lockless(pgdp, pgd, addr);
	p4d = READ_ONCE(*p4dp);
	if (!p4d_present(p4d))
		return false;
	pudp = pud_offset_lockless(p4dp, p4d, addr);
	pud = READ_ONCE(*pudp);
	if (!(pud_val(pud) & _PAGE_PRESENT) || (pud_val(pud) & _PAGE_PSE))
		return pud_val(pud) & _PAGE_PRESENT;
	pmdp = pmd_offset_lockless(pudp, pud, addr);
	pmd = ptw_pmdp_get(pmdp);
	if (!(pmd_val(pmd) & _PAGE_PRESENT) || (pmd_val(pmd) & _PAGE_PSE))
		return pmd_val(pmd) & _PAGE_PRESENT;
	return pte_val(ptep_get(pte_offset_kernel(&pmd, addr))) & _PAGE_PRESENT;
}

bool ptw_fault_leaf_present(struct mm_struct *mm, unsigned long addr)
{
	unsigned long irqflags;
	bool present;

	/* as GUP-fast: an unshared hugetlb PMD table waits for IRQs-off walkers */
	local_irq_save(irqflags);
	present = leaf_present(mm, addr);
	local_irq_restore(irqflags);
	return present;
}

/*
 * Walk [start, end) of @mm, which the caller has mmap_read_lock()ed.
 * Only ranges covered by VMAs are walked: outside them page tables may be
 * freed under a munmap that has downgraded to the read lock.  With @b,
 * the walk may stop early with PTW_YIELD, to be resumed at b->next under
 * a new hold of the lock.
 */
int ptw_walk_bounded(struct mm_struct *mm, unsigned long start, unsigned long end,
		     const struct ptw_ops *ops, void *priv, struct ptw_bound *b)
{
	struct ptw_walk w = { .mm = mm, .ops = ops, .priv = priv, .bound = b };
	struct vm_area_struct *vma;
	unsigned long addr = start;
	int ret = 0;

	ptw_mmap_assert_locked(mm);
	while (addr < end && !ret) {
		if (hold_spent(&w, addr))
			return PTW_YIELD;
		w.work++;
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start >= end) {
			if (ops->gap)
				ret = ops->gap(priv, addr, end);
			break;
		}
		if (vma->vm_start > addr) {
			if (ops->gap)
				ret = ops->gap(priv, addr, vma->vm_start);
			addr = vma->vm_start;
			if (ret)
				break;
		}
		ret = walk_vma(&w, vma, addr, min(end, vma->vm_end));
		addr = vma->vm_end;
	}
	return ret;
}

/*
 * ptw_walk(@mm, @addr, @addr + 1, ...), for a run of single addresses under
 * one hold of the mmap lock: *@hint is the VMA the last one fell in (NULL
 * at the start of each hold), looked up again only when @addr is outside it.
 */
int ptw_walk_one(struct mm_struct *mm, unsigned long addr, const struct ptw_ops *ops,
		 void *priv, struct vm_area_struct **hint)
{
	struct ptw_walk w = { .mm = mm, .ops = ops, .priv = priv };
	struct vm_area_struct *vma = *hint;
	int ret;

	ptw_mmap_assert_locked(mm);
	if (!vma || addr < vma->vm_start || addr >= vma->vm_end) {
		vma = find_vma(mm, addr);
		/* as ptw_walk(): a VMA starting past @addr starts at or past @addr + 1 */
		if (!vma || vma->vm_start > addr)
			return ops->gap ? ops->gap(priv, addr, addr + 1) : 0;
		*hint = vma;
	}
	/* hugetlb (its shared tables' lock, its levels) and table visitors: the whole walker */
	if (is_vm_hugetlb_page(vma) || ops->ptes || ops->skip_empty_ptes)
		return walk_vma(&w, vma, addr, addr + 1);
	w.vma = vma;
	w.zone_device = ptw_vma_zone_device(vma);
	ret = ops->vma ? ops->vma(priv, vma) : 0;
	return ret ?: walk_one(&w, addr);
}

int ptw_walk(struct mm_struct *mm, unsigned long start, unsigned long end,
	     const struct ptw_ops *ops, void *priv)
{
	return ptw_walk_bounded(mm, start, end, ops, priv, NULL);
}
