// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "limits_util.h"
#include "test_util.h"

#define COUNTERS_PATH	"/sys/kernel/debug/multios_hv/counters"

int mhv_counters_read(struct mhv_counters *c)
{
	FILE *f = fopen(COUNTERS_PATH, "r");
	char name[32];
	long v;
	int seen = 0;

	if (!f)
		return -errno;
	memset(c, 0, sizeof(*c));
	while (fscanf(f, "%31s %ld", name, &v) == 2) {
		if (!strcmp(name, "pages"))
			c->pages = v, seen |= 1;
		else if (!strcmp(name, "pinned"))
			c->pinned = v, seen |= 2;
		else if (!strcmp(name, "vms"))
			c->vms = v, seen |= 4;
		else if (!strcmp(name, "vcpus"))
			c->vcpus = v, seen |= 8;
	}
	fclose(f);
	return seen == 15 ? 0 : -EPROTO;
}

long proc_status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	size_t n = strlen(key);
	char line[256];
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

int dmesg_count_lines(const char *needle)
{
	char *buf = dmesg_read(), *line, *save = NULL;
	int count = 0;

	if (!buf)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (strstr(line, needle))
			count++;
	free(buf);
	return count;
}

int drop_to_nobody(void)
{
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
		return -errno;
	return 0;
}
