/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt.h - the small freestanding runtime of the sample guests of mhv run
 * (tools/mhv/samples/guests/): port and MMIO access, the UART, the demo
 * and debug-exit devices, interrupts, a tiny printf.
 *
 * A guest is one file here, say foo.c, with
 *
 *	#include "rt.h"
 *	int main(const struct rt_boot *boot) { ...; return status; }
 *
 * and the Makefile builds it into .cache/build/user/samples/foo.elf, a
 * 32-bit Multiboot ELF linked at 1 MiB (rt/link.ld), shipped with the
 * other samples (/mhv/samples/foo.elf in the test VM). main()'s return
 * value is written to the debug-exit device (mhv run exits with it) and
 * the guest halts. No libc: only what is declared here.
 *
 * Device addresses the samples use (give mhv run the same --device):
 *   uart@0x3f8  demo@0x500  debug-exit@0xf4  timer@0x540
 *   edu@0x600,irq=0x31
 */
#ifndef _MHV_RT_H
#define _MHV_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define RT_UART_PORT		0x3f8
#define RT_DEMO_PORT		0x500
#define RT_DEBUG_EXIT_PORT	0xf4

/* What the boot loader said (Multiboot information), or zeros. */
struct rt_boot {
	int multiboot;			/* EAX was 0x2BADB002 */
	const char *cmdline;		/* "" when none */
	uint32_t mem_lower_kb;		/* below 1 MiB */
	uint32_t mem_upper_kb;		/* above 1 MiB */
};

int main(const struct rt_boot *boot);

/* ---- port I/O and MMIO -------------------------------------------------- */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Paging is off: a guest-physical address is a pointer. */
static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

/* ---- the UART (a 16550A at RT_UART_PORT) -------------------------------- */

/* 8N1, FIFOs on, no interrupts (rt_start() did it). */
void uart_init(void);
void uart_putc(char c);
void uart_puts(const char *s);
/* A received byte, or -1 when none is waiting. */
int uart_getc(void);
/* Wait for a byte (polling). */
char uart_getc_wait(void);

/* %s %c %d %u %x %08x-style width and zero padding, %%. */
void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- the educational devices -------------------------------------------- */

#define DEMO_STATUS		0x00	/* 32-bit */
#define DEMO_DATA		0x04	/* 16-bit */
#define DEMO_LED		0x08	/* 8-bit */
#define DEMO_ST_ENABLE		0x01
#define DEMO_ST_LED_ON		0x02
#define DEMO_ST_VERSION(s)	(((s) >> 8) & 0xff)

/* The interval timer (Documentation/devices.rst), at RT_TIMER_PORT */
#define RT_TIMER_PORT		0x540
#define TIMER_CTRL		0x00	/* 32-bit */
#define TIMER_PERIOD		0x04	/* 32-bit, microseconds */
#define TIMER_VECTOR		0x08	/* 8-bit */
#define TIMER_TICKS		0x0c	/* 32-bit, read-only */
#define TIMER_CTRL_ENABLE	0x01

/* The edu DMA device (Documentation/devices.rst), at RT_EDU_PORT */
#define RT_EDU_PORT		0x600
#define EDU_ID			0x00
#define EDU_LIVE		0x04
#define EDU_FACT		0x08
#define EDU_STATUS		0x20
#define EDU_IRQ_STATUS		0x24
#define EDU_IRQ_ACK		0x64
#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_COUNT		0x90
#define EDU_DMA_CMD		0x98
#define EDU_ID_VALUE		0x010000ed
#define EDU_ST_COMPUTING	0x01
#define EDU_ST_DMA_ERROR	0x04
#define EDU_ST_IRQ_FACT		0x80
#define EDU_IRQ_DMA		0x100
#define EDU_DMA_START		0x01
#define EDU_DMA_TO_RAM		0x02
#define EDU_DMA_IRQ		0x04
#define EDU_BUF_ADDR		0x40000

/* Write @status to the debug-exit device: mhv run ends and exits with it. */
void rt_debug_exit(uint32_t status);
/* rt_debug_exit(), then halt for good (if no such device stopped us). */
void rt_exit(int status) __attribute__((noreturn));

/* ---- interrupts ----------------------------------------------------------- */

/* The registers crt0.S saved (pusha), the vector, the CPU's frame. */
struct rt_frame {
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint32_t vector, error;
	uint32_t eip, cs, eflags;
};

/*
 * Run @fn for interrupts of @vector (32..255; the IDT is loaded at start,
 * every vector has a stub). An exception without a handler prints where
 * it happened and ends the run with status 100 + vector.
 */
void rt_set_handler(unsigned int vector, void (*fn)(struct rt_frame *f));

static inline void rt_sti(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void rt_cli(void)
{
	__asm__ volatile("cli" : : : "memory");
}

/* Wait for the next interrupt (STI; HLT: the interrupt shadow of STI
 * makes the pair atomic). */
static inline void rt_wait_irq(void)
{
	__asm__ volatile("sti; hlt" : : : "memory");
}

/* ---- what the compiler may call ------------------------------------------ */

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
/* Is @word one of the space-separated words of @s? */
int rt_has_word(const char *s, const char *word);

#endif
