// SPDX-License-Identifier: GPL-2.0
#include <linux/ptwalk_names.h>
#include "names.h"

const char *const *const ptw_level_names = ptwalk_level_names;
const char *const *const ptw_state_names = ptwalk_state_names;
const char *const *const ptw_kind_names = ptwalk_kind_names;
const char *const *const ptw_entry_flag_names = ptwalk_entry_flag_names;
const char *const *const ptw_page_flag_names = ptwalk_page_flag_names;
const char *const *const ptw_vma_flag_names = ptwalk_vma_flag_names;
const char *const *const ptw_cat_names = ptwalk_cat_names;

const char *ptw_name(const char *const *names, unsigned int n, unsigned int i)
{
	return i < n && names[i] ? names[i] : "?";
}
