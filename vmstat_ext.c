// SPDX-License-Identifier: GPL-2.0
/*
 * The memory-pressure half of ptwalk: zone watermarks and free pages, the
 * vm events people read /proc/vmstat for, and per-process fault counters.
 * Shares no state with the walker.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/slab.h>
#include <linux/nodemask.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/vmstat.h>
#include "compat.h"
#include "internal.h"

static_assert(MAX_NR_ZONES <= PTWALK_MAX_ZONE_RESERVE);
static_assert(PTW_NR_PAGE_ORDERS <= PTWALK_MAX_ORDERS);

static void read_zone(int nid, struct zone *z, struct ptwalk_zone *out)
{
	unsigned int i;

	memset(out, 0, sizeof(*out));
	out->node = nid;
	strscpy(out->name, z->name, sizeof(out->name));
	out->wmark_min = z->_watermark[WMARK_MIN];
	out->wmark_low = z->_watermark[WMARK_LOW];
	out->wmark_high = z->_watermark[WMARK_HIGH];
	out->wmark_promo = z->_watermark[WMARK_PROMO];
	out->watermark_boost = READ_ONCE(z->watermark_boost);
	out->free = zone_page_state(z, NR_FREE_PAGES);
	out->free_snapshot = zone_page_state_snapshot(z, NR_FREE_PAGES);
	out->headroom = (s64)out->free - (s64)(out->wmark_low + out->watermark_boost);
	out->managed = zone_managed_pages(z);
	out->present = z->present_pages;
	out->spanned = z->spanned_pages;
	out->reserved_highatomic = READ_ONCE(z->nr_reserved_highatomic);
	out->nr_reserve = MAX_NR_ZONES;
	for (i = 0; i < MAX_NR_ZONES; i++)
		out->lowmem_reserve[i] = READ_ONCE(z->lowmem_reserve[i]);
	out->nr_orders = PTW_NR_PAGE_ORDERS;
	for (i = 0; i < PTW_NR_PAGE_ORDERS; i++) {
		/* racy without zone->lock, as /proc/pagetypeinfo reads it too */
		out->free_blocks[i] = data_race(z->free_area[i].nr_free);
	}
}

/* Visit each populated zone of each online node, in /proc/zoneinfo order. */
int ptw_visit_zones(const struct ptw_zone_ops *ops, void *priv)
{
	struct ptwalk_zone zone;
	int nid, i, ret;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = &pgdat->node_zones[i];

			if (!populated_zone(z))
				continue;
			read_zone(nid, z, &zone);
			ret = ops->zone(priv, &zone);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/*
 * The events we report, named and scaled as /proc/vmstat shows them.
 * compat.h's PTW_EV*() say where this kernel keeps each, or why it has
 * none (its config option is off): see enum ptw_vm_src.
 */
static const struct {
	const char *name;
	enum ptw_vm_src src;
	/* one typed member each, so that -Wenum-conversion checks compat.h */
	enum vm_event_item event;
	enum node_stat_item node_stat;
	const char *absent;	/* PTW_VM_ABSENT: why */
	unsigned int divisor;	/* 0 or 1: as is */
} vm_events[] = {
	{ "pgfault", PTW_EV(PGFAULT) },
	{ "pgmajfault", PTW_EV(PGMAJFAULT) },
	/* counted in 512-byte sectors, shown in KiB */
	{ "pgpgin", PTW_EV(PGPGIN), .divisor = 2 },
	{ "pgpgout", PTW_EV(PGPGOUT), .divisor = 2 },
	{ "pswpin", PTW_EV(PSWPIN) },
	{ "pswpout", PTW_EV(PSWPOUT) },
	{ "pgfree", PTW_EV(PGFREE) },
	{ "pgactivate", PTW_EV(PGACTIVATE) },
	{ "pgdeactivate", PTW_EV(PGDEACTIVATE) },
	{ "pgrefill", PTW_EV_RECLAIM(PGREFILL) },
	{ "pgscan_kswapd", PTW_EV_RECLAIM(PGSCAN_KSWAPD) },
	{ "pgscan_direct", PTW_EV_RECLAIM(PGSCAN_DIRECT) },
	{ "pgsteal_kswapd", PTW_EV_RECLAIM(PGSTEAL_KSWAPD) },
	{ "pgsteal_direct", PTW_EV_RECLAIM(PGSTEAL_DIRECT) },
	{ "allocstall_dma32", PTW_EV_DMA32(ALLOCSTALL_DMA32) },
	{ "allocstall_normal", PTW_EV(ALLOCSTALL_NORMAL) },
	{ "allocstall_movable", PTW_EV(ALLOCSTALL_MOVABLE) },
	{ "kswapd_low_wmark_hit_quickly", PTW_EV(KSWAPD_LOW_WMARK_HIT_QUICKLY) },
	{ "kswapd_high_wmark_hit_quickly", PTW_EV(KSWAPD_HIGH_WMARK_HIT_QUICKLY) },
	{ "drop_pagecache", PTW_EV(DROP_PAGECACHE) },
	{ "oom_kill", PTW_EV(OOM_KILL) },
	{ "pgmigrate_success", PTW_EV_MIGRATION(PGMIGRATE_SUCCESS) },
	{ "pgmigrate_fail", PTW_EV_MIGRATION(PGMIGRATE_FAIL) },
	{ "compact_stall", PTW_EV_COMPACTION(COMPACTSTALL) },
	{ "compact_fail", PTW_EV_COMPACTION(COMPACTFAIL) },
	{ "compact_success", PTW_EV_COMPACTION(COMPACTSUCCESS) },
	{ "numa_hint_faults", PTW_EV_NUMA_BALANCING(NUMA_HINT_FAULTS) },
	{ "thp_fault_alloc", PTW_EV_THP(THP_FAULT_ALLOC) },
	{ "thp_fault_fallback", PTW_EV_THP(THP_FAULT_FALLBACK) },
	{ "thp_collapse_alloc", PTW_EV_THP(THP_COLLAPSE_ALLOC) },
	{ "thp_split_page", PTW_EV_THP(THP_SPLIT_PAGE) },
	{ "thp_zero_page_alloc", PTW_EV_THP(THP_ZERO_PAGE_ALLOC) },
};

/* The events this kernel has: what VMSTAT and the vmstat file report. */
unsigned int ptw_nr_vm_events(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(vm_events); i++)
		n += vm_events[i].src != PTW_VM_ABSENT;
	return n;
}

/* Fill @items (ptw_nr_vm_events() of them). May sleep. */
int ptw_read_vm_events(struct ptwalk_vmstat_item *items)
{
	unsigned long *all = kcalloc(NR_VM_EVENT_ITEMS, sizeof(*all), GFP_KERNEL);
	unsigned int i, n = 0;
	unsigned long v;

	if (!all)
		return -ENOMEM;
	all_vm_events(all);
	for (i = 0; i < ARRAY_SIZE(vm_events); i++) {
		if (vm_events[i].src == PTW_VM_ABSENT)
			continue;
		if (vm_events[i].src == PTW_VM_NODE_STAT)
			v = global_node_page_state(vm_events[i].node_stat);
		else
			v = all[vm_events[i].event];
		memset(&items[n], 0, sizeof(items[n]));
		strscpy(items[n].name, vm_events[i].name, sizeof(items[n].name));
		items[n].value = v / max(vm_events[i].divisor, 1U);
		n++;
	}
	kfree(all);
	return 0;
}

/*
 * The @i-th event this kernel lacks, and why; NULL past the last.  The
 * vmstat file lists them, so that a missing line is never a silent one.
 */
const char *ptw_absent_vm_event(unsigned int i, const char **why)
{
	unsigned int j;

	for (j = 0; j < ARRAY_SIZE(vm_events); j++) {
		if (vm_events[j].src != PTW_VM_ABSENT)
			continue;
		if (i-- == 0) {
			*why = vm_events[j].absent;
			return vm_events[j].name;
		}
	}
	return NULL;
}

/*
 * Faults of @task's thread group, summed as /proc/PID/stat does: the
 * signal struct keeps what exited threads took, live threads their own.
 * Under the group's siglock, as do_task_stat(): __exit_signal() moves an
 * exiting thread's counts into the signal struct and unhashes it under
 * that lock, so each thread counts once; under RCU alone it could count
 * twice (already added, still listed) or not at all.
 * __lock_task_sighand() is not exported: the same loop, open-coded (the
 * sighand cache is SLAB_TYPESAFE_BY_RCU, hence the recheck).
 */
static void ptw_sum_faults(struct signal_struct *sig, bool children,
			   struct ptwalk_faults *out)
{
	struct task_struct *t;

	out->min_flt = sig->min_flt;
	out->maj_flt = sig->maj_flt;
	__for_each_thread(sig, t) {
		out->min_flt += t->min_flt;
		out->maj_flt += t->maj_flt;
		out->nr_threads++;
	}
	if (children) {
		out->cmin_flt = sig->cmin_flt;
		out->cmaj_flt = sig->cmaj_flt;
	}
}

void ptw_read_faults(struct task_struct *task, bool children,
		     struct ptwalk_faults *out)
{
	struct signal_struct *sig = task->signal;
	struct sighand_struct *sighand;
	unsigned long flags;

	out->nr_threads = 0;
	rcu_read_lock();
	for (;;) {
		sighand = rcu_dereference(task->sighand);
		if (!sighand)
			break;
		spin_lock_irqsave(&sighand->siglock, flags);
		if (likely(sighand == rcu_access_pointer(task->sighand))) {
			ptw_sum_faults(sig, children, out);
			spin_unlock_irqrestore(&sighand->siglock, flags);
			break;
		}
		spin_unlock_irqrestore(&sighand->siglock, flags);
	}
	if (!sighand) {
		/* released: __exit_signal() added this thread's into the signal's */
		out->min_flt = READ_ONCE(sig->min_flt);
		out->maj_flt = READ_ONCE(sig->maj_flt);
		if (children) {
			out->cmin_flt = READ_ONCE(sig->cmin_flt);
			out->cmaj_flt = READ_ONCE(sig->cmaj_flt);
		}
	}
	rcu_read_unlock();
}
