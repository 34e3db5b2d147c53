// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - VM config files ("key = value" lines) and checking a
 * config against what the machine offers (struct mhv_caps).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libmultios_hv.h"

/* Every key mhv_vm_config_parse() knows, in the order of the docs. */
#define MHV_CONFIG_KEYS	"name, vcpus, memory_mb, arch, features, page_size"

/* The parser's own bounds; the machine's come from mhv_vm_config_check(). */
#define MHV_CONFIG_MAX_VCPUS	1024
#define MHV_CONFIG_MAX_MEM_MB	(1U << 20)

const char *mhv_vm_config_keys(void)
{
	return MHV_CONFIG_KEYS;
}

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
		else if (!strcmp(tok, "irqchip"))
			*out |= MHV_VM_F_IRQCHIP;
		else if (*tok)
			return -EINVAL;
	}
	return 0;
}

/* page_size values, indexed by enum mhv_page_size */
static const char *const page_size_names[] = {
	[MHV_PAGE_SIZE_AUTO] = "auto",
	[MHV_PAGE_SIZE_4K] = "4k",
	[MHV_PAGE_SIZE_2M] = "2m",
	[MHV_PAGE_SIZE_1G] = "1g",
};

const char *mhv_page_size_name(uint32_t page_size)
{
	if (page_size >= sizeof(page_size_names) / sizeof(page_size_names[0]))
		return NULL;
	return page_size_names[page_size];
}

int mhv_page_size_parse(const char *s, uint32_t *page_size)
{
	uint32_t i;

	for (i = 0; i < sizeof(page_size_names) / sizeof(page_size_names[0]); i++)
		if (!strcasecmp(s, page_size_names[i])) {
			*page_size = i;
			return 0;
		}
	return -EINVAL;
}

/*
 * A value may be written in double or single quotes ("My VM"): strip a
 * matching pair. Returns NULL for an opening quote without its match.
 */
static char *unquote(char *v)
{
	size_t n = strlen(v);

	if (!n || (*v != '"' && *v != '\''))
		return v;
	if (n < 2 || v[n - 1] != *v)
		return NULL;
	v[n - 1] = '\0';
	return v + 1;
}

static int config_name(const char *val, struct mhv_vm_config *cfg,
		       char *what, size_t len)
{
	size_t i;

	if (!*val || strlen(val) >= sizeof(cfg->name)) {
		snprintf(what, len, "name must be 1 to %zu characters",
			 sizeof(cfg->name) - 1);
		return -EINVAL;
	}
	for (i = 0; val[i]; i++)
		if (!isprint((unsigned char)val[i])) {
			snprintf(what, len, "name must be printable");
			return -EINVAL;
		}
	memset(cfg->name, 0, sizeof(cfg->name));
	strcpy(cfg->name, val);
	return 0;
}

static int config_line(char *line, struct mhv_vm_config *cfg,
		       char *what, size_t len)
{
	char *eq = strchr(line, '=');
	char *key, *val;

	if (!eq) {
		snprintf(what, len, "expected \"key = value\" (keys: %s)",
			 MHV_CONFIG_KEYS);
		return -EINVAL;
	}
	*eq = '\0';
	key = trim(line);
	val = unquote(trim(eq + 1));
	if (!val) {
		snprintf(what, len, "%s: the quote %c is not closed", key,
			 *trim(eq + 1));
		return -EINVAL;
	}
	if (!strcmp(key, "name"))
		return config_name(val, cfg, what, len);
	if (!strcmp(key, "vcpus")) {
		if (parse_uint(val, MHV_CONFIG_MAX_VCPUS, &cfg->vcpu_count) ||
		    !cfg->vcpu_count) {
			snprintf(what, len, "vcpus must be a number from 1 to %u",
				 MHV_CONFIG_MAX_VCPUS);
			return -EINVAL;
		}
	} else if (!strcmp(key, "memory_mb")) {
		if (parse_uint(val, MHV_CONFIG_MAX_MEM_MB, &cfg->memory_mb) ||
		    !cfg->memory_mb) {
			snprintf(what, len, "memory_mb must be a number from 1 to %u",
				 MHV_CONFIG_MAX_MEM_MB);
			return -EINVAL;
		}
	} else if (!strcmp(key, "arch")) {
		if (strcmp(val, "x86_64")) {
			snprintf(what, len, "arch must be x86_64");
			return -EINVAL;
		}
		cfg->arch = MHV_ARCH_X86_64;
	} else if (!strcmp(key, "features")) {
		char orig[48];

		snprintf(orig, sizeof(orig), "%s", val);	/* parsing cuts it */
		if (parse_features(val, &cfg->features)) {
			snprintf(what, len,
				 "features: '%s' is not a list of educational, monitoring, debug, irqchip",
				 orig);
			return -EINVAL;
		}
	} else if (!strcmp(key, "page_size")) {
		if (mhv_page_size_parse(val, &cfg->page_size)) {
			snprintf(what, len,
				 "page_size: '%.40s' is not one of auto, 4k, 2m, 1g",
				 val);
			return -EINVAL;
		}
	} else {
		snprintf(what, len, "unknown key '%.40s' (valid keys: %s)", key,
			 MHV_CONFIG_KEYS);
		return -EINVAL;
	}
	return 0;
}

int mhv_vm_config_parse(const char *text, struct mhv_vm_config *cfg,
			char *err, size_t errlen)
{
	char *copy = strdup(text), *line, *p, what[160] = "";
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
		ret = config_line(line, cfg, what, sizeof(what));
	}
	if (ret && err && errlen)
		snprintf(err, errlen, "line %d: %s", lineno, what);
	free(copy);
	return ret;
}

int mhv_vm_config_check(const struct mhv_vm_config *cfg,
			const struct mhv_caps *caps, char *err, size_t errlen)
{
	char none[1];

	if (!err || !errlen) {
		err = none;
		errlen = sizeof(none);
	}
	if (cfg->vcpu_count > caps->max_vcpus) {
		snprintf(err, errlen,
			 "vcpus = %u is more than this machine allows: at most %u vCPUs per VM (\"max vCPUs per VM\" in mhv caps)",
			 cfg->vcpu_count, caps->max_vcpus);
		return -E2BIG;
	}
	if ((cfg->page_size == MHV_PAGE_SIZE_2M &&
	     !(caps->flags & MHV_CAP_PAGE_2M)) ||
	    (cfg->page_size == MHV_PAGE_SIZE_1G &&
	     !(caps->flags & MHV_CAP_PAGE_1G))) {
		snprintf(err, errlen,
			 "page_size = %s: this CPU has no second-level pages that large (\"2M pages\"/\"1G pages\" in mhv caps)",
			 mhv_page_size_name(cfg->page_size));
		return -EOPNOTSUPP;
	}
	if (cfg->memory_mb > caps->max_mem_mb) {
		snprintf(err, errlen,
			 "memory_mb = %u is more than this machine allows: at most %u MiB per VM (\"max memory per VM\" in mhv caps)",
			 cfg->memory_mb, caps->max_mem_mb);
		return -E2BIG;
	}
	return 0;
}
