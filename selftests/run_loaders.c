// SPDX-License-Identifier: GPL-2.0
/*
 * mhv run boots every image format for real: the sample hello guest (a
 * Multiboot ELF built from tools/mhv/samples/guests/hello.c) with the
 * UART, demo and debug-exit devices, and ELF32, ELF64 and Multiboot
 * (a.out kludge) images built here byte by byte. Each guest proves the
 * CPU mode it runs in and what the loader gave it through its exit
 * status (written to the debug-exit device) and its console; a malformed
 * image is refused before anything runs.
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "test_util.h"

#define HELLO		"/mhv/samples/hello.elf"
#define DEVICES		" --device uart@0x3f8 --device demo@0x500 --device debug-exit@0xf4"
#define HELLO_BLINKS	3	/* BLINKS of hello.c */
#define RT_UART_INIT_WRITES 7	/* register writes of uart_init() in rt.c */
#define LOAD_ADDR	0x200000u
#define ENTRY_SKIP	0x10	/* the entry point is this far into the code */

/* How many times @needle occurs in @s. */
static int count(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/*
 * Machine code pieces (encodings from the Intel SDM; the comments are
 * the instructions). PRINT prints the NUL-terminated string at [ESI/RSI]
 * on port 0x3f8: mov dx, 0x3f8; next: lodsb; test al, al; jz out;
 * out dx, al; jmp next.
 */
#define PRINT		0x66, 0xba, 0xf8, 0x03, 0xac, 0x84, 0xc0, 0x74, 0x03, \
			0xee, 0xeb, 0xf8
/* mov dx, 0xf4; out dx, eax; hlt: the status in EAX to debug-exit */
#define EXIT_EAX	0x66, 0xba, 0xf4, 0x00, 0xef, 0xf4

#define MSG64		"ELF64 guest in long mode\n"
/*
 * 64-bit: lea rsi, [rip + msg]; PRINT; movabs rax, 0x1_0000_0007;
 * shr rax, 32; add eax, 40; EXIT_EAX -> status 41 only in 64-bit mode
 * (in 32-bit mode 0x48 is DEC EAX and nothing adds up).
 */
static const uint8_t code64[] = {
	0x48, 0x8d, 0x35, 0x23, 0x00, 0x00, 0x00,	/* msg: 35 bytes on */
	PRINT,
	0x48, 0xb8, 0x07, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x48, 0xc1, 0xe8, 0x20,
	0x83, 0xc0, 0x28,
	EXIT_EAX,
};

#define MSG32		"ELF32 guest in protected mode\n"
/*
 * 32-bit: mov esi, msg; PRINT; mov eax, cr0; and eax, 0x80000001;
 * add eax, 30; EXIT_EAX -> status 31 when PE is set and PG clear.
 */
static const uint8_t code32[] = {
	0xbe, 0, 0, 0, 0,			/* msg: patched */
	PRINT,
	0x0f, 0x20, 0xc0,
	0x25, 0x01, 0x00, 0x00, 0x80,
	0x83, 0xc0, 0x1e,
	EXIT_EAX,
};

/*
 * Multiboot: cmp eax, 0x2BADB002; jne bad; mov esi, [ebx + 16] (cmdline);
 * PRINT; mov eax, [ebx + 8] (mem_upper, KiB); shr eax, 10; EXIT_EAX;
 * bad: mov eax, 99; EXIT_EAX -> status: MiB above 1 MiB, 99 without the
 * boot loader's magic.
 */
static const uint8_t code_mb[] = {
	0x3d, 0x02, 0xb0, 0xad, 0x2b,
	0x75, 0x1b,				/* jne bad: 27 bytes on */
	0x8b, 0x73, 0x10,
	PRINT,
	0x8b, 0x43, 0x08,
	0xc1, 0xe8, 0x0a,
	EXIT_EAX,
	0xb8, 0x63, 0x00, 0x00, 0x00,		/* bad: */
	EXIT_EAX,
};

static uint8_t img[8192];

/*
 * An ELF of @class bits with one PT_LOAD at LOAD_ADDR: ENTRY_SKIP bytes
 * of 0xcc (INT3: a guest started at the segment instead of e_entry
 * crashes), @code, then @msg. Returns the file's length.
 */
static size_t build_elf(unsigned int class, const uint8_t *code, size_t n,
			const char *msg)
{
	size_t off = 0x100, len = ENTRY_SKIP + n + strlen(msg) + 1;
	uint64_t entry = LOAD_ADDR + ENTRY_SKIP;

	memset(img, 0, sizeof(img));
	memset(img + off, 0xcc, ENTRY_SKIP);
	memcpy(img + off + ENTRY_SKIP, code, n);
	strcpy((char *)img + off + ENTRY_SKIP + n, msg);
	if (class == 32) {
		Elf32_Ehdr *e = (Elf32_Ehdr *)img;
		Elf32_Phdr *p = (Elf32_Phdr *)(e + 1);

		*e = (Elf32_Ehdr){ .e_type = ET_EXEC, .e_machine = EM_386,
			.e_version = EV_CURRENT, .e_entry = entry,
			.e_phoff = sizeof(*e), .e_ehsize = sizeof(*e),
			.e_phentsize = sizeof(*p), .e_phnum = 1 };
		*p = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = off,
			.p_vaddr = LOAD_ADDR, .p_paddr = LOAD_ADDR,
			.p_filesz = len, .p_memsz = len + 0x1000 };
	} else {
		Elf64_Ehdr *e = (Elf64_Ehdr *)img;
		Elf64_Phdr *p = (Elf64_Phdr *)(e + 1);

		*e = (Elf64_Ehdr){ .e_type = ET_EXEC, .e_machine = EM_X86_64,
			.e_version = EV_CURRENT, .e_entry = entry,
			.e_phoff = sizeof(*e), .e_ehsize = sizeof(*e),
			.e_phentsize = sizeof(*p), .e_phnum = 1 };
		*p = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = off,
			.p_vaddr = LOAD_ADDR, .p_paddr = LOAD_ADDR,
			.p_filesz = len, .p_memsz = len + 0x1000 };
	}
	memcpy(img, ELFMAG, SELFMAG);
	img[EI_CLASS] = class == 32 ? ELFCLASS32 : ELFCLASS64;
	img[EI_DATA] = ELFDATA2LSB;
	img[EI_VERSION] = EV_CURRENT;
	return off + len;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

TEST(elf64_long_mode)
{
	char out[16384];
	size_t len = build_elf(64, code64, sizeof(code64), MSG64);

	ASSERT_EQ(0, write_file("/tmp/guest64.elf", img, len));
	EXPECT_EQ(41, run_cmd("mhv run /tmp/guest64.elf --device debug-exit@0xf4 2>&1",
			      out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "elf64, long mode at 0x200010")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, MSG64)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "wrote 41 (0x29) to debug-exit"));
}

TEST(elf32_protected_mode)
{
	char out[16384];
	uint8_t code[sizeof(code32)];
	size_t len;

	memcpy(code, code32, sizeof(code));
	/* mov esi, imm32: the message follows the code */
	put32(code + 1, LOAD_ADDR + ENTRY_SKIP + sizeof(code32));
	len = build_elf(32, code, sizeof(code), MSG32);
	ASSERT_EQ(0, write_file("/tmp/guest32.elf", img, len));
	EXPECT_EQ(31, run_cmd("mhv run /tmp/guest32.elf --device debug-exit@0xf4 2>&1",
			      out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "elf32, 32-bit protected mode at 0x200010"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, MSG32)) TH_LOG("%s", out);
}

/* An a.out-kludge Multiboot kernel: the header's fields say where. */
static size_t build_multiboot(void)
{
	const uint32_t magic = 0x1BADB002, flags = (1u << 1) | (1u << 16);
	uint32_t hdr = 0x20, code = 0x40, len = code + sizeof(code_mb);

	memset(img, 0, sizeof(img));
	put32(img + hdr, magic);
	put32(img + hdr + 4, flags);
	put32(img + hdr + 8, -(magic + flags));
	put32(img + hdr + 12, LOAD_ADDR + hdr);		/* header_addr */
	put32(img + hdr + 16, LOAD_ADDR);		/* load_addr */
	put32(img + hdr + 20, 0);			/* load to the end */
	put32(img + hdr + 24, LOAD_ADDR + len + 0x1000);	/* bss_end */
	put32(img + hdr + 28, LOAD_ADDR + code);	/* entry */
	memcpy(img + code, code_mb, sizeof(code_mb));
	return len;
}

TEST(multiboot_boot_info)
{
	char out[16384];
	size_t len = build_multiboot();

	ASSERT_EQ(0, write_file("/tmp/guest-mb.bin", img, len));
	/* 24 MiB: mem_upper is 23 MiB, the guest exits with 23 */
	EXPECT_EQ(23, run_cmd("mhv run /tmp/guest-mb.bin --mem 24 --device debug-exit@0xf4 --append 'multiboot says hi' 2>&1",
			      out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "multiboot, 32-bit protected mode at 0x200040"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "multiboot says hi")) TH_LOG("%s", out);
	/* 40 MiB: 39 */
	EXPECT_EQ(39, run_cmd("mhv run /tmp/guest-mb.bin --mem 40 --device debug-exit@0xf4 2>&1",
			      out, sizeof(out))) TH_LOG("%s", out);
}

/* Malformed images: the documented error, and the guest never runs. */
TEST(malformed_refused)
{
	char out[8192];
	size_t len = build_elf(64, code64, sizeof(code64), MSG64);

	/* cut in the middle of the program header */
	ASSERT_EQ(0, write_file("/tmp/cut.elf", img, sizeof(Elf64_Ehdr) + 20));
	EXPECT_EQ(1, run_cmd("mhv run /tmp/cut.elf 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "/tmp/cut.elf: ELF program headers")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "(truncated;"));
	EXPECT_EQ(NULL, strstr(out, "== guest console"));
	/* a segment outside guest memory (--mem 1: it is at 2 MiB) */
	ASSERT_EQ(0, write_file("/tmp/big.elf", img, len));
	EXPECT_EQ(1, run_cmd("mhv run /tmp/big.elf --mem 1 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "outside guest memory (1 MiB")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "== guest console"));
	/* a Multiboot checksum off by one */
	len = build_multiboot();
	img[0x28]++;
	ASSERT_EQ(0, write_file("/tmp/badsum.bin", img, len));
	EXPECT_EQ(1, run_cmd("mhv run /tmp/badsum.bin 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "magic + flags + checksum = 0x00000001, not 0"))
		TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "== guest console"));
}

/*
 * The sample hello guest with its devices: what the boot loader gave it,
 * the demo LED blinks, the UART carries the console, debug-exit ends it.
 */
TEST(hello_guest)
{
	char out[32768];

	ASSERT_EQ(0, run_cmd("mhv run " HELLO " --mem 32" DEVICES
			     " --append 'hello world' 2>&1", out, sizeof(out)))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "Hello from hello.elf")) TH_LOG("%s", out);
	/* --mem 32: 31 MiB above the first MiB */
	EXPECT_NE(NULL, strstr(out, "memory 639 KiB low, 31744 KiB high, cmdline \"hello world\""));
	EXPECT_NE(NULL, strstr(out, "demo device: version 1\n"));
	EXPECT_EQ(HELLO_BLINKS, count(out, "LED on "));
	EXPECT_EQ(HELLO_BLINKS, count(out, "LED off"));
	EXPECT_NE(NULL, strstr(out, "wrote 0 (0x0) to debug-exit"));
	/* the summary: each device's counters, exits by reason */
	EXPECT_NE(NULL, strstr(out, "== device 1: demo at pio 0x500")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "dev_io"));
	EXPECT_NE(NULL, strstr(out, "nested page fault"));
}

TEST(hello_guest_status)
{
	char out[32768];

	EXPECT_EQ(42, run_cmd("mhv run " HELLO DEVICES " --append fail 2>&1",
			      out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "failing on purpose")) TH_LOG("%s", out);
}

/* stdin reaches the guest through the UART's receiver. */
TEST(hello_guest_stdin)
{
	char out[32768];

	ASSERT_EQ(0, run_cmd("printf 'abc\\n' | mhv run " HELLO DEVICES
			     " --append echo 2>&1", out, sizeof(out)))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "you typed: abc (3 bytes)")) TH_LOG("%s", out);
}

/*
 * --json: the console, then the summary as the last line; the device
 * counters are the guest's accesses: the demo device 1 + 2 * BLINKS
 * reads and writes, the UART its init writes plus one per console byte.
 */
TEST(hello_guest_json)
{
	char out[32768], want[256], *json;
	size_t console;

	ASSERT_EQ(0, run_cmd("mhv run " HELLO DEVICES " --json < /dev/null",
			     out, sizeof(out))) TH_LOG("%s", out);
	json = strrchr(out, '{') ? strstr(out, "{\"name\"") : NULL;
	ASSERT_NE(NULL, json) TH_LOG("%s", out);
	console = (size_t)(json - out);
	EXPECT_EQ(NULL, strstr(out, "== ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(json, "\"format\": \"multiboot\", \"end\": \"debug-exit\", \"exit_status\": 0"))
		TH_LOG("%s", json);
	snprintf(want, sizeof(want),
		 "\"type\": \"demo\", \"space\": \"pio\", \"base\": %d, \"mode\": \"read-write\", \"reads\": %d, \"writes\": %d,",
		 0x500, 1 + 2 * HELLO_BLINKS, 1 + 2 * HELLO_BLINKS);
	EXPECT_NE(NULL, strstr(json, want)) TH_LOG("%s", json);
	snprintf(want, sizeof(want), "\"type\": \"uart\", \"space\": \"pio\", \"base\": %d,",
		 0x3f8);
	EXPECT_NE(NULL, strstr(json, want)) TH_LOG("%s", json);
	snprintf(want, sizeof(want), "\"writes\": %zu,",
		 RT_UART_INIT_WRITES + console);
	EXPECT_NE(NULL, strstr(strstr(json, "\"uart\""), want))
		TH_LOG("console %zu bytes: %s", console, json);
	EXPECT_NE(NULL, strstr(json, "\"debug-exit\"")) TH_LOG("%s", json);
}

/*
 * The timer guest: 10 ticks of its interval timer, each waited for in
 * HLT (the vCPU sleeps in the kernel, so no HLT reaches mhv), counted by
 * its interrupt handler and reported as the exit status.
 */
TEST(timer_guest)
{
	char out[32768], *json;

	EXPECT_EQ(10, run_cmd("mhv run /mhv/samples/timer.elf --device uart@0x3f8"
			      " --device timer@0x540 --device debug-exit@0xf4"
			      " --json < /dev/null", out, sizeof(out)))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "  tick 10\n")) TH_LOG("%s", out);
	EXPECT_EQ(10, count(out, "  tick ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "timer: 10 ticks counted")) TH_LOG("%s", out);
	json = strstr(out, "{\"name\"");
	ASSERT_NE(NULL, json) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(json, "\"end\": \"debug-exit\", \"exit_status\": 10"))
		TH_LOG("%s", json);
	EXPECT_NE(NULL, strstr(json, "\"type\": \"timer\"")) TH_LOG("%s", json);
}

/*
 * The DMA guest drives the edu device by polling and by interrupt (the
 * vector from --device edu@ADDR,irq=VECTOR), checks the copies itself
 * and exits 0; the device counted the one refused DMA.
 */
TEST(dma_guest)
{
	char out[32768], *json;

	EXPECT_EQ(0, run_cmd("mhv run /mhv/samples/dma.elf --device uart@0x3f8"
			     " --device edu@0x600,irq=0x31 --device debug-exit@0xf4"
			     " --json < /dev/null", out, sizeof(out)))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "polling: 10! = 3628800")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "interrupt: 12! = 479001600")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "256 of 256 bytes match")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "refused by the device")) TH_LOG("%s", out);
	json = strstr(out, "{\"name\"");
	ASSERT_NE(NULL, json) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(json, "\"type\": \"edu\"")) TH_LOG("%s", json);
	EXPECT_NE(NULL, strstr(json, "\"exit_status\": 0")) TH_LOG("%s", json);
	/* a malformed vector is refused before anything runs */
	EXPECT_NE(0, run_cmd("mhv run /mhv/samples/dma.elf --device edu@0x600,irq=7"
			     " 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "irq=VECTOR (32..255)")) TH_LOG("%s", out);
}

/* The flat sample still runs, now also named without --image. */
TEST(flat_positional)
{
	char out[16384];

	ASSERT_EQ(0, run_cmd("mhv run /mhv/samples/hello.bin 2>&1", out, sizeof(out)))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "Counting: 12345\n")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "flat image, real mode at 0000:1000"));
}

TEST_HARNESS_MAIN
