// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - VM config files ("key = value" lines).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmultios_hv.h"

void mhv_vm_config_default(struct mhv_vm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->name, "vm");
	cfg->vcpu_count = 1;
	cfg->memory_mb = 16;
	cfg->arch = MHV_ARCH_X86_64;
	cfg->features = MHV_VM_F_EDUCATIONAL;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int parse_uint(const char *v, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long n;

	if (!isdigit((unsigned char)*v))
		return -EINVAL;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n > max)
		return -EINVAL;
	*out = (uint32_t)n;
	return 0;
}

static int parse_features(char *v, uint32_t *out)
{
	char *tok, *save = NULL;

	*out = 0;
	for (tok = strtok_r(v, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		tok = trim(tok);
		if (!strcmp(tok, "educational"))
			*out |= MHV_VM_F_EDUCATIONAL;
		else if (!strcmp(tok, "monitoring"))
			*out |= MHV_VM_F_MONITORING;
		else if (!strcmp(tok, "debug"))
			*out |= MHV_VM_F_DEBUG;
		else if (*tok)
			return -EINVAL;
	}
	return 0;
}

static int config_line(char *line, struct mhv_vm_config *cfg,
		       const char **what)
{
	char *eq = strchr(line, '=');
	char *key, *val;
	size_t i;

	if (!eq) {
		*what = "expected \"key = value\"";
		return -EINVAL;
	}
	*eq = '\0';
	key = trim(line);
	val = trim(eq + 1);
	if (!strcmp(key, "name")) {
		if (!*val || strlen(val) >= sizeof(cfg->name)) {
			*what = "name must be 1 to 31 characters";
			return -EINVAL;
		}
		for (i = 0; val[i]; i++)
			if (!isprint((unsigned char)val[i])) {
				*what = "name must be printable";
				return -EINVAL;
			}
		memset(cfg->name, 0, sizeof(cfg->name));
		strcpy(cfg->name, val);
	} else if (!strcmp(key, "vcpus")) {
		if (parse_uint(val, 1024, &cfg->vcpu_count) || !cfg->vcpu_count) {
			*what = "vcpus must be a number from 1";
			return -EINVAL;
		}
	} else if (!strcmp(key, "memory_mb")) {
		if (parse_uint(val, 1U << 20, &cfg->memory_mb) || !cfg->memory_mb) {
			*what = "memory_mb must be a number from 1";
			return -EINVAL;
		}
	} else if (!strcmp(key, "arch")) {
		if (strcmp(val, "x86_64")) {
			*what = "arch must be x86_64";
			return -EINVAL;
		}
		cfg->arch = MHV_ARCH_X86_64;
	} else if (!strcmp(key, "features")) {
		if (parse_features(val, &cfg->features)) {
			*what = "features: educational, monitoring, debug";
			return -EINVAL;
		}
	} else {
		*what = "unknown key";
		return -EINVAL;
	}
	return 0;
}

int mhv_vm_config_parse(const char *text, struct mhv_vm_config *cfg,
			char *err, size_t errlen)
{
	char *copy = strdup(text), *line, *p;
	const char *what = NULL;
	int lineno = 0, ret = 0;

	if (!copy)
		return -ENOMEM;
	/* strtok_r would skip empty lines and lose the count: split by hand */
	for (line = copy; line && !ret; line = p) {
		p = strchr(line, '\n');
		if (p)
			*p++ = '\0';
		lineno++;
		if (strchr(line, '#'))
			*strchr(line, '#') = '\0';
		if (!*trim(line))
			continue;
		ret = config_line(line, cfg, &what);
	}
	if (ret && err && errlen)
		snprintf(err, errlen, "line %d: %s", lineno, what);
	free(copy);
	return ret;
}
