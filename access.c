// SPDX-License-Identifier: GPL-2.0
/*
 * The access policy, the one place every face asks.  ptrace_may_access()
 * is not exported to modules, so the policy is our own and strict:
 * anyone who can open /dev/ptwalk may inspect their own process; looking
 * at another process, or at physical frame numbers, takes CAP_SYS_ADMIN
 * both in whoever opened the file and in whoever calls now.
 *
 * The opener's answer cannot change (f_cred is fixed at open), so
 * /dev/ptwalk asks it once, at open.  The caller's is asked on every call,
 * unless the caller still has the opener's very credentials (the same
 * struct cred: credentials are never changed in place), whose answer is
 * the opener's.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include "internal.h"

/* At open: the opener's capability, for ptw_chardev_opener_admin(). */
bool ptw_opener_admin(const struct file *file)
{
	return file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN);
}

static bool is_admin(const struct file *file)
{
	int opener = ptw_chardev_opener_admin(file);	/* < 0: not cached */

	if (opener < 0)
		opener = ptw_opener_admin(file);
	if (!opener)
		return false;
	return current_cred() == file->f_cred ||
	       ns_capable_noaudit(&init_user_ns, CAP_SYS_ADMIN);
}

/* May the caller look at @t?  *@pfns: and see its frame numbers? */
int ptw_may_inspect(const struct file *file, const struct ptw_target *t, bool *pfns)
{
	bool admin = is_admin(file);	/* asked once: each is up to two LSM calls */

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
