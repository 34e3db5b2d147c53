// SPDX-License-Identifier: GPL-2.0
/*
 * mhv run - run a real-mode guest image under multios_hv.
 *
 * Options, config and image are read and checked here (against the
 * machine's capabilities), then vm_run.c runs the guest. `mhv help run`
 * prints mhv_run_details below; Documentation/getting-started.rst says
 * the same at more length.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libmultios_hv.h"
#include "mhv.h"
#include "run.h"

const char mhv_run_details[] =
"Runs one guest in a new VM with one vCPU, prints what the guest writes to\n"
"its console, then the VM's state and the exit counters the module kept.\n"
"\n"
"  --image FILE     the guest: a flat binary of 16-bit real-mode code (no\n"
"                   header; e.g. ld -Ttext=0x1000 --oformat binary), loaded\n"
"                   at guest-physical 0x1000 and started at CS:IP 0000:1000,\n"
"                   DS = ES = SS = 0, SP = 0xfff0, other registers 0,\n"
"                   interrupts disabled. It must not be empty and must fit in\n"
"                   memory_mb. Sample: tools/mhv/samples/hello.S (in the test\n"
"                   VM: /mhv/samples/hello.bin)\n"
"  --demo           the built-in demo guest (the default)\n"
"  --config FILE    VM settings, \"key = value\" lines, '#' starts a comment:\n"
"                     name = \"my vm\"     1-31 printable characters, quotes\n"
"                                       optional (default: the image's file\n"
"                                       name, or demo)\n"
"                     memory_mb = 16     guest memory in MiB, up to \"max memory\n"
"                                       per VM\" of mhv caps (default 16)\n"
"                     vcpus = 1          mhv run runs one vCPU: more is refused\n"
"                     arch = x86_64      the only architecture\n"
"                     features = educational, monitoring, debug\n"
"                                       stored by the module, not acted on yet\n"
"                   Sample: tools/mhv/samples/hello.conf\n"
"  --timeout SECONDS  stop a guest still running after SECONDS (default "
MHV_RUN_STR(MHV_RUN_DEFAULT_TIMEOUT) ";\n"
"                   0: no limit)\n"
"  --max-exits N    stop after N exits to mhv (default "
MHV_RUN_STR(MHV_RUN_DEFAULT_MAX_EXITS) ")\n"
"\n"
"Console: each byte the guest writes with OUT to port 0x3f8 (COM1) or 0xe9\n"
"(the debug port) is printed as it comes. OUT to other ports and writes\n"
"outside guest memory (MMIO) are ignored; IN and MMIO reads return 0xff.\n"
"\n"
"How it ends (exit status):\n"
"  0    the guest executed HLT\n"
"  1    the guest failed (triple fault, refused entry, unhandled exit) or\n"
"       mhv could not run it (the message says why)\n"
"  2    usage error\n"
"  3    stopped by --timeout (MHV_STOP_FORCE kicks the vCPU out at once)\n"
"       or --max-exits\n"
"  130  Ctrl-C (SIGINT; 143 for SIGTERM): the VM is stopped\n"
"       (MHV_STOP_GRACEFUL) and the summary is still printed\n"
"\n"
"The summary: the VM's state (PAUSED after HLT: its vCPU returned to mhv and\n"
"nothing runs it; STOPPED after a stop), then each exit counter of vCPU 0\n"
"with what it counts. \"total exits\" counts every VM exit, \"user_exits\"\n"
"those the module handed to mhv (I/O, MMIO, HLT); the kernel handled the\n"
"others itself without leaving MHV_RUN.\n";

/*
 * The built-in demo guest, 16-bit real-mode code at 0x1000:
 *	mov si, msg; mov dx, 0x3f8
 * next: lodsb; test al, al; jz done; out dx, al; jmp next
 * done: xor eax, eax; cpuid                 (an exit handled in the kernel)
 *	mov byte [0x2000], 1 ... [0x4000]    (three nested page faults, and
 *	                                      one for the code itself)
 *	hlt                                  (back to mhv)
 * msg: "Hello from a guest ...", 0
 */
static const unsigned char demo_guest[] = {
	0xbe, 0x23, 0x10, 0xba, 0xf8, 0x03, 0xac, 0x84, 0xc0, 0x74, 0x03,
	0xee, 0xeb, 0xf8, 0x66, 0x31, 0xc0, 0x0f, 0xa2,
	0xc6, 0x06, 0x00, 0x20, 0x01, 0xc6, 0x06, 0x00, 0x30, 0x01,
	0xc6, 0x06, 0x00, 0x40, 0x01, 0xf4,
	'H', 'e', 'l', 'l', 'o', ' ', 'f', 'r', 'o', 'm', ' ', 'a', ' ',
	'g', 'u', 'e', 's', 't', ' ', 'r', 'u', 'n', 'n', 'i', 'n', 'g', ' ',
	'u', 'n', 'd', 'e', 'r', ' ', 'M', 'u', 'l', 't', 'i', 'O', 'S', ' ',
	'H', 'V', '!', '\n', 0,
};

/* largest image or config file read */
#define MHV_RUN_MAX_FILE	(64 << 20)

struct run_opts {
	const char *image;
	const char *config;
	unsigned long max_exits;
	unsigned int timeout_s;
};

static int read_file(const char *path, char **data, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size > MHV_RUN_MAX_FILE) {
		close(fd);
		return -EFBIG;
	}
	*data = calloc(1, st.st_size + 1);
	if (!*data) {
		close(fd);
		return -ENOMEM;
	}
	n = read(fd, *data, st.st_size);
	close(fd);
	if (n != st.st_size) {
		free(*data);
		return n < 0 ? -errno : -EIO;
	}
	*len = (size_t)n;
	return 0;
}

static int parse_number(const char *opt, const char *s, unsigned long max,
			unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (!*s || *s == '-' || *end || errno || *out > max) {
		fprintf(stderr, "mhv run: %s wants a number from 0 to %lu, not '%s'\n",
			opt, max, s);
		return -EINVAL;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct run_opts *o)
{
	unsigned long n;
	int i;

	memset(o, 0, sizeof(*o));
	o->max_exits = MHV_RUN_DEFAULT_MAX_EXITS;
	o->timeout_s = MHV_RUN_DEFAULT_TIMEOUT;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--demo")) {
			o->image = NULL;
			continue;
		}
		if (strcmp(a, "--image") && strcmp(a, "--config") &&
		    strcmp(a, "--max-exits") && strcmp(a, "--timeout")) {
			fprintf(stderr, "mhv run: unknown option '%s'\n", a);
			return -EINVAL;
		}
		if (!v) {
			fprintf(stderr, "mhv run: %s needs a value\n", a);
			return -EINVAL;
		}
		i++;
		if (!strcmp(a, "--image")) {
			o->image = v;
		} else if (!strcmp(a, "--config")) {
			o->config = v;
		} else if (!strcmp(a, "--timeout")) {
			if (parse_number(a, v, MHV_RUN_MAX_TIMEOUT, &n))
				return -EINVAL;
			o->timeout_s = (unsigned int)n;
		} else {
			if (parse_number(a, v, ~0UL, &n) || !n) {
				if (!n)
					fprintf(stderr, "mhv run: --max-exits must be at least 1\n");
				return -EINVAL;
			}
			o->max_exits = n;
		}
	}
	return 0;
}

/* The default VM name: the image's file name without its extension. */
static void name_from_image(char *name, size_t len, const char *path)
{
	char *copy = strdup(path), *base, *dot;
	size_t i;

	base = copy ? basename(copy) : NULL;
	if (base && (dot = strrchr(base, '.')) && dot != base)
		*dot = '\0';
	snprintf(name, len, "%s", base && *base ? base : "guest");
	for (i = 0; name[i]; i++)
		if (name[i] < 0x20 || name[i] > 0x7e)
			name[i] = '?';
	free(copy);
}

static int load_config(const struct run_opts *o, struct mhv_vm_config *cfg)
{
	char *text = NULL, err[256];
	size_t len = 0;
	int r;

	mhv_vm_config_default(cfg);
	if (o->image)
		name_from_image(cfg->name, sizeof(cfg->name), o->image);
	else
		strcpy(cfg->name, "demo");
	if (!o->config)
		return 0;
	r = read_file(o->config, &text, &len);
	if (r) {
		fprintf(stderr, "mhv: %s: %s\n", o->config, strerror(-r));
		return r;
	}
	r = mhv_vm_config_parse(text, cfg, err, sizeof(err));
	free(text);
	if (r)
		fprintf(stderr, "mhv: %s: %s\n", o->config, err);
	return r;
}

static int load_image(const struct run_opts *o, char **image, size_t *len)
{
	int r;

	if (!o->image) {
		*image = malloc(sizeof(demo_guest));
		if (!*image)
			return -ENOMEM;
		memcpy(*image, demo_guest, sizeof(demo_guest));
		*len = sizeof(demo_guest);
		return 0;
	}
	r = read_file(o->image, image, len);
	if (r) {
		fprintf(stderr, "mhv: %s: %s\n", o->image, strerror(-r));
		return r;
	}
	if (!*len) {
		fprintf(stderr, "mhv: %s: the image is empty: there is no code to run (mhv help run: the image format)\n",
			o->image);
		free(*image);
		return -ENOEXEC;
	}
	return 0;
}

/* What this machine and mhv run allow, checked before creating the VM. */
static int check_config(int sys_fd, const struct run_opts *o,
			const struct mhv_vm_config *cfg)
{
	const char *src = o->config ? o->config : "config";
	struct mhv_caps caps;
	char err[256];
	int r;

	r = mhv_get_caps(sys_fd, &caps);
	if (r) {
		mhv_error("MHV_GET_CAPS", r);
		return r;
	}
	r = mhv_vm_config_check(cfg, &caps, err, sizeof(err));
	if (r) {
		fprintf(stderr, "mhv: %s: %s\n", src, err);
		return r;
	}
	if (cfg->vcpu_count > 1) {
		fprintf(stderr, "mhv: %s: vcpus = %u, but mhv run runs one vCPU; set vcpus = 1, or run several from a program of your own (Documentation/tutorials)\n",
			src, cfg->vcpu_count);
		return -EINVAL;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct mhv_vm_config cfg;
	struct run_opts o;
	char *image = NULL;
	size_t image_len = 0;
	int fd, ret;

	if (parse_args(argc, argv, &o)) {
		mhv_usage("run");
		return MHV_EXIT_USAGE;
	}
	if (load_config(&o, &cfg) || load_image(&o, &image, &image_len))
		return MHV_EXIT_FAIL;
	fd = mhv_open_or_explain();
	if (fd < 0) {
		free(image);
		return MHV_EXIT_FAIL;
	}
	ret = MHV_EXIT_FAIL;
	if (!check_config(fd, &o, &cfg))
		ret = run_guest(fd, &cfg, image, image_len, o.max_exits,
				o.timeout_s);
	mhv_close(fd);
	free(image);
	return ret;
}
