/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Without ptwalk.ko: GET_INFO, MAPS and WALK answered from /proc/PID/maps,
 * /proc/PID/pagemap and /proc/kpageflags, in the uapi structs, so the
 * renderers do not care where an answer came from.
 */
#ifndef PTWALK_TOOLS_FALLBACK_H
#define PTWALK_TOOLS_FALLBACK_H

#include <linux/ptwalk.h>

/* The "file descriptor" that sends call() here instead of to ioctl(). */
#define FALLBACK_FD	(-2)

/* As ioctl(): 0, or -1 with errno set.  Knows GET_INFO, MAPS and WALK. */
int fallback_ioctl(unsigned long cmd, void *arg);

/* NULL-terminated names of what the fallback cannot tell for a command. */
const char *const *fallback_missing(int maps);

#endif
