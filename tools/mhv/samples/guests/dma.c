// SPDX-License-Identifier: GPL-2.0
/*
 * dma.c - the DMA guest of mhv run: drives the edu teaching device as a
 * driver would, first by polling its status register, then by waiting in
 * HLT for its interrupt:
 *
 *   mhv run /mhv/samples/dma.elf --device uart@0x3f8 \
 *           --device edu@0x600,irq=0x31 --device debug-exit@0xf4
 *
 * 1. identification and liveness registers;
 * 2. 10! by polling the COMPUTING bit, then 12! by interrupt;
 * 3. DMA of a buffer from guest memory into the device and back into
 *    another buffer, polling for the first transfer and by interrupt for
 *    the second, and the copy compared byte by byte;
 * 4. a DMA from an address outside guest memory, refused by the device.
 *
 * Exit status 0 when everything checked out, else the number of the
 * failed step (1..4).
 */
#include "rt.h"

#define EDU_VEC		0x31
#define LEN		256

static volatile uint32_t irqs, irq_status;
static uint8_t src[LEN], dst[LEN];

static void on_edu(struct rt_frame *f)
{
	uint32_t st = inl(RT_EDU_PORT + EDU_IRQ_STATUS);

	(void)f;
	irq_status |= st;
	outl(RT_EDU_PORT + EDU_IRQ_ACK, st);
	irqs++;
}

static uint32_t fact(uint32_t n)
{
	uint32_t r = 1;

	while (n > 1)
		r *= n--;
	return r;
}

/* Wait, interrupts on only inside STI; HLT, until @n interrupts came. */
static void wait_irqs(uint32_t n)
{
	while (irqs < n) {
		rt_wait_irq();
		rt_cli();
	}
}

static int step_ids(void)
{
	uint32_t id = inl(RT_EDU_PORT + EDU_ID);

	outl(RT_EDU_PORT + EDU_LIVE, 0x12345678);
	rt_printf("edu: id 0x%08x, liveness 0x12345678 -> 0x%08x\n", id,
		  inl(RT_EDU_PORT + EDU_LIVE));
	return id == EDU_ID_VALUE &&
	       inl(RT_EDU_PORT + EDU_LIVE) == ~0x12345678u;
}

static int step_factorial(void)
{
	uint32_t polls = 0, r;

	outl(RT_EDU_PORT + EDU_FACT, 10);
	while (inl(RT_EDU_PORT + EDU_STATUS) & EDU_ST_COMPUTING)
		polls++;
	r = inl(RT_EDU_PORT + EDU_FACT);
	rt_printf("polling: 10! = %u after %u status reads\n", r, polls);
	if (r != fact(10))
		return 0;
	outl(RT_EDU_PORT + EDU_STATUS, EDU_ST_IRQ_FACT);
	outl(RT_EDU_PORT + EDU_FACT, 12);
	wait_irqs(1);
	r = inl(RT_EDU_PORT + EDU_FACT);
	rt_printf("interrupt: 12! = %u (interrupt status 0x%x)\n", r,
		  irq_status);
	outl(RT_EDU_PORT + EDU_STATUS, 0);
	return r == fact(12);
}

static void dma(uint32_t from, uint32_t to, uint32_t len, uint32_t cmd)
{
	outl(RT_EDU_PORT + EDU_DMA_SRC, from);
	outl(RT_EDU_PORT + EDU_DMA_DST, to);
	outl(RT_EDU_PORT + EDU_DMA_COUNT, len);
	outl(RT_EDU_PORT + EDU_DMA_CMD, EDU_DMA_START | cmd);
}

static int step_dma(void)
{
	uint32_t i, polls = 0;

	for (i = 0; i < LEN; i++)
		src[i] = (uint8_t)(i * 7 + 3);
	dma((uintptr_t)src, EDU_BUF_ADDR, LEN, 0);		/* RAM -> device */
	while (inl(RT_EDU_PORT + EDU_DMA_CMD) & EDU_DMA_START)
		polls++;
	rt_printf("DMA in: %u bytes to the device, %u polls\n", LEN, polls);
	dma(EDU_BUF_ADDR, (uintptr_t)dst, LEN, EDU_DMA_TO_RAM | EDU_DMA_IRQ);
	wait_irqs(2);
	for (i = 0; i < LEN; i++)
		if (dst[i] != src[i])
			break;
	rt_printf("DMA out by interrupt (status 0x%x): %u of %u bytes match\n",
		  irq_status, i, LEN);
	return i == LEN && (irq_status & EDU_IRQ_DMA);
}

static int step_refused(void)
{
	uint32_t st;

	dma(0xfff00000, EDU_BUF_ADDR, LEN, 0);	/* far above guest memory */
	while (inl(RT_EDU_PORT + EDU_DMA_CMD) & EDU_DMA_START)
		;
	st = inl(RT_EDU_PORT + EDU_STATUS);
	rt_printf("DMA from 0xfff00000: %s\n",
		  st & EDU_ST_DMA_ERROR ? "refused by the device" : "done?!");
	return st & EDU_ST_DMA_ERROR;
}

int main(const struct rt_boot *boot)
{
	(void)boot;
	rt_set_handler(EDU_VEC, on_edu);
	if (!step_ids())
		return 1;
	if (!step_factorial())
		return 2;
	if (!step_dma())
		return 3;
	if (!step_refused())
		return 4;
	rt_printf("dma: all checks passed\n");
	return 0;
}
