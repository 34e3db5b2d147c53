// SPDX-License-Identifier: GPL-2.0
/*
 * mhv caps [--json]
 */
#include <stdio.h>
#include <string.h>

#include "libmultios_hv.h"
#include "mhv.h"

int cmd_caps(int argc, char **argv)
{
	struct mhv_caps caps;
	char buf[8192];
	int json = 0, fd, r, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else {
			mhv_usage("caps");
			return 2;
		}
	}
	fd = mhv_open_or_explain();
	if (fd < 0)
		return 1;
	r = mhv_get_caps(fd, &caps);
	mhv_close(fd);
	if (r) {
		fprintf(stderr, "mhv: MHV_GET_CAPS: %s\n", strerror(-r));
		return 1;
	}
	if (json)
		mhv_caps_format_json(&caps, buf, sizeof(buf));
	else
		mhv_caps_format_table(&caps, buf, sizeof(buf));
	fputs(buf, stdout);
	return 0;
}
