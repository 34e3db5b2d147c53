// SPDX-License-Identifier: GPL-2.0
/*
 * Tutorial 3: Device virtualization.
 *
 * 1. Create the educational device set: the demo device (MMIO), a 16550A
 *    UART at COM1, a debug-exit port, and two devices that act on their
 *    own and interrupt the guest: the interval timer (ports) and the edu
 *    DMA teaching device (MMIO), all emulated inside multios_hv.ko; list
 *    them and describe their registers.
 * 2. Interact with the demo device: from the host (MHV_DEVICE_READ and
 *    MHV_DEVICE_WRITE, for teaching and tests) and from a guest, whose
 *    MOV instructions to the device's MMIO range the module decodes and
 *    completes in the kernel, without a return to userspace.
 * 3. Device performance monitoring: the guest runs a device workload
 *    (register reads and writes, a line on the UART, its result through
 *    the debug-exit port); the framework's statistics show what each
 *    device saw and how long each access took in the kernel.
 * 4. Devices that interrupt: a second guest function counts timer ticks
 *    while it halts (HLT sleeps in the kernel until the tick, it never
 *    reaches this program), then lets the edu device compute a factorial
 *    and copy a buffer by DMA into guest memory, each announced by an
 *    interrupt; the data is checked, then the two devices' statistics.
 *
 * Every step checks its results against what the device documentation
 * (Documentation/devices.rst) says; a mismatch is printed and the exit
 * status is 1, so `make check` fails on it.
 *
 * The guests are ordinary C functions of this program (mhv_guest.h);
 * their interrupt handlers too (mhv_guest_setup_idt()).
 * Build: make; run as root with multios_hv loaded (`make check` runs it).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "libmultios_hv.h"
#include "mhv_guest.h"

#define DEMO_BASE	0xd0000000ULL	/* guest-physical, no memory there */
#define EXIT_PORT	0xf4		/* the debug-exit port */
#define ROUNDS		100		/* of the step 3 workload */
#define EXIT_PASS	0x31		/* the guest's status when all held */
#define MESSAGE		"hello from the guest\n"
/* step 4 */
#define TIMER_PORT	0x540		/* the interval timer's 16 ports */
#define EDU_BASE	0xd0001000ULL	/* the edu device, MMIO */
#define VEC_TIMER	0x50		/* the interrupt vectors they raise */
#define VEC_EDU		0x51
#define IDT_GPA		0x2000000ULL	/* a free page at 32 MiB: the IDT */
#define TICKS		5		/* timer ticks the guest waits for */
#define PERIOD_US	1000		/* ... one per millisecond */
#define FACT_N		10		/* the edu device computes 10! */
#define DMA_TEXT	"copied by the edu device, by DMA"

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

static inline void mmio_write64(uint64_t a, uint64_t v)
{
	*(volatile uint64_t *)a = v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
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

/*
 * Step 4: the guest's interrupt handlers. The library's IDT stubs save
 * the registers and call them; they return with IRETQ.
 */
static volatile uint64_t ticks_seen, edu_irqs;
static volatile uint32_t edu_causes;
static const char dma_text[] = DMA_TEXT;	/* the DMA's source ... */
static char dma_out[sizeof(DMA_TEXT)];		/* ... and destination */

static void timer_handler(struct mhv_ex_regs *r)
{
	(void)r;
	ticks_seen++;
}

/* A driver's handler: read the causes, acknowledge exactly those. */
static void edu_handler(struct mhv_ex_regs *r)
{
	uint32_t causes = mmio_read32(EDU_BASE + MHV_EDU_IRQ_STATUS);

	(void)r;
	edu_causes |= causes;
	mmio_write32(EDU_BASE + MHV_EDU_IRQ_ACK, causes);
	edu_irqs++;
}

/*
 * Halt until *count reaches @n. STI takes effect after the next
 * instruction, so no interrupt slips in between the test and the HLT;
 * the HLT returns once the interrupt's handler has run.
 */
static void wait_for(volatile uint64_t *count, uint64_t n)
{
	__asm__ volatile("cli" ::: "memory");
	while (*count < n)
		__asm__ volatile("sti; hlt; cli" ::: "memory");
}

/* A DMA of @len bytes, announced by the edu device's interrupt */
static void edu_dma(uint64_t src, uint64_t dst, uint64_t len, uint64_t dir)
{
	uint64_t n = edu_irqs + 1;

	mmio_write64(EDU_BASE + MHV_EDU_DMA_SRC, src);
	mmio_write64(EDU_BASE + MHV_EDU_DMA_DST, dst);
	mmio_write64(EDU_BASE + MHV_EDU_DMA_COUNT, len);
	mmio_write64(EDU_BASE + MHV_EDU_DMA_CMD,
		     MHV_EDU_DMA_START | MHV_EDU_DMA_IRQ | dir);
	wait_for(&edu_irqs, n);
}

static void guest_interrupts(uint64_t arg)
{
	(void)arg;
	/* the timer: TICKS periods, slept through in HLT */
	outl(TIMER_PORT + MHV_TIMER_PERIOD, PERIOD_US);
	outl(TIMER_PORT + MHV_TIMER_CTRL, MHV_TIMER_CTRL_ENABLE);
	wait_for(&ticks_seen, TICKS);
	outl(TIMER_PORT + MHV_TIMER_CTRL, 0);
	GUEST_SYNC2(ticks_seen, inl(TIMER_PORT + MHV_TIMER_TICKS));

	/* the edu device: FACT_N!, with an interrupt when it is done */
	mmio_write32(EDU_BASE + MHV_EDU_STATUS, MHV_EDU_ST_IRQ_FACT);
	mmio_write32(EDU_BASE + MHV_EDU_FACT, FACT_N);
	wait_for(&edu_irqs, 1);
	GUEST_SYNC2(mmio_read32(EDU_BASE + MHV_EDU_FACT), edu_causes);

	/* DMA: guest memory to the device's buffer, and back elsewhere */
	edu_causes = 0;
	edu_dma((uint64_t)dma_text, MHV_EDU_BUF_ADDR, sizeof(dma_text), 0);
	edu_dma(MHV_EDU_BUF_ADDR, (uint64_t)dma_out, sizeof(dma_text),
		MHV_EDU_DMA_TO_RAM);
	GUEST_SYNC2(edu_causes, edu_irqs);
	GUEST_DONE();
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
	int demo, uart, exit, timer, edu;
};

/* @id: what creating the device @name returned */
static int created(int id, const char *name)
{
	if (id < 0)
		fprintf(stderr, "tutorial 3: cannot create the %s: %s\n",
			name, strerror(-id));
	return id >= 0;
}

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
	/* these two interrupt the guest: each gets its vector */
	ds->timer = mhv_create_device_irq(g->vm_fd, MHV_DEV_TYPE_TIMER,
					  MHV_DEV_SPACE_PIO, TIMER_PORT,
					  VEC_TIMER);
	ds->edu = mhv_create_device_irq(g->vm_fd, MHV_DEV_TYPE_EDU,
					MHV_DEV_SPACE_MMIO, EDU_BASE, VEC_EDU);
	if (!created(ds->demo, "demo device") ||
	    !created(ds->uart, "UART") ||
	    !created(ds->exit, "debug-exit port") ||
	    !created(ds->timer, "timer") || !created(ds->edu, "edu device"))
		return -1;
	/* a second device on the same range is refused */
	CHECK(mhv_create_device(g->vm_fd, MHV_DEV_TYPE_DEMO, MHV_DEV_SPACE_MMIO,
				DEMO_BASE + 4) == -EEXIST,
	      "an overlapping device was not refused with EEXIST");
	if (mhv_list_devices(g->vm_fd, &l))
		return -1;
	CHECK(l.nr == 5, "%u devices listed, 5 created", l.nr);
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

/* Step 4 ------------------------------------------------------------------ */

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

/* n! modulo 2^32, by the definition: what the edu device must give */
static uint32_t factorial(uint32_t n)
{
	uint32_t r = 1;

	while (n > 1)
		r *= n--;
	return r;
}

static int step4_timer(struct mhv_guest *g)
{
	struct mhv_ucall uc;
	uint64_t t0 = now_ns(), us;

	if (run_to(g, MHV_UCALL_SYNC, &uc))
		return -1;
	us = (now_ns() - t0) / 1000;
	printf("  timer: the guest's handler ran %llu times in %llu us of HLT; the timer counted %llu periods\n",
	       (unsigned long long)uc.args[0], (unsigned long long)us,
	       (unsigned long long)uc.args[1]);
	/*
	 * The guest stops waiting at TICKS, but a tick pending when its
	 * last handler returns is taken before its CLI; and ticks it has
	 * not taken yet merge into one interrupt, so the timer may count
	 * more periods than the handler ran, never fewer.
	 */
	CHECK(uc.args[0] >= TICKS, "the guest counted %llu ticks, not %u",
	      (unsigned long long)uc.args[0], TICKS);
	CHECK(uc.args[1] >= uc.args[0], "the timer counted %llu periods",
	      (unsigned long long)uc.args[1]);
	/* TICKS periods cannot end sooner than TICKS * PERIOD_US */
	CHECK(us >= TICKS * PERIOD_US, "%u ticks in %llu us", TICKS,
	      (unsigned long long)us);
	return 0;
}

static int step4_edu(struct mhv_guest *g)
{
	struct mhv_ucall uc;
	const char *out;

	if (run_to(g, MHV_UCALL_SYNC, &uc))
		return -1;
	printf("  edu: %u! = %llu, announced by interrupt cause 0x%03llx\n",
	       FACT_N, (unsigned long long)uc.args[0],
	       (unsigned long long)uc.args[1]);
	CHECK(uc.args[0] == factorial(FACT_N), "%u! is %u, not %llu", FACT_N,
	      factorial(FACT_N), (unsigned long long)uc.args[0]);
	CHECK(uc.args[1] == MHV_EDU_IRQ_FACT, "factorial cause 0x%llx",
	      (unsigned long long)uc.args[1]);
	if (run_to(g, MHV_UCALL_SYNC, &uc))
		return -1;
	/* the guest's copy of dma_out, in guest memory (not ours) */
	out = mhv_guest_ptr(g, (uint64_t)dma_out);
	if (!out)
		return -1;
	printf("  edu: two DMAs, guest memory to its buffer and back: \"%.*s\"\n",
	       (int)sizeof(dma_out), out);
	CHECK(uc.args[0] == MHV_EDU_IRQ_DMA, "DMA cause 0x%llx",
	      (unsigned long long)uc.args[0]);
	CHECK(uc.args[1] == 3, "%llu edu interrupts, 3 expected",
	      (unsigned long long)uc.args[1]);
	CHECK(!memcmp(out, DMA_TEXT, sizeof(DMA_TEXT)),
	      "the DMA brought the wrong data");
	return run_to(g, MHV_UCALL_DONE, &uc);
}

/* What the vCPU did in step 4: counters after minus before */
static void step4_vcpu(const struct mhv_vcpu_stats *b,
		       const struct mhv_vcpu_stats *a)
{
#define D(i)	((unsigned long long)(a->counters[i] - b->counters[i]))
	printf("  vCPU: %llu HLT, %llu slept in the kernel, %llu woken by an interrupt; %llu interrupts injected, %llu returns to this program\n",
	       D(MHV_STAT_HLT), D(MHV_STAT_HALT_SLEEP),
	       D(MHV_STAT_HALT_WAKEUP), D(MHV_STAT_IRQ_INJECTED),
	       D(MHV_STAT_USER_EXITS));
	CHECK(D(MHV_STAT_HALT_SLEEP) >= 1, "no HLT slept in the kernel");
	CHECK(D(MHV_STAT_HLT) == D(MHV_STAT_HALT_SLEEP),
	      "%llu HLT, %llu slept", D(MHV_STAT_HLT),
	      D(MHV_STAT_HALT_SLEEP));
	CHECK(D(MHV_STAT_HALT_WAKEUP) == D(MHV_STAT_HALT_SLEEP),
	      "%llu wakeups", D(MHV_STAT_HALT_WAKEUP));
	/* TICKS timer interrupts, one factorial, two DMAs */
	CHECK(D(MHV_STAT_IRQ_INJECTED) >= TICKS + 3, "%llu interrupts",
	      D(MHV_STAT_IRQ_INJECTED));
	/* only the guest calls (3 syncs, done): no HLT came here */
	CHECK(D(MHV_STAT_USER_EXITS) == 4, "%llu returns to userspace",
	      D(MHV_STAT_USER_EXITS));
#undef D
}

static int step4_interrupts(struct mhv_guest *g, const struct devset *ds)
{
	struct mhv_vcpu_stats before, after;
	struct mhv_device_stats timer, edu;

	printf("Step 4: devices that interrupt the guest\n");
	/* the vCPU stopped at the debug exit: start it at a new function */
	if (mhv_guest_install_handler(g, VEC_TIMER, timer_handler) ||
	    mhv_guest_install_handler(g, VEC_EDU, edu_handler) ||
	    mhv_guest_set_entry(g, 0, guest_interrupts, 0) ||
	    mhv_get_vcpu_stats(g->vcpu[0].fd, &before))
		return -1;
	if (step4_timer(g) || step4_edu(g) ||
	    mhv_get_vcpu_stats(g->vcpu[0].fd, &after))
		return -1;
	step4_vcpu(&before, &after);

	print_stats(g->vm_fd, ds->timer, "timer", &timer);
	print_stats(g->vm_fd, ds->edu, "edu", &edu);
	/* the guest wrote period, ctrl, ctrl and read ticks */
	CHECK(timer.writes == 3 && timer.reads == 1,
	      "timer: %llu reads, %llu writes",
	      (unsigned long long)timer.reads,
	      (unsigned long long)timer.writes);
	/* reads: irq_status in each handler, the factorial; writes: status,
	 * factorial, irq_ack in each handler, four registers per DMA
	 */
	CHECK(edu.reads == 3 + 1 && edu.writes == 2 + 3 + 2 * 4,
	      "edu: %llu reads, %llu writes", (unsigned long long)edu.reads,
	      (unsigned long long)edu.writes);
	CHECK(!edu.dma_refused && !edu.err_offset && !edu.err_width,
	      "edu: errors counted");
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
	/* step 4's interrupts need an IDT; it must exist before the first run */
	r = mhv_guest_setup_idt(&g, IDT_GPA);
	if (r) {
		fprintf(stderr, "tutorial 3: no IDT: %s\n", strerror(-r));
		mhv_guest_destroy(&g);
		return 1;
	}
	if (step1_create(&g, &ds) || step2_demo(&g, &ds) ||
	    step3_workload(&g, &ds) || step4_interrupts(&g, &ds)) {
		mhv_guest_destroy(&g);
		return 1;
	}
	mhv_guest_destroy(&g);
	if (failures)
		fprintf(stderr, "tutorial 3: %d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
