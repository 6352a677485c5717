// SPDX-License-Identifier: GPL-2.0
/*
 * Names of objects and programs.
 */
#include <linux/string.h>

#include "ipo.h"

/*
 * A name is NUL-terminated within IPO_NAME_MAX bytes and made of
 * [A-Za-z0-9_.-], not starting with '.'; the empty name means anonymous.
 * The character set keeps names safe to print and to use as file names.
 */
int ipo_name_check(const char *name)
{
	size_t len = strnlen(name, IPO_NAME_MAX);
	size_t i;

	if (len == IPO_NAME_MAX)
		return -ENAMETOOLONG;
	if (name[0] == '.')
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned char c = name[i];

		/* Not isalnum(): the kernel's ctype also takes Latin-1. */
		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '_' && c != '.' && c != '-')
			return -EINVAL;
	}
	return 0;
}
