// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - a 16550A-compatible UART (COM1 is port 0x3f8).
 *
 * Eight 8-bit registers with the datasheet's semantics: RBR/THR (DLL
 * while LCR.DLAB is set), IER (DLM while DLAB), IIR/FCR, LCR, MCR, LSR,
 * MSR, SCR. Transmission takes no time: a byte written to THR goes at
 * once to the device's output buffer (MHV_UART_BUF_SIZE bytes; a byte
 * that finds it full is dropped and the write is counted in
 * err_dropped), so THRE and TEMT are always set. The output reaches
 * userspace in batches through the run page's console area (see
 * mhv_uart_out_ready() for when a batch is ready, and mhv_dev_console());
 * MHV_DEV_UART_READ_OUTPUT drains what is left from the host. Userspace
 * feeds the receiver with MHV_DEV_UART_WRITE_INPUT. The receiver holds
 * MHV_UART_FIFO_SIZE bytes with the FIFOs enabled, one without; a byte
 * that finds it full is lost and sets LSR.OE. In loopback (MCR bit 4) THR bytes go to the receiver
 * and the modem inputs of MSR follow the MCR outputs. IIR reports the
 * highest pending interrupt source; a character timeout is reported as
 * soon as the FIFO holds bytes below the trigger level (no time passes
 * on this line). The interrupt output is wired as on a PC: gated by
 * MCR.OUT2, none in loopback; each rising edge raises the vector given
 * at creation, or the GSI line follows the output (mhv_dev_irq()). A THR
 * write clears the THRE interrupt
 * and, the byte sent at once, sets it again: a new edge.
 */
#include <linux/serial_reg.h>
#include <linux/string.h>

#include "dev.h"

enum { U_RBR, U_IER, U_IIR, U_LCR, U_MCR, U_LSR, U_MSR, U_SCR };

static const struct mhv_dev_reg mhv_uart_regs[] = {
	[U_RBR]	= { "rbr/thr/dll", UART_RX, 1, 1, 0 },
	[U_IER]	= { "ier/dlm", UART_IER, 1, 1, 0 },
	[U_IIR]	= { "iir/fcr", UART_IIR, 1, 1, 0 },
	[U_LCR]	= { "lcr", UART_LCR, 1, 1, 0 },
	[U_MCR]	= { "mcr", UART_MCR, 1, 1, 0 },
	[U_LSR]	= { "lsr", UART_LSR, 1, 1, MHV_DEV_REG_F_RO },
	[U_MSR]	= { "msr", UART_MSR, 1, 1, MHV_DEV_REG_F_RO },
	[U_SCR]	= { "scr", UART_SCR, 1, 1, 0 },
};

/* Modem inputs outside loopback: carrier, data set ready, clear to send */
#define UART_MSR_LINE	(UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS)
#define UART_IER_MASK	0x0f
#define UART_MCR_MASK	0x1f
/* IIR bits 7:6 with the FIFOs on (named in serial_reg.h only from 6.3) */
#ifndef UART_IIR_FIFO_ENABLED_16550A
#define UART_IIR_FIFO_ENABLED_16550A	0xc0
#endif

/*
 * Reads of LSR with no THR write in between after which pending output
 * is a batch: the guest polls for input (or idles), so what it printed
 * last (a prompt) is shown without waiting for a newline. A polled
 * transmitter reads LSR once per byte, well below this.
 */
#define MHV_UART_IDLE_POLLS	16

/*
 * The output side, the host's end of the line: bytes sent, not yet
 * handed to userspace. A device reset does not take them back.
 */
struct mhv_uart_out {
	u16 head;			/* oldest byte in buf */
	u16 count;			/* bytes in buf */
	u16 lines;			/* newlines among them */
	u8 polls;			/* LSR reads since the last THR write */
	u64 pos;			/* stream offset of the byte at head */
	u8 buf[MHV_UART_BUF_SIZE];	/* a ring */
};

/* dev->state; every field under dev->lock */
struct mhv_uart {
	u8 rx[MHV_UART_FIFO_SIZE];	/* receive FIFO, a ring */
	u8 rx_head;			/* index of the oldest byte */
	u8 rx_count;			/* bytes in rx */
	u8 rbr;				/* the last byte read */
	u8 ier, lcr, mcr, scr, dll, dlm;
	u8 fcr;				/* FIFO enable, DMA mode, trigger */
	u8 lsr_err;			/* LSR.OE until LSR is read */
	u8 msr;				/* MSR, delta bits included */
	bool thri;			/* THRE interrupt pending */
	bool irq_line;			/* the interrupt output, as last set */
	struct mhv_uart_out out;	/* must stay last: reset keeps it */
};

static bool uart_loop(const struct mhv_uart *u)
{
	return u->mcr & UART_MCR_LOOP;
}

/* MSR bits 7:4: the modem inputs, from MCR in loopback. */
static u8 uart_msr_inputs(const struct mhv_uart *u)
{
	u8 m = 0;

	if (!uart_loop(u))
		return UART_MSR_LINE;
	if (u->mcr & UART_MCR_RTS)
		m |= UART_MSR_CTS;
	if (u->mcr & UART_MCR_DTR)
		m |= UART_MSR_DSR;
	if (u->mcr & UART_MCR_OUT1)
		m |= UART_MSR_RI;
	if (u->mcr & UART_MCR_OUT2)
		m |= UART_MSR_DCD;
	return m;
}

/* New modem inputs: the delta bits record what changed. */
static void uart_update_msr(struct mhv_uart *u)
{
	u8 old = u->msr, now = uart_msr_inputs(u), delta = old & 0x0f;

	if ((old ^ now) & UART_MSR_CTS)
		delta |= UART_MSR_DCTS;
	if ((old ^ now) & UART_MSR_DSR)
		delta |= UART_MSR_DDSR;
	if ((old & UART_MSR_RI) && !(now & UART_MSR_RI))
		delta |= UART_MSR_TERI;
	if ((old ^ now) & UART_MSR_DCD)
		delta |= UART_MSR_DDCD;
	u->msr = now | delta;
}

static void mhv_uart_reset(struct mhv_dev *dev)
{
	struct mhv_uart *u = mhv_dev_state(dev);

	memset(u, 0, offsetof(struct mhv_uart, out));
	u->msr = UART_MSR_LINE;
}

static unsigned int uart_rx_capacity(const struct mhv_uart *u)
{
	return (u->fcr & UART_FCR_ENABLE_FIFO) ? MHV_UART_FIFO_SIZE : 1;
}

/* A byte reaches the receiver; false if it was lost (overrun). */
static bool uart_receive(struct mhv_uart *u, u8 c)
{
	if (u->rx_count >= uart_rx_capacity(u)) {
		u->lsr_err |= UART_LSR_OE;
		return false;
	}
	u->rx[(u->rx_head + u->rx_count++) % MHV_UART_FIFO_SIZE] = c;
	return true;
}

static void uart_rx_clear(struct mhv_uart *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
}

static u8 uart_lsr(const struct mhv_uart *u)
{
	u8 lsr = UART_LSR_THRE | UART_LSR_TEMT | u->lsr_err;

	if (u->rx_count)
		lsr |= UART_LSR_DR;
	return lsr;
}

static unsigned int uart_trigger(const struct mhv_uart *u)
{
	static const u8 levels[] = { 1, 4, 8, 14 };

	return levels[(u->fcr & UART_FCR_R_TRIG_11) >> 6];
}

/* IIR: the highest-priority pending source, without side effects. */
static u8 uart_iir(const struct mhv_uart *u)
{
	bool fifo = u->fcr & UART_FCR_ENABLE_FIFO;
	u8 id = UART_IIR_NO_INT;

	if ((u->ier & UART_IER_RLSI) && u->lsr_err)
		id = UART_IIR_RLSI;
	else if ((u->ier & UART_IER_RDI) && u->rx_count)
		id = !fifo || u->rx_count >= uart_trigger(u) ?
		     UART_IIR_RDI : UART_IIR_RX_TIMEOUT;
	else if ((u->ier & UART_IER_THRI) && u->thri)
		id = UART_IIR_THRI;
	else if ((u->ier & UART_IER_MSI) && (u->msr & UART_MSR_ANY_DELTA))
		id = UART_IIR_MSI;
	return fifo ? id | UART_IIR_FIFO_ENABLED_16550A : id;
}

/*
 * The interrupt output: some source pending (IIR), and the PC's gate
 * open: MCR.OUT2 drives the buffer between the UART's INTR pin and the
 * interrupt line. In loopback the OUT2 pin is forced inactive, so no
 * interrupt leaves the card (IIR still shows the sources).
 */
static bool uart_irq_level(const struct mhv_uart *u)
{
	return !(uart_iir(u) & UART_IIR_NO_INT) &&
	       (u->mcr & UART_MCR_OUT2) && !uart_loop(u);
}

/*
 * Set the output anew: its interrupt line follows it (a rising edge
 * raises the device's vector without the irqchip).
 */
static void uart_update_irq(struct mhv_dev *dev)
{
	struct mhv_uart *u = mhv_dev_state(dev);
	bool level = uart_irq_level(u);

	if (level != u->irq_line)
		mhv_dev_irq(dev, level);
	u->irq_line = level;
}

static u64 mhv_uart_peek(struct mhv_dev *dev, unsigned int reg)
{
	struct mhv_uart *u = mhv_dev_state(dev);
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (reg) {
	case U_RBR:
		if (dlab)
			return u->dll;
		return u->rx_count ? u->rx[u->rx_head] : u->rbr;
	case U_IER:
		return dlab ? u->dlm : u->ier;
	case U_IIR:
		return uart_iir(u);
	case U_LCR:
		return u->lcr;
	case U_MCR:
		return u->mcr;
	case U_LSR:
		return uart_lsr(u);
	case U_MSR:
		return u->msr;
	default:
		return u->scr;
	}
}

/* Reads of RBR, IIR, LSR and MSR have side effects. */
static u64 mhv_uart_read(struct mhv_dev *dev, unsigned int reg, u8 size)
{
	struct mhv_uart *u = mhv_dev_state(dev);
	u8 val = mhv_uart_peek(dev, reg);

	switch (reg) {
	case U_RBR:
		if (!(u->lcr & UART_LCR_DLAB) && u->rx_count) {
			u->rbr = val;
			u->rx_head = (u->rx_head + 1) % MHV_UART_FIFO_SIZE;
			u->rx_count--;
		}
		break;
	case U_IIR:
		if ((val & UART_IIR_ID) == UART_IIR_THRI)
			u->thri = false;
		break;
	case U_LSR:
		u->lsr_err = 0;
		if (u->out.polls < U8_MAX)
			u->out.polls++;
		break;
	case U_MSR:
		u->msr &= ~UART_MSR_ANY_DELTA;
		break;
	}
	uart_update_irq(dev);
	return val;
}

/* A THR byte: to the output buffer, or to the receiver in loopback. */
static int uart_transmit(struct mhv_uart *u, u8 c)
{
	int ret = MHV_DEV_DONE;

	u->thri = true;
	if (uart_loop(u)) {
		uart_receive(u, c);
	} else if (u->out.count >= MHV_UART_BUF_SIZE) {
		ret = MHV_DEV_DROPPED;
	} else {
		u->out.buf[(u->out.head + u->out.count++) %
			   MHV_UART_BUF_SIZE] = c;
		u->out.lines += c == '\n';
		u->out.polls = 0;
	}
	return ret;
}

static void uart_write_fcr(struct mhv_uart *u, u8 val)
{
	if ((val ^ u->fcr) & UART_FCR_ENABLE_FIFO)
		uart_rx_clear(u);	/* a change of FIFO mode empties them */
	if (!(val & UART_FCR_ENABLE_FIFO)) {
		u->fcr = 0;
		return;
	}
	if (val & UART_FCR_CLEAR_RCVR)
		uart_rx_clear(u);
	/* the transmitter is always empty: UART_FCR_CLEAR_XMIT has no work */
	u->fcr = val & (UART_FCR_ENABLE_FIFO | UART_FCR_DMA_SELECT |
			UART_FCR_R_TRIG_11);
}

static int mhv_uart_write(struct mhv_dev *dev, unsigned int reg, u8 size,
			  u64 val)
{
	struct mhv_uart *u = mhv_dev_state(dev);
	bool dlab = u->lcr & UART_LCR_DLAB;
	int ret = MHV_DEV_DONE;

	switch (reg) {
	case U_RBR:
		if (!dlab) {
			/* THR written: THRE drops, then (sent at once) rises */
			u->thri = false;
			uart_update_irq(dev);
			ret = uart_transmit(u, val);
			break;
		}
		u->dll = val;
		break;
	case U_IER:
		if (dlab) {
			u->dlm = val;
			break;
		}
		/* enabling the THRE interrupt with THR empty raises it */
		if ((val & ~u->ier) & UART_IER_THRI)
			u->thri = true;
		u->ier = val & UART_IER_MASK;
		break;
	case U_IIR:
		uart_write_fcr(u, val);
		break;
	case U_LCR:
		u->lcr = val;
		break;
	case U_MCR:
		u->mcr = val & UART_MCR_MASK;
		uart_update_msr(u);
		break;
	case U_SCR:
		u->scr = val;
		break;
	}
	uart_update_irq(dev);
	return ret;
}

/* Up to @len bytes of output into @buf; returns how many. */
static size_t mhv_uart_out_read(struct mhv_dev *dev, u8 *buf, size_t len,
				u64 *pos)
{
	struct mhv_uart_out *o = &((struct mhv_uart *)mhv_dev_state(dev))->out;
	size_t n = min_t(size_t, len, o->count), i;

	for (i = 0; i < n; i++) {
		buf[i] = o->buf[(o->head + i) % MHV_UART_BUF_SIZE];
		o->lines -= buf[i] == '\n';
	}
	*pos = o->pos;
	o->pos += n;
	o->head = (o->head + n) % MHV_UART_BUF_SIZE;
	o->count -= n;
	return n;
}

/*
 * The batch rule: output goes to userspace (MHV_EXIT_CONSOLE) once it
 * fills the run page's console area, holds a whole line, or the guest
 * polls LSR while it waits (MHV_UART_IDLE_POLLS); any other return of
 * MHV_RUN takes what is pending too.
 */
static bool mhv_uart_out_ready(struct mhv_dev *dev)
{
	const struct mhv_uart_out *o =
		&((struct mhv_uart *)mhv_dev_state(dev))->out;

	return o->count >= MHV_RUN_CONSOLE_MAX || o->lines ||
	       (o->count && o->polls >= MHV_UART_IDLE_POLLS);
}

/* @len bytes arrive at the receiver; returns how many it kept. */
static size_t mhv_uart_in_write(struct mhv_dev *dev, const u8 *buf,
				size_t len)
{
	struct mhv_uart *u = mhv_dev_state(dev);
	size_t i, kept = 0;

	for (i = 0; i < len; i++)
		kept += uart_receive(u, buf[i]);
	uart_update_irq(dev);	/* wakes a vCPU that waits for input */
	return kept;
}

const struct mhv_dev_ops mhv_dev_uart_ops = {
	.name		= "uart",
	.size		= MHV_UART_SIZE,
	.regs		= mhv_uart_regs,
	.nr_regs	= ARRAY_SIZE(mhv_uart_regs),
	.state_size	= sizeof(struct mhv_uart),
	.reset		= mhv_uart_reset,
	.read		= mhv_uart_read,
	.write		= mhv_uart_write,
	.peek		= mhv_uart_peek,
	.out_read	= mhv_uart_out_read,
	.in_write	= mhv_uart_in_write,
	.out_ready	= mhv_uart_out_ready,
};
