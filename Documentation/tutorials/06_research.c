// SPDX-License-Identifier: GPL-2.0
/*
 * Tutorial 6: An educational research project, as a program.
 *
 * The guide's template, step by step, with libmultios_hv's research
 * toolkit (mhv_research.h, Documentation/research.rst):
 * 1. Research question and hypothesis: what does one VM exit cost, by
 *    kind? CPUID exits are handled inside the kernel module; port I/O
 *    and MMIO exits to an address without a device come back to this
 *    program. Hypothesis: the exits handled in userspace cost more.
 * 2. Experimental design: one factor, the workload (cpuid, pio, mmio,
 *    and compute, a loop without exits, as the control), COUNT operations
 *    each, REPS repetitions, warm-up runs, all runs in an order shuffled
 *    with a fixed seed (so drift of the machine does not line up with a
 *    factor) - the same experiment file `mhv experiment run` reads.
 * 3. Implementation: every run creates a fresh VM, runs the workload (the
 *    library's guest code) and records the metrics over the timed part:
 *    the guest's own TSC cycles, the host's wall time, the exits the
 *    module counted and those that came back to userspace.
 * 4. Analysis: per configuration mhv_describe() (mean, 95% confidence
 *    interval); cycles per exit; Welch's t-test of pio against cpuid
 *    (one-tailed, as the hypothesis says which is larger) with Cohen's d,
 *    and every workload against the control, Holm-corrected.
 * 5. Communication: the numbers in words; `mhv experiment run`,
 *    `analyze` and `report` do the same with a results directory.
 *
 * The exit counts are checked against the design (COUNT exits of each
 * kind, none for compute): a broken hypervisor makes the program fail.
 * Timings are reported, never asserted.
 * Build: make; run as root with multios_hv loaded (`make check` runs it).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmultios_hv.h"

#define COUNT	2000
#define REPS	6

/* Step 1 and 2: the question, hypothesis and design (count: COUNT, REPS). */
static const char experiment[] =
	"{ \"question\": \"What does one VM exit cost, by kind?\",\n"
	"  \"hypothesis\": \"Exits handled in userspace (pio, mmio) cost more than CPUID exits handled in the kernel.\",\n"
	"  \"factors\": [ { \"name\": \"workload\",\n"
	"                 \"levels\": [\"cpuid\", \"pio\", \"mmio\", \"compute\"] } ],\n"
	"  \"constants\": { \"count\": 2000 },\n"
	"  \"metrics\": [\"guest_tsc\", \"wall_ns\", \"exits\", \"user_exits\"],\n"
	"  \"repetitions\": 6, \"warmup\": 2, \"seed\": 6 }\n";

enum { M_TSC, M_WALL, M_EXITS, M_USER };

static int check_counts(const char *w, const double *v)
{
	double want_exits = strcmp(w, "compute") ? COUNT : 0;
	double want_user = !strcmp(w, "pio") || !strcmp(w, "mmio") ? COUNT : 0;

	/* other exits (host interrupts) may come too: at least, for exits */
	if (v[M_EXITS] < want_exits || v[M_USER] != want_user) {
		fprintf(stderr, "tutorial 6: %s: %.0f exits (want >= %.0f), %.0f to userspace (want %.0f)\n",
			w, v[M_EXITS], want_exits, v[M_USER], want_user);
		return -1;
	}
	return 0;
}

int main(void)
{
	struct mhv_experiment e;
	struct mhv_exp_config c;
	struct mhv_describe d[4];
	struct mhv_ttest t, pc;
	double tsc[4][REPS], v[4], p[3], adj[3];
	unsigned int *order, n[4] = { 0 }, i;
	char err[512];
	int runs, ret;

	printf("Step 1: the question\n");
	if (mhv_experiment_parse(&e, experiment, err, sizeof(err))) {
		fprintf(stderr, "tutorial 6: %s\n", err);
		return 1;
	}
	printf("  %s\n  hypothesis: %s\n", e.question, e.hypothesis);

	printf("Step 2: the design: %u configurations x %u repetitions, seed %llu\n",
	       mhv_experiment_nr_configs(&e), e.repetitions,
	       (unsigned long long)e.seed);
	runs = mhv_experiment_order(&e, &order);
	if (runs != 4 * REPS)
		return 1;
	printf("  run order:");
	for (i = 0; i < (unsigned int)runs; i++)
		printf(" %s", e.factors[0].levels[order[i]]);
	printf("\n");

	printf("Step 3: running (%u warm-up runs first)\n", e.warmup);
	for (i = 0; i < e.warmup + (unsigned int)runs; i++) {
		unsigned int cfg = order[i < e.warmup ? i : i - e.warmup];

		ret = mhv_experiment_config(&e, cfg, &c, err, sizeof(err));
		if (!ret)
			ret = mhv_experiment_run_one(&e, &c, v, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "tutorial 6: %s\n%s", err,
				ret == -ENOENT || ret == -EACCES ? "  (is multios_hv loaded? run as root)\n" : "");
			return 1;
		}
		if (i < e.warmup)
			continue;
		if (check_counts(e.factors[0].levels[cfg], v))
			return 1;
		tsc[cfg][n[cfg]++] = v[M_TSC];
	}

	printf("Step 4: analysis of the guest's TSC cycles per run\n");
	for (i = 0; i < 4; i++) {
		if (mhv_describe(tsc[i], n[i], &d[i]))
			return 1;
		printf("  %-8s mean %12.0f cycles, 95%% CI [%.0f, %.0f]",
		       e.factors[0].levels[i], d[i].mean, d[i].ci_lo, d[i].ci_hi);
		if (i < 3)
			printf(", %.0f cycles per exit",
			       (d[i].mean - d[3].mean) / COUNT);
		printf("\n");
	}
	ret = mhv_welch_t(tsc[1], n[1], tsc[0], n[0], &pc);
	if (!ret)
		printf("  pio vs cpuid: Welch t = %.3f, df = %.1f, one-tailed p = %.3g, Cohen's d = %.2f\n",
		       pc.t, pc.df, pc.p_greater, pc.cohen_d);
	for (i = 0; i < 3; i++) {
		if (mhv_welch_t(tsc[i], n[i], tsc[3], n[3], &t))
			return 1;
		p[i] = t.p_two;
	}
	if (mhv_holm(p, 3, adj))
		return 1;
	for (i = 0; i < 3; i++)
		printf("  %s vs compute (no exits): p = %.3g, Holm-corrected %.3g\n",
		       e.factors[0].levels[i], p[i], adj[i]);

	printf("Step 5: in words\n");
	if (!ret)
		printf("  The hypothesis that a port I/O exit costs more than a CPUID exit is %s at the 5%% level (p = %.3g).\n",
		       pc.p_greater < 0.05 ? "supported" : "not supported",
		       pc.p_greater);
	printf("  mhv experiment run /mhv/samples/exits.json runs this design (with 8\n"
	       "  repetitions) and keeps every sample; mhv experiment analyze and report explain them.\n");
	free(order);
	mhv_experiment_free(&e);
	return 0;
}
