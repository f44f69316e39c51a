/* SPDX-License-Identifier: GPL-2.0 */
/* Names of ptwalk's enums and flag bits, from the uapi tables. */
#ifndef PTWALK_TOOLS_NAMES_H
#define PTWALK_TOOLS_NAMES_H

#include <stdint.h>
#include <linux/ptwalk.h>

extern const char *const ptw_level_names[];
extern const char *const ptw_state_names[];
extern const char *const ptw_kind_names[];
extern const char *const ptw_entry_flag_names[];
extern const char *const ptw_page_flag_names[];
extern const char *const ptw_vma_flag_names[];

const char *ptw_name(const char *const *names, unsigned int n, unsigned int i);

#endif
