// SPDX-License-Identifier: GPL-2.0
/*
 * hello.c - the hello guest of mhv run: prints on the UART what the boot
 * loader told it, blinks the demo device's LED and ends through the
 * debug-exit device. `make demo` runs it:
 *
 *   mhv run /mhv/samples/hello.elf --device uart@0x3f8 \
 *           --device demo@0x500 --device debug-exit@0xf4 --append "hello world"
 *
 * Command line words (--append): "echo" reads one line from the UART
 * (stdin of mhv run) and prints it back; "fail" ends with status 42.
 * Without the demo device at port 0x500 it says so and ends with 2.
 *
 * Device accesses, for the statistics mhv run prints: the demo device
 * gets 1 + 2 * BLINKS writes (enable, then LED on and off per blink) and
 * 1 + 2 * BLINKS reads (the version, then the status after each write).
 */
#include "rt.h"

#define BLINKS		3

static uint32_t demo_status(void)
{
	return inl(RT_DEMO_PORT + DEMO_STATUS);
}

static int blink(void)
{
	uint32_t st;
	int i;

	outl(RT_DEMO_PORT + DEMO_STATUS, DEMO_ST_ENABLE);
	st = demo_status();
	/* nothing at the port reads as all-ones */
	if (st == 0xffffffff) {
		rt_printf("no demo device at port 0x%x: run with --device demo@0x%x\n",
			  RT_DEMO_PORT, RT_DEMO_PORT);
		return 0;
	}
	rt_printf("demo device: version %u\n", DEMO_ST_VERSION(st));
	for (i = 0; i < 2 * BLINKS; i++) {
		outb(RT_DEMO_PORT + DEMO_LED, i % 2 ? 0x00 : 0xff);
		st = demo_status();
		rt_printf("  LED %s (status 0x%08x)\n",
			  st & DEMO_ST_LED_ON ? "on " : "off", st);
	}
	rt_printf("blinked the LED %d times\n", BLINKS);
	return 1;
}

static void echo(void)
{
	char line[80];
	unsigned int n = 0;
	char c;

	rt_printf("type a line: ");
	while ((c = uart_getc_wait()) != '\n' && c != '\r')
		if (n < sizeof(line) - 1)
			line[n++] = c;
	line[n] = '\0';
	rt_printf("\nyou typed: %s (%u bytes)\n", line, n);
}

int main(const struct rt_boot *boot)
{
	rt_printf("Hello from hello.elf, a Multiboot guest in 32-bit protected mode!\n");
	if (boot->multiboot)
		rt_printf("boot loader: Multiboot, memory %u KiB low, %u KiB high, cmdline \"%s\"\n",
			  boot->mem_lower_kb, boot->mem_upper_kb, boot->cmdline);
	else
		rt_printf("boot loader: not Multiboot (EAX was not 0x2BADB002)\n");
	if (!blink())
		return 2;
	if (rt_has_word(boot->cmdline, "echo"))
		echo();
	if (rt_has_word(boot->cmdline, "fail")) {
		rt_printf("failing on purpose (cmdline \"fail\"): status 42\n");
		return 42;
	}
	rt_printf("Bye: writing 0 to the debug-exit port 0x%x\n",
		  RT_DEBUG_EXIT_PORT);
	return 0;
}
