/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libmultios_hv - the research toolkit (tutorial 6, Documentation/research.rst).
 */
#ifndef _MHV_RESEARCH_H
#define _MHV_RESEARCH_H

#include <stddef.h>
#include <stdint.h>

/*
 * ---- experiments ---------------------------------------------------------
 *
 * An experiment file (JSON, Documentation/research.rst "Experiment files")
 * names factors and their levels; every combination of levels is a
 * configuration, numbered in row-major order of the factors as listed
 * (the last factor varies fastest). A run creates a fresh VM, runs the
 * configuration's guest workload (ordinary C functions of this library,
 * mhv_guest.h: the program must be linked without PIE) and records the
 * metrics over the timed part of the workload.
 */

/* The settings a factor or a constant may give, and their defaults. */
enum mhv_exp_setting {
	MHV_EXP_PAGE_SIZE,	/* "page_size": 4k (default), 2m, 1g */
	MHV_EXP_VCPUS,		/* "vcpus": 1 */
	MHV_EXP_PLACEMENT,	/* "device_placement": kernel, user */
	MHV_EXP_WORKLOAD,	/* "workload": required */
	MHV_EXP_SIZE,		/* "size": MiB (memory_*), bytes (dma): 1 */
	MHV_EXP_COUNT,		/* "count": operations: 1000 */
	MHV_EXP_NESTING,	/* "nesting": hypervisor levels: 1 */
	MHV_EXP_NR_SETTINGS
};

/* The guest workloads ("workload" levels). */
enum mhv_exp_workload {
	MHV_EXP_W_MEMORY_SEQ,	/* touch size MiB, page by page in order */
	MHV_EXP_W_MEMORY_RANDOM,/* ... each page once, in a random order */
	MHV_EXP_W_MEMORY_RETOUCH, /* ... touched once before the timing */
	MHV_EXP_W_CPUID,	/* count CPUIDs */
	MHV_EXP_W_PIO,		/* count OUTs to a port without a device */
	MHV_EXP_W_MMIO,		/* count writes to an address without memory */
	MHV_EXP_W_DEMO,		/* count demo device register accesses */
	MHV_EXP_W_DMA,		/* count edu DMAs of size bytes to the device */
	MHV_EXP_W_COMPUTE,	/* count loop iterations, no exits */
	MHV_EXP_NR_WORKLOADS
};

struct mhv_exp_factor {
	char *name;			/* a setting's name */
	enum mhv_exp_setting setting;
	unsigned int nr_levels;
	char **levels;			/* as strings */
};

struct mhv_experiment {
	char *question;
	char *hypothesis;
	unsigned int nr_factors;
	struct mhv_exp_factor *factors;
	/* the settings no factor varies: NULL when not given (default) */
	char *constants[MHV_EXP_NR_SETTINGS];
	unsigned int nr_metrics;
	char **metrics;
	unsigned int repetitions;
	unsigned int warmup;
	uint64_t seed;
};

/* One configuration, resolved. */
struct mhv_exp_config {
	unsigned int page_size;		/* bytes: 4096, 2M, 1G */
	unsigned int vcpus;
	int user_device;		/* device_placement user */
	enum mhv_exp_workload workload;
	uint64_t size;
	uint64_t count;
	unsigned int nesting;
};

/* The factor that varies @s, or NULL (a constant or the default). */
const struct mhv_exp_factor *mhv_exp_factor_of(const struct mhv_experiment *e,
					       enum mhv_exp_setting s);
/* "page_size", ... (NULL for an unknown setting) */
const char *mhv_exp_setting_name(enum mhv_exp_setting s);
/* "memory_seq", ... */
const char *mhv_exp_workload_name(enum mhv_exp_workload w);

/**
 * mhv_experiment_parse() - read an experiment file's text.
 * @e:      output, free with mhv_experiment_free()
 * @text:   the JSON text
 * @err:    on failure, why, starting with the JSON path of the problem
 *          ("$.factors[1].levels[0]: ...")
 *
 * Return: 0, -EINVAL (with @err), -ENOMEM.
 */
int mhv_experiment_parse(struct mhv_experiment *e, const char *text,
			 char *err, size_t errlen);
/* mhv_experiment_parse() of a file (@err also says when it is unreadable). */
int mhv_experiment_load(struct mhv_experiment *e, const char *path,
			char *err, size_t errlen);
void mhv_experiment_free(struct mhv_experiment *e);
/* The experiment as normalized JSON (malloc'ed; NULL without memory). */
char *mhv_experiment_json(const struct mhv_experiment *e);

/* Configurations: the product of the factors' level counts. */
unsigned int mhv_experiment_nr_configs(const struct mhv_experiment *e);
/* The level index of every factor in configuration @config. */
void mhv_experiment_levels(const struct mhv_experiment *e, unsigned int config,
			   unsigned int *levels);
/* Configuration @config resolved; -EINVAL (with @err) if unsupported. */
int mhv_experiment_config(const struct mhv_experiment *e, unsigned int config,
			  struct mhv_exp_config *c, char *err, size_t errlen);

/*
 * The run order: @order[nr_configs * repetitions] gets every
 * configuration @repetitions times, shuffled with GSL's MT19937 seeded
 * with e->seed (the same order on every call).
 * Returns the number of runs or -ENOMEM.
 */
int mhv_experiment_order(const struct mhv_experiment *e, unsigned int **order);

/**
 * mhv_experiment_run_one() - one run of a configuration.
 * @e:      the experiment (its metrics)
 * @c:      the configuration
 * @values: out: e->nr_metrics values, in the order of e->metrics
 *
 * Creates a VM, runs the workload and destroys it. Metrics are measured
 * over the timed part of the workload only: set-up (loading, the touch
 * before memory_retouch, enabling the device) is outside, and so is the
 * guest call that ends the interval (one port-I/O exit to userspace).
 *
 * Return: 0, or -errno with @err saying what failed.
 */
int mhv_experiment_run_one(const struct mhv_experiment *e,
			   const struct mhv_exp_config *c, double *values,
			   char *err, size_t errlen);

#endif /* _MHV_RESEARCH_H */
