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
"Runs one guest in a new VM (one vCPU, or --vcpus N with the irqchip),\n"
"prints what the guest writes to its console, then a summary: how it\n"
"ended, the run time, the VM's state,\n"
"nested page faults, the exits by reason and each device's statistics, all\n"
"as the module counted them.\n"
"\n"
"  IMAGE, --image FILE  the guest. Its format is detected (--format to say):\n"
"                   linux      a Linux bzImage (\"HdrS\" at 0x202, boot\n"
"                              protocol 2.12+, 64-bit): the x86 boot\n"
"                              protocol's 64-bit entry with a zero page,\n"
"                              E820 map, --append command line, --initrd\n"
"                              and ACPI tables (Documentation/linux-boot.rst)\n"
"                   multiboot  a Multiboot (v1) header in the first 8192\n"
"                              bytes: loaded by its address fields or its\n"
"                              ELF headers, started in 32-bit protected\n"
"                              mode, paging off, EAX = 0x2BADB002, EBX = the\n"
"                              boot information (memory, memory map,\n"
"                              --append command line)\n"
"                   elf32      ELF32 executable: PT_LOAD segments at p_paddr,\n"
"                              bss zeroed; flat 32-bit protected mode\n"
"                   elf64      ELF64 executable: the same in long mode, the\n"
"                              first 4 GiB identity-mapped\n"
"                   flat       anything else: 16-bit real-mode code (no\n"
"                              header; e.g. ld -Ttext=0x1000 --oformat\n"
"                              binary), loaded at guest-physical 0x1000 and\n"
"                              started at CS:IP 0000:1000, SS:SP 0000:FFF0,\n"
"                              other registers 0, interrupts disabled\n"
"                   ELF and Multiboot segments must lie at or above 1 MiB\n"
"                   (below is the loader's: GDT, boot information, page\n"
"                   tables, the stack at 0x80000). A malformed, truncated or\n"
"                   oversized image is refused with what is wrong; nothing\n"
"                   runs. Samples (in the test VM under /mhv/samples):\n"
"                   hello.bin (flat, tools/mhv/samples/hello.S),\n"
"                   hello.elf, timer.elf and dma.elf (Multiboot,\n"
"                   tools/mhv/samples/guests/*.c; devices they expect in\n"
"                   guests/rt/rt.h and getting-started.rst)\n"
"  --demo           the built-in demo guest (the default)\n"
"  --format F       flat, elf32, elf64, multiboot or linux instead of detecting\n"
"  --kernel FILE    a Linux bzImage (--format linux): at least "
MHV_RUN_STR(MHV_RUN_LINUX_MEM_MB) " MiB of\n"
"                   memory unless --mem, and the devices uart@0x3f8,\n"
"                   reset@0xcf9, rtc@0x70 and acpi-pm@0x600 unless --device\n"
"                   gives one of the type (console=ttyS0 is the UART); it\n"
"                   turns the irqchip on (so --vcpus N works; the UART\n"
"                   drives IRQ 4, the RTC IRQ 8) and, unless given, sets\n"
"                   --timeout " MHV_RUN_STR(MHV_RUN_LINUX_TIMEOUT) " and --max-exits " MHV_RUN_STR(MHV_RUN_LINUX_MAX_EXITS) "\n"
"  --initrd FILE    with --kernel: its initrd (an initramfs cpio)\n"
"  --mem MB         guest memory in MiB (overrides memory_mb)\n"
"  --vcpus N        overrides vcpus; more than 1 needs the irqchip\n"
"                   (--kernel, or features = irqchip in --config)\n"
"  --device TYPE@ADDR  an in-kernel device (repeatable). TYPE: demo, uart,\n"
"                   debug-exit, ... (the module's device types); ADDR: an\n"
"                   I/O port (0x3f8, or pio:0x3f8) or mmio: and a guest-\n"
"                   physical address (mmio:0xd0000000). E.g. --device\n"
"                   uart@0x3f8 --device demo@0x500 --device debug-exit@0xf4;\n"
"                   a PC's: rtc@0x70,irq=0x28 reset@0xcf9 reset@0x64\n"
"                   fwinfo@0x510\n"
"  --append ARGS    the command line of a Multiboot or Linux kernel\n"
"  --json           the summary as one JSON object, the last line on stdout\n"
"                   (no other text from mhv on stdout; the guest's console\n"
"                   still comes first)\n"
"  --config FILE    VM settings, \"key = value\" lines, '#' starts a comment:\n"
"                     name = \"my vm\"     1-31 printable characters, quotes\n"
"                                       optional (default: the image's file\n"
"                                       name without its extension, e.g.\n"
"                                       loop for loop.bin; demo for --demo)\n"
"                     memory_mb = 16     guest memory in MiB, up to \"max memory\n"
"                                       per VM\" of mhv caps (default 16)\n"
"                     vcpus = 1          more needs irqchip in features: vCPU 0\n"
"                                       starts the others (INIT, SIPI)\n"
"                     arch = x86_64      the only architecture\n"
"                     features = educational, monitoring, debug, irqchip\n"
"                                       the first three stored by the module,\n"
"                                       not acted on yet; irqchip: the PC\n"
"                                       interrupt controllers and timer in\n"
"                                       the kernel\n"
"                     page_size = auto   largest second-level page: auto, 4k,\n"
"                                       2m or 1g (auto: the largest the CPU\n"
"                                       and the memory's backing allow)\n"
"                   Sample: tools/mhv/samples/hello.conf\n"
"  --timeout SECONDS  stop a guest still running after SECONDS (default "
MHV_RUN_STR(MHV_RUN_DEFAULT_TIMEOUT) ";\n"
"                   0: no limit)\n"
"  --max-exits N    stop after N exits to mhv (default "
MHV_RUN_STR(MHV_RUN_DEFAULT_MAX_EXITS) ")\n"
"\n"
"Console: with a uart device, what the guest writes to it is printed (mhv\n"
"drains it after each return of MHV_RUN) and stdin goes to its receiver, a\n"
"byte at a time, once the guest set MCR.DTR and as it reads them. Without\n"
"one, each byte written\n"
"with OUT to port 0x3f8 (COM1) is printed as it comes; OUT to 0xe9 (the\n"
"debug port) always is. OUT to other ports no device claims and writes\n"
"outside guest memory (MMIO) are ignored; such IN and MMIO reads return\n"
"0xff.\n"
"\n"
"How it ends (exit status):\n"
"  0    the guest executed HLT (with interrupts disabled), asked a reset\n"
"       device for a reset (0x06/0x0e to port 0xcf9, 0xfe to port 0x64),\n"
"       or powered off through the acpi-pm device (ACPI S5)\n"
"  N    the guest wrote N to a debug-exit device: mhv exits with N's low 8\n"
"       bits, whatever they mean (test guests: 0 passed, else failed)\n"
"  1    the guest failed (triple fault, refused entry, unhandled exit) or\n"
"       mhv could not run it (the message says why)\n"
"  2    usage error\n"
"  3    stopped by --timeout (MHV_STOP_FORCE kicks the vCPU out at once)\n"
"       or --max-exits\n"
"  130  Ctrl-C (SIGINT; 143 for SIGTERM): the VM is stopped\n"
"       (MHV_STOP_GRACEFUL) and the summary is still printed\n"
"\n"
"The summary: the VM's state (PAUSED after HLT or debug-exit: its vCPU\n"
"returned to mhv and nothing runs it; STOPPED after Ctrl-C or --timeout,\n"
"and with several vCPUs after any end: mhv stops the others once one ended\n"
"the guest; ERROR after a crash, with the flight recorder, the last exits\n"
"of each vCPU before it, printed before the summary), then each exit\n"
"counter of vCPU 0 with what it counts. \"total exits\" counts every VM exit,\n"
"\"user_exits\" those the module handed to mhv (I/O, MMIO, HLT); the kernel\n"
"handled the others itself without leaving MHV_RUN (dev_io: accesses an\n"
"in-kernel device completed). Then, per device, its reads, writes, errors\n"
"and the time each access took in the kernel.\n";

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
	const char *initrd;		/* --initrd (with --kernel) */
	int kernel;			/* --kernel: a Linux bzImage */
	const char *config;
	const char *append;
	const char *dev_spec[MHV_RUN_MAX_DEVICES];
	unsigned int nr_dev;
	unsigned long max_exits;
	unsigned long mem_mb;		/* 0: from the config */
	unsigned long vcpus;		/* 0: from the config */
	unsigned int timeout_s;
	int limits_set;			/* --timeout or --max-exits given */
	int format;			/* enum mhv_image_format */
	int json;
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

/* An option that takes a value: store it; 0 or -EINVAL. */
static int set_option(struct run_opts *o, const char *a, const char *v)
{
	unsigned long n;

	if (!strcmp(a, "--image")) {
		o->image = v;
	} else if (!strcmp(a, "--kernel")) {
		o->image = v;
		o->kernel = 1;
		o->format = MHV_IMAGE_LINUX;
	} else if (!strcmp(a, "--initrd")) {
		o->initrd = v;
	} else if (!strcmp(a, "--config")) {
		o->config = v;
	} else if (!strcmp(a, "--append")) {
		o->append = v;
	} else if (!strcmp(a, "--format")) {
		o->format = mhv_image_format_from_name(v);
		if (o->format < 0) {
			fprintf(stderr, "mhv run: --format wants flat, elf32, elf64, multiboot, linux or detect, not '%s'\n",
				v);
			return -EINVAL;
		}
	} else if (!strcmp(a, "--device")) {
		if (o->nr_dev == MHV_RUN_MAX_DEVICES) {
			fprintf(stderr, "mhv run: at most %d --device\n",
				MHV_RUN_MAX_DEVICES);
			return -EINVAL;
		}
		o->dev_spec[o->nr_dev++] = v;
	} else if (!strcmp(a, "--timeout")) {
		if (parse_number(a, v, MHV_RUN_MAX_TIMEOUT, &n))
			return -EINVAL;
		o->timeout_s = (unsigned int)n;
		o->limits_set = 1;
	} else if (!strcmp(a, "--mem") || !strcmp(a, "--vcpus") ||
		   !strcmp(a, "--max-exits")) {
		if (parse_number(a, v, !strcmp(a, "--max-exits") ? ~0UL :
				 UINT32_MAX, &n))
			return -EINVAL;
		if (!n) {
			fprintf(stderr, "mhv run: %s must be at least 1\n", a);
			return -EINVAL;
		}
		if (!strcmp(a, "--mem"))
			o->mem_mb = n;
		else if (!strcmp(a, "--vcpus"))
			o->vcpus = n;
		else
			o->max_exits = n;
		o->limits_set |= !strcmp(a, "--max-exits");
	} else {
		fprintf(stderr, "mhv run: unknown option '%s'\n", a);
		return -EINVAL;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct run_opts *o)
{
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
		if (!strcmp(a, "--json")) {
			o->json = 1;
			continue;
		}
		if (strncmp(a, "--", 2)) {	/* IMAGE */
			if (o->image) {
				fprintf(stderr, "mhv run: one image, not '%s' and '%s'\n",
					o->image, a);
				return -EINVAL;
			}
			o->image = a;
			continue;
		}
		if (!v) {
			fprintf(stderr, "mhv run: %s needs a value\n", a);
			return -EINVAL;
		}
		i++;
		if (set_option(o, a, v))
			return -EINVAL;
	}
	if (o->initrd && !o->kernel) {
		fprintf(stderr, "mhv run: --initrd goes with --kernel\n");
		return -EINVAL;
	}
	/* a kernel's boot takes longer than a small guest's whole run */
	if (o->kernel && !o->limits_set) {
		o->timeout_s = MHV_RUN_LINUX_TIMEOUT;
		o->max_exits = MHV_RUN_LINUX_MAX_EXITS;
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

/* --mem and --vcpus win over the config file. */
static void apply_overrides(const struct run_opts *o,
			    struct mhv_vm_config *cfg)
{
	if (o->mem_mb)
		cfg->memory_mb = (uint32_t)o->mem_mb;
	if (o->vcpus)
		cfg->vcpu_count = (uint32_t)o->vcpus;
	if (o->kernel && !o->mem_mb && cfg->memory_mb < MHV_RUN_LINUX_MEM_MB)
		cfg->memory_mb = MHV_RUN_LINUX_MEM_MB;
#ifdef MHV_VM_F_IRQCHIP
	/* the PC's interrupt controllers and PIT (issue 14), once the uapi
	 * header has them: what a Linux kernel needs past its banner
	 */
	if (o->kernel)
		cfg->features |= MHV_VM_F_IRQCHIP;
#endif
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
	if (!o->config) {
		apply_overrides(o, cfg);
		return 0;
	}
	r = read_file(o->config, &text, &len);
	if (r) {
		fprintf(stderr, "mhv: %s: %s\n", o->config, strerror(-r));
		return r;
	}
	r = mhv_vm_config_parse(text, cfg, err, sizeof(err));
	free(text);
	if (r)
		fprintf(stderr, "mhv: %s: %s\n", o->config, err);
	else
		apply_overrides(o, cfg);
	return r;
}

static int read_image(const struct run_opts *o, char **image, size_t *len)
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
	if (r)
		fprintf(stderr, "mhv: %s: %s\n", o->image, strerror(-r));
	return r;
}

/* Check the whole image for @cfg's memory before anything runs. */
static int parse_image(const struct run_opts *o,
		       const struct mhv_vm_config *cfg, const char *image,
		       size_t len, struct mhv_image *img)
{
	const char *path = o->image ? o->image : "the demo guest";
	int r;

	r = mhv_image_parse(img, image, len,
			    o->image ? (uint32_t)o->format : MHV_IMAGE_FLAT,
			    (uint64_t)cfg->memory_mb << 20, o->append);
	if (r) {
		fprintf(stderr, "mhv: %s: %s (%s; mhv help run: the image formats)\n",
			path, img->errmsg[0] ? img->errmsg : strerror(-r),
			mhv_image_error_name(img->error));
		return r;
	}
	if (o->append && img->format != MHV_IMAGE_MULTIBOOT &&
	    img->format != MHV_IMAGE_LINUX) {
		fprintf(stderr, "mhv: %s: --append passes a command line to a Multiboot or Linux kernel, and this image is %s\n",
			path, mhv_image_format_name(img->format));
		return -EINVAL;
	}
	return 0;
}

/*
 * --kernel: the devices Linux looks for on a PC, unless --device gave one
 * of the type: the console UART, the reset register, the RTC (and the
 * ACPI PM device the FADT describes).
 */
static const char *const linux_devices[] = {
	"uart@0x3f8", "reset@0xcf9", "rtc@0x70", "acpi-pm@0x600",
};

static int has_device_type(const struct run_opts *o, uint32_t want)
{
	uint32_t type, space, irq;
	uint64_t base;
	unsigned int i;

	for (i = 0; i < o->nr_dev; i++)
		if (!mhv_device_spec_parse_irq(o->dev_spec[i], &type, &space,
					       &base, &irq, NULL, 0) &&
		    type == want)
			return 1;
	return 0;
}

static int add_linux_devices(struct run_opts *o)
{
	uint32_t type, space, irq;
	uint64_t base;
	unsigned int i;

	for (i = 0; o->kernel && i < sizeof(linux_devices) / sizeof(linux_devices[0]); i++) {
		if (mhv_device_spec_parse_irq(linux_devices[i], &type, &space,
					      &base, &irq, NULL, 0) ||
		    has_device_type(o, type))
			continue;
		if (o->nr_dev == MHV_RUN_MAX_DEVICES) {
			fprintf(stderr, "mhv run: no room for the device %s --kernel adds\n",
				linux_devices[i]);
			return -EINVAL;
		}
		o->dev_spec[o->nr_dev++] = linux_devices[i];
	}
	return 0;
}

/* --initrd: read it and place it in guest memory (above the kernel). */
static int load_initrd(const struct run_opts *o, struct mhv_image *img,
		       char **initrd)
{
	size_t len = 0;
	int r;

	*initrd = NULL;
	if (!o->initrd)
		return 0;
	r = read_file(o->initrd, initrd, &len);
	if (r) {
		fprintf(stderr, "mhv: %s: %s\n", o->initrd, strerror(-r));
		return r;
	}
	r = len ? mhv_image_set_initrd(img, *initrd, len) : -EINVAL;
	if (r)
		fprintf(stderr, "mhv: %s: %s\n", o->initrd,
			r == -ENOEXEC ? img->errmsg : "an empty initrd");
	return r;
}

/* Every --device TYPE@ADDR, checked before anything runs. */
static int parse_devices(const struct run_opts *o, struct run_params *p)
{
	char err[256];
	unsigned int i;

	for (i = 0; i < o->nr_dev; i++) {
		struct run_device *d = &p->dev[i];

		d->spec = o->dev_spec[i];
		if (mhv_device_spec_parse_irq(d->spec, &d->type, &d->space,
					      &d->base, &d->irq, err,
					      sizeof(err))) {
			fprintf(stderr, "mhv run: --device %s\n", err);
			return -EINVAL;
		}
	}
	p->nr_dev = o->nr_dev;
	return 0;
}

/* What this machine and mhv run allow, checked before creating the VM. */
static int check_config(int sys_fd, const struct run_opts *o,
			const struct mhv_vm_config *cfg)
{
	const char *src = o->vcpus || o->mem_mb ? "--vcpus/--mem" :
			  o->config ? o->config : "config";
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
	if (cfg->vcpu_count > 1 && !(cfg->features & MHV_VM_F_IRQCHIP)) {
		fprintf(stderr, "mhv: %s: vcpus = %u needs the PC interrupt controllers (features = irqchip): without local APICs nothing can start the other vCPUs; set vcpus = 1 or add irqchip to features\n",
			src, cfg->vcpu_count);
		return -EINVAL;
	}
	if (cfg->vcpu_count > MHV_RUN_MAX_VCPUS) {
		fprintf(stderr, "mhv: %s: vcpus = %u: mhv run runs at most %d\n",
			src, cfg->vcpu_count, MHV_RUN_MAX_VCPUS);
		return -EINVAL;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_params p = { 0 };
	struct mhv_vm_config cfg;
	struct mhv_image img;
	struct run_opts o;
	char *image = NULL, *initrd = NULL;
	size_t image_len = 0;
	int fd, ret;

	if (parse_args(argc, argv, &o) || add_linux_devices(&o) ||
	    parse_devices(&o, &p)) {
		mhv_usage("run");
		return MHV_EXIT_USAGE;
	}
	if (load_config(&o, &cfg) || read_image(&o, &image, &image_len))
		return MHV_EXIT_FAIL;
	if (parse_image(&o, &cfg, image, image_len, &img) ||
	    load_initrd(&o, &img, &initrd)) {
		free(initrd);
		free(image);
		return MHV_EXIT_FAIL;
	}
	if (img.format == MHV_IMAGE_LINUX)	/* vm_run.c writes them */
		img.lx.acpi_rsdp = MHV_ACPI_RSDP;
	fd = mhv_open_or_explain();
	if (fd < 0) {
		free(initrd);
		free(image);
		return MHV_EXIT_FAIL;
	}
	p.image_path = o.image;
	p.img = &img;
	p.max_exits = o.max_exits;
	p.timeout_s = o.timeout_s;
	p.json = o.json;
	ret = MHV_EXIT_FAIL;
	if (!check_config(fd, &o, &cfg))
		ret = run_guest(fd, &cfg, &p);
	mhv_close(fd);
	free(initrd);
	free(image);
	return ret;
}
