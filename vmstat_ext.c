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

/* The events we report, named and scaled as /proc/vmstat shows them. */
static const struct {
	enum vm_event_item item;
	const char *name;
	unsigned int divisor;	/* 0 or 1: as is */
} vm_events[] = {
	{ PGFAULT, "pgfault" },
	{ PGMAJFAULT, "pgmajfault" },
	/* counted in 512-byte sectors, shown in KiB */
	{ PGPGIN, "pgpgin", 2 },
	{ PGPGOUT, "pgpgout", 2 },
	{ PSWPIN, "pswpin" },
	{ PSWPOUT, "pswpout" },
	{ PGFREE, "pgfree" },
	{ PGACTIVATE, "pgactivate" },
	{ PGDEACTIVATE, "pgdeactivate" },
	{ PGREFILL, "pgrefill" },
	{ PGSCAN_KSWAPD, "pgscan_kswapd" },
	{ PGSCAN_DIRECT, "pgscan_direct" },
	{ PGSTEAL_KSWAPD, "pgsteal_kswapd" },
	{ PGSTEAL_DIRECT, "pgsteal_direct" },
	{ ALLOCSTALL_DMA32, "allocstall_dma32" },
	{ ALLOCSTALL_NORMAL, "allocstall_normal" },
	{ ALLOCSTALL_MOVABLE, "allocstall_movable" },
	{ KSWAPD_LOW_WMARK_HIT_QUICKLY, "kswapd_low_wmark_hit_quickly" },
	{ KSWAPD_HIGH_WMARK_HIT_QUICKLY, "kswapd_high_wmark_hit_quickly" },
	{ DROP_PAGECACHE, "drop_pagecache" },
	{ OOM_KILL, "oom_kill" },
	{ PGMIGRATE_SUCCESS, "pgmigrate_success" },
	{ PGMIGRATE_FAIL, "pgmigrate_fail" },
	{ COMPACTSTALL, "compact_stall" },
	{ COMPACTFAIL, "compact_fail" },
	{ COMPACTSUCCESS, "compact_success" },
	{ NUMA_HINT_FAULTS, "numa_hint_faults" },
	{ THP_FAULT_ALLOC, "thp_fault_alloc" },
	{ THP_FAULT_FALLBACK, "thp_fault_fallback" },
	{ THP_COLLAPSE_ALLOC, "thp_collapse_alloc" },
	{ THP_SPLIT_PAGE, "thp_split_page" },
	{ THP_ZERO_PAGE_ALLOC, "thp_zero_page_alloc" },
};

unsigned int ptw_nr_vm_events(void)
{
	return ARRAY_SIZE(vm_events);
}

/* Fill @items (ptw_nr_vm_events() of them). May sleep. */
int ptw_read_vm_events(struct ptwalk_vmstat_item *items)
{
	unsigned long *all = kcalloc(NR_VM_EVENT_ITEMS, sizeof(*all), GFP_KERNEL);
	unsigned int i;

	if (!all)
		return -ENOMEM;
	all_vm_events(all);
	for (i = 0; i < ARRAY_SIZE(vm_events); i++) {
		memset(&items[i], 0, sizeof(items[i]));
		strscpy(items[i].name, vm_events[i].name, sizeof(items[i].name));
		items[i].value = all[vm_events[i].item] / max(vm_events[i].divisor, 1U);
	}
	kfree(all);
	return 0;
}

/*
 * Faults of @task's thread group, summed as /proc/PID/stat does: the
 * signal struct keeps what exited threads took, live threads their own.
 */
void ptw_read_faults(struct task_struct *task, bool children,
		     struct ptwalk_faults *out)
{
	struct signal_struct *sig = task->signal;
	struct task_struct *t;

	rcu_read_lock();
	out->min_flt = READ_ONCE(sig->min_flt);
	out->maj_flt = READ_ONCE(sig->maj_flt);
	out->nr_threads = 0;
	__for_each_thread(sig, t) {
		out->min_flt += READ_ONCE(t->min_flt);
		out->maj_flt += READ_ONCE(t->maj_flt);
		out->nr_threads++;
	}
	if (children) {
		out->cmin_flt = READ_ONCE(sig->cmin_flt);
		out->cmaj_flt = READ_ONCE(sig->cmaj_flt);
	}
	rcu_read_unlock();
}
