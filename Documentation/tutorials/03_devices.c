// SPDX-License-Identifier: GPL-2.0
/*
 * Tutorial 3: Device virtualization.
 *
 * 1. Create the educational device set: the demo device (MMIO), a 16550A
 *    UART at COM1 and a debug-exit port, all emulated inside
 *    multios_hv.ko; list them and describe their registers.
 * 2. Interact with the demo device: from the host (MHV_DEVICE_READ and
 *    MHV_DEVICE_WRITE, for teaching and tests) and from a guest, whose
 *    MOV instructions to the device's MMIO range the module decodes and
 *    completes in the kernel, without a return to userspace.
 * 3. Device performance monitoring: the guest runs a device workload
 *    (register reads and writes, a line on the UART, its result through
 *    the debug-exit port); the framework's statistics show what each
 *    device saw and how long each access took in the kernel.
 *
 * Every step checks its results against what the device documentation
 * (Documentation/devices.rst) says; a mismatch is printed and the exit
 * status is 1, so `make check` fails on it.
 *
 * The guest is an ordinary C function of this program (mhv_guest.h).
 * Build: make; run as root with multios_hv loaded (`make check` runs it).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libmultios_hv.h"
#include "mhv_guest.h"

#define DEMO_BASE	0xd0000000ULL	/* guest-physical, no memory there */
#define EXIT_PORT	0xf4		/* the debug-exit port */
#define ROUNDS		100		/* of the step 3 workload */
#define EXIT_PASS	0x31		/* the guest's status when all held */
#define MESSAGE		"hello from the guest\n"

static int failures;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		failures++;						\
		fprintf(stderr, "tutorial 3: MISMATCH: " __VA_ARGS__);	\
		fputc('\n', stderr);					\
	}								\
} while (0)

/* ---- the guest ----------------------------------------------------------- */

static inline uint32_t mmio_read32(uint64_t a)
{
	return *(volatile uint32_t *)a;
}

static inline uint16_t mmio_read16(uint64_t a)
{
	return *(volatile uint16_t *)a;
}

static inline void mmio_write32(uint64_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

static inline void mmio_write16(uint64_t a, uint16_t v)
{
	*(volatile uint16_t *)a = v;
}

static inline void mmio_write8(uint64_t a, uint8_t v)
{
	*(volatile uint8_t *)a = v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static void guest_main(uint64_t base)
{
	const char *s = MESSAGE;
	uint32_t status, bad = 0;
	int i;

	/* Step 2: what the host set up, then the guest's own writes */
	status = mmio_read32(base + MHV_DEMO_STATUS);
	GUEST_SYNC2(status, mmio_read16(base + MHV_DEMO_DATA));
	mmio_write16(base + MHV_DEMO_DATA, 0x2024);
	mmio_write8(base + MHV_DEMO_LED, 0x5a);
	GUEST_SYNC(mmio_read32(base + MHV_DEMO_STATUS));

	/* Step 3: a device workload; every read is checked in the guest */
	for (i = 0; i < ROUNDS; i++) {
		mmio_write16(base + MHV_DEMO_DATA, i);
		if (mmio_read16(base + MHV_DEMO_DATA) != i)
			bad++;
		mmio_write8(base + MHV_DEMO_LED, i & 1);
		status = mmio_read32(base + MHV_DEMO_STATUS);
		if (!!(status & MHV_DEMO_ST_LED_ON) != (i & 1))
			bad++;
		/* DATA_WRITTEN is write-1-to-clear */
		mmio_write32(base + MHV_DEMO_STATUS,
			     MHV_DEMO_ST_ENABLE | MHV_DEMO_ST_DATA_WRITTEN);
	}
	while (*s)
		outb(MHV_UART_COM1, *s++);
	/* the result: a write to the debug-exit port ends the run */
	outb(EXIT_PORT, bad ? 0xee : EXIT_PASS);
	GUEST_ASSERT(0);		/* never resumed */
}

/* ---- the host ------------------------------------------------------------ */

static const char *reg_access(const struct mhv_device_reg_info *r)
{
	if (r->flags & MHV_DEV_REG_F_RO)
		return "ro";
	return r->flags & MHV_DEV_REG_F_WO ? "wo" : "rw";
}

static int describe(int vm_fd, uint32_t id)
{
	struct mhv_device_desc d;
	uint32_t i;

	if (mhv_describe_device(vm_fd, id, &d))
		return -1;
	printf("  device %u: %s, %s 0x%llx-0x%llx, mode %s\n", id,
	       d.info.name, mhv_dev_space_name(d.info.space),
	       (unsigned long long)d.info.base,
	       (unsigned long long)(d.info.base + d.info.size - 1),
	       mhv_dev_mode_name(d.info.mode));
	for (i = 0; i < d.nr_regs; i++)
		printf("    +0x%02x %-12s %u-bit %s = 0x%llx\n",
		       d.regs[i].offset, d.regs[i].name, d.regs[i].width * 8,
		       reg_access(&d.regs[i]),
		       (unsigned long long)d.regs[i].value);
	return 0;
}

struct devset {
	int demo, uart, exit;
};

static int step1_create(struct mhv_guest *g, struct devset *ds)
{
	struct mhv_device_list l;
	uint32_t i;

	printf("Step 1: the educational device set\n");
	ds->demo = mhv_create_device(g->vm_fd, MHV_DEV_TYPE_DEMO,
				     MHV_DEV_SPACE_MMIO, DEMO_BASE);
	ds->uart = mhv_create_device(g->vm_fd, MHV_DEV_TYPE_UART,
				     MHV_DEV_SPACE_PIO, MHV_UART_COM1);
	ds->exit = mhv_create_device(g->vm_fd, MHV_DEV_TYPE_DEBUG_EXIT,
				     MHV_DEV_SPACE_PIO, EXIT_PORT);
	if (ds->demo < 0 || ds->uart < 0 || ds->exit < 0) {
		fprintf(stderr, "tutorial 3: cannot create the devices: %s\n",
			strerror(-(ds->demo < 0 ? ds->demo :
				   ds->uart < 0 ? ds->uart : ds->exit)));
		return -1;
	}
	/* a second device on the same range is refused */
	CHECK(mhv_create_device(g->vm_fd, MHV_DEV_TYPE_DEMO, MHV_DEV_SPACE_MMIO,
				DEMO_BASE + 4) == -EEXIST,
	      "an overlapping device was not refused with EEXIST");
	if (mhv_list_devices(g->vm_fd, &l))
		return -1;
	CHECK(l.nr == 3, "%u devices listed, 3 created", l.nr);
	for (i = 0; i < l.nr; i++)
		if (describe(g->vm_fd, l.devices[i].id))
			return -1;
	return 0;
}

/* Run the guest to the guest call @want; anything else is said. */
static int run_to(struct mhv_guest *g, int want, struct mhv_ucall *uc)
{
	char line[512];
	int r = mhv_guest_run(g, 0, uc);

	if (r == want)
		return 0;
	if (r > 0) {
		mhv_ucall_format(uc, line, sizeof(line));
		fprintf(stderr, "tutorial 3: %s\n", line);
	} else if (r == 0) {
		fprintf(stderr, "tutorial 3: unexpected exit %s\n",
			mhv_exit_reason_name(g->vcpu[0].run->exit_reason));
	} else {
		fprintf(stderr, "tutorial 3: MHV_RUN: %s\n", strerror(-r));
	}
	return -1;
}

static int step2_demo(struct mhv_guest *g, const struct devset *ds)
{
	uint64_t status, data, led;
	struct mhv_ucall uc;

	printf("Step 2: the demo device, from the host and from the guest\n");
	if (mhv_device_read(g->vm_fd, ds->demo, MHV_DEMO_STATUS, 4, &status))
		return -1;
	printf("  host reads status 0x%08llx: version %llu, %s\n",
	       (unsigned long long)status,
	       (unsigned long long)MHV_DEMO_ST_VERSION(status),
	       status & MHV_DEMO_ST_ENABLE ? "enabled" : "disabled");
	CHECK(status == MHV_DEMO_VERSION << 8,
	      "status after reset 0x%llx", (unsigned long long)status);
	/* enable it, light the LED, put a value into DATA */
	if (mhv_device_write(g->vm_fd, ds->demo, MHV_DEMO_STATUS, 4,
			     MHV_DEMO_ST_ENABLE) ||
	    mhv_device_write(g->vm_fd, ds->demo, MHV_DEMO_LED, 1, 0xff) ||
	    mhv_device_write(g->vm_fd, ds->demo, MHV_DEMO_DATA, 2, 0x1234) ||
	    mhv_device_read(g->vm_fd, ds->demo, MHV_DEMO_STATUS, 4, &status))
		return -1;
	printf("  host enables it, LED 0xff, data 0x1234: status 0x%08llx\n",
	       (unsigned long long)status);
	CHECK(status == ((MHV_DEMO_VERSION << 8) | MHV_DEMO_ST_ENABLE |
			 MHV_DEMO_ST_LED_ON | MHV_DEMO_ST_DATA_WRITTEN),
	      "status after the host's writes 0x%llx",
	      (unsigned long long)status);

	/* the guest reads what the host wrote ... */
	if (run_to(g, MHV_UCALL_SYNC, &uc))
		return -1;
	printf("  guest reads status 0x%08llx, data 0x%04llx\n",
	       (unsigned long long)uc.args[0], (unsigned long long)uc.args[1]);
	CHECK(uc.args[0] == status, "the guest read status 0x%llx",
	      (unsigned long long)uc.args[0]);
	CHECK(uc.args[1] == 0x1234, "the guest read data 0x%llx",
	      (unsigned long long)uc.args[1]);
	/* ... and the host sees what the guest wrote */
	if (run_to(g, MHV_UCALL_SYNC, &uc) ||
	    mhv_device_read(g->vm_fd, ds->demo, MHV_DEMO_DATA, 2, &data) ||
	    mhv_device_read(g->vm_fd, ds->demo, MHV_DEMO_LED, 1, &led))
		return -1;
	printf("  guest writes data 0x2024, LED 0x5a: host reads data 0x%04llx, LED 0x%02llx\n",
	       (unsigned long long)data, (unsigned long long)led);
	CHECK(data == 0x2024 && led == 0x5a, "data 0x%llx, LED 0x%llx",
	      (unsigned long long)data, (unsigned long long)led);
	CHECK(uc.args[0] == status, "the guest read status 0x%llx",
	      (unsigned long long)uc.args[0]);
	return 0;
}

static void print_stats(int vm_fd, uint32_t id, const char *name,
			struct mhv_device_stats *st)
{
	char buf[2048], *line;

	if (mhv_get_device_stats(vm_fd, id, st)) {
		memset(st, 0, sizeof(*st));
		CHECK(0, "no statistics for %s", name);
		return;
	}
	mhv_dev_stats_format(st, buf, sizeof(buf));
	printf("  %s:\n", name);
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		printf("    %s\n", line);
}

/* The UART's output, as the returns of MHV_RUN hand it over. */
struct console_buf {
	char text[128];
	size_t len;
};

static void console_collect(void *arg, unsigned int vcpu, const void *data,
			    size_t len)
{
	struct console_buf *c = arg;

	(void)vcpu;		/* one vCPU here */
	if (len > sizeof(c->text) - 1 - c->len)
		len = sizeof(c->text) - 1 - c->len;
	memcpy(c->text + c->len, data, len);
	c->len += len;
	c->text[c->len] = 0;
}

static int step3_workload(struct mhv_guest *g, const struct devset *ds)
{
	struct mhv_device_stats demo, uart, dexit;
	struct mhv_run *run = g->vcpu[0].run;
	struct mhv_vcpu_stats vst;
	struct console_buf out = { .len = 0 };
	struct mhv_ucall uc;
	int r;

	printf("Step 3: a device workload, and the statistics\n");
	/*
	 * UART output reaches the program in batches, in the run page, with
	 * the return of MHV_RUN that a newline (or another exit) causes;
	 * mhv_guest_run() hands each batch to g->console.
	 */
	g->console = console_collect;
	g->console_arg = &out;
	/* count only the workload */
	if (mhv_reset_device_stats(g->vm_fd, ds->demo))
		return -1;
	r = mhv_guest_run(g, 0, &uc);
	if (r || run->exit_reason != MHV_EXIT_DEBUG_EXIT) {
		fprintf(stderr, "tutorial 3: expected the debug exit\n");
		return -1;
	}
	printf("  the guest ended its run through the debug-exit port: status 0x%llx\n",
	       (unsigned long long)run->debug_exit.status);
	CHECK(run->debug_exit.status == EXIT_PASS,
	      "the guest's checks failed: status 0x%llx",
	      (unsigned long long)run->debug_exit.status);
	CHECK(run->debug_exit.device == (uint32_t)ds->exit,
	      "debug exit from device %u", run->debug_exit.device);
	g->console = NULL;
	printf("  UART output: %s", out.text);
	CHECK(!strcmp(out.text, MESSAGE), "the UART gave \"%s\"", out.text);

	print_stats(g->vm_fd, ds->demo, "demo", &demo);
	print_stats(g->vm_fd, ds->uart, "uart", &uart);
	print_stats(g->vm_fd, ds->exit, "debug-exit", &dexit);
	/* per round: write DATA, read DATA, write LED, read and write status */
	CHECK(demo.reads == 2 * ROUNDS && demo.writes == 3 * ROUNDS,
	      "demo: %llu reads, %llu writes",
	      (unsigned long long)demo.reads, (unsigned long long)demo.writes);
	CHECK(demo.bytes_read == ROUNDS * (2 + 4) &&
	      demo.bytes_written == ROUNDS * (2 + 1 + 4),
	      "demo: %llu bytes read, %llu written",
	      (unsigned long long)demo.bytes_read,
	      (unsigned long long)demo.bytes_written);
	CHECK(demo.time_count == 5 * ROUNDS &&
	      demo.time_min_ns <= demo.time_mean_ns &&
	      demo.time_mean_ns <= demo.time_max_ns,
	      "demo: %llu timed accesses, min %llu mean %llu max %llu ns",
	      (unsigned long long)demo.time_count,
	      (unsigned long long)demo.time_min_ns,
	      (unsigned long long)demo.time_mean_ns,
	      (unsigned long long)demo.time_max_ns);
	CHECK(uart.writes == strlen(MESSAGE), "uart: %llu writes",
	      (unsigned long long)uart.writes);
	CHECK(dexit.writes == 1, "debug-exit: %llu writes",
	      (unsigned long long)dexit.writes);
	CHECK(!demo.err_offset && !demo.err_width && !demo.err_refused,
	      "demo: errors counted");

	/* the vCPU's side: all of it completed in the kernel */
	if (mhv_get_vcpu_stats(g->vcpu[0].fd, &vst))
		return -1;
	printf("  vCPU: %llu MMIO and %llu port accesses completed by devices in the kernel, %llu MMIO exits to userspace\n",
	       (unsigned long long)vst.counters[MHV_STAT_DEV_MMIO],
	       (unsigned long long)vst.counters[MHV_STAT_DEV_IO],
	       (unsigned long long)vst.counters[MHV_STAT_MMIO]);
	CHECK(vst.counters[MHV_STAT_MMIO] == 0,
	      "%llu MMIO exits reached userspace",
	      (unsigned long long)vst.counters[MHV_STAT_MMIO]);
	return 0;
}

int main(void)
{
	struct mhv_guest g;
	struct devset ds;
	int r;

	r = mhv_guest_create(&g, "device tutorial", 1, 64, guest_main,
			     DEMO_BASE);
	if (r) {
		/* the same advice as mhv's, e.g. when KVM holds the CPU */
		fprintf(stderr, "tutorial 3: cannot create the guest: %s\n%s%s",
			strerror(-r), mhv_create_vm_hint(r),
			*mhv_create_vm_hint(r) ? "\n" : "");
		return 1;
	}
	if (step1_create(&g, &ds) || step2_demo(&g, &ds) ||
	    step3_workload(&g, &ds)) {
		mhv_guest_destroy(&g);
		return 1;
	}
	mhv_guest_destroy(&g);
	if (failures)
		fprintf(stderr, "tutorial 3: %d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
