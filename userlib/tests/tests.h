/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * Shared declarations of the libmultios_hv unit tests.
 */
#ifndef _MHV_UNIT_TESTS_H
#define _MHV_UNIT_TESTS_H

#include <stddef.h>
#include <linux/multios_hv.h>

int register_names_tests(void);
int register_caps_tests(void);
int register_json_tests(void);
int register_format_tests(void);
int register_config_tests(void);
int register_sys_tests(void);
int register_vcpu_tests(void);
int register_guest_ex_tests(void);
int register_ucall_tests(void);
int register_dev_tests(void);
int register_trace_tests(void);
int register_loader_tests(void);
int register_stats_tests(void);
int register_research_tests(void);
int register_experiment_tests(void);
int register_report_tests(void);
int register_bench_stats_tests(void);
int register_linux_tests(void);

/* One CUnit suite from a list of { "name", function } pairs. */
#define ADD_SUITE(name, ...) do {					\
	static const struct { const char *n; CU_TestFunc f; } t[] = { __VA_ARGS__ }; \
	CU_pSuite s = CU_add_suite(name, NULL, NULL);			\
	unsigned int i;							\
	if (!s)								\
		return -1;						\
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)			\
		if (!CU_add_test(s, t[i].n, t[i].f))			\
			return -1;					\
	return 0;							\
} while (0)

/* ---- json_check.c: an independent JSON checker ---------------------------- */

/* 1 when @s is exactly one RFC 8259 JSON value (whitespace around it ok). */
int json_valid(const char *s);

/*
 * 1 when @s is a valid JSON object whose members are exactly @keys, in
 * this order (@keys ends with NULL). With @member set, the same for the
 * members of the object that is the value of top-level member @member.
 */
int json_keys_are(const char *s, const char *member, const char *const *keys);

/*
 * The raw text of top-level member @key of the JSON object @s into @buf
 * (e.g. "true", "5", "\"AMD\"", "{...}"). Returns 0, or -1 when @s is not
 * a valid object, has no such member, or @buf is too small.
 */
int json_member_raw(const char *s, const char *key, char *buf, size_t len);

/* ---- fake_dev.c: a fake /dev/multios_hv behind ioctl(2) ------------------- */

/*
 * The test binary defines ioctl() itself, so the library's wrappers call
 * it: ioctls on fake_dev.fd are answered here, every other fd goes to
 * the real system call.
 */
struct fake_dev {
	int fd;			/* -1: fake nothing */
	int err;		/* nonzero: fail every ioctl with this errno */
	int api_version;	/* MHV_GET_API_VERSION result */
	int vm_fd;		/* MHV_CREATE_VM result (42) */
	int run_size;		/* MHV_GET_RUN_SIZE result (4096) */
	struct mhv_caps caps;	/* MHV_GET_CAPS result */
	struct mhv_sregs sregs;	/* MHV_GET_SREGS result, MHV_SET_SREGS input */
	struct mhv_regs regs;	/* MHV_SET_REGS input */
	unsigned long last_cmd;
	unsigned long last_arg;
	unsigned int calls;
};

extern struct fake_dev fake_dev;

/* Start answering ioctls on @fd with defaults (API version ok). */
void fake_dev_attach(int fd);
void fake_dev_detach(void);

/* Collect what is written to stderr between begin and end into @buf. */
int capture_stderr_begin(void);
void capture_stderr_end(int saved, char *buf, size_t len);

/* Counter numbers reserved, with no counter (no name) behind them. */
#define MHV_STAT_RESERVED(i)	(((i) > MHV_STAT_NPF_1G && (i) < MHV_STAT_SKIP_NRIP) || \
				 (i) == MHV_STAT_NMI_INJECTED - 1)

#endif
