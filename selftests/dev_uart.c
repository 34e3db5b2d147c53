// SPDX-License-Identifier: GPL-2.0
/*
 * The 16550A UART device (MHV_DEV_TYPE_UART) at COM1, driven by guest
 * IN/OUT: reset values, the DLAB divisor latch, the scratch register,
 * LSR (DR, OE, THRE, TEMT), IIR priorities, loopback (THR to RBR, MSR
 * following MCR), receive FIFO input fed from the host, output read back
 * by the host in one batch, output-buffer overflow counted as dropped,
 * and no exit to userspace for any UART access. Expected register values
 * are the 16550A datasheet's.
 */
#include <stdint.h>
#include <string.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define COM1	0x3f8
#define RBR	0	/* THR on write, DLL with DLAB */
#define IER	1	/* DLM with DLAB */
#define IIR	2	/* FCR on write */
#define LCR	3
#define MCR	4
#define LSR	5
#define MSR	6
#define SCR	7

#define LSR_DR		0x01
#define LSR_OE		0x02
#define LSR_THRE	0x20
#define LSR_TEMT	0x40

static inline uint8_t uin(uint16_t reg)
{
	uint8_t v;

	__asm__ volatile("inb %w1, %b0" : "=a"(v) : "d"(COM1 + reg));
	return v;
}

static inline void uout(uint16_t reg, uint8_t v)
{
	__asm__ volatile("outb %b0, %w1" : : "a"(v), "d"(COM1 + reg));
}

struct uart_vm {
	struct mhv_guest g;
	int id;
};

static int uart_vm_create(struct uart_vm *v, const char *name,
			  void (*fn)(uint64_t))
{
	int ret = mhv_guest_create(&v->g, name, 1, 16, fn, 0);

	if (ret)
		return ret;
	v->id = mhv_create_device(v->g.vm_fd, MHV_DEV_TYPE_UART,
				  MHV_DEV_SPACE_PIO, COM1);
	if (v->id < 0) {
		mhv_guest_destroy(&v->g);
		return v->id;
	}
	return 0;
}

static uint64_t vstat(struct uart_vm *v, unsigned int i)
{
	struct mhv_vcpu_stats st;

	if (mhv_get_vcpu_stats(v->g.vcpu[0].fd, &st))
		return ~0ULL;
	return st.counters[i];
}

/* Every UART access stayed in the kernel: only @ucalls reached the host. */
#define EXPECT_NO_UART_EXIT(v, ucalls) do {				\
	EXPECT_EQ((ucalls), vstat((v), MHV_STAT_USER_EXITS));		\
	EXPECT_EQ((ucalls), vstat((v), MHV_STAT_IO));			\
} while (0)

/* ---- reset values ------------------------------------------------------------ */

static void guest_reset(uint64_t arg)
{
	GUEST_ASSERT_EQ(uin(IER), 0x00);
	GUEST_ASSERT_EQ(uin(IIR), 0x01);	/* no interrupt pending */
	GUEST_ASSERT_EQ(uin(LCR), 0x00);
	GUEST_ASSERT_EQ(uin(MCR), 0x00);
	GUEST_ASSERT_EQ(uin(LSR), LSR_THRE | LSR_TEMT);
	/* no deltas; DCD, DSR and CTS of the (always ready) line */
	GUEST_ASSERT_EQ(uin(MSR), 0xb0);
	GUEST_ASSERT_EQ(uin(SCR), 0x00);
	/* dirty everything; the host resets the device */
	uout(LCR, 0x1b);
	uout(MCR, 0x0f);
	uout(IER, 0x0f);
	uout(SCR, 0x77);
	uout(IIR, 0x01);
	GUEST_SYNC(0);
	GUEST_ASSERT_EQ(uin(IER), 0x00);
	GUEST_ASSERT_EQ(uin(IIR), 0x01);
	GUEST_ASSERT_EQ(uin(LCR), 0x00);
	GUEST_ASSERT_EQ(uin(MCR), 0x00);
	GUEST_ASSERT_EQ(uin(LSR), LSR_THRE | LSR_TEMT);
	GUEST_ASSERT_EQ(uin(SCR), 0x00);
	GUEST_DONE();
}

TEST(reset_values)
{
	struct mhv_ucall uc;
	struct uart_vm v;

	ASSERT_EQ(0, uart_vm_create(&v, "uart-reset", guest_reset));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_reset_device(v.g.vm_fd, v.id));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_NO_UART_EXIT(&v, 2);
	mhv_guest_destroy(&v.g);
}

/* ---- DLAB, scratch ----------------------------------------------------------- */

static void guest_dlab(uint64_t arg)
{
	uout(IER, 0x05);
	uout(LCR, 0x83);		/* DLAB, 8 bits */
	uout(RBR, 0x0c);		/* DLL: 9600 baud */
	uout(IER, 0x01);		/* DLM */
	GUEST_ASSERT_EQ(uin(RBR), 0x0c);
	GUEST_ASSERT_EQ(uin(IER), 0x01);
	GUEST_ASSERT_EQ(uin(LCR), 0x83);
	uout(LCR, 0x03);		/* DLAB off: IER and RBR again */
	GUEST_ASSERT_EQ(uin(IER), 0x05);
	GUEST_ASSERT_EQ(uin(LSR), LSR_THRE | LSR_TEMT);	/* nothing sent */
	uout(LCR, 0x80);
	GUEST_ASSERT_EQ(uin(RBR), 0x0c);	/* the latch kept its value */
	GUEST_ASSERT_EQ(uin(IER), 0x01);
	uout(LCR, 0x03);
	/* scratch: any value, kept */
	uout(SCR, 0xa5);
	GUEST_ASSERT_EQ(uin(SCR), 0xa5);
	uout(SCR, 0x5a);
	GUEST_ASSERT_EQ(uin(SCR), 0x5a);
	GUEST_DONE();
}

TEST(dlab_and_scratch)
{
	struct mhv_ucall uc;
	struct uart_vm v;
	char buf[8];

	ASSERT_EQ(0, uart_vm_create(&v, "uart-dlab", guest_dlab));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	/* divisor writes are not output */
	EXPECT_EQ(0, mhv_uart_read_output(v.g.vm_fd, v.id, buf, sizeof(buf)));
	EXPECT_NO_UART_EXIT(&v, 1);
	mhv_guest_destroy(&v.g);
}

/* ---- receive FIFO, LSR, IIR -------------------------------------------------- */

static const char input[] = "0123456789abcdefXY";	/* 18 bytes */

static void guest_fifo(uint64_t arg)
{
	unsigned int i;

	uout(IIR, 0x07);		/* FIFO on, both reset, trigger 1 */
	GUEST_ASSERT_EQ(uin(IIR), 0xc1);
	uout(IER, 0x0f);		/* THRE is empty: its interrupt */
	GUEST_ASSERT_EQ(uin(IIR), 0xc2);
	GUEST_ASSERT_EQ(uin(IIR), 0xc1);	/* reading IIR cleared it */
	GUEST_SYNC(0);			/* the host sends 18 bytes */
	/* 16 kept, the rest overran: line status first */
	GUEST_ASSERT_EQ(uin(IIR), 0xc6);
	GUEST_ASSERT_EQ(uin(LSR), LSR_DR | LSR_OE | LSR_THRE | LSR_TEMT);
	GUEST_ASSERT_EQ(uin(LSR), LSR_DR | LSR_THRE | LSR_TEMT);
	GUEST_ASSERT_EQ(uin(IIR), 0xc4);	/* data available */
	for (i = 0; i < 16; i++)
		GUEST_ASSERT_EQ(uin(RBR), (uint8_t)input[i]);
	GUEST_ASSERT_EQ(uin(LSR), LSR_THRE | LSR_TEMT);
	GUEST_ASSERT_EQ(uin(IIR), 0xc1);
	/* trigger level 8 with 2 bytes: a character timeout */
	uout(IIR, 0x81);
	GUEST_SYNC(1);			/* the host sends 2 */
	GUEST_ASSERT_EQ(uin(IIR), 0xcc);
	uout(IIR, 0x83);		/* receive FIFO reset */
	GUEST_ASSERT_EQ(uin(LSR), LSR_THRE | LSR_TEMT);
	/* FIFOs off: one byte holds, the next overruns */
	uout(IIR, 0x00);
	GUEST_SYNC(2);			/* the host sends 2 */
	GUEST_ASSERT_EQ(uin(IIR), 0x06);
	GUEST_ASSERT_EQ(uin(LSR), LSR_DR | LSR_OE | LSR_THRE | LSR_TEMT);
	GUEST_ASSERT_EQ(uin(RBR), (uint8_t)input[0]);
	GUEST_ASSERT_EQ(uin(LSR), LSR_THRE | LSR_TEMT);
	GUEST_DONE();
}

TEST(fifo_input)
{
	struct mhv_ucall uc;
	struct uart_vm v;

	ASSERT_EQ(0, uart_vm_create(&v, "uart-fifo", guest_fifo));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(16, mhv_uart_write_input(v.g.vm_fd, v.id, input, 18));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(2, mhv_uart_write_input(v.g.vm_fd, v.id, input, 2));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(1, mhv_uart_write_input(v.g.vm_fd, v.id, input, 2));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_NO_UART_EXIT(&v, 4);
	/* more than one buffer at once is refused */
	EXPECT_EQ(-EINVAL, mhv_uart_write_input(v.g.vm_fd, v.id, input,
						MHV_UART_BUF_SIZE + 1));
	mhv_guest_destroy(&v.g);
}

/* ---- loopback ---------------------------------------------------------------- */

static void guest_loop(uint64_t arg)
{
	uout(MCR, 0x13);		/* loop, RTS, DTR */
	/* CTS = RTS, DSR = DTR, DCD = OUT2 (dropped: delta) */
	GUEST_ASSERT_EQ(uin(MSR), 0x30 | 0x08);
	GUEST_ASSERT_EQ(uin(MSR), 0x30);	/* deltas clear on read */
	uout(MCR, 0x1c);		/* loop, OUT1, OUT2 */
	/* RI = OUT1, DCD = OUT2; CTS, DSR, DCD changed */
	GUEST_ASSERT_EQ(uin(MSR), 0xc0 | 0x01 | 0x02 | 0x08);
	uout(MCR, 0x10);
	/* RI fell: trailing edge; DCD changed */
	GUEST_ASSERT_EQ(uin(MSR), 0x04 | 0x08);
	uout(IER, 0x01);
	uout(RBR, 'L');			/* THR to RBR, nothing on the line */
	GUEST_ASSERT_EQ(uin(LSR), LSR_DR | LSR_THRE | LSR_TEMT);
	GUEST_ASSERT_EQ(uin(IIR), 0x04);
	GUEST_ASSERT_EQ(uin(RBR), 'L');
	GUEST_ASSERT_EQ(uin(LSR), LSR_THRE | LSR_TEMT);
	uout(MCR, 0x00);		/* back on the line */
	uout(RBR, 'N');
	GUEST_ASSERT_EQ(uin(LSR), LSR_THRE | LSR_TEMT);
	GUEST_DONE();
}

TEST(loopback)
{
	struct mhv_ucall uc;
	struct uart_vm v;
	char buf[8];

	ASSERT_EQ(0, uart_vm_create(&v, "uart-loop", guest_loop));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	/* only the byte sent outside loopback is output */
	ASSERT_EQ(1, mhv_uart_read_output(v.g.vm_fd, v.id, buf, sizeof(buf)));
	EXPECT_EQ('N', buf[0]);
	EXPECT_NO_UART_EXIT(&v, 1);
	mhv_guest_destroy(&v.g);
}

/* ---- output ------------------------------------------------------------------ */

static const char hello[] = "Hello from the guest's 16550A!\n";

static void guest_output(uint64_t arg)
{
	unsigned int i;

	for (i = 0; i < sizeof(hello) - 1; i++) {
		GUEST_ASSERT(uin(LSR) & LSR_THRE);
		uout(RBR, hello[i]);
	}
	GUEST_DONE();
}

TEST(output_batch)
{
	struct mhv_device_stats st;
	struct mhv_ucall uc;
	struct uart_vm v;
	char buf[128];
	int n = sizeof(hello) - 1;

	ASSERT_EQ(0, uart_vm_create(&v, "uart-out", guest_output));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_NO_UART_EXIT(&v, 1);
	EXPECT_EQ(2 * n, vstat(&v, MHV_STAT_DEV_IO));
	/* a short read first, then the rest in one batch */
	ASSERT_EQ(5, mhv_uart_read_output(v.g.vm_fd, v.id, buf, 5));
	ASSERT_EQ(n - 5, mhv_uart_read_output(v.g.vm_fd, v.id, buf + 5,
					      sizeof(buf) - 5));
	EXPECT_EQ(0, memcmp(buf, hello, n));
	EXPECT_EQ(0, mhv_uart_read_output(v.g.vm_fd, v.id, buf, sizeof(buf)));
	ASSERT_EQ(0, mhv_get_device_stats(v.g.vm_fd, v.id, &st));
	EXPECT_EQ(n, st.writes);
	EXPECT_EQ(n, st.reads);
	EXPECT_EQ(0, st.err_dropped);
	mhv_guest_destroy(&v.g);
}

#define EXTRA	10

static void guest_flood(uint64_t arg)
{
	unsigned int i;

	for (i = 0; i < MHV_UART_BUF_SIZE + EXTRA; i++)
		uout(RBR, i * 7);
	GUEST_ASSERT_EQ(uin(LSR), LSR_THRE | LSR_TEMT);	/* never stuck */
	GUEST_DONE();
}

TEST(output_overflow)
{
	static uint8_t buf[MHV_UART_BUF_SIZE + EXTRA];
	struct mhv_device_stats st;
	struct mhv_ucall uc;
	struct uart_vm v;
	unsigned int i;

	ASSERT_EQ(0, uart_vm_create(&v, "uart-flood", guest_flood));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_NO_UART_EXIT(&v, 1);
	ASSERT_EQ(0, mhv_get_device_stats(v.g.vm_fd, v.id, &st));
	EXPECT_EQ(MHV_UART_BUF_SIZE, st.writes);
	EXPECT_EQ(EXTRA, st.err_dropped);
	EXPECT_EQ(MHV_UART_BUF_SIZE + EXTRA + 1, st.time_count);
	/* the first 4 KiB were kept, in order */
	ASSERT_EQ(MHV_UART_BUF_SIZE,
		  mhv_uart_read_output(v.g.vm_fd, v.id, buf, sizeof(buf)));
	for (i = 0; i < MHV_UART_BUF_SIZE; i++)
		ASSERT_EQ((uint8_t)(i * 7), buf[i]);
	mhv_guest_destroy(&v.g);
}

/* ---- the ioctls on a device that is not a UART ------------------------------- */

TEST(not_a_uart)
{
	struct uart_vm v;
	char buf[4];
	int demo;

	ASSERT_EQ(0, uart_vm_create(&v, "uart-api", guest_output));
	demo = mhv_create_device(v.g.vm_fd, MHV_DEV_TYPE_DEMO,
				 MHV_DEV_SPACE_PIO, 0x500);
	ASSERT_LE(0, demo);
	EXPECT_EQ(-ENODEV, mhv_uart_read_output(v.g.vm_fd, demo, buf, 4));
	EXPECT_EQ(-ENODEV, mhv_uart_write_input(v.g.vm_fd, demo, buf, 4));
	EXPECT_EQ(-ENOENT, mhv_uart_read_output(v.g.vm_fd, 7, buf, 4));
	/* overlapping COM1 */
	EXPECT_EQ(-EEXIST, mhv_create_device(v.g.vm_fd, MHV_DEV_TYPE_UART,
					     MHV_DEV_SPACE_PIO, COM1 + 7));
	mhv_guest_destroy(&v.g);
}

TEST_HARNESS_MAIN
