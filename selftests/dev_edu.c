// SPDX-License-Identifier: GPL-2.0
/*
 * The edu DMA device (MHV_DEV_TYPE_EDU), after QEMU's edu: every
 * register's name, width, reset value and behaviour from the host and
 * from a guest (MMIO and port I/O), wrong widths and offsets counted,
 * access modes, the factorial by polling and by interrupt (HLT sleeping
 * in the kernel until it comes, and not sleeping when nothing will
 * come), the interrupt raise/acknowledge registers, DMA in both
 * directions with the data checked in guest memory, and every refused
 * DMA (outside the slots, across a slot's end, into a read-only slot, a
 * count over the buffer, outside the buffer, an overflowing address, a
 * slot deleted while the DMA waits) counted, reported and moving
 * nothing, and a VM destroyed with a DMA and a factorial pending.
 *
 * Expected values come from QEMU's edu specification (docs/specs/edu.rst)
 * and from the factorial computed here, not from the device's code.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define EDU_MMIO	0xd0000000ULL
#define EDU_PORT	0x600
#define MEM_MB		16
#define MEM_END		((uint64_t)MEM_MB << 20)
#define IDT_GPA		0xe00000ULL	/* free pages of slot 0 */
#define SCRATCH		0xf00000ULL
#define EDU_VEC		0x50
#define BUF		MHV_EDU_BUF_ADDR

/* 0xRRrr00ed with major 1, minor 0: QEMU's edu.rst */
#define ID_WANT		((1U << 24) | (0U << 16) | 0xed)

/* n! modulo 2^32, by the definition (once 0, it stays 0) */
static uint32_t fact32(uint32_t n)
{
	uint32_t r = 1;
	uint64_t i;

	for (i = 2; i <= n && r; i++)
		r *= (uint32_t)i;
	return r;
}

/* ---- guest side ------------------------------------------------------------------ */

static inline uint32_t rd32(uint64_t a)
{
	return *(volatile uint32_t *)a;
}

static inline void wr32(uint64_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

static inline uint64_t rd64(uint64_t a)
{
	return *(volatile uint64_t *)a;
}

static inline void wr64(uint64_t a, uint64_t v)
{
	*(volatile uint64_t *)a = v;
}

/* Start a DMA and poll until it is done; returns the polls it took. */
static uint64_t guest_dma(uint64_t base, uint64_t src, uint64_t dst,
			  uint64_t count, uint64_t cmd)
{
	uint64_t polls = 0;

	wr64(base + MHV_EDU_DMA_SRC, src);
	wr64(base + MHV_EDU_DMA_DST, dst);
	wr64(base + MHV_EDU_DMA_COUNT, count);
	wr64(base + MHV_EDU_DMA_CMD, cmd | MHV_EDU_DMA_START);
	while (rd64(base + MHV_EDU_DMA_CMD) & MHV_EDU_DMA_START)
		polls++;
	return polls;
}

/* ---- host side ------------------------------------------------------------------ */

struct edu_vm {
	struct mhv_guest g;
	int id;
};

static int edu_vm_create(struct edu_vm *v, const char *name, uint32_t space,
			 uint64_t base, uint32_t vec, void (*fn)(uint64_t))
{
	int ret = mhv_guest_create(&v->g, name, 1, MEM_MB, fn, base);

	if (ret)
		return ret;
	v->id = mhv_create_device_irq(v->g.vm_fd, MHV_DEV_TYPE_EDU, space,
				      base, vec);
	if (v->id < 0) {
		mhv_guest_destroy(&v->g);
		return v->id;
	}
	return 0;
}

/* A register from the host; all-ones when the read fails. */
static uint64_t hrd(struct edu_vm *v, uint32_t off, uint32_t size)
{
	uint64_t val;

	return mhv_device_read(v->g.vm_fd, v->id, off, size, &val) ? ~0ULL : val;
}

static int hwr(struct edu_vm *v, uint32_t off, uint32_t size, uint64_t val)
{
	return mhv_device_write(v->g.vm_fd, v->id, off, size, val);
}

/* Poll the command register until the DMA is done (5 s at most). */
static int host_dma_wait(struct edu_vm *v)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (hrd(v, MHV_EDU_DMA_CMD, 8) & MHV_EDU_DMA_START) {
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 5)
			return -ETIMEDOUT;
	}
	return 0;
}

static int host_dma_start(struct edu_vm *v, uint64_t src, uint64_t dst,
			  uint64_t count, uint64_t cmd)
{
	return hwr(v, MHV_EDU_DMA_SRC, 8, src) ||
	       hwr(v, MHV_EDU_DMA_DST, 8, dst) ||
	       hwr(v, MHV_EDU_DMA_COUNT, 8, count) ||
	       hwr(v, MHV_EDU_DMA_CMD, 8, cmd | MHV_EDU_DMA_START) ? -EIO : 0;
}

/* A DMA from the host: the DMA_ERROR register after it, or -errno. */
static int64_t host_dma(struct edu_vm *v, uint64_t src, uint64_t dst,
			uint64_t count, uint64_t cmd)
{
	int ret = host_dma_start(v, src, dst, count, cmd);

	if (!ret)
		ret = host_dma_wait(v);
	return ret ? ret : (int64_t)hrd(v, MHV_EDU_DMA_ERROR, 4);
}

static uint64_t vstat(struct edu_vm *v, unsigned int i)
{
	struct mhv_vcpu_stats st;

	if (mhv_get_vcpu_stats(v->g.vcpu[0].fd, &st))
		return ~0ULL;
	return st.counters[i];
}

static struct mhv_device_stats dstats(struct edu_vm *v)
{
	struct mhv_device_stats st;

	if (mhv_get_device_stats(v->g.vm_fd, v->id, &st))
		memset(&st, 0xff, sizeof(st));
	return st;
}

static bool all_bytes(const uint8_t *p, size_t n, uint8_t b)
{
	while (n--)
		if (p[n] != b)
			return false;
	return true;
}

static void guest_none(uint64_t arg)
{
	GUEST_DONE();
}

/* ---- registers from the host ----------------------------------------------------- */

#define RO	MHV_DEV_REG_F_RO
#define WO	MHV_DEV_REG_F_WO

static const struct {
	const char *name;
	uint32_t offset;
	uint8_t width, widths, flags;
	uint64_t reset;
} regs[] = {
	{ "id",		0x00, 4, 4, RO, ID_WANT },
	{ "liveness",	0x04, 4, 4, 0, 0 },
	{ "factorial",	0x08, 4, 4, 0, 0 },
	{ "delay_us",	0x0c, 4, 4, 0, 1000 },
	{ "status",	0x20, 4, 4, 0, 0 },
	{ "irq_status",	0x24, 4, 4, RO, 0 },
	{ "irq_raise",	0x60, 4, 4, WO, 0 },
	{ "irq_ack",	0x64, 4, 4, WO, 0 },
	{ "dma_src",	0x80, 8, 4 | 8, 0, 0 },
	{ "dma_dst",	0x88, 8, 4 | 8, 0, 0 },
	{ "dma_count",	0x90, 8, 4 | 8, 0, 0 },
	{ "dma_cmd",	0x98, 8, 4 | 8, 0, 0 },
	{ "dma_error",	0xa0, 4, 4, RO, 0 },
};
#define NR_REGS	(sizeof(regs) / sizeof(regs[0]))

/* Every register's description and its reset value. */
static void expect_reset_values(struct __test_metadata *_metadata,
				struct edu_vm *v)
{
	struct mhv_device_desc d;
	unsigned int i;

	ASSERT_EQ(0, mhv_describe_device(v->g.vm_fd, v->id, &d));
	EXPECT_STREQ("edu", d.info.name);
	EXPECT_EQ(MHV_DEV_TYPE_EDU, d.info.type);
	EXPECT_EQ(0x100, d.info.size);
	ASSERT_EQ(NR_REGS, d.nr_regs);
	for (i = 0; i < NR_REGS; i++) {
		EXPECT_STREQ(regs[i].name, d.regs[i].name);
		EXPECT_EQ(regs[i].offset, d.regs[i].offset);
		EXPECT_EQ(regs[i].width, d.regs[i].width);
		EXPECT_EQ(regs[i].widths, d.regs[i].widths);
		EXPECT_EQ(regs[i].flags, d.regs[i].flags);
		EXPECT_EQ(regs[i].reset, d.regs[i].value)
			TH_LOG("register %s", regs[i].name);
	}
}

TEST(host_registers)
{
	static const uint32_t no_reg[] = { 0x01, 0x10, 0x1c, 0x28, 0x5c,
					   0x68, 0x84, 0x9c, 0xa4, 0xff };
	uint64_t val;
	struct edu_vm v;
	unsigned int i, size;

	ASSERT_EQ(0, edu_vm_create(&v, "edu-host", MHV_DEV_SPACE_MMIO,
				   EDU_MMIO, 0, guest_none));
	expect_reset_values(_metadata, &v);
	/* one edu device per VM */
	EXPECT_EQ(-ENOSPC, mhv_create_device(v.g.vm_fd, MHV_DEV_TYPE_EDU,
					     MHV_DEV_SPACE_PIO, 0x700));

	/* each register takes exactly its sizes; nothing between them */
	for (i = 0; i < NR_REGS; i++)
		for (size = 1; size <= 8; size <<= 1)
			EXPECT_EQ(regs[i].widths & size ? 0 : -EINVAL,
				  mhv_device_read(v.g.vm_fd, v.id,
						  regs[i].offset, size, &val))
				TH_LOG("offset 0x%x, %u bytes", regs[i].offset, size);
	for (i = 0; i < sizeof(no_reg) / sizeof(no_reg[0]); i++)
		EXPECT_EQ(-EINVAL, mhv_device_read(v.g.vm_fd, v.id, no_reg[i],
						   4, &val));

	/* identification: read-only */
	EXPECT_EQ(0, hwr(&v, MHV_EDU_ID, 4, 0));
	EXPECT_EQ(ID_WANT, hrd(&v, MHV_EDU_ID, 4));
	/* liveness: the bitwise inverse of what was written */
	EXPECT_EQ(0, hwr(&v, MHV_EDU_LIVE, 4, 0x12345678));
	EXPECT_EQ(~0x12345678U, hrd(&v, MHV_EDU_LIVE, 4));
	EXPECT_EQ(0, hwr(&v, MHV_EDU_LIVE, 4, 0));
	EXPECT_EQ(0xffffffffULL, hrd(&v, MHV_EDU_LIVE, 4));
	/* delay: microseconds, at most one second */
	EXPECT_EQ(0, hwr(&v, MHV_EDU_DELAY, 4, 7));
	EXPECT_EQ(7, hrd(&v, MHV_EDU_DELAY, 4));
	EXPECT_EQ(0, hwr(&v, MHV_EDU_DELAY, 4, 2000000));
	EXPECT_EQ(1000000, hrd(&v, MHV_EDU_DELAY, 4));
	/* status: only the interrupt enable (0x80) is writable */
	EXPECT_EQ(0, hwr(&v, MHV_EDU_STATUS, 4, 0xffffffff));
	EXPECT_EQ(0x80, hrd(&v, MHV_EDU_STATUS, 4));
	/* interrupt status: OR of the raises, minus the acknowledged */
	EXPECT_EQ(0, hwr(&v, MHV_EDU_IRQ_RAISE, 4, 0x5));
	EXPECT_EQ(0, hwr(&v, MHV_EDU_IRQ_RAISE, 4, 0x100));
	EXPECT_EQ(0x105, hrd(&v, MHV_EDU_IRQ_STATUS, 4));
	EXPECT_EQ(0, hrd(&v, MHV_EDU_IRQ_RAISE, 4));
	EXPECT_EQ(0, hwr(&v, MHV_EDU_IRQ_ACK, 4, 0x4));
	EXPECT_EQ(0x101, hrd(&v, MHV_EDU_IRQ_STATUS, 4));
	EXPECT_EQ(0, hrd(&v, MHV_EDU_IRQ_ACK, 4));
	EXPECT_EQ(0, hwr(&v, MHV_EDU_IRQ_STATUS, 4, 0));
	EXPECT_EQ(0x101, hrd(&v, MHV_EDU_IRQ_STATUS, 4));
	/* DMA registers: 64-bit; a 32-bit write stores it zero-extended */
	EXPECT_EQ(0, hwr(&v, MHV_EDU_DMA_SRC, 8, 0x1122334455667788ULL));
	EXPECT_EQ(0x1122334455667788ULL, hrd(&v, MHV_EDU_DMA_SRC, 8));
	EXPECT_EQ(0x55667788ULL, hrd(&v, MHV_EDU_DMA_SRC, 4));
	EXPECT_EQ(0, hwr(&v, MHV_EDU_DMA_SRC, 4, 0xaabbccdd));
	EXPECT_EQ(0xaabbccddULL, hrd(&v, MHV_EDU_DMA_SRC, 8));
	EXPECT_EQ(0, hwr(&v, MHV_EDU_DMA_DST, 8, ~0ULL));
	EXPECT_EQ(~0ULL, hrd(&v, MHV_EDU_DMA_DST, 8));
	EXPECT_EQ(0, hwr(&v, MHV_EDU_DMA_COUNT, 8, 4096));
	EXPECT_EQ(4096, hrd(&v, MHV_EDU_DMA_COUNT, 8));
	/* the command without START: stored (direction, interrupt) only */
	EXPECT_EQ(0, hwr(&v, MHV_EDU_DMA_CMD, 8, 0xfe));
	EXPECT_EQ(0x6, hrd(&v, MHV_EDU_DMA_CMD, 8));
	EXPECT_EQ(0x80, hrd(&v, MHV_EDU_STATUS, 4));
	EXPECT_EQ(0, hwr(&v, MHV_EDU_DMA_ERROR, 4, 3));
	EXPECT_EQ(0, hrd(&v, MHV_EDU_DMA_ERROR, 4));
	/* a value wider than the access */
	EXPECT_EQ(-EINVAL, hwr(&v, MHV_EDU_LIVE, 4, 1ULL << 32));

	/* host accesses are not the guest's statistics */
	EXPECT_EQ(0, dstats(&v).reads + dstats(&v).writes);

	ASSERT_EQ(0, mhv_reset_device(v.g.vm_fd, v.id));
	expect_reset_values(_metadata, &v);
	mhv_guest_destroy(&v.g);
}

/* ---- registers from a guest ------------------------------------------------------ */

static void guest_regs(uint64_t base)
{
	uint64_t q;

	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_ID), ID_WANT);
	wr32(base + MHV_EDU_LIVE, 0x0f0f0000);
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_LIVE), 0xf0f0ffff);
	wr64(base + MHV_EDU_DMA_SRC, 0x123456789abcdef0ULL);
	GUEST_ASSERT_EQ(rd64(base + MHV_EDU_DMA_SRC), 0x123456789abcdef0ULL);
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_DMA_SRC), 0x9abcdef0);
	wr32(base + MHV_EDU_DMA_DST, 0x11223344);
	GUEST_ASSERT_EQ(rd64(base + MHV_EDU_DMA_DST), 0x11223344);
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_IRQ_ACK), 0);	/* write-only */
	/* wrong widths: all-ones, writes dropped */
	q = rd64(base + MHV_EDU_ID);
	GUEST_ASSERT_EQ(q, ~0ULL);
	GUEST_ASSERT_EQ(*(volatile uint16_t *)(base + MHV_EDU_LIVE), 0xffff);
	*(volatile uint8_t *)(base + MHV_EDU_FACT) = 5;
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_STATUS), 0);	/* not started */
	/* no register there */
	GUEST_ASSERT_EQ(rd32(base + 0x10), 0xffffffff);
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_DMA_SRC + 4), 0xffffffff);
	GUEST_DONE();
}

/* reads, writes, width and offset errors of guest_regs() */
#define REGS_READS	7
#define REGS_WRITES	3
#define REGS_ERR_WIDTH	3
#define REGS_ERR_OFFSET	2

TEST(guest_mmio_registers)
{
	struct mhv_device_stats st;
	struct mhv_ucall uc;
	struct edu_vm v;

	ASSERT_EQ(0, edu_vm_create(&v, "edu-mmio", MHV_DEV_SPACE_MMIO,
				   EDU_MMIO, 0, guest_regs));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	st = dstats(&v);
	EXPECT_EQ(REGS_READS, st.reads);
	EXPECT_EQ(REGS_WRITES, st.writes);
	EXPECT_EQ(REGS_ERR_WIDTH, st.err_width);
	EXPECT_EQ(REGS_ERR_OFFSET, st.err_offset);
	EXPECT_EQ(4 * 5 + 8 * 2, st.bytes_read);
	EXPECT_EQ(4 + 8 + 4, st.bytes_written);
	/* every access stayed in the kernel */
	EXPECT_EQ(REGS_READS + REGS_WRITES + REGS_ERR_WIDTH + REGS_ERR_OFFSET,
		  vstat(&v, MHV_STAT_DEV_MMIO));
	EXPECT_EQ(0, vstat(&v, MHV_STAT_MMIO));
	EXPECT_EQ(0xf0f0ffff, hrd(&v, MHV_EDU_LIVE, 4));
	mhv_guest_destroy(&v.g);
}

static void guest_pio(uint64_t port)
{
	uint32_t l;

	__asm__ volatile("inl %w1, %0" : "=a"(l) : "d"(port + MHV_EDU_ID));
	GUEST_ASSERT_EQ(l, ID_WANT);
	__asm__ volatile("outl %0, %w1" : : "a"(0xa5a5a5a5),
			 "d"(port + MHV_EDU_LIVE));
	__asm__ volatile("inl %w1, %0" : "=a"(l) : "d"(port + MHV_EDU_LIVE));
	GUEST_ASSERT_EQ(l, 0x5a5a5a5a);
	/* the 64-bit DMA registers take 32-bit port accesses */
	__asm__ volatile("outl %0, %w1" : : "a"(0x12345678),
			 "d"(port + MHV_EDU_DMA_COUNT));
	__asm__ volatile("inl %w1, %0" : "=a"(l)
			 : "d"(port + MHV_EDU_DMA_COUNT));
	GUEST_ASSERT_EQ(l, 0x12345678);
	/* a byte of the identification: a wrong width */
	__asm__ volatile("inb %w1, %b0" : "=a"(l) : "d"(port + MHV_EDU_ID));
	GUEST_ASSERT_EQ(l & 0xff, 0xff);
	GUEST_DONE();
}

TEST(guest_pio_registers)
{
	struct mhv_device_stats st;
	struct mhv_ucall uc;
	struct edu_vm v;

	ASSERT_EQ(0, edu_vm_create(&v, "edu-pio", MHV_DEV_SPACE_PIO, EDU_PORT,
				   0, guest_pio));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	st = dstats(&v);
	EXPECT_EQ(3, st.reads);
	EXPECT_EQ(2, st.writes);
	EXPECT_EQ(1, st.err_width);
	EXPECT_EQ(6, vstat(&v, MHV_STAT_DEV_IO));
	EXPECT_EQ(0x12345678, hrd(&v, MHV_EDU_DMA_COUNT, 8));
	mhv_guest_destroy(&v.g);
}

/* ---- access modes ---------------------------------------------------------------- */

static void guest_modes(uint64_t base)
{
	/* read-only: writes refused (no factorial starts), reads work */
	wr32(base + MHV_EDU_LIVE, 1);
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_LIVE), 0);
	wr32(base + MHV_EDU_FACT, 3);
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_STATUS), 0);
	GUEST_SYNC(1);
	/* disabled: reads refused too */
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_ID), 0xffffffff);
	GUEST_SYNC(2);
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_ID), ID_WANT);
	GUEST_DONE();
}

TEST(access_modes)
{
	struct mhv_ucall uc;
	struct edu_vm v;

	ASSERT_EQ(0, edu_vm_create(&v, "edu-modes", MHV_DEV_SPACE_MMIO,
				   EDU_MMIO, 0, guest_modes));
	ASSERT_EQ(0, mhv_set_device_mode(v.g.vm_fd, v.id, MHV_DEV_MODE_RO));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(2, dstats(&v).err_refused);
	EXPECT_EQ(0, hrd(&v, MHV_EDU_FACT, 4));
	ASSERT_EQ(0, mhv_set_device_mode(v.g.vm_fd, v.id,
					 MHV_DEV_MODE_DISABLED));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(3, dstats(&v).err_refused);
	ASSERT_EQ(0, mhv_set_device_mode(v.g.vm_fd, v.id, MHV_DEV_MODE_RW));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(3, dstats(&v).err_refused);
	EXPECT_EQ(3, dstats(&v).reads);
	mhv_guest_destroy(&v.g);
}

/* ---- the factorial, polled ------------------------------------------------------- */

static const uint32_t fact_inputs[] = { 0, 1, 5, 12, 13, 20, 33, 34, 40,
					0xffffffff };
#define NR_FACT	(sizeof(fact_inputs) / sizeof(fact_inputs[0]))

static void guest_fact_poll(uint64_t base)
{
	uint64_t polls = 0;
	unsigned int i;

	/* 100 ms: long enough to see the computation under way */
	wr32(base + MHV_EDU_DELAY, 100000);
	wr32(base + MHV_EDU_FACT, 10);
	GUEST_ASSERT(rd32(base + MHV_EDU_STATUS) & MHV_EDU_ST_COMPUTING);
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_FACT), 10);
	/* a new n while computing is dropped */
	wr32(base + MHV_EDU_FACT, 4);
	while (rd32(base + MHV_EDU_STATUS) & MHV_EDU_ST_COMPUTING)
		polls++;
	GUEST_ASSERT(polls > 0);
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_FACT), fact32(10));

	wr32(base + MHV_EDU_DELAY, 0);
	for (i = 0; i < NR_FACT; i++) {
		wr32(base + MHV_EDU_FACT, fact_inputs[i]);
		while (rd32(base + MHV_EDU_STATUS) & MHV_EDU_ST_COMPUTING)
			;
		GUEST_ASSERT_EQ(rd32(base + MHV_EDU_FACT), fact32(fact_inputs[i]));
	}
	/* polled, not interrupted: nothing raised */
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_IRQ_STATUS), 0);
	GUEST_DONE();
}

TEST(factorial_poll)
{
	struct mhv_ucall uc;
	struct edu_vm v;

	ASSERT_EQ(0, edu_vm_create(&v, "edu-fact", MHV_DEV_SPACE_MMIO,
				   EDU_MMIO, EDU_VEC, guest_fact_poll));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(1, dstats(&v).err_dropped);
	EXPECT_EQ(fact32(0xffffffff), hrd(&v, MHV_EDU_FACT, 4));
	EXPECT_EQ(0, vstat(&v, MHV_STAT_IRQ_INJECTED));
	mhv_guest_destroy(&v.g);
}

/* ---- DMA, polled ------------------------------------------------------------------ */

static uint8_t src_a[4096] __attribute__((aligned(4096)));
static uint8_t src_b[4096] __attribute__((aligned(4096)));
static uint8_t dst[2 * 4096] __attribute__((aligned(4096)));

#define OUT_OFF		8	/* dst + 8 */
#define OUT_FROM	0x180	/* buffer bytes read back */
#define OUT_LEN		0x180
#define B_AT		0x200	/* src_b goes to buffer + 0x200 */
#define B_LEN		100

static void guest_dma_poll(uint64_t base)
{
	uint64_t polls;

	/* the whole buffer from RAM, slowly enough to watch it */
	wr32(base + MHV_EDU_DELAY, 100000);
	wr64(base + MHV_EDU_DMA_SRC, (uint64_t)src_a);
	wr64(base + MHV_EDU_DMA_DST, BUF);
	wr64(base + MHV_EDU_DMA_COUNT, sizeof(src_a));
	wr64(base + MHV_EDU_DMA_CMD, MHV_EDU_DMA_START);
	GUEST_ASSERT(rd32(base + MHV_EDU_STATUS) & MHV_EDU_ST_DMA_BUSY);
	/* the registers are locked while it runs: dropped */
	wr64(base + MHV_EDU_DMA_COUNT, 1);
	polls = 0;
	while (rd64(base + MHV_EDU_DMA_CMD) & MHV_EDU_DMA_START)
		polls++;
	GUEST_ASSERT(polls > 0);
	GUEST_ASSERT_EQ(rd64(base + MHV_EDU_DMA_COUNT), sizeof(src_a));
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_STATUS), 0);

	wr32(base + MHV_EDU_DELAY, 0);
	/* part of the buffer from src_b, then a window back to RAM */
	guest_dma(base, (uint64_t)src_b, BUF + B_AT, B_LEN, 0);
	guest_dma(base, BUF + OUT_FROM, (uint64_t)dst + OUT_OFF, OUT_LEN,
		  MHV_EDU_DMA_TO_RAM);
	/* 0 bytes: done, nothing moved */
	guest_dma(base, BUF, (uint64_t)dst + 4096, 0, MHV_EDU_DMA_TO_RAM);
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_DMA_ERROR), 0);
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_STATUS), 0);
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_IRQ_STATUS), 0);
	GUEST_DONE();
}

/* What the buffer holds at @off after guest_dma_poll()'s two writes. */
static uint8_t buf_byte(unsigned int off)
{
	if (off >= B_AT && off < B_AT + B_LEN)
		return src_b[off - B_AT];
	return src_a[off];
}

TEST(dma_poll)
{
	struct mhv_ucall uc;
	struct edu_vm v;
	uint8_t *out;
	unsigned int i;

	for (i = 0; i < sizeof(src_a); i++) {
		src_a[i] = (uint8_t)(i * 7 + 1);
		src_b[i] = (uint8_t)(0x80 | (i * 3));
	}
	ASSERT_EQ(0, edu_vm_create(&v, "edu-dma", MHV_DEV_SPACE_MMIO, EDU_MMIO,
				   0, guest_dma_poll));
	ASSERT_EQ(0, mhv_guest_sync_global(&v.g, src_a, sizeof(src_a)));
	ASSERT_EQ(0, mhv_guest_sync_global(&v.g, src_b, sizeof(src_b)));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);

	/* the guest's copy of dst: exactly the window, nothing around it */
	out = mhv_guest_ptr(&v.g, (uint64_t)dst);
	ASSERT_NE(NULL, out);
	for (i = 0; i < sizeof(dst); i++) {
		uint8_t want = 0;

		if (i >= OUT_OFF && i < OUT_OFF + OUT_LEN)
			want = buf_byte(OUT_FROM + i - OUT_OFF);
		if (out[i] != want) {
			TH_LOG("dst[%u] = 0x%02x, want 0x%02x", i, out[i], want);
			ASSERT_EQ(want, out[i]);
		}
	}
	EXPECT_EQ(0, dstats(&v).dma_refused);
	EXPECT_EQ(1, dstats(&v).err_dropped);
	mhv_guest_destroy(&v.g);
}

/* ---- interrupts ------------------------------------------------------------------- */

static volatile uint64_t irqs_seen;
static volatile uint32_t irq_causes;
static volatile uint64_t irq_base;

/* The driver's interrupt handler: note the causes, acknowledge them. */
static void edu_irq_handler(struct mhv_ex_regs *r)
{
	uint32_t st = rd32(irq_base + MHV_EDU_IRQ_STATUS);

	irq_causes |= st;
	wr32(irq_base + MHV_EDU_IRQ_ACK, st);
	irqs_seen++;
}

/* HLT with interrupts on until the @n-th interrupt; IF is off after. */
static void guest_wait_irq(uint64_t n)
{
	__asm__ volatile("cli" ::: "memory");
	while (irqs_seen < n)
		__asm__ volatile("sti; hlt; cli" ::: "memory");
}

#define IRQ_DMA_LEN	64

static void guest_irq(uint64_t base)
{
	irq_base = base;
	/* a factorial of 100 ms, announced by an interrupt */
	wr32(base + MHV_EDU_DELAY, 100000);
	wr32(base + MHV_EDU_STATUS, MHV_EDU_ST_IRQ_FACT);
	wr32(base + MHV_EDU_FACT, 9);
	guest_wait_irq(1);
	GUEST_ASSERT_EQ(irq_causes, MHV_EDU_IRQ_FACT);
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_FACT), fact32(9));
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_IRQ_STATUS), 0);
	GUEST_SYNC(1);

	/* the raise register: its value is the cause */
	irq_causes = 0;
	wr32(base + MHV_EDU_IRQ_RAISE, 0x30);
	guest_wait_irq(2);
	GUEST_ASSERT_EQ(irq_causes, 0x30);
	GUEST_SYNC(2);

	/* DMA there and back, each announced by an interrupt */
	irq_causes = 0;
	wr64(base + MHV_EDU_DMA_SRC, (uint64_t)src_a);
	wr64(base + MHV_EDU_DMA_DST, BUF);
	wr64(base + MHV_EDU_DMA_COUNT, IRQ_DMA_LEN);
	wr64(base + MHV_EDU_DMA_CMD, MHV_EDU_DMA_START | MHV_EDU_DMA_IRQ);
	guest_wait_irq(3);
	GUEST_ASSERT_EQ(irq_causes, MHV_EDU_IRQ_DMA);
	GUEST_ASSERT_EQ(rd64(base + MHV_EDU_DMA_CMD), MHV_EDU_DMA_IRQ);
	wr64(base + MHV_EDU_DMA_SRC, BUF);
	wr64(base + MHV_EDU_DMA_DST, (uint64_t)dst);
	wr64(base + MHV_EDU_DMA_CMD, MHV_EDU_DMA_START | MHV_EDU_DMA_TO_RAM |
				     MHV_EDU_DMA_IRQ);
	guest_wait_irq(4);
	GUEST_SYNC(3);

	/* a computation no interrupt will announce: HLT goes to the host */
	wr32(base + MHV_EDU_STATUS, 0);
	wr32(base + MHV_EDU_FACT, 3);
	__asm__ volatile("sti; hlt; cli" ::: "memory");
	while (rd32(base + MHV_EDU_STATUS) & MHV_EDU_ST_COMPUTING)
		;
	GUEST_ASSERT_EQ(rd32(base + MHV_EDU_FACT), fact32(3));
	GUEST_ASSERT_EQ(irqs_seen, 4);
	GUEST_DONE();
}

TEST(interrupts)
{
	struct mhv_ucall uc;
	struct edu_vm v;
	uint8_t *out;
	unsigned int i;

	for (i = 0; i < sizeof(src_a); i++)
		src_a[i] = (uint8_t)(i * 11 + 5);
	ASSERT_EQ(0, edu_vm_create(&v, "edu-irq", MHV_DEV_SPACE_MMIO, EDU_MMIO,
				   EDU_VEC, guest_irq));
	ASSERT_EQ(0, mhv_guest_sync_global(&v.g, src_a, sizeof(src_a)));
	ASSERT_EQ(0, mhv_guest_setup_idt(&v.g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_install_handler(&v.g, EDU_VEC, edu_irq_handler));

	/* the HLT slept in the kernel until the factorial's interrupt
	 * (a HLT exit to userspace would fail EXPECT_UCALL)
	 */
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(1, uc.args[0]);
	EXPECT_EQ(1, vstat(&v, MHV_STAT_IRQ_INJECTED));
	EXPECT_LE(1, vstat(&v, MHV_STAT_HALT_SLEEP));
	EXPECT_LE(1, vstat(&v, MHV_STAT_HALT_WAKEUP));
	EXPECT_EQ(0, vstat(&v, MHV_STAT_MMIO));

	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(2, uc.args[0]);
	EXPECT_EQ(2, vstat(&v, MHV_STAT_IRQ_INJECTED));

	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(3, uc.args[0]);
	EXPECT_EQ(4, vstat(&v, MHV_STAT_IRQ_INJECTED));
	out = mhv_guest_ptr(&v.g, (uint64_t)dst);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, memcmp(out, src_a, IRQ_DMA_LEN));
	EXPECT_TRUE(all_bytes(out + IRQ_DMA_LEN, sizeof(dst) - IRQ_DMA_LEN, 0));

	/* nothing would wake it: the HLT is the host's */
	EXPECT_EXIT(&v.g, 0, &uc, MHV_EXIT_HLT);
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(4, vstat(&v, MHV_STAT_IRQ_INJECTED));
	EXPECT_EQ(0, dstats(&v).dma_refused);
	mhv_guest_destroy(&v.g);
}

/* ---- refused DMA ------------------------------------------------------------------ */

#define SLOT1		MEM_END			/* right after slot 0 */
#define SLOT2		(2 * MEM_END)		/* read-only */
#define EXTRA_SIZE	(1ULL << 20)
#define PATTERN(i)	((uint8_t)((i) * 5 + 3))
#define SENTINEL	0xaa
#define RO_BYTE		0x5c

struct refused {
	const char *what;
	uint64_t src, dst, count, cmd;
	uint32_t err;
};

static const struct refused refused_cases[] = {
	{ "from no slot", EDU_MMIO, BUF, 16, 0, MHV_EDU_DMA_ERR_NO_SLOT },
	{ "to no slot", BUF, EDU_MMIO, 16, MHV_EDU_DMA_TO_RAM,
	  MHV_EDU_DMA_ERR_NO_SLOT },
	{ "across slot 0's end into slot 1", BUF, SLOT1 - 8, 16,
	  MHV_EDU_DMA_TO_RAM, MHV_EDU_DMA_ERR_NO_SLOT },
	{ "across slot 1's end", SLOT1 + EXTRA_SIZE - 8, BUF, 16, 0,
	  MHV_EDU_DMA_ERR_NO_SLOT },
	{ "into a read-only slot", BUF, SLOT2, 64, MHV_EDU_DMA_TO_RAM,
	  MHV_EDU_DMA_ERR_READONLY },
	{ "more than the buffer", SCRATCH, BUF, 4097, 0,
	  MHV_EDU_DMA_ERR_COUNT },
	{ "past the buffer's end", BUF + 4000, SCRATCH, 200,
	  MHV_EDU_DMA_TO_RAM, MHV_EDU_DMA_ERR_BUFFER },
	{ "below the buffer", BUF - 1, SCRATCH, 16, MHV_EDU_DMA_TO_RAM,
	  MHV_EDU_DMA_ERR_BUFFER },
	{ "device address wrapping", SCRATCH, ~0ULL - 0xff, 0x200, 0,
	  MHV_EDU_DMA_ERR_BUFFER },
	{ "guest address wrapping, from", ~0ULL - 0xff, BUF, 0x200, 0,
	  MHV_EDU_DMA_ERR_OVERFLOW },
	{ "guest address wrapping, to", BUF, ~0ULL - 0xf, 0x20,
	  MHV_EDU_DMA_TO_RAM, MHV_EDU_DMA_ERR_OVERFLOW },
	/* refused, and still reported by the interrupt status */
	{ "no slot, with interrupt", EDU_MMIO, BUF, 16, MHV_EDU_DMA_IRQ,
	  MHV_EDU_DMA_ERR_NO_SLOT },
};
#define NR_REFUSED	(sizeof(refused_cases) / sizeof(refused_cases[0]))

static void *map_slot(struct mhv_guest *g, uint32_t slot, uint64_t gpa,
		      uint32_t flags, uint8_t fill)
{
	struct mhv_memory_region r;
	void *mem = mmap(NULL, EXTRA_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED)
		return NULL;
	memset(mem, fill, EXTRA_SIZE);
	memset(&r, 0, sizeof(r));
	r.slot = slot;
	r.flags = flags;
	r.guest_phys_addr = gpa;
	r.size = EXTRA_SIZE;
	r.userspace_addr = (uintptr_t)mem;
	if (mhv_set_memory_region(g->vm_fd, &r)) {
		munmap(mem, EXTRA_SIZE);
		return NULL;
	}
	return mem;
}

TEST(dma_refused)
{
	uint8_t *scratch, *s1, *s2, *s0_end;
	struct edu_vm v;
	unsigned int i;

	ASSERT_EQ(0, edu_vm_create(&v, "edu-refused", MHV_DEV_SPACE_MMIO,
				   EDU_MMIO, 0, guest_none));
	s1 = map_slot(&v.g, 1, SLOT1, 0, SENTINEL);
	ASSERT_NE(NULL, s1);
	s2 = map_slot(&v.g, 2, SLOT2, MHV_MEM_READONLY, RO_BYTE);
	ASSERT_NE(NULL, s2);
	ASSERT_EQ(0, hwr(&v, MHV_EDU_DELAY, 4, 0));
	/* the buffer holds a known pattern; slot 0's end a sentinel */
	scratch = mhv_guest_ptr(&v.g, SCRATCH);
	ASSERT_NE(NULL, scratch);
	for (i = 0; i < MHV_EDU_BUF_SIZE; i++)
		scratch[i] = PATTERN(i);
	ASSERT_EQ(0, host_dma(&v, SCRATCH, BUF, MHV_EDU_BUF_SIZE, 0));
	memset(scratch, SENTINEL, MHV_EDU_BUF_SIZE);
	s0_end = mhv_guest_ptr(&v.g, MEM_END - 64);
	memset(s0_end, SENTINEL, 64);

	for (i = 0; i < NR_REFUSED; i++) {
		const struct refused *c = &refused_cases[i];

		EXPECT_EQ(c->err, host_dma(&v, c->src, c->dst, c->count,
					   c->cmd))
			TH_LOG("%s", c->what);
		EXPECT_EQ(MHV_EDU_ST_DMA_ERROR, hrd(&v, MHV_EDU_STATUS, 4))
			TH_LOG("%s", c->what);
		EXPECT_EQ(i + 1, dstats(&v).dma_refused) TH_LOG("%s", c->what);
	}
	EXPECT_EQ(MHV_EDU_IRQ_DMA, hrd(&v, MHV_EDU_IRQ_STATUS, 4));

	/* nothing moved: guest memory around the ranges, the RO slot ... */
	EXPECT_TRUE(all_bytes(scratch, MHV_EDU_BUF_SIZE, SENTINEL));
	EXPECT_TRUE(all_bytes(s0_end, 64, SENTINEL));
	EXPECT_TRUE(all_bytes(s1, EXTRA_SIZE, SENTINEL));
	EXPECT_TRUE(all_bytes(s2, EXTRA_SIZE, RO_BYTE));
	/* ... and the buffer, read back: the next DMA clears the error */
	ASSERT_EQ(0, host_dma(&v, BUF, SLOT1, MHV_EDU_BUF_SIZE,
			      MHV_EDU_DMA_TO_RAM));
	EXPECT_EQ(0, hrd(&v, MHV_EDU_STATUS, 4));
	for (i = 0; i < MHV_EDU_BUF_SIZE && s1[i] == PATTERN(i); i++)
		;
	EXPECT_EQ(MHV_EDU_BUF_SIZE, i) TH_LOG("buffer byte %u differs", i);

	/* the edges that are allowed: the last bytes of a slot, a read
	 * from a read-only slot
	 */
	EXPECT_EQ(0, host_dma(&v, BUF, MEM_END - 16, 16, MHV_EDU_DMA_TO_RAM));
	for (i = 0; i < 16; i++)
		EXPECT_EQ(PATTERN(i), s0_end[48 + i]);
	EXPECT_EQ(0, host_dma(&v, SLOT2, BUF, 32, 0));
	EXPECT_EQ(0, host_dma(&v, BUF, SLOT1 + EXTRA_SIZE - 32, 32,
			      MHV_EDU_DMA_TO_RAM));
	EXPECT_TRUE(all_bytes(s1 + EXTRA_SIZE - 32, 32, RO_BYTE));
	EXPECT_EQ(NR_REFUSED, dstats(&v).dma_refused);

	mhv_guest_destroy(&v.g);
	munmap(s1, EXTRA_SIZE);
	munmap(s2, EXTRA_SIZE);
}

/* A slot deleted while the DMA waits: checked when done, so refused. */
TEST(dma_slot_deleted)
{
	struct edu_vm v;
	uint8_t *s1;

	ASSERT_EQ(0, edu_vm_create(&v, "edu-delslot", MHV_DEV_SPACE_MMIO,
				   EDU_MMIO, 0, guest_none));
	s1 = map_slot(&v.g, 1, SLOT1, 0, SENTINEL);
	ASSERT_NE(NULL, s1);
	ASSERT_EQ(0, hwr(&v, MHV_EDU_DELAY, 4, MHV_EDU_DELAY_MAX));
	ASSERT_EQ(0, host_dma_start(&v, BUF, SLOT1, 4096, MHV_EDU_DMA_TO_RAM));
	ASSERT_EQ(0, mhv_delete_memory_region(v.g.vm_fd, 1));
	/* one second later */
	ASSERT_EQ(0, host_dma_wait(&v));
	EXPECT_EQ(MHV_EDU_DMA_ERR_NO_SLOT, hrd(&v, MHV_EDU_DMA_ERROR, 4));
	EXPECT_EQ(1, dstats(&v).dma_refused);
	EXPECT_TRUE(all_bytes(s1, EXTRA_SIZE, SENTINEL));
	mhv_guest_destroy(&v.g);
	munmap(s1, EXTRA_SIZE);
}

/*
 * The VM goes away with a DMA and a factorial pending: nothing runs on
 * the freed device, nothing is written to what was its memory. A missed
 * cancel would show as a use after free (an oops the harness finds in
 * dmesg) or as bytes written one second later, so this test, unlike the
 * others, has to wait for something not to happen.
 */
TEST(vm_destroyed_pending)
{
	int problems = dmesg_count_problems();
	struct edu_vm v;
	uint8_t *s1;

	ASSERT_LE(0, problems);
	ASSERT_EQ(0, edu_vm_create(&v, "edu-destroy", MHV_DEV_SPACE_MMIO,
				   EDU_MMIO, 0, guest_none));
	s1 = map_slot(&v.g, 1, SLOT1, 0, SENTINEL);
	ASSERT_NE(NULL, s1);
	ASSERT_EQ(0, hwr(&v, MHV_EDU_DELAY, 4, MHV_EDU_DELAY_MAX));
	ASSERT_EQ(0, hwr(&v, MHV_EDU_FACT, 4, 6));
	ASSERT_EQ(0, host_dma_start(&v, BUF, SLOT1, 4096, MHV_EDU_DMA_TO_RAM));
	mhv_guest_destroy(&v.g);
	usleep(3 * MHV_EDU_DELAY_MAX / 2);
	EXPECT_TRUE(all_bytes(s1, EXTRA_SIZE, SENTINEL));
	/* nothing new in the log (Bochs boots with an xstate warning) */
	EXPECT_EQ(problems, dmesg_count_problems());
	munmap(s1, EXTRA_SIZE);
}

/* A reset abandons what is under way and clears the buffer. */
TEST(reset_while_busy)
{
	struct edu_vm v;
	uint8_t *scratch;

	ASSERT_EQ(0, edu_vm_create(&v, "edu-reset", MHV_DEV_SPACE_MMIO,
				   EDU_MMIO, 0, guest_none));
	scratch = mhv_guest_ptr(&v.g, SCRATCH);
	ASSERT_NE(NULL, scratch);
	memset(scratch, SENTINEL, 4096);
	ASSERT_EQ(0, hwr(&v, MHV_EDU_DELAY, 4, MHV_EDU_DELAY_MAX));
	ASSERT_EQ(0, hwr(&v, MHV_EDU_FACT, 4, 6));
	ASSERT_EQ(0, host_dma_start(&v, SCRATCH, BUF, 4096, 0));
	EXPECT_EQ(MHV_EDU_ST_COMPUTING | MHV_EDU_ST_DMA_BUSY,
		  hrd(&v, MHV_EDU_STATUS, 4));
	ASSERT_EQ(0, mhv_reset_device(v.g.vm_fd, v.id));
	expect_reset_values(_metadata, &v);
	/* the buffer is zero: the abandoned DMA did not fill it */
	ASSERT_EQ(0, hwr(&v, MHV_EDU_DELAY, 4, 0));
	ASSERT_EQ(0, host_dma(&v, BUF, SCRATCH, 4096, MHV_EDU_DMA_TO_RAM));
	EXPECT_TRUE(all_bytes(scratch, 4096, 0));
	EXPECT_EQ(0, dstats(&v).dma_refused);
	mhv_guest_destroy(&v.g);
}

TEST_HARNESS_MAIN
