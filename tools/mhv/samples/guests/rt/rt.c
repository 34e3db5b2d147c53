// SPDX-License-Identifier: GPL-2.0
/*
 * rt.c - the runtime of the sample guests (rt.h): start, UART, printf,
 * devices, the IDT.
 */
#include "rt.h"

#define MB_BOOT_MAGIC		0x2BADB002u
#define MBI_F_MEMORY		(1u << 0)
#define MBI_F_CMDLINE		(1u << 2)

/* The start of the Multiboot information (the specification, 3.3). */
struct mb_info {
	uint32_t flags;
	uint32_t mem_lower;
	uint32_t mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
};

/* A 32-bit interrupt gate: two little-endian words. */
struct idt_gate {
	uint32_t lo, hi;
};

extern char rt_isr_stubs[];
static struct idt_gate idt[256];
static void (*handlers[256])(struct rt_frame *f);

/* ---- strings --------------------------------------------------------------- */

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int rt_has_word(const char *s, const char *word)
{
	size_t n = strlen(word), i;

	while (*s) {
		while (*s == ' ')
			s++;
		for (i = 0; i < n && s[i] == word[i]; i++)
			;
		if (i == n && (s[n] == ' ' || !s[n]))
			return 1;
		while (*s && *s != ' ')
			s++;
	}
	return 0;
}

/* ---- UART -------------------------------------------------------------------- */

#define UART_THR	0	/* DLL with LCR.DLAB */
#define UART_RBR	0
#define UART_IER	1	/* DLM with LCR.DLAB */
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_LSR_DR	0x01
#define UART_LSR_THRE	0x20

void uart_init(void)
{
	outb(RT_UART_PORT + UART_IER, 0);
	outb(RT_UART_PORT + UART_LCR, 0x80);	/* DLAB: the divisor */
	outb(RT_UART_PORT + UART_THR, 1);	/* 115200 baud */
	outb(RT_UART_PORT + UART_IER, 0);
	outb(RT_UART_PORT + UART_LCR, 0x03);	/* 8N1 */
	outb(RT_UART_PORT + UART_FCR, 0x07);	/* FIFOs on and cleared */
	outb(RT_UART_PORT + UART_MCR, 0x03);	/* DTR, RTS */
}

void uart_putc(char c)
{
	while (!(inb(RT_UART_PORT + UART_LSR) & UART_LSR_THRE))
		;
	outb(RT_UART_PORT + UART_THR, (uint8_t)c);
}

void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

int uart_getc(void)
{
	if (!(inb(RT_UART_PORT + UART_LSR) & UART_LSR_DR))
		return -1;
	return inb(RT_UART_PORT + UART_RBR);
}

char uart_getc_wait(void)
{
	int c;

	while ((c = uart_getc()) < 0)
		;
	return (char)c;
}

/* ---- printf -------------------------------------------------------------------- */

static void put_num(uint32_t v, unsigned int base, int width, char pad)
{
	char buf[12];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (width-- > n)
		uart_putc(pad);
	while (n)
		uart_putc(buf[--n]);
}

void rt_printf(const char *fmt, ...)
{
	va_list ap;
	int width;
	char pad;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			uart_putc(*fmt);
			continue;
		}
		pad = ' ';
		width = 0;
		if (*++fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		switch (*fmt) {
		case 's':
			uart_puts(va_arg(ap, const char *));
			break;
		case 'c':
			uart_putc((char)va_arg(ap, int));
			break;
		case 'd': {
			int v = va_arg(ap, int);

			if (v < 0)
				uart_putc('-');
			put_num(v < 0 ? -(uint32_t)v : (uint32_t)v, 10, width, pad);
			break;
		}
		case 'u':
			put_num(va_arg(ap, uint32_t), 10, width, pad);
			break;
		case 'x':
			put_num(va_arg(ap, uint32_t), 16, width, pad);
			break;
		case '%':
			uart_putc('%');
			break;
		default:
			return;		/* an unknown conversion: stop */
		}
	}
	va_end(ap);
}

/* ---- devices and the end ------------------------------------------------------- */

void rt_debug_exit(uint32_t status)
{
	outl(RT_DEBUG_EXIT_PORT, status);
}

void rt_exit(int status)
{
	rt_debug_exit((uint32_t)status);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* ---- interrupts ------------------------------------------------------------------- */

void rt_set_handler(unsigned int vector, void (*fn)(struct rt_frame *f))
{
	if (vector < 256)
		handlers[vector] = fn;
}

void rt_isr(struct rt_frame *f);

void rt_isr(struct rt_frame *f)
{
	if (handlers[f->vector & 0xff]) {
		handlers[f->vector & 0xff](f);
		return;
	}
	if (f->vector < 32) {
		rt_printf("\nrt: exception %u (error code 0x%x) at EIP 0x%x\n",
			  f->vector, f->error, f->eip);
		rt_exit(100 + (int)f->vector);
	}
	rt_printf("\nrt: interrupt %u without a handler\n", f->vector);
}

static void idt_init(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) desc = { sizeof(idt) - 1, (uint32_t)idt };
	unsigned int i;

	for (i = 0; i < 256; i++) {
		uint32_t h = (uint32_t)(rt_isr_stubs + 16 * i);

		idt[i].lo = (0x08u << 16) | (h & 0xffff);
		idt[i].hi = (h & 0xffff0000u) | 0x8e00;	/* present, DPL 0, int gate */
	}
	__asm__ volatile("lidt %0" : : "m"(desc));
}

void rt_start(uint32_t magic, const struct mb_info *mbi)
	__attribute__((noreturn));

void rt_start(uint32_t magic, const struct mb_info *mbi)
{
	struct rt_boot boot = { .cmdline = "" };

	uart_init();
	idt_init();
	if (magic == MB_BOOT_MAGIC && mbi) {
		boot.multiboot = 1;
		if (mbi->flags & MBI_F_MEMORY) {
			boot.mem_lower_kb = mbi->mem_lower;
			boot.mem_upper_kb = mbi->mem_upper;
		}
		if ((mbi->flags & MBI_F_CMDLINE) && mbi->cmdline)
			boot.cmdline = (const char *)mbi->cmdline;
	}
	rt_exit(main(&boot));
}
