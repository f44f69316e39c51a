// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk.ko: shows how a process's virtual memory maps onto physical
 * memory.  Read-only: it never changes a page table, a page or a VMA.
 */
#include <linux/module.h>
#include "internal.h"

static int __init ptwalk_init(void)
{
	int ret;

	ret = ptw_chardev_init();
	if (ret)
		return ret;
	ptw_debugfs_init();
	return 0;
}

static void __exit ptwalk_exit(void)
{
	ptw_debugfs_exit();
	ptw_chardev_exit();
	ptw_fault_trace_exit();
}

module_init(ptwalk_init);
module_exit(ptwalk_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Page-table walker: virtual to physical translations of any process");
MODULE_VERSION("0.1");
