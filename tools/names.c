// SPDX-License-Identifier: GPL-2.0
#include "names.h"

#define NAME_ENTRY(n, nr, s)	[nr] = s,

const char *const ptw_level_names[] = { PTWALK_LEVELS(NAME_ENTRY) };
const char *const ptw_state_names[] = { PTWALK_STATES(NAME_ENTRY) };
const char *const ptw_kind_names[] = { PTWALK_KINDS(NAME_ENTRY) };
const char *const ptw_entry_flag_names[] = { PTWALK_ENTRY_FLAGS(NAME_ENTRY) };
const char *const ptw_page_flag_names[] = { PTWALK_PAGE_FLAGS(NAME_ENTRY) };
const char *const ptw_vma_flag_names[] = { PTWALK_VMA_FLAGS(NAME_ENTRY) };

const char *ptw_name(const char *const *names, unsigned int n, unsigned int i)
{
	return i < n && names[i] ? names[i] : "?";
}
