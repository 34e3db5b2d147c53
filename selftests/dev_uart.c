// SPDX-License-Identifier: GPL-2.0
/*
 * The 16550A UART device (MHV_DEV_TYPE_UART) at COM1, driven by guest
 * IN/OUT: reset values, the DLAB divisor latch, the scratch register,
 * LSR (DR, OE, THRE, TEMT), IIR priorities, loopback (THR to RBR, MSR
 * following MCR), receive FIFO input fed from the host, and no exit to
 * userspace for any UART access but batches of output. Output reaches
 * the host through the run page (mhv_run_console()): a console exit per
 * line or per MHV_RUN_CONSOLE_MAX bytes, or when the guest polls for
 * input after a prompt; what is pending at any other exit goes with it;
 * every byte once, in order; MHV_DEV_UART_READ_OUTPUT drains what no
 * run took. Expected register values are the 16550A datasheet's.
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

/*
 * Every UART access stayed in the kernel: only @ucalls and @console
 * console exits (batches of output) reached the host.
 */
#define EXPECT_NO_UART_EXIT(v, ucalls, console) do {			\
	EXPECT_EQ((ucalls) + (console), vstat((v), MHV_STAT_USER_EXITS)); \
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
	EXPECT_NO_UART_EXIT(&v, 2, 0);
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
	EXPECT_NO_UART_EXIT(&v, 1, 0);
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
	EXPECT_NO_UART_EXIT(&v, 4, 0);
	/* more than one buffer at once is refused */
	EXPECT_EQ(-EINVAL, mhv_uart_write_input(v.g.vm_fd, v.id, input,
						MHV_UART_BUF_SIZE + 1));
	mhv_guest_destroy(&v.g);
}

/* What mhv_guest_run() handed over of the UART's output. */
struct capture {
	char buf[16384];
	size_t len;
	unsigned int calls;
};

static void capture_fn(void *arg, unsigned int vcpu, const void *data,
		       size_t len)
{
	struct capture *c = arg;

	if (len > sizeof(c->buf) - c->len)
		len = sizeof(c->buf) - c->len;
	memcpy(c->buf + c->len, data, len);
	c->len += len;
	c->calls++;
}

static void capture_attach(struct uart_vm *v, struct capture *c)
{
	memset(c, 0, sizeof(*c));
	v->g.console = capture_fn;
	v->g.console_arg = c;
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
	struct capture c;
	struct uart_vm v;
	char buf[8];

	ASSERT_EQ(0, uart_vm_create(&v, "uart-loop", guest_loop));
	capture_attach(&v, &c);
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	/* only the byte sent outside loopback is output; DONE carried it */
	ASSERT_EQ(1, c.len);
	EXPECT_EQ('N', c.buf[0]);
	EXPECT_EQ(0, mhv_uart_read_output(v.g.vm_fd, v.id, buf, sizeof(buf)));
	EXPECT_NO_UART_EXIT(&v, 1, 0);
	mhv_guest_destroy(&v.g);
}

/* ---- output through the run page --------------------------------------------- */

/* A polled transmitter: wait for THRE, then THR, as the 8250 drivers do. */
static void uputs(const char *p, size_t n)
{
	while (n--) {
		while (!(uin(LSR) & LSR_THRE))
			;
		uout(RBR, *p++);
	}
}

static const char hello[] = "Hello from the guest's 16550A!\n";

static void guest_output(uint64_t arg)
{
	uputs(hello, sizeof(hello) - 1);
	GUEST_DONE();
}

TEST(output_batch)
{
	struct mhv_device_stats st;
	struct mhv_ucall uc;
	struct capture c;
	struct uart_vm v;
	char buf[8];
	int n = sizeof(hello) - 1;

	ASSERT_EQ(0, uart_vm_create(&v, "uart-out", guest_output));
	capture_attach(&v, &c);
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	/* one line: one console exit with all of it, no byte left behind */
	EXPECT_EQ(1, c.calls);
	ASSERT_EQ(n, c.len);
	EXPECT_EQ(0, memcmp(c.buf, hello, n));
	EXPECT_EQ(1, vstat(&v, MHV_STAT_CONSOLE));
	EXPECT_NO_UART_EXIT(&v, 1, 1);
	EXPECT_EQ(2 * n, vstat(&v, MHV_STAT_DEV_IO));
	EXPECT_EQ(0, mhv_uart_read_output(v.g.vm_fd, v.id, buf, sizeof(buf)));
	ASSERT_EQ(0, mhv_get_device_stats(v.g.vm_fd, v.id, &st));
	EXPECT_EQ(n, st.writes);
	EXPECT_EQ(n, st.reads);
	EXPECT_EQ(0, st.err_dropped);
	mhv_guest_destroy(&v.g);
}

/*
 * Several KiB: NR_LINES lines of 20 to 79 bytes, then TAIL bytes with no
 * newline. By the batch rule (a newline, or MHV_RUN_CONSOLE_MAX bytes
 * pending) each line is one console exit and the tail makes
 * TAIL / MHV_RUN_CONSOLE_MAX more; the rest of the tail comes with DONE.
 */
#define NR_LINES	64
#define TAIL		2500
#define TEXT_MAX	(NR_LINES * 80 + TAIL)

static size_t line_len(unsigned int i)
{
	return 20 + (i * 13) % 60;	/* newline included */
}

/* The text, in the guest and in the host alike; returns its length. */
static size_t build_text(char *t)
{
	size_t n = 0, j;
	unsigned int i;

	for (i = 0; i < NR_LINES; i++) {
		for (j = 0; j + 1 < line_len(i); j++)
			t[n++] = 'a' + (i * 7 + j) % 26;
		t[n++] = '\n';
	}
	for (j = 0; j < TAIL; j++)
		t[n++] = 'A' + j % 26;
	return n;
}

static char text[TEXT_MAX];

static void guest_text(uint64_t arg)
{
	uputs(text, build_text(text));
	GUEST_DONE();
}

TEST(output_kib_in_few_exits)
{
	static char want[TEXT_MAX];
	size_t n = build_text(want);
	unsigned long console = NR_LINES + TAIL / MHV_RUN_CONSOLE_MAX;
	struct mhv_device_stats st;
	struct mhv_ucall uc;
	struct capture c;
	struct uart_vm v;

	ASSERT_EQ(0, uart_vm_create(&v, "uart-kib", guest_text));
	capture_attach(&v, &c);
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	/* complete and in order */
	ASSERT_EQ(n, c.len);
	EXPECT_EQ(0, memcmp(c.buf, want, n));
	EXPECT_EQ(console, vstat(&v, MHV_STAT_CONSOLE));
	EXPECT_LT(console * 50, n);	/* far fewer exits than bytes */
	EXPECT_NO_UART_EXIT(&v, 1, console);
	EXPECT_EQ(console + 1, c.calls);	/* the rest of the tail: DONE */
	ASSERT_EQ(0, mhv_get_device_stats(v.g.vm_fd, v.id, &st));
	EXPECT_EQ(n, st.writes);
	EXPECT_EQ(0, st.err_dropped);
	mhv_guest_destroy(&v.g);
}

/* REP OUTSB of STR_BYTES: chunks of up to MHV_RUN_IO_DATA_MAX at once. */
#define STR_BYTES	5000

static uint8_t str_buf[STR_BYTES];

static void guest_outsb(uint64_t arg)
{
	unsigned int i;
	void *p = str_buf;
	uint64_t n = STR_BYTES;

	for (i = 0; i < STR_BYTES; i++)
		str_buf[i] = 'A' + i % 26;	/* no newline */
	__asm__ volatile("rep outsb" : "+S"(p), "+c"(n) : "d"(COM1 + RBR)
			 : "memory");
	GUEST_DONE();
}

TEST(output_rep_outsb)
{
	unsigned long console = STR_BYTES / MHV_RUN_CONSOLE_MAX;
	struct mhv_device_stats st;
	struct mhv_ucall uc;
	struct capture c;
	struct uart_vm v;
	unsigned int i;

	ASSERT_EQ(0, uart_vm_create(&v, "uart-outsb", guest_outsb));
	capture_attach(&v, &c);
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(STR_BYTES, c.len);
	for (i = 0; i < STR_BYTES; i++)
		ASSERT_EQ('A' + i % 26, c.buf[i]) TH_LOG("byte %u", i);
	/* a chunk beyond one batch: the next RUN hands the rest over first */
	EXPECT_EQ(console, vstat(&v, MHV_STAT_CONSOLE));
	ASSERT_EQ(0, mhv_get_device_stats(v.g.vm_fd, v.id, &st));
	EXPECT_EQ(STR_BYTES, st.writes);
	EXPECT_EQ(0, st.err_dropped);
	mhv_guest_destroy(&v.g);
}

/* ---- output pending at other exits --------------------------------------------- */

#define DBG_PORT	0xf4

static void guest_pending(uint64_t arg)
{
	uputs("abc", 3);
	__asm__ volatile("hlt");
	uputs("de", 2);
	__asm__ volatile("outb %b0, %w1" : : "a"(7), "d"(DBG_PORT));
	uputs("line\nfg", 7);
	GUEST_SYNC(0);
	GUEST_DONE();
}

/* The next return of MHV_RUN, with the bytes it carried in @c. */
static int run_raw(struct uart_vm *v, struct capture *c, uint64_t *pos)
{
	const void *data;
	uint32_t dev = ~0U;
	int r = mhv_run(v->g.vcpu[0].fd), n;

	n = mhv_run_console(v->g.vcpu[0].run, &data, &dev, pos);
	c->len = n > 0 ? n : 0;
	if (n > 0) {
		memcpy(c->buf, data, n);
		if (dev != (uint32_t)v->id)
			return -ENODEV;
	}
	return r;
}

#define EXPECT_RETURN(v, c, reason, text, at) do {			\
	uint64_t __pos = ~0ULL;						\
	ASSERT_EQ(0, run_raw((v), (c), &__pos));			\
	ASSERT_EQ((reason), (v)->g.vcpu[0].run->exit_reason)		\
		TH_LOG("exit %s", mhv_exit_reason_name(		\
			(v)->g.vcpu[0].run->exit_reason));		\
	ASSERT_EQ(strlen(text), (c)->len);				\
	EXPECT_EQ(0, memcmp((c)->buf, (text), (c)->len));		\
	if ((c)->len)							\
		EXPECT_EQ((at), __pos);					\
} while (0)

TEST(output_pending_at_exits)
{
	struct capture c;
	struct uart_vm v;
	int dbg;

	ASSERT_EQ(0, uart_vm_create(&v, "uart-pend", guest_pending));
	dbg = mhv_create_device(v.g.vm_fd, MHV_DEV_TYPE_DEBUG_EXIT,
				MHV_DEV_SPACE_PIO, DBG_PORT);
	ASSERT_LE(0, dbg);
	/* no newline, no full area: each goes with the exit that follows */
	EXPECT_RETURN(&v, &c, MHV_EXIT_HLT, "abc", 0);
	EXPECT_RETURN(&v, &c, MHV_EXIT_DEBUG_EXIT, "de", 3);
	EXPECT_EQ(7, v.g.vcpu[0].run->debug_exit.status);
	/* a newline: a console exit right after it, the rest later */
	EXPECT_RETURN(&v, &c, MHV_EXIT_CONSOLE, "line\n", 5);
	EXPECT_RETURN(&v, &c, MHV_EXIT_IO, "fg", 10);	/* the SYNC */
	EXPECT_RETURN(&v, &c, MHV_EXIT_IO, "", 0);	/* DONE */
	EXPECT_EQ(1, vstat(&v, MHV_STAT_CONSOLE));
	/* the bytes left the device: nothing for the ioctl */
	EXPECT_EQ(0, mhv_uart_read_output(v.g.vm_fd, v.id, c.buf, 8));
	mhv_guest_destroy(&v.g);
}

/*
 * A prompt: output with no newline, then the guest polls for input (a
 * bounded wait, so that a prompt never shown fails instead of hanging).
 */
#define MAX_POLLS	100000

static void guest_prompt(uint64_t arg)
{
	unsigned int i;

	uputs("login: ", 7);
	for (i = 0; i < MAX_POLLS && !(uin(LSR) & LSR_DR); i++)
		;
	GUEST_SYNC(i < MAX_POLLS ? uin(RBR) : 0);
	GUEST_DONE();
}

TEST(output_prompt_while_polling)
{
	struct mhv_ucall uc;
	struct capture c;
	struct uart_vm v;

	ASSERT_EQ(0, uart_vm_create(&v, "uart-prompt", guest_prompt));
	/* the prompt comes while the guest waits, before any input */
	EXPECT_RETURN(&v, &c, MHV_EXIT_CONSOLE, "login: ", 0);
	EXPECT_EQ(1, mhv_uart_write_input(v.g.vm_fd, v.id, "r", 1));
	capture_attach(&v, &c);
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ('r', uc.args[0]);
	EXPECT_EQ(0, c.len);		/* the prompt came once */
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(1, vstat(&v, MHV_STAT_CONSOLE));
	mhv_guest_destroy(&v.g);
}

/*
 * Output no vCPU took (written from the host here): a ready batch makes
 * the next MHV_RUN return at once, before the guest runs; what is not a
 * batch waits for an exit, or for MHV_DEV_UART_READ_OUTPUT.
 */
static void guest_nothing(uint64_t arg)
{
	GUEST_DONE();
}

static int host_puts(struct uart_vm *v, const char *s, size_t n)
{
	int r = 0;

	while (n-- && !r)
		r = mhv_device_write(v->g.vm_fd, v->id, RBR, 1,
				     (uint8_t)*s++);
	return r;
}

TEST(output_left_over)
{
	struct mhv_ucall uc;
	struct capture c;
	struct uart_vm v;
	char buf[16];

	ASSERT_EQ(0, uart_vm_create(&v, "uart-left", guest_nothing));
	ASSERT_EQ(0, host_puts(&v, "host\nxy", 7));
	EXPECT_RETURN(&v, &c, MHV_EXIT_CONSOLE, "host\nxy", 0);
	ASSERT_EQ(0, host_puts(&v, "zz", 2));
	/* not a batch: the guest runs, DONE carries it */
	capture_attach(&v, &c);
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(2, c.len);
	EXPECT_EQ(0, memcmp(c.buf, "zz", 2));
	/* the ioctl drains what no run took */
	ASSERT_EQ(0, host_puts(&v, "12345", 5));
	ASSERT_EQ(2, mhv_uart_read_output(v.g.vm_fd, v.id, buf, 2));
	ASSERT_EQ(3, mhv_uart_read_output(v.g.vm_fd, v.id, buf + 2, 8));
	EXPECT_EQ(0, memcmp(buf, "12345", 5));
	EXPECT_EQ(0, mhv_uart_read_output(v.g.vm_fd, v.id, buf, 8));
	mhv_guest_destroy(&v.g);
}

#define EXTRA	10

/* The output buffer holds MHV_UART_BUF_SIZE bytes when nothing drains it. */
TEST(output_buffer_full)
{
	static uint8_t buf[MHV_UART_BUF_SIZE + EXTRA];
	struct uart_vm v;
	unsigned int i;

	ASSERT_EQ(0, uart_vm_create(&v, "uart-full", guest_nothing));
	for (i = 0; i < MHV_UART_BUF_SIZE + EXTRA; i++)
		ASSERT_EQ(0, mhv_device_write(v.g.vm_fd, v.id, RBR, 1,
					      (uint8_t)(i * 7)));
	/* the first 4 KiB were kept, in order; the rest is gone */
	ASSERT_EQ(MHV_UART_BUF_SIZE,
		  mhv_uart_read_output(v.g.vm_fd, v.id, buf, sizeof(buf)));
	for (i = 0; i < MHV_UART_BUF_SIZE; i++)
		ASSERT_EQ((uint8_t)(i * 7), buf[i]);
	EXPECT_EQ(0, mhv_uart_read_output(v.g.vm_fd, v.id, buf, sizeof(buf)));
	mhv_guest_destroy(&v.g);
}

/* ---- the interrupt ------------------------------------------------------------ */

#define IDT_GPA		0x2000000ULL	/* 32 MiB: a page no one uses */
#define UART_VEC	0x44

#define IER_RDI		0x01
#define IER_THRI	0x02
#define IER_RLSI	0x04
#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10
#define IIR_NO_INT	0x01
#define IIR_ID		0x0e
#define IIR_THRI	0x02
#define IIR_RDI		0x04
#define IIR_RLSI	0x06
#define IIR_TIMEOUT	0x0c

/* What the guest's handler saw, by source (IIR), as an 8250 driver does. */
static volatile uint64_t n_irq, n_rls, n_rdi, n_thri, n_other;
static volatile uint8_t rx_bytes[64], rls_lsr;
static volatile unsigned int rx_n;
static volatile int no_ack;	/* the handler leaves every source pending */

static void uart_handler(struct mhv_ex_regs *r)
{
	uint8_t iir;

	n_irq++;
	if (no_ack)
		return;
	/* every source, until IIR says none: the line is edge-triggered */
	while (!((iir = uin(IIR)) & IIR_NO_INT)) {
		switch (iir & IIR_ID) {
		case IIR_RLSI:
			n_rls++;
			rls_lsr = uin(LSR);
			break;
		case IIR_RDI:
		case IIR_TIMEOUT:
			n_rdi++;
			while ((uin(LSR) & LSR_DR) && rx_n < sizeof(rx_bytes))
				rx_bytes[rx_n++] = uin(RBR);
			break;
		case IIR_THRI:
			n_thri++;	/* reading IIR cleared it */
			break;
		default:
			n_other++;
			uin(MSR);
			break;
		}
	}
}

static int irq_vm_create(struct uart_vm *v, const char *name,
			 void (*fn)(uint64_t))
{
	int ret = mhv_guest_create(&v->g, name, 1, 64, fn, 0);

	if (ret)
		return ret;
	ret = mhv_guest_setup_idt(&v->g, IDT_GPA);
	if (!ret)
		ret = mhv_guest_install_handler(&v->g, UART_VEC,
						uart_handler);
	if (!ret)
		ret = v->id = mhv_create_device_irq(v->g.vm_fd,
						    MHV_DEV_TYPE_UART,
						    MHV_DEV_SPACE_PIO, COM1,
						    UART_VEC);
	if (ret < 0) {
		mhv_guest_destroy(&v->g);
		return ret;
	}
	return 0;
}

/*
 * A raised interrupt is delivered at the next entry, before the next
 * guest instruction: right after an OUT, or after the ucall a host
 * action answered, the handler has run.
 */
static void guest_irq_thre(uint64_t arg)
{
	uout(MCR, MCR_OUT2 | MCR_DTR | MCR_RTS);
	__asm__ volatile("sti");
	/* THR is empty: enabling its interrupt raises it */
	uout(IER, IER_THRI);
	GUEST_ASSERT_EQ(n_thri, 1);
	GUEST_ASSERT_EQ(uin(IIR), IIR_NO_INT);	/* the handler read it */
	/* each THR write: THRE drops, the byte leaves, THRE again */
	uout(RBR, 'a');
	GUEST_ASSERT_EQ(n_thri, 2);
	uout(RBR, 'b');
	GUEST_ASSERT_EQ(n_thri, 3);
	/* with IF 0, two edges (a THR write, enabling THRI again) ... */
	__asm__ volatile("cli");
	uout(RBR, 'c');
	uout(IER, 0);
	uout(IER, IER_THRI);
	__asm__ volatile("sti; nop");
	/* ... give one interrupt once IF is 1: the vector was pending */
	GUEST_ASSERT_EQ(n_thri, 4);
	/* disabled: THR writes raise nothing */
	uout(IER, 0);
	uout(RBR, '\n');
	GUEST_ASSERT_EQ(n_thri, 4);
	GUEST_ASSERT_EQ(n_irq, 4);
	/*
	 * A handler that does not read IIR leaves THRE pending and the line
	 * high; a THR write still clears THRE and, the byte gone at once,
	 * sets it again: a new edge, a new interrupt.
	 */
	no_ack = 1;
	uout(IER, IER_THRI);
	GUEST_ASSERT_EQ(n_irq, 5);
	uout(RBR, '!');
	GUEST_ASSERT_EQ(n_irq, 6);
	no_ack = 0;
	uout(IER, 0);
	GUEST_ASSERT_EQ(n_thri, 4);
	GUEST_ASSERT_EQ(n_other + n_rdi + n_rls, 0);
	GUEST_DONE();
}

TEST(irq_thr_empty)
{
	struct mhv_ucall uc;
	struct capture c;
	struct uart_vm v;

	ASSERT_EQ(0, irq_vm_create(&v, "uart-irq-thre", guest_irq_thre));
	capture_attach(&v, &c);
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(5, c.len);
	EXPECT_EQ(0, memcmp(c.buf, "abc\n!", 5));
	EXPECT_EQ(6, vstat(&v, MHV_STAT_IRQ_INJECTED));
	mhv_guest_destroy(&v.g);
}

static void guest_irq_rx(uint64_t arg)
{
	uout(IIR, 0x07);		/* FIFOs on and reset, trigger 1 */
	uout(MCR, MCR_OUT2);
	__asm__ volatile("sti");
	uout(IER, IER_RDI | IER_RLSI);
	GUEST_ASSERT_EQ(n_irq, 0);	/* nothing received yet */
	GUEST_SYNC(0);			/* the host sends "hi" */
	GUEST_ASSERT_EQ(n_irq, 1);
	GUEST_ASSERT_EQ(n_rdi, 1);
	GUEST_ASSERT_EQ(rx_n, 2);
	GUEST_ASSERT_EQ(rx_bytes[0], 'h');
	GUEST_ASSERT_EQ(rx_bytes[1], 'i');
	GUEST_SYNC(1);			/* 18 bytes: 2 overrun */
	/* one interrupt: line status first, then the data, by priority */
	GUEST_ASSERT_EQ(n_irq, 2);
	GUEST_ASSERT_EQ(n_rls, 1);
	GUEST_ASSERT_EQ(rls_lsr, LSR_DR | LSR_OE | LSR_THRE | LSR_TEMT);
	GUEST_ASSERT_EQ(n_rdi, 2);
	GUEST_ASSERT_EQ(rx_n, 2 + MHV_UART_FIFO_SIZE);
	/* the gate: without OUT2 input raises nothing, IIR shows it */
	uout(MCR, 0);
	GUEST_SYNC(2);			/* one byte */
	GUEST_ASSERT_EQ(n_irq, 2);
	GUEST_ASSERT_EQ(uin(IIR), 0xc0 | IIR_RDI);
	uout(MCR, MCR_OUT2);		/* the gate opens: an edge */
	GUEST_ASSERT_EQ(n_irq, 3);
	GUEST_ASSERT_EQ(rx_n, 3 + MHV_UART_FIFO_SIZE);
	/* loopback: the OUT2 pin is inactive, no interrupt leaves */
	uout(MCR, MCR_LOOP | MCR_OUT2);
	uout(RBR, 'L');
	GUEST_ASSERT_EQ(uin(IIR), 0xc0 | IIR_RDI);
	GUEST_ASSERT_EQ(n_irq, 3);
	uout(MCR, MCR_OUT2);		/* back on the line: 'L' still waits */
	GUEST_ASSERT_EQ(n_irq, 4);
	GUEST_ASSERT_EQ(rx_bytes[rx_n - 1], 'L');
	GUEST_ASSERT_EQ(n_thri + n_other, 0);
	GUEST_DONE();
}

TEST(irq_received_data_and_line_status)
{
	static const char in18[] = "0123456789abcdefXY";
	struct mhv_ucall uc;
	struct uart_vm v;
	volatile uint8_t *rx;

	ASSERT_EQ(0, irq_vm_create(&v, "uart-irq-rx", guest_irq_rx));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(2, mhv_uart_write_input(v.g.vm_fd, v.id, "hi", 2));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(MHV_UART_FIFO_SIZE,
		  mhv_uart_write_input(v.g.vm_fd, v.id, in18, 18));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(1, mhv_uart_write_input(v.g.vm_fd, v.id, "z", 1));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_DONE);
	/* what the handler read, in order */
	rx = mhv_guest_ptr(&v.g, (uint64_t)(uintptr_t)rx_bytes);
	ASSERT_NE(NULL, rx);
	EXPECT_EQ(0, memcmp((const void *)(rx + 2), in18, MHV_UART_FIFO_SIZE));
	EXPECT_EQ('z', rx[2 + MHV_UART_FIFO_SIZE]);
	EXPECT_EQ(4, vstat(&v, MHV_STAT_IRQ_INJECTED));
	mhv_guest_destroy(&v.g);
}

/*
 * The guest waits for input in HLT with interrupts on. The UART cannot
 * promise an interrupt by itself (no can_wake), so the HLT goes to the
 * host; the input it sends raises the interrupt, and the next RUN
 * delivers it: the guest goes on after its HLT with the byte.
 */
static void guest_irq_hlt(uint64_t arg)
{
	uout(MCR, MCR_OUT2);
	uout(IER, IER_RDI);
	while (!rx_n)
		__asm__ volatile("sti; hlt; cli");
	GUEST_SYNC(rx_bytes[0]);
	GUEST_DONE();
}

TEST(irq_input_wakes_hlt)
{
	struct mhv_ucall uc;
	struct uart_vm v;

	ASSERT_EQ(0, irq_vm_create(&v, "uart-irq-hlt", guest_irq_hlt));
	EXPECT_EXIT(&v.g, 0, &uc, MHV_EXIT_HLT);
	EXPECT_EQ(1, v.g.vcpu[0].run->if_flag);
	EXPECT_EQ(1, mhv_uart_write_input(v.g.vm_fd, v.id, "w", 1));
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ('w', uc.args[0]);
	EXPECT_EQ(1, vstat(&v, MHV_STAT_IRQ_INJECTED));
	EXPECT_EQ(1, vstat(&v, MHV_STAT_HLT));
	mhv_guest_destroy(&v.g);
}

/*
 * A vCPU about to wait in the kernel (HLT with RFLAGS.IF set while a
 * running timer will wake it) first hands over its pending output: a
 * prompt printed before the HLT does not wait for the wake-up.
 */
#define TIMER_PORT	0x540
#define TIMER_VEC	0x45

static volatile uint64_t n_ticks;

static void timer_handler(struct mhv_ex_regs *r)
{
	n_ticks++;
}

static inline void out32(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %w1" : : "a"(v), "d"(port));
}

static void guest_halt_flush(uint64_t arg)
{
	uputs("zzz", 3);
	out32(TIMER_PORT + MHV_TIMER_PERIOD, 1000);
	out32(TIMER_PORT + MHV_TIMER_CTRL,
	      MHV_TIMER_CTRL_ENABLE | MHV_TIMER_CTRL_ONESHOT);
	__asm__ volatile("sti; hlt; cli");	/* until the tick */
	GUEST_SYNC(n_ticks);
	GUEST_DONE();
}

TEST(output_before_halt_in_kernel)
{
	struct mhv_ucall uc;
	struct capture c;
	struct uart_vm v;

	ASSERT_EQ(0, irq_vm_create(&v, "uart-halt", guest_halt_flush));
	ASSERT_EQ(0, mhv_guest_install_handler(&v.g, TIMER_VEC,
					       timer_handler));
	ASSERT_LE(0, mhv_create_device_irq(v.g.vm_fd, MHV_DEV_TYPE_TIMER,
					   MHV_DEV_SPACE_PIO, TIMER_PORT,
					   TIMER_VEC));
	EXPECT_RETURN(&v, &c, MHV_EXIT_CONSOLE, "zzz", 0);
	EXPECT_EQ(1, vstat(&v, MHV_STAT_HALT_SLEEP));
	EXPECT_EQ(0, vstat(&v, MHV_STAT_HALT_WAKEUP));
	/* the next RUN sleeps until the tick, and the guest goes on */
	EXPECT_UCALL(&v.g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(1, uc.args[0]);
	EXPECT_EQ(1, vstat(&v, MHV_STAT_HALT_WAKEUP));
	EXPECT_EQ(1, vstat(&v, MHV_STAT_CONSOLE));
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
