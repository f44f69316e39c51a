// SPDX-License-Identifier: GPL-2.0
/*
 * The access policy, the one place every face asks.  ptrace_may_access()
 * is not exported to modules, so the policy is our own and strict:
 * anyone who can open /dev/ptwalk may inspect their own process; looking
 * at another process, or at physical frame numbers, takes CAP_SYS_ADMIN
 * both in whoever opened the file and in whoever calls now.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include "internal.h"

static bool is_admin(const struct file *file)
{
	return file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN) &&
	       ns_capable_noaudit(&init_user_ns, CAP_SYS_ADMIN);
}

/* May the caller look at @t?  *@pfns: and see its frame numbers? */
int ptw_may_inspect(const struct file *file, const struct ptw_target *t, bool *pfns)
{
	bool admin = is_admin(file);	/* asked once: each is two LSM calls */

	*pfns = admin;
	if (t->mm == current->mm || admin)
		return 0;
	return -EPERM;
}

/* For counters that need no address space (faults): same thread group. */
int ptw_may_inspect_task(const struct file *file, struct task_struct *task)
{
	if (same_thread_group(task, current) || is_admin(file))
		return 0;
	return -EPERM;
}

bool ptw_may_see_pfns(const struct file *file)
{
	return is_admin(file);
}

/* Tracing registers a probe every process pays for: administrators only. */
int ptw_may_trace(const struct file *file)
{
	return is_admin(file) ? 0 : -EPERM;
}
