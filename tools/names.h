/* SPDX-License-Identifier: GPL-2.0 */
/* Names of ptwalk's levels, kinds and flags, from the uapi name tables. */
#ifndef PTWALK_TOOLS_NAMES_H
#define PTWALK_TOOLS_NAMES_H

#include <stddef.h>
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

/*
 * Length of the UTF-8 sequence at @p if it is a valid one (RFC 3629: no
 * overlongs, surrogates or code points above U+10FFFF) of a character XML
 * allows (not U+FFFE, U+FFFF); 0 otherwise.  1 for ASCII, NUL included.
 */
int ptw_utf8_len(const unsigned char *p);

/* @s into @buf (@len >= 1) with each byte of an invalid sequence as '?'. */
const char *ptw_utf8_clean(const char *s, char *buf, size_t len);

#endif
