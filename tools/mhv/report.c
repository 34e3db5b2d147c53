// SPDX-License-Identifier: GPL-2.0
/*
 * mhv experiment report DIR [--pdf FILE] [--svg DIR] [--png DIR]
 *                           [--markdown FILE] [--histogram METRIC]
 *
 * The report of a results directory of `mhv experiment run`
 * (Documentation/research.rst "Reports"): written by libmultios_hv's
 * mhv_report_write(). At least one output must be asked for. The same
 * results give the same files, byte for byte.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "libmultios_hv.h"
#include "mhv.h"

/* The value of option argv[*i] (moving *i past it), or NULL. */
static const char *opt_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

/* Create @dir (and not its parents) unless it exists. */
static int make_dir(const char *dir)
{
	struct stat st;

	if (!stat(dir, &st) && S_ISDIR(st.st_mode))
		return 0;
	if (!mkdir(dir, 0777))
		return 0;
	fprintf(stderr, "mhv experiment report: %s: %s\n", dir,
		strerror(errno));
	return -1;
}

static int parse_args(int argc, char **argv, const char **dir,
		      struct mhv_report_opts *o)
{
	static const char *const names[] = {
		"--pdf", "--svg", "--png", "--markdown", "--histogram",
	};
	const char **slots[] = {
		&o->pdf, &o->svg_dir, &o->png_dir, &o->markdown, &o->histogram,
	};
	size_t k;
	int i;

	for (i = 1; i < argc; i++) {
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (!strcmp(argv[i], names[k]))
				break;
		if (k < sizeof(names) / sizeof(names[0])) {
			*slots[k] = opt_value(argc, argv, &i);
			if (!*slots[k])
				return -1;
		} else if (!*dir && argv[i][0] != '-') {
			*dir = argv[i];
		} else {
			return -1;
		}
	}
	if (!*dir || !(o->pdf || o->svg_dir || o->png_dir || o->markdown))
		return -1;
	return 0;
}

int mhv_cmd_experiment_report(int argc, char **argv)
{
	struct mhv_report_opts o = { 0 };
	struct mhv_report *rep;
	const char *dir = NULL;
	char err[512];
	int ret;

	if (parse_args(argc, argv, &dir, &o)) {
		if (dir && !(o.pdf || o.svg_dir || o.png_dir || o.markdown))
			fprintf(stderr, "mhv experiment report: give at least one of --pdf, --svg, --png, --markdown\n");
		mhv_usage("experiment");
		return MHV_EXIT_USAGE;
	}
	if ((o.svg_dir && make_dir(o.svg_dir)) ||
	    (o.png_dir && make_dir(o.png_dir)))
		return MHV_EXIT_FAIL;
	ret = mhv_report_open(&rep, dir, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "mhv experiment report: %s\n", err);
		return MHV_EXIT_FAIL;
	}
	ret = mhv_report_write(rep, &o, err, sizeof(err));
	mhv_report_close(rep);
	if (ret) {
		fprintf(stderr, "mhv experiment report: %s\n", err);
		return MHV_EXIT_FAIL;
	}
	if (o.pdf)
		printf("report: %s\n", o.pdf);
	if (o.markdown)
		printf("markdown: %s\n", o.markdown);
	if (o.svg_dir || o.png_dir)
		printf("charts: %s%s%s\n", o.svg_dir ? o.svg_dir : "",
		       o.svg_dir && o.png_dir ? ", " : "",
		       o.png_dir ? o.png_dir : "");
	return MHV_EXIT_OK;
}
