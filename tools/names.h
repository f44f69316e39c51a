/* SPDX-License-Identifier: GPL-2.0 */
/* Names of ptwalk's levels, kinds and flags, from the uapi name tables. */
#ifndef PTWALK_TOOLS_NAMES_H
#define PTWALK_TOOLS_NAMES_H

#include <linux/ptwalk.h>

extern const char *const *const ptw_level_names;
extern const char *const *const ptw_state_names;
extern const char *const *const ptw_kind_names;
extern const char *const *const ptw_entry_flag_names;
extern const char *const *const ptw_page_flag_names;
extern const char *const *const ptw_vma_flag_names;
extern const char *const *const ptw_cat_names;

/* names[i], or "?" for a value newer than this tool. */
const char *ptw_name(const char *const *names, unsigned int n, unsigned int i);

#endif
