// SPDX-License-Identifier: GPL-2.0
/*
 * Guest accesses to the demo device completed in the kernel: IN/OUT,
 * INS/OUTS (also longer than one exit carries) and the MMIO MOV forms,
 * with no exit to userspace (the vCPU counters say so), per-device
 * statistics equal to what the guest code did, wrong widths and offsets
 * reading all-ones, access modes refusing and counting, and the first
 * address past a device still going to userspace.
 */
#include <stdint.h>
#include <string.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define DEMO_PORT	0x500
#define DEMO_MMIO	0xd0000000ULL
#define STATUS_RESET	0x100		/* version 1 in bits 15:8 */

/* A guest with one demo device (id 0). */
struct dev_vm {
	struct mhv_guest g;
	struct mhv_run *run;
	int id;
};

static int dev_vm_create(struct dev_vm *v, const char *name, uint32_t space,
			 uint64_t base, void (*fn)(uint64_t), uint64_t arg)
{
	int ret = mhv_guest_create(&v->g, name, 1, 16, fn, arg);

	if (ret)
		return ret;
	v->run = v->g.vcpu[0].run;
	v->id = mhv_create_device(v->g.vm_fd, MHV_DEV_TYPE_DEMO, space, base);
	if (v->id < 0) {
		mhv_guest_destroy(&v->g);
		return v->id;
	}
	return 0;
}

static uint64_t vstat(struct dev_vm *v, unsigned int i)
{
	struct mhv_vcpu_stats st;

	if (mhv_get_vcpu_stats(v->g.vcpu[0].fd, &st))
		return ~0ULL;
	return st.counters[i];
}

static uint64_t hist_sum(const struct mhv_device_stats *st)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < MHV_DEV_HIST_BUCKETS; i++)
		n += st->hist[i];
	return n;
}

/* The timing figures agree with each other and with the access count. */
#define EXPECT_TIMES(st, n) do {					\
	EXPECT_EQ((n), (st).time_count);				\
	EXPECT_EQ((n), hist_sum(&(st)));				\
	EXPECT_LE((st).time_min_ns, (st).time_mean_ns);			\
	EXPECT_LE((st).time_mean_ns, (st).time_max_ns);			\
	EXPECT_EQ((st).time_total_ns / (n), (st).time_mean_ns);		\
} while (0)

/* ---- IN / OUT ---------------------------------------------------------------- */

static void guest_pio(uint64_t port)
{
	uint32_t l;
	uint16_t w;
	uint8_t b;

	__asm__ volatile("outl %0, %w1" : : "a"(1), "d"(port));
	__asm__ volatile("outw %w0, %w1" : : "a"(0x1234), "d"(port + 4));
	__asm__ volatile("outb %b0, %w1" : : "a"(0x5a), "d"(port + 8));
	__asm__ volatile("inl %w1, %0" : "=a"(l) : "d"(port));
	GUEST_ASSERT_EQ(l, STATUS_RESET | 1 | 2 | 4);
	__asm__ volatile("inw %w1, %w0" : "=a"(w) : "d"(port + 4));
	GUEST_ASSERT_EQ(w, 0x1234);
	__asm__ volatile("inb %w1, %b0" : "=a"(b) : "d"(port + 8));
	GUEST_ASSERT_EQ(b, 0x5a);
	/* wrong width: a byte of the status register, a dword of the LED */
	__asm__ volatile("inb %w1, %b0" : "=a"(b) : "d"(port));
	GUEST_ASSERT_EQ(b, 0xff);
	__asm__ volatile("outl %0, %w1" : : "a"(0), "d"(port + 8));
	/* no register at 0x0c; a word inside the status register */
	__asm__ volatile("inw %w1, %w0" : "=a"(w) : "d"(port + 0xc));
	GUEST_ASSERT_EQ(w, 0xffff);
	__asm__ volatile("inw %w1, %w0" : "=a"(w) : "d"(port + 2));
	GUEST_ASSERT_EQ(w, 0xffff);
	GUEST_DONE();
}

TEST(pio_in_kernel)
{
	struct mhv_device_stats st;
	struct mhv_device_desc d;
	struct mhv_ucall uc;
	struct dev_vm v;

	ASSERT_EQ(0, dev_vm_create(&v, "dev-pio", MHV_DEV_SPACE_PIO, DEMO_PORT,
				   guest_pio, DEMO_PORT));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	/* 10 accesses, all in the kernel; the only user exit is DONE */
	EXPECT_EQ(10, vstat(&v, MHV_STAT_DEV_IO));
	EXPECT_EQ(1, vstat(&v, MHV_STAT_IO));
	EXPECT_EQ(1, vstat(&v, MHV_STAT_USER_EXITS));
	EXPECT_EQ(0, vstat(&v, MHV_STAT_DEV_MMIO));

	ASSERT_EQ(0, mhv_get_device_stats(v.g.vm_fd, v.id, &st));
	EXPECT_EQ(3, st.reads);
	EXPECT_EQ(3, st.writes);
	EXPECT_EQ(4 + 2 + 1, st.bytes_read);
	EXPECT_EQ(4 + 2 + 1, st.bytes_written);
	EXPECT_EQ(2, st.err_width);
	EXPECT_EQ(2, st.err_offset);
	EXPECT_EQ(0, st.err_refused);
	EXPECT_TIMES(st, 10);

	/* what the guest left in the registers */
	ASSERT_EQ(0, mhv_describe_device(v.g.vm_fd, v.id, &d));
	EXPECT_EQ(STATUS_RESET | 1 | 2 | 4, d.regs[0].value);
	EXPECT_EQ(0x1234, d.regs[1].value);
	EXPECT_EQ(0x5a, d.regs[2].value);

	/* reset: the counters start again from zero */
	ASSERT_EQ(0, mhv_reset_device_stats(v.g.vm_fd, v.id));
	ASSERT_EQ(0, mhv_get_device_stats(v.g.vm_fd, v.id, &st));
	EXPECT_EQ(0, st.reads + st.writes + st.bytes_read + st.err_width +
		     st.err_offset + st.time_count + st.time_max_ns +
		     hist_sum(&st));
	mhv_guest_destroy(&v.g);
}

/* ---- INS / OUTS -------------------------------------------------------------- */

#define N_OUTSW		5
#define N_INSW		3
#define N_OUTSB		3000	/* more than one exit carries */

static uint16_t words_out[N_OUTSW] = { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555 };
static uint16_t words_in[N_INSW];
static uint8_t leds[N_OUTSB];

static void guest_string(uint64_t port)
{
	const void *src = words_out;
	void *dst = words_in;
	uint64_t n = N_OUTSW, i;

	__asm__ volatile("cld\n\trep outsw" : "+S"(src), "+c"(n)
			 : "d"(port + 4) : "memory");
	GUEST_ASSERT_EQ(n, 0);
	n = N_INSW;
	__asm__ volatile("cld\n\trep insw" : "+D"(dst), "+c"(n)
			 : "d"(port + 4) : "memory");
	GUEST_ASSERT_EQ(n, 0);
	for (i = 0; i < N_INSW; i++)
		GUEST_ASSERT_EQ(words_in[i], words_out[N_OUTSW - 1]);
	src = leds;
	n = N_OUTSB;
	__asm__ volatile("cld\n\trep outsb" : "+S"(src), "+c"(n)
			 : "d"(port + 8) : "memory");
	GUEST_ASSERT_EQ(n, 0);
	GUEST_ASSERT_EQ((uint64_t)src, (uint64_t)(leds + N_OUTSB));
	GUEST_DONE();
}

TEST(string_io_in_kernel)
{
	/* exits of the three string instructions */
	const uint64_t exits = 1 + 1 +
		(N_OUTSB + MHV_RUN_IO_DATA_MAX - 1) / MHV_RUN_IO_DATA_MAX;
	struct mhv_device_stats st;
	struct mhv_ucall uc;
	struct dev_vm v;
	uint64_t led;
	int i;

	for (i = 0; i < N_OUTSB; i++)
		leds[i] = (uint8_t)(i * 13 + 1);
	ASSERT_EQ(0, dev_vm_create(&v, "dev-str", MHV_DEV_SPACE_PIO, DEMO_PORT,
				   guest_string, DEMO_PORT));
	ASSERT_EQ(0, mhv_guest_sync_global(&v.g, leds, sizeof(leds)));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(exits, vstat(&v, MHV_STAT_DEV_IO));
	EXPECT_EQ(0, vstat(&v, MHV_STAT_IO_STRING));
	EXPECT_EQ(1, vstat(&v, MHV_STAT_IO));
	EXPECT_EQ(1, vstat(&v, MHV_STAT_USER_EXITS));

	ASSERT_EQ(0, mhv_get_device_stats(v.g.vm_fd, v.id, &st));
	EXPECT_EQ(N_INSW, st.reads);
	EXPECT_EQ(N_OUTSW + N_OUTSB, st.writes);
	EXPECT_EQ(2 * N_INSW, st.bytes_read);
	EXPECT_EQ(2 * N_OUTSW + N_OUTSB, st.bytes_written);
	EXPECT_EQ(0, st.err_width + st.err_offset + st.err_refused);
	EXPECT_TIMES(st, N_INSW + N_OUTSW + N_OUTSB);
	ASSERT_EQ(0, mhv_device_read(v.g.vm_fd, v.id, 8, 1, &led));
	EXPECT_EQ(leds[N_OUTSB - 1], led);
	mhv_guest_destroy(&v.g);
}

/* ---- MMIO -------------------------------------------------------------------- */

static void guest_mmio(uint64_t base)
{
	volatile uint32_t *status = (volatile uint32_t *)base;
	volatile uint16_t *data = (volatile uint16_t *)(base + 4);
	volatile uint8_t *led = (volatile uint8_t *)(base + 8);
	uint64_t q, r;
	uint32_t l;

	/* C7 /0 imm32; 66 89 (a word register); C6 /0 imm8 */
	__asm__ volatile("movl $1, %0" : "=m"(*status));
	__asm__ volatile("movw %1, %0" : "=m"(*data) : "r"((uint16_t)0xabcd));
	__asm__ volatile("movb $0x7e, %0" : "=m"(*led));
	/* 8B; 0F B7; 0F B6; 8A into AH */
	__asm__ volatile("movl %1, %0" : "=r"(l) : "m"(*status));
	GUEST_ASSERT_EQ(l, STATUS_RESET | 1 | 2 | 4);
	r = ~0ULL;
	__asm__ volatile("movzwl %1, %k0" : "+r"(r) : "m"(*data));
	GUEST_ASSERT_EQ(r, 0xabcd);
	r = ~0ULL;
	__asm__ volatile("movzbl %1, %k0" : "+r"(r) : "m"(*led));
	GUEST_ASSERT_EQ(r, 0x7e);
	r = 0x1122334455667788ULL;
	__asm__ volatile("movb (%1), %%ah" : "+a"(r) : "S"(led) : "memory");
	GUEST_ASSERT_EQ(r, 0x1122334455667e88ULL);
	/* REX.W 8B: 8 bytes of a 4-byte register; no register at 0x0c */
	__asm__ volatile("movq %1, %0" : "=r"(q) : "m"(*(volatile uint64_t *)status));
	GUEST_ASSERT_EQ(q, ~0ULL);
	__asm__ volatile("movl %1, %0" : "=r"(l) : "m"(*(volatile uint32_t *)(base + 0xc)));
	GUEST_ASSERT_EQ(l, 0xffffffff);
	GUEST_DONE();
}

TEST(mmio_in_kernel)
{
	struct mhv_device_stats st;
	struct mhv_device_desc d;
	struct mhv_ucall uc;
	struct dev_vm v;

	ASSERT_EQ(0, dev_vm_create(&v, "dev-mmio", MHV_DEV_SPACE_MMIO,
				   DEMO_MMIO, guest_mmio, DEMO_MMIO));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(9, vstat(&v, MHV_STAT_DEV_MMIO));
	EXPECT_EQ(0, vstat(&v, MHV_STAT_MMIO));
	EXPECT_EQ(0, vstat(&v, MHV_STAT_DEV_IO));
	EXPECT_EQ(1, vstat(&v, MHV_STAT_USER_EXITS));

	ASSERT_EQ(0, mhv_get_device_stats(v.g.vm_fd, v.id, &st));
	EXPECT_EQ(3, st.writes);
	EXPECT_EQ(4 + 2 + 1, st.bytes_written);
	EXPECT_EQ(4, st.reads);
	EXPECT_EQ(4 + 2 + 1 + 1, st.bytes_read);
	EXPECT_EQ(1, st.err_width);
	EXPECT_EQ(1, st.err_offset);
	EXPECT_TIMES(st, 9);
	ASSERT_EQ(0, mhv_describe_device(v.g.vm_fd, v.id, &d));
	EXPECT_EQ(0xabcd, d.regs[1].value);
	EXPECT_EQ(0x7e, d.regs[2].value);
	mhv_guest_destroy(&v.g);
}

/* ---- access modes ------------------------------------------------------------ */

static void guest_modes(uint64_t port)
{
	uint16_t w;
	uint8_t b;

	/* read-only: the write is refused, the read works */
	__asm__ volatile("outw %w0, %w1" : : "a"(0x1111), "d"(port + 4));
	__asm__ volatile("inw %w1, %w0" : "=a"(w) : "d"(port + 4));
	GUEST_ASSERT_EQ(w, 0);
	GUEST_SYNC(1);
	/* disabled: both refused, the read gives all-ones */
	__asm__ volatile("inw %w1, %w0" : "=a"(w) : "d"(port + 4));
	GUEST_ASSERT_EQ(w, 0xffff);
	__asm__ volatile("outb %b0, %w1" : : "a"(0x22), "d"(port + 8));
	__asm__ volatile("inb %w1, %b0" : "=a"(b) : "d"(port + 0xc));
	GUEST_ASSERT_EQ(b, 0xff);
	GUEST_SYNC(2);
	/* read-write again */
	__asm__ volatile("outw %w0, %w1" : : "a"(0x3333), "d"(port + 4));
	__asm__ volatile("inw %w1, %w0" : "=a"(w) : "d"(port + 4));
	GUEST_ASSERT_EQ(w, 0x3333);
	GUEST_DONE();
}

TEST(access_modes)
{
	struct mhv_device_stats st;
	struct mhv_ucall uc;
	struct dev_vm v;
	uint64_t led;

	ASSERT_EQ(0, dev_vm_create(&v, "dev-mode", MHV_DEV_SPACE_PIO,
				   DEMO_PORT, guest_modes, DEMO_PORT));
	ASSERT_EQ(0, mhv_set_device_mode(v.g.vm_fd, v.id, MHV_DEV_MODE_RO));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(1, uc.args[0]);
	ASSERT_EQ(0, mhv_get_device_stats(v.g.vm_fd, v.id, &st));
	EXPECT_EQ(1, st.err_refused);
	EXPECT_EQ(1, st.reads);
	EXPECT_EQ(0, st.writes);

	ASSERT_EQ(0, mhv_set_device_mode(v.g.vm_fd, v.id,
					 MHV_DEV_MODE_DISABLED));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(2, uc.args[0]);
	ASSERT_EQ(0, mhv_get_device_stats(v.g.vm_fd, v.id, &st));
	/* disabled refuses before it looks at the offset */
	EXPECT_EQ(1 + 3, st.err_refused);
	EXPECT_EQ(0, st.err_offset);
	/* the host still reaches a disabled device */
	ASSERT_EQ(0, mhv_device_read(v.g.vm_fd, v.id, 8, 1, &led));
	EXPECT_EQ(0, led);

	ASSERT_EQ(0, mhv_set_device_mode(v.g.vm_fd, v.id, MHV_DEV_MODE_RW));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(0, mhv_get_device_stats(v.g.vm_fd, v.id, &st));
	EXPECT_EQ(4, st.err_refused);
	EXPECT_EQ(2, st.reads);
	EXPECT_EQ(1, st.writes);
	EXPECT_TIMES(st, 7);
	EXPECT_EQ(7, vstat(&v, MHV_STAT_DEV_IO));
	mhv_guest_destroy(&v.g);
}

/* ---- addresses no device claims ------------------------------------------------ */

static void guest_outside(uint64_t arg)
{
	uint32_t l;

	__asm__ volatile("outb %b0, %w1" : : "a"(0x42), "d"(DEMO_PORT + 0x10));
	__asm__ volatile("outb %b0, %w1" : : "a"(0x43), "d"(DEMO_PORT - 1));
	*(volatile uint32_t *)(DEMO_MMIO + 0x10) = 0x44;
	l = *(volatile uint32_t *)(DEMO_MMIO - 4);
	GUEST_ASSERT_EQ(l, 0x55);
	GUEST_DONE();
}

TEST(unclaimed_goes_to_user)
{
	struct mhv_device_stats st;
	struct mhv_ucall uc;
	struct dev_vm v;
	uint8_t *data;

	ASSERT_EQ(0, dev_vm_create(&v, "dev-out", MHV_DEV_SPACE_PIO,
				   DEMO_PORT, guest_outside, 0));
	ASSERT_EQ(1, mhv_create_device(v.g.vm_fd, MHV_DEV_TYPE_DEMO,
				       MHV_DEV_SPACE_MMIO, DEMO_MMIO));
	data = (uint8_t *)v.run + MHV_RUN_IO_DATA_OFFSET;
	ASSERT_EQ(0, mhv_guest_run(&v.g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_IO, v.run->exit_reason);
	EXPECT_EQ(DEMO_PORT + 0x10, v.run->io.port);
	EXPECT_EQ(0x42, data[0]);
	ASSERT_EQ(0, mhv_guest_run(&v.g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_IO, v.run->exit_reason);
	EXPECT_EQ(DEMO_PORT - 1, v.run->io.port);
	ASSERT_EQ(0, mhv_guest_run(&v.g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_MMIO, v.run->exit_reason);
	EXPECT_EQ(DEMO_MMIO + 0x10, v.run->mmio.phys_addr);
	EXPECT_EQ(1, v.run->mmio.is_write);
	ASSERT_EQ(0, mhv_guest_run(&v.g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_MMIO, v.run->exit_reason);
	EXPECT_EQ(DEMO_MMIO - 4, v.run->mmio.phys_addr);
	EXPECT_EQ(0, v.run->mmio.is_write);
	memcpy(v.run->mmio.data, &(uint32_t){ 0x55 }, 4);
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(0, vstat(&v, MHV_STAT_DEV_IO) + vstat(&v, MHV_STAT_DEV_MMIO));
	EXPECT_EQ(3, vstat(&v, MHV_STAT_IO));
	EXPECT_EQ(2, vstat(&v, MHV_STAT_MMIO));
	ASSERT_EQ(0, mhv_get_device_stats(v.g.vm_fd, 0, &st));
	EXPECT_EQ(0, st.time_count);
	ASSERT_EQ(0, mhv_get_device_stats(v.g.vm_fd, 1, &st));
	EXPECT_EQ(0, st.time_count);
	mhv_guest_destroy(&v.g);
}

TEST_HARNESS_MAIN
