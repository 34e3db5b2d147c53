// SPDX-License-Identifier: GPL-2.0
/*
 * mhv run - run a real-mode guest image under multios_hv.
 *
 * The image is loaded at guest-physical 0x1000 and started in real mode
 * at 0000:1000. Port 0x3f8 (COM1 data) and 0xe9 (debug port) are the
 * guest's console; the guest ends with HLT. Afterwards the exit summary
 * comes from the module's own per-vCPU counters.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libmultios_hv.h"
#include "mhv.h"

#define LOAD_ADDR	0x1000

/*
 * The built-in demo guest, 16-bit real-mode code at 0x1000:
 *	mov si, msg; mov dx, 0x3f8
 * next: lodsb; test al, al; jz done; out dx, al; jmp next
 * done: xor eax, eax; cpuid                 (an exit handled in the kernel)
 *	mov byte [0x2000], 1 ... [0x4000]    (three nested page faults)
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

struct run_opts {
	const char *image;
	const char *config;
	unsigned long max_exits;
};

static int read_file(const char *path, char **data, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size > (64 << 20)) {
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
		return -EIO;
	}
	*len = (size_t)n;
	return 0;
}

static int parse_args(int argc, char **argv, struct run_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->max_exits = 1000000;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--demo")) {
			o->image = NULL;
		} else if (!strcmp(argv[i], "--image") && i + 1 < argc) {
			o->image = argv[++i];
		} else if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			o->config = argv[++i];
		} else if (!strcmp(argv[i], "--max-exits") && i + 1 < argc) {
			char *end;

			o->max_exits = strtoul(argv[++i], &end, 0);
			if (*end || !o->max_exits)
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

static void print_summary(int vm_fd, int vcpu_fd)
{
	struct mhv_vcpu_stats st;
	struct mhv_vm_info info;
	char buf[4096];

	if (!mhv_get_vm_info(vm_fd, &info))
		printf("\n== VM \"%s\": %s%s%s, %llu nested page faults, %llu KiB of guest memory mapped\n",
		       info.name, mhv_vm_state_name(info.state),
		       info.state == MHV_VM_ERROR ? ": " : "",
		       info.state == MHV_VM_ERROR ? mhv_error_name(info.error) : "",
		       (unsigned long long)info.npf_count,
		       (unsigned long long)info.memory_used >> 10);
	if (!mhv_get_vcpu_stats(vcpu_fd, &st)) {
		mhv_stats_format(&st, buf, sizeof(buf));
		printf("== exits of vCPU 0 (counted by the module):\n%s", buf);
	}
}

/* Handle one exit; returns 1 to keep running, 0 when done, <0 on error. */
static int handle_exit(int vcpu_fd, struct mhv_run *run)
{
	unsigned char *data = (unsigned char *)run + run->io.data_offset;
	char dump[16384];

	switch (run->exit_reason) {
	case MHV_EXIT_IO:
		if (run->io.direction == MHV_IO_OUT &&
		    (run->io.port == 0x3f8 || run->io.port == 0xe9)) {
			fwrite(data, run->io.size, run->io.count, stdout);
			fflush(stdout);
		} else if (run->io.direction == MHV_IO_IN) {
			/* nothing is connected: reads float high */
			memset(data, 0xff, (size_t)run->io.size * run->io.count);
		}
		return 1;
	case MHV_EXIT_MMIO:
		if (!run->mmio.is_write)
			memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
		return 1;
	case MHV_EXIT_HLT:
		return 0;
	case MHV_EXIT_FAIL_ENTRY:
		fprintf(stderr, "mhv: the CPU refused the guest state; control block:\n");
		if (mhv_get_state_dump(vcpu_fd, dump, sizeof(dump)) > 0)
			fputs(dump, stderr);
		return -EINVAL;
	default:
		fprintf(stderr, "mhv: guest stopped: exit %s at RIP 0x%llx (%s)\n",
			mhv_exit_reason_name(run->exit_reason),
			(unsigned long long)run->exit_rip,
			mhv_error_name(run->fail.reason));
		return -EIO;
	}
}

static int run_guest(int sys_fd, const struct mhv_vm_config *cfg,
		     const void *image, size_t image_len, unsigned long max_exits)
{
	size_t mem_size = (size_t)cfg->memory_mb << 20;
	struct mhv_memory_region region = { 0 };
	int vm_fd = -1, vcpu_fd = -1, r, ret = 1;
	struct mhv_run *run = NULL;
	struct mhv_sregs s;
	struct mhv_regs regs;
	unsigned long exits;
	void *mem;

	if (image_len > mem_size - LOAD_ADDR) {
		fprintf(stderr, "mhv: image of %zu bytes does not fit in %u MiB\n",
			image_len, cfg->memory_mb);
		return 1;
	}
	mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mhv: guest memory");
		return 1;
	}
	memcpy((char *)mem + LOAD_ADDR, image, image_len);

	vm_fd = mhv_create_vm(sys_fd, cfg);
	if (vm_fd < 0) {
		fprintf(stderr, "mhv: cannot create VM \"%s\": %s%s\n", cfg->name,
			strerror(-vm_fd), vm_fd == -EBUSY ?
			" (another hypervisor uses the CPU's virtualization; see dmesg)" : "");
		goto out;
	}
	region.size = mem_size;
	region.userspace_addr = (uintptr_t)mem;
	r = mhv_set_memory_region(vm_fd, &region);
	if (!r)
		r = vcpu_fd = mhv_create_vcpu(vm_fd, 0);
	if (r >= 0)
		r = mhv_map_run(vcpu_fd, &run);
	if (!r)
		r = mhv_get_sregs(vcpu_fd, &s);
	if (!r) {
		s.cs.selector = 0;
		s.cs.base = 0;
		r = mhv_set_sregs(vcpu_fd, &s);
	}
	if (!r) {
		memset(&regs, 0, sizeof(regs));
		regs.rip = LOAD_ADDR;
		regs.rflags = 2;
		regs.rsp = 0xfff0;
		r = mhv_set_regs(vcpu_fd, &regs);
	}
	if (r < 0) {
		fprintf(stderr, "mhv: cannot set up the guest: %s\n", strerror(-r));
		goto out;
	}

	printf("== guest console (VM \"%s\", %u MiB, real mode at 0000:%04x):\n",
	       cfg->name, cfg->memory_mb, LOAD_ADDR);
	fflush(stdout);
	for (exits = 0; exits < max_exits; exits++) {
		r = mhv_run(vcpu_fd);
		if (r) {
			fprintf(stderr, "mhv: MHV_RUN: %s\n", strerror(-r));
			break;
		}
		r = handle_exit(vcpu_fd, run);
		if (r <= 0)
			break;
	}
	if (exits == max_exits)
		fprintf(stderr, "mhv: stopped after %lu exits to mhv\n", max_exits);
	else if (!r)
		ret = 0;
	print_summary(vm_fd, vcpu_fd);
out:
	if (run)
		mhv_unmap_run(run);
	if (vcpu_fd >= 0)
		mhv_close(vcpu_fd);
	if (vm_fd >= 0)
		mhv_close(vm_fd);
	munmap(mem, mem_size);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	struct mhv_vm_config cfg;
	struct run_opts o;
	char *text = NULL, *image = NULL, err[128];
	size_t len = 0, image_len = sizeof(demo_guest);
	int fd, r, ret;

	if (parse_args(argc, argv, &o)) {
		mhv_usage("run");
		return 2;
	}
	mhv_vm_config_default(&cfg);
	strcpy(cfg.name, "demo");
	if (o.config) {
		r = read_file(o.config, &text, &len);
		if (r) {
			fprintf(stderr, "mhv: %s: %s\n", o.config, strerror(-r));
			return 1;
		}
		r = mhv_vm_config_parse(text, &cfg, err, sizeof(err));
		free(text);
		if (r) {
			fprintf(stderr, "mhv: %s: %s\n", o.config, err);
			return 1;
		}
	}
	if (o.image) {
		r = read_file(o.image, &image, &image_len);
		if (r) {
			fprintf(stderr, "mhv: %s: %s\n", o.image, strerror(-r));
			return 1;
		}
	}
	fd = mhv_open_or_explain();
	if (fd < 0) {
		free(image);
		return 1;
	}
	ret = run_guest(fd, &cfg, image ? image : (const char *)demo_guest,
			image_len, o.max_exits);
	mhv_close(fd);
	free(image);
	return ret;
}
