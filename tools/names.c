// SPDX-License-Identifier: GPL-2.0
#include <string.h>
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

int ptw_utf8_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	int n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] < 0xc2 || p[0] > 0xf4)	/* continuation, overlong C0/C1, > U+10FFFF */
		return 0;
	n = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (p[0] == 0xe0)
		lo = 0xa0;		/* overlong */
	else if (p[0] == 0xed)
		hi = 0x9f;		/* surrogates */
	else if (p[0] == 0xf0)
		lo = 0x90;		/* overlong */
	else if (p[0] == 0xf4)
		hi = 0x8f;		/* > U+10FFFF */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if (p[0] == 0xef && p[1] == 0xbf && p[2] >= 0xbe)	/* U+FFFE, U+FFFF */
		return 0;
	return n;
}

const char *ptw_utf8_clean(const char *s, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t used = 0;

	while (*p) {
		int n = ptw_utf8_len(p);

		if (used + (n ? n : 1) >= len)
			break;
		if (n) {
			memcpy(buf + used, p, n);
			used += n;
			p += n;
		} else {
			buf[used++] = '?';
			p++;
		}
	}
	buf[used] = '\0';
	return buf;
}
