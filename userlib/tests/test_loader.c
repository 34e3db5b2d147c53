// SPDX-License-Identifier: LGPL-2.1
/*
 * The image loaders (loader.c): good flat, ELF32, ELF64 and Multiboot
 * images are placed where their headers say and start in the state the
 * formats define; every malformed image is refused with its documented
 * error (enum mhv_image_error) and a message naming what is wrong, and
 * nothing is loaded. The images are built here, byte by byte, from the
 * ELF and Multiboot specifications.
 */
#include <CUnit/CUnit.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libmultios_hv.h"
#include "tests.h"

#define MEM_SIZE	(16u << 20)
#define IMG_MAX		(64u << 10)
#define DATA_OFF	0x400		/* segment bytes start here */
#define MB_MAGIC	0x1BADB002u

struct seg {
	uint32_t type;			/* 0: PT_LOAD */
	uint64_t paddr, vaddr;		/* vaddr 0: = paddr */
	uint64_t filesz, memsz;
	uint64_t offset;		/* 0: next free file offset */
};

static uint8_t img[IMG_MAX];

/* The byte @i of segment @s's file data. */
static uint8_t pattern(unsigned int s, uint64_t i)
{
	return (uint8_t)(0x40 + s * 31 + i * 7);
}

/*
 * An ELF executable of @class bits in img[]: header, program headers,
 * then each segment's file bytes (pattern()). Returns its length.
 */
static size_t build_elf(unsigned int class, const struct seg *s,
			unsigned int n, uint64_t entry)
{
	size_t phsize = class == 32 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
	uint64_t off = DATA_OFF, end = DATA_OFF, o;
	unsigned int i;
	uint64_t k;

	memset(img, 0, sizeof(img));
	memcpy(img, ELFMAG, SELFMAG);
	img[EI_CLASS] = class == 32 ? ELFCLASS32 : ELFCLASS64;
	img[EI_DATA] = ELFDATA2LSB;
	img[EI_VERSION] = EV_CURRENT;
	if (class == 32) {
		Elf32_Ehdr *e = (Elf32_Ehdr *)img;

		e->e_type = ET_EXEC;
		e->e_machine = EM_386;
		e->e_version = EV_CURRENT;
		e->e_entry = (uint32_t)entry;
		e->e_phoff = sizeof(*e);
		e->e_ehsize = sizeof(*e);
		e->e_phentsize = phsize;
		e->e_phnum = n;
	} else {
		Elf64_Ehdr *e = (Elf64_Ehdr *)img;

		e->e_type = ET_EXEC;
		e->e_machine = EM_X86_64;
		e->e_version = EV_CURRENT;
		e->e_entry = entry;
		e->e_phoff = sizeof(*e);
		e->e_ehsize = sizeof(*e);
		e->e_phentsize = phsize;
		e->e_phnum = n;
	}
	for (i = 0; i < n; i++) {
		uint64_t va = s[i].vaddr ? s[i].vaddr : s[i].paddr;
		uint32_t type = s[i].type ? s[i].type : PT_LOAD;

		o = s[i].offset ? s[i].offset : off;
		if (class == 32) {
			Elf32_Phdr *p = (Elf32_Phdr *)(img + sizeof(Elf32_Ehdr)) + i;

			p->p_type = type;
			p->p_offset = (uint32_t)o;
			p->p_vaddr = (uint32_t)va;
			p->p_paddr = (uint32_t)s[i].paddr;
			p->p_filesz = (uint32_t)s[i].filesz;
			p->p_memsz = (uint32_t)s[i].memsz;
		} else {
			Elf64_Phdr *p = (Elf64_Phdr *)(img + sizeof(Elf64_Ehdr)) + i;

			p->p_type = type;
			p->p_offset = o;
			p->p_vaddr = va;
			p->p_paddr = s[i].paddr;
			p->p_filesz = s[i].filesz;
			p->p_memsz = s[i].memsz;
		}
		/* file bytes only when they fit in img[] (huge ones: not) */
		if (o + s[i].filesz <= IMG_MAX && s[i].filesz <= IMG_MAX) {
			for (k = 0; k < s[i].filesz; k++)
				img[o + k] = pattern(i, k);
			if (o + s[i].filesz > end)
				end = o + s[i].filesz;
		}
		if (!s[i].offset)
			off = (o + (s[i].filesz <= IMG_MAX ? s[i].filesz : 0) + 15) & ~15ULL;
	}
	return end;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/*
 * A Multiboot header at @off of img[] with @flags; with flags bit 16
 * the address fields follow (header_addr = load_addr + @off: the file is
 * loaded from its first byte).
 */
static void mb_header(uint32_t off, uint32_t flags, uint32_t load_addr,
		      uint32_t load_end, uint32_t bss_end, uint32_t entry)
{
	put32(img + off, MB_MAGIC);
	put32(img + off + 4, flags);
	put32(img + off + 8, -(MB_MAGIC + flags));
	if (!(flags & (1u << 16)))
		return;
	put32(img + off + 12, load_addr + off);
	put32(img + off + 16, load_addr);
	put32(img + off + 20, load_end);
	put32(img + off + 24, bss_end);
	put32(img + off + 28, entry);
}

/* An a.out-kludge kernel of @len bytes, header at 0x40, code after. */
static size_t build_mb_aout(size_t len, uint32_t bss)
{
	size_t i;

	memset(img, 0, sizeof(img));
	for (i = 0; i < len; i++)
		img[i] = pattern(0, i);
	mb_header(0x40, (1u << 1) | (1u << 16), 0x100000, 0x100000 + len,
		  0x100000 + len + bss, 0x100060);
	return len;
}

/* Parse must refuse with @err and a message containing @what. */
static void refused(size_t len, uint32_t format, uint64_t mem,
		    const char *cmdline, int err, const char *what)
{
	struct mhv_image im;
	static uint8_t guard[64];
	int r;

	r = mhv_image_parse(&im, img, len, format, mem, cmdline);
	CU_ASSERT_EQUAL(r, -ENOEXEC);
	CU_ASSERT_EQUAL(im.error, err);
	if (im.error != err)
		fprintf(stderr, "\n  want %s, got %s: %s\n",
			mhv_image_error_name(err),
			mhv_image_error_name(im.error), im.errmsg);
	CU_ASSERT_PTR_NOT_NULL(strstr(im.errmsg, what));
	if (!strstr(im.errmsg, what))
		fprintf(stderr, "\n  want \"%s\" in \"%s\"\n", what, im.errmsg);
	CU_ASSERT_EQUAL(im.nr_segments, 0);
	if (!r)
		return;	/* accepted: loading it would write anywhere */
	/* and nothing can be loaded from it */
	memset(guard, 0x5a, sizeof(guard));
	CU_ASSERT_EQUAL(mhv_image_load(&im, guard), -EINVAL);
	CU_ASSERT_EQUAL(guard[0], 0x5a);
}

static uint8_t *new_mem(void)
{
	uint8_t *m = calloc(1, MEM_SIZE);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	return m;
}

/* ---- good images ------------------------------------------------------------ */

static void test_flat(void)
{
	struct mhv_image im;
	uint8_t *mem = new_mem();
	int fd;

	memset(img, 0, sizeof(img));
	memcpy(img, "\xfa\xf4hello", 7);	/* cli; hlt; data */
	CU_ASSERT_EQUAL(mhv_image_parse(&im, img, 7, MHV_IMAGE_DETECT,
					MEM_SIZE, NULL), 0);
	CU_ASSERT_EQUAL(im.format, MHV_IMAGE_FLAT);
	CU_ASSERT_EQUAL(im.entry, 0x1000);
	CU_ASSERT_EQUAL(im.nr_segments, 1);
	CU_ASSERT_EQUAL(mhv_image_load(&im, mem), 0);
	CU_ASSERT_EQUAL(memcmp(mem + 0x1000, img, 7), 0);
	CU_ASSERT_EQUAL(mem[0x1007], 0);
	CU_ASSERT_EQUAL(mem[0xfff], 0);
	/* a flat image is real mode: no 32/64-bit state */
	{
		struct mhv_regs r;
		struct mhv_sregs s;

		CU_ASSERT_EQUAL(mhv_image_boot_state(&im, &r, &s), -EINVAL);
	}
	/* the vCPU: CS:IP 0000:1000, SS:SP 0000:FFF0 (the real-mode helper) */
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	CU_ASSERT_FATAL(fd >= 0);
	fake_dev_attach(fd);
	fake_dev.sregs.cs.selector = 0xf000;
	fake_dev.sregs.cs.base = 0xffff0000;
	CU_ASSERT_EQUAL(mhv_vcpu_boot_image(fd, &im), 0);
	CU_ASSERT_EQUAL(fake_dev.sregs.cs.selector, 0);
	CU_ASSERT_EQUAL(fake_dev.sregs.cs.base, 0);
	CU_ASSERT_EQUAL(fake_dev.regs.rip, 0x1000);
	CU_ASSERT_EQUAL(fake_dev.regs.rsp, 0xfff0);
	fake_dev_detach();
	close(fd);
	/* the largest flat image that fits, and one byte more */
	CU_ASSERT_EQUAL(mhv_image_parse(&im, mem, MEM_SIZE - 0x1000,
					MHV_IMAGE_FLAT, MEM_SIZE, NULL), 0);
	free(mem);
}

/* Segment @i of a built ELF is in memory at @addr, bss zeroed. */
static void expect_segment(const uint8_t *mem, unsigned int i, uint64_t addr,
			   uint64_t filesz, uint64_t memsz)
{
	uint64_t k;
	int bad = 0;

	for (k = 0; k < filesz; k++)
		bad |= mem[addr + k] != pattern(i, k);
	for (; k < memsz; k++)
		bad |= mem[addr + k] != 0;
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_elf32(void)
{
	const struct seg s[] = {
		{ .paddr = 0x100000, .filesz = 0x30, .memsz = 0x30 },
		{ .type = PT_NOTE, .paddr = 0x50000, .filesz = 8, .memsz = 8 },
		{ .paddr = 0x200000, .filesz = 0x10, .memsz = 0x1000 },
	};
	size_t len = build_elf(32, s, 3, 0x100004);
	struct mhv_image im;
	struct mhv_regs r;
	struct mhv_sregs sr;
	uint8_t *mem = new_mem();
	uint64_t gdt[3];

	memset(mem + 0x200000, 0xee, 0x2000);	/* bss must be zeroed */
	CU_ASSERT_EQUAL_FATAL(mhv_image_parse(&im, img, len, MHV_IMAGE_DETECT,
					      MEM_SIZE, NULL), 0);
	CU_ASSERT_EQUAL(im.format, MHV_IMAGE_ELF32);
	CU_ASSERT_EQUAL(im.nr_segments, 2);	/* PT_NOTE is not loaded */
	CU_ASSERT_EQUAL(im.entry, 0x100004);
	CU_ASSERT_EQUAL(mhv_image_load(&im, mem), 0);
	expect_segment(mem, 0, 0x100000, 0x30, 0x30);
	expect_segment(mem, 2, 0x200000, 0x10, 0x1000);
	CU_ASSERT_EQUAL(mem[0x201000], 0xee);	/* past memsz: untouched */
	CU_ASSERT_EQUAL(mem[0x50000], 0);	/* the note: not loaded */
	/* flat 32-bit protected mode, paging off */
	CU_ASSERT_EQUAL(mhv_image_boot_state(&im, &r, &sr), 0);
	CU_ASSERT_EQUAL(r.rip, 0x100004);
	CU_ASSERT_EQUAL(r.rsp, MHV_IMAGE_STACK_TOP);
	CU_ASSERT_EQUAL(r.rflags, 2);
	CU_ASSERT_EQUAL(sr.cr0 & 1, 1);			/* PE */
	CU_ASSERT_EQUAL(sr.cr0 & (1u << 31), 0);	/* PG */
	CU_ASSERT_EQUAL(sr.efer, 0);
	CU_ASSERT_EQUAL(sr.cs.db, 1);
	CU_ASSERT_EQUAL(sr.cs.l, 0);
	CU_ASSERT_EQUAL(sr.cs.base, 0);
	CU_ASSERT_EQUAL(sr.cs.limit, 0xffffffff);
	CU_ASSERT_EQUAL(sr.ss.db, 1);
	CU_ASSERT_EQUAL(sr.ds.selector, sr.ss.selector);
	/* the GDT the selectors point to: 32-bit code and data, base 0 */
	CU_ASSERT_EQUAL(sr.gdt.base, MHV_IMAGE_GDT);
	memcpy(gdt, mem + MHV_IMAGE_GDT, sizeof(gdt));
	CU_ASSERT_EQUAL(gdt[sr.cs.selector >> 3], 0x00cf9b000000ffffULL);
	CU_ASSERT_EQUAL(gdt[sr.ds.selector >> 3], 0x00cf93000000ffffULL);
	free(mem);
}

static void test_elf64(void)
{
	const struct seg s[] = {
		{ .paddr = 0x400000, .filesz = 0x100, .memsz = 0x180 },
	};
	size_t len = build_elf(64, s, 1, 0x400010);
	struct mhv_image im;
	struct mhv_regs r;
	struct mhv_sregs sr;
	uint8_t *mem = new_mem();
	uint64_t pml4e, pdpte, pde;

	CU_ASSERT_EQUAL_FATAL(mhv_image_parse(&im, img, len, MHV_IMAGE_DETECT,
					      MEM_SIZE, NULL), 0);
	CU_ASSERT_EQUAL(im.format, MHV_IMAGE_ELF64);
	CU_ASSERT_EQUAL(mhv_image_load(&im, mem), 0);
	expect_segment(mem, 0, 0x400000, 0x100, 0x180);
	CU_ASSERT_EQUAL(mhv_image_boot_state(&im, &r, &sr), 0);
	CU_ASSERT_EQUAL(r.rip, 0x400010);
	CU_ASSERT_EQUAL(r.rsp, MHV_IMAGE_STACK_TOP);
	CU_ASSERT_EQUAL(sr.cs.l, 1);
	CU_ASSERT(sr.efer & (1u << 10));		/* LMA */
	CU_ASSERT(sr.cr0 & (1u << 31));			/* PG */
	CU_ASSERT(sr.cr4 & (1u << 5));			/* PAE */
	/* identity paging: walk the entry point through CR3 */
	memcpy(&pml4e, mem + sr.cr3 + 8 * ((0x400010ULL >> 39) & 511), 8);
	CU_ASSERT_FATAL(pml4e & 1);
	memcpy(&pdpte, mem + (pml4e & ~0xfffULL) + 8 * ((0x400010ULL >> 30) & 511), 8);
	CU_ASSERT_FATAL(pdpte & 1);
	memcpy(&pde, mem + (pdpte & ~0xfffULL) + 8 * ((0x400010ULL >> 21) & 511), 8);
	CU_ASSERT(pde & 1);
	CU_ASSERT(pde & 0x80);				/* a 2 MiB page */
	CU_ASSERT_EQUAL(pde & ~0x1fffffULL & ((1ULL << 52) - 1), 0x400000);
	free(mem);
}

/* Linked high (vaddr != paddr): loaded at paddr, entered at its paddr. */
static void test_elf_high_entry(void)
{
	const struct seg s[] = {
		{ .paddr = 0x100000, .vaddr = 0xc0100000, .filesz = 0x20,
		  .memsz = 0x20 },
	};
	size_t len = build_elf(32, s, 1, 0xc0100008);
	struct mhv_image im;

	CU_ASSERT_EQUAL(mhv_image_parse(&im, img, len, MHV_IMAGE_DETECT,
					MEM_SIZE, NULL), 0);
	CU_ASSERT_EQUAL(im.entry, 0x100008);
}

static void test_multiboot_aout(void)
{
	size_t len = build_mb_aout(0x200, 0x1000);
	struct mhv_image im;
	struct mhv_regs r;
	struct mhv_sregs sr;
	uint8_t *mem = new_mem(), *info, *mm;
	const char *cmd = "console=ttyS0 quiet";
	uint32_t n, mmap_len;
	uint64_t base, size, top = 0;

	memset(mem + 0x100200, 0xee, 0x1000);
	CU_ASSERT_EQUAL_FATAL(mhv_image_parse(&im, img, len, MHV_IMAGE_DETECT,
					      MEM_SIZE, cmd), 0);
	CU_ASSERT_EQUAL(im.format, MHV_IMAGE_MULTIBOOT);
	CU_ASSERT_EQUAL(im.mb_offset, 0x40);
	CU_ASSERT_EQUAL(im.entry, 0x100060);
	CU_ASSERT_EQUAL(mhv_image_load(&im, mem), 0);
	/* the whole file from its first byte (header included), then bss */
	CU_ASSERT_EQUAL(memcmp(mem + 0x100000, img, 0x200), 0);
	expect_segment(mem, 0, 0x100200, 0, 0x1000);
	/* the machine state of the specification, section 3.2 */
	CU_ASSERT_EQUAL(mhv_image_boot_state(&im, &r, &sr), 0);
	CU_ASSERT_EQUAL(r.rax, 0x2BADB002);
	CU_ASSERT_EQUAL(r.rip, 0x100060);
	CU_ASSERT_EQUAL(r.rflags & (1u << 9), 0);	/* IF clear */
	CU_ASSERT_EQUAL(r.rflags & (1u << 17), 0);	/* VM clear */
	CU_ASSERT_EQUAL(sr.cr0 & 1, 1);
	CU_ASSERT_EQUAL(sr.cr0 & (1u << 31), 0);
	CU_ASSERT_EQUAL(sr.cs.db, 1);
	CU_ASSERT_EQUAL(sr.cs.limit, 0xffffffff);
	CU_ASSERT_EQUAL(sr.es.limit, 0xffffffff);
	/* the boot information at EBX */
	CU_ASSERT_FATAL(r.rbx > 0 && r.rbx < 0x100000);
	info = mem + r.rbx;
	CU_ASSERT((get32(info) & 0x45) == 0x45);	/* mem, cmdline, mmap */
	CU_ASSERT_EQUAL(get32(info + 4), 639);		/* mem_lower, KiB */
	CU_ASSERT_EQUAL(get32(info + 8), (MEM_SIZE - (1u << 20)) >> 10);
	CU_ASSERT_STRING_EQUAL((char *)mem + get32(info + 16), cmd);
	/* the memory map: 24-byte entries; the last RAM ends at MEM_SIZE */
	mmap_len = get32(info + 44);
	mm = mem + get32(info + 48);
	CU_ASSERT(mmap_len >= 24 && mmap_len % 24 == 0);
	for (n = 0; n < mmap_len; n += 24) {
		CU_ASSERT_EQUAL(get32(mm + n), 20);
		memcpy(&base, mm + n + 4, 8);
		memcpy(&size, mm + n + 12, 8);
		if (get32(mm + n + 20) == 1 && base + size > top)
			top = base + size;
		/* the kernel's load is in available memory */
		if (base <= 0x100000 && 0x101200 <= base + size)
			CU_ASSERT_EQUAL(get32(mm + n + 20), 1);
	}
	CU_ASSERT_EQUAL(top, MEM_SIZE);
	CU_ASSERT(get32(info) & (1u << 9));
	CU_ASSERT_PTR_NOT_NULL(strstr((char *)mem + get32(info + 64), "MultiOS"));
	free(mem);
}

/* A Multiboot ELF kernel: the ELF program headers say what to load. */
static void test_multiboot_elf(void)
{
	const struct seg s[] = {
		{ .paddr = 0x100000, .filesz = 0x100, .memsz = 0x200 },
	};
	size_t len = build_elf(32, s, 1, 0x100020);
	struct mhv_image im;
	struct mhv_regs r;
	struct mhv_sregs sr;
	uint8_t *mem = new_mem();

	mb_header(DATA_OFF + 0x10, 0x3, 0, 0, 0, 0);	/* inside segment 0 */
	CU_ASSERT_EQUAL_FATAL(mhv_image_parse(&im, img, len, MHV_IMAGE_DETECT,
					      MEM_SIZE, NULL), 0);
	CU_ASSERT_EQUAL(im.format, MHV_IMAGE_MULTIBOOT);
	CU_ASSERT_EQUAL(im.elf_class, 32);
	CU_ASSERT_EQUAL(im.entry, 0x100020);
	CU_ASSERT_EQUAL(mhv_image_load(&im, mem), 0);
	CU_ASSERT_EQUAL(get32(mem + 0x100010), MB_MAGIC);
	CU_ASSERT_EQUAL(mhv_image_boot_state(&im, &r, &sr), 0);
	CU_ASSERT_EQUAL(r.rax, 0x2BADB002);
	/* no command line: an empty one */
	CU_ASSERT_STRING_EQUAL((char *)mem + get32(mem + r.rbx + 16), "");
	/* --format elf32 boots the same file as a plain ELF */
	CU_ASSERT_EQUAL(mhv_image_parse(&im, img, len, MHV_IMAGE_ELF32,
					MEM_SIZE, NULL), 0);
	CU_ASSERT_EQUAL(im.format, MHV_IMAGE_ELF32);
	free(mem);
}

static void test_names(void)
{
	int i;

	for (i = 0; i < MHV_IMAGE_NR_FORMATS; i++)
		CU_ASSERT_EQUAL(mhv_image_format_from_name(
					mhv_image_format_name(i)), i);
	CU_ASSERT_STRING_EQUAL(mhv_image_format_name(MHV_IMAGE_MULTIBOOT),
			       "multiboot");
	CU_ASSERT_STRING_EQUAL(mhv_image_format_name(99), "unknown");
	CU_ASSERT_EQUAL(mhv_image_format_from_name("aout"), -EINVAL);
	CU_ASSERT_EQUAL(mhv_image_format_from_name(NULL), -EINVAL);
	for (i = 0; i < MHV_IMAGE_ERR_NR; i++)
		CU_ASSERT_STRING_NOT_EQUAL(mhv_image_error_name(i), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_image_error_name(MHV_IMAGE_ERR_OVERLAP),
			       "overlap");
	CU_ASSERT_STRING_EQUAL(mhv_image_error_name(-1), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_image_error_name(MHV_IMAGE_ERR_NR),
			       "unknown");
}

/* ---- malformed images ---------------------------------------------------------- */

static void test_bad_args(void)
{
	struct mhv_image im;

	CU_ASSERT_EQUAL(mhv_image_parse(NULL, img, 1, 0, MEM_SIZE, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mhv_image_parse(&im, NULL, 1, 0, MEM_SIZE, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mhv_image_parse(&im, img, 1, MHV_IMAGE_NR_FORMATS,
					MEM_SIZE, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mhv_vcpu_boot_image(-1, &im), -EINVAL);
}

static void test_flat_bad(void)
{
	uint32_t f;

	for (f = 0; f < MHV_IMAGE_NR_FORMATS; f++)
		refused(0, f, MEM_SIZE, NULL, MHV_IMAGE_ERR_EMPTY, "empty");
	memset(img, 0x90, sizeof(img));
	/* 64 KiB of guest memory: 60 KiB fit at 0x1000, one byte more not */
	refused(0xf001, MHV_IMAGE_FLAT, 0x10000, NULL,
		MHV_IMAGE_ERR_OUTSIDE_MEMORY, "61441 bytes does not fit");
	refused(16, MHV_IMAGE_FLAT, 0x800, NULL,
		MHV_IMAGE_ERR_OUTSIDE_MEMORY, "does not fit");
}

static void test_elf_truncated(void)
{
	const struct seg s[] = {
		{ .paddr = 0x100000, .filesz = 0x40, .memsz = 0x40 },
		{ .paddr = 0x200000, .filesz = 0x40, .memsz = 0x40 },
	};
	size_t len = build_elf(64, s, 2, 0x100000);

	refused(10, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_TRUNCATED,
		"the identification alone needs 16");
	refused(40, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_TRUNCATED,
		"the 64-bit header needs 64");
	/* program headers cut: the file ends inside the second one */
	refused(sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr) + 8, MHV_IMAGE_DETECT,
		MEM_SIZE, NULL, MHV_IMAGE_ERR_TRUNCATED, "program headers");
	/* the last segment's bytes cut short by one */
	refused(len - 1, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_TRUNCATED, "segment 1: its 64 bytes");
	build_elf(32, s, 2, 0x100000);
	refused(51, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_TRUNCATED,
		"the 32-bit header needs 52");
	/* a phnum that points far past the end */
	build_elf(32, s, 2, 0x100000);
	((Elf32_Ehdr *)img)->e_phnum = 0xffff;
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_TRUNCATED,
		"65535 of 32 bytes");
	/* a segment offset far past the end */
	build_elf(64, s, 2, 0x100000);
	((Elf64_Phdr *)(img + sizeof(Elf64_Ehdr)))[1].p_offset = ~0ULL - 8;
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_TRUNCATED,
		"run past the end of the file");
}

static void test_elf_bad_header(void)
{
	const struct seg s[] = {
		{ .paddr = 0x100000, .filesz = 0x40, .memsz = 0x40 },
	};
	size_t len;

	len = build_elf(64, s, 1, 0x100000);
	img[EI_CLASS] = 3;
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_BAD_HEADER,
		"class 3");
	len = build_elf(64, s, 1, 0x100000);
	img[EI_DATA] = ELFDATA2MSB;
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_BAD_HEADER,
		"not little-endian");
	len = build_elf(64, s, 1, 0x100000);
	img[EI_VERSION] = 2;
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_BAD_HEADER,
		"version 2");
	len = build_elf(64, s, 1, 0x100000);
	((Elf64_Ehdr *)img)->e_phentsize = 32;
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_BAD_HEADER,
		"program header size 32, not 56");
	len = build_elf(64, s, 1, 0x100000);
	((Elf64_Ehdr *)img)->e_type = ET_DYN;
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_UNSUPPORTED,
		"-static -no-pie");
	len = build_elf(64, s, 1, 0x100000);
	((Elf64_Ehdr *)img)->e_machine = EM_AARCH64;
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_UNSUPPORTED,
		"not EM_X86_64");
	len = build_elf(32, s, 1, 0x100000);
	((Elf32_Ehdr *)img)->e_machine = EM_X86_64;
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_UNSUPPORTED,
		"not EM_386");
	/* the format asked for is not what the file is */
	refused(len, MHV_IMAGE_ELF64, MEM_SIZE, NULL, MHV_IMAGE_ERR_UNSUPPORTED,
		"not EM_386");
	len = build_elf(32, s, 1, 0x100000);
	refused(len, MHV_IMAGE_ELF64, MEM_SIZE, NULL, MHV_IMAGE_ERR_UNSUPPORTED,
		"a 32-bit ELF file, not the elf64");
	memset(img, 0x90, 256);
	refused(256, MHV_IMAGE_ELF32, MEM_SIZE, NULL, MHV_IMAGE_ERR_BAD_MAGIC,
		"not an ELF file");
}

static void test_elf_segments_bad(void)
{
	struct seg s[MHV_IMAGE_MAX_SEGMENTS + 1];
	size_t len;
	unsigned int i;

	memset(s, 0, sizeof(s));
	/* p_filesz > p_memsz */
	s[0] = (struct seg){ .paddr = 0x100000, .filesz = 0x40, .memsz = 0x20 };
	len = build_elf(64, s, 1, 0x100000);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_BAD_HEADER,
		"filesz > memsz");
	/* the bss runs past the end of guest memory by one byte */
	s[0] = (struct seg){ .paddr = MEM_SIZE - 0x1000, .filesz = 0x10,
			     .memsz = 0x1001 };
	len = build_elf(64, s, 1, MEM_SIZE - 0x1000);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_OUTSIDE_MEMORY, "outside guest memory (16 MiB");
	/* ... and exactly at the end it is fine */
	s[0].memsz = 0x1000;
	len = build_elf(64, s, 1, MEM_SIZE - 0x1000);
	{
		struct mhv_image im;

		CU_ASSERT_EQUAL(mhv_image_parse(&im, img, len, 0, MEM_SIZE,
						NULL), 0);
	}
	/* in the loader's first MiB */
	s[0] = (struct seg){ .paddr = 0x7000, .filesz = 0x10, .memsz = 0x10 };
	len = build_elf(32, s, 1, 0x7000);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_RESERVED,
		"the first MiB is the loader's");
	/* two segments sharing one byte */
	s[0] = (struct seg){ .paddr = 0x100000, .filesz = 0x10, .memsz = 0x1000 };
	s[1] = (struct seg){ .paddr = 0x100fff, .filesz = 0x10, .memsz = 0x10 };
	len = build_elf(32, s, 2, 0x100000);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_OVERLAP,
		"segments 0 (0x100000-0x100fff) and 1 (0x100fff-0x10100e) overlap");
	/* one byte apart they are fine */
	s[1].paddr = 0x101000;
	len = build_elf(32, s, 2, 0x100000);
	{
		struct mhv_image im;

		CU_ASSERT_EQUAL(mhv_image_parse(&im, img, len, 0, MEM_SIZE,
						NULL), 0);
	}
	/* huge sizes: wrapping 64 bits, 32 bits, and merely too large */
	s[0] = (struct seg){ .paddr = 0x100000, .filesz = 0x10,
			     .memsz = 0xfffffffffff00001ULL };
	len = build_elf(64, s, 1, 0x100000);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_OVERFLOW,
		"wraps around the 64-bit address space");
	s[0].memsz = 0xfff00001;	/* ends one byte past 4 GiB */
	len = build_elf(32, s, 1, 0x100000);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_OVERFLOW,
		"wraps around the 32-bit address space");
	s[0].memsz = 1ULL << 40;
	len = build_elf(64, s, 1, 0x100000);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_OUTSIDE_MEMORY, "outside guest memory");
	/* a huge p_filesz: more file bytes than the file has */
	s[0] = (struct seg){ .paddr = 0x100000, .filesz = 0x7fffffffffffffffULL,
			     .memsz = 0x7fffffffffffffffULL };
	len = build_elf(64, s, 1, 0x100000);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_TRUNCATED,
		"run past the end of the file");
	/* an elf64 segment above the 4 GiB the identity map covers */
	s[0] = (struct seg){ .paddr = 0xfffff000, .filesz = 0x10, .memsz = 0x2000 };
	len = build_elf(64, s, 1, 0xfffff000);
	refused(len, MHV_IMAGE_DETECT, 8ULL << 30, NULL,
		MHV_IMAGE_ERR_OUTSIDE_MEMORY, "4 GiB");
	/* the entry point in no segment */
	s[0] = (struct seg){ .paddr = 0x100000, .filesz = 0x10, .memsz = 0x10 };
	len = build_elf(64, s, 1, 0x100010);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_ENTRY,
		"entry point 0x100010");
	/* nothing to load */
	s[0].type = PT_NOTE;
	len = build_elf(64, s, 1, 0x100000);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_NO_SEGMENTS, "no segment");
	len = build_elf(64, s, 0, 0x100000);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_NO_SEGMENTS, "e_phnum = 0");
	/* one segment more than the loader takes */
	for (i = 0; i <= MHV_IMAGE_MAX_SEGMENTS; i++)
		s[i] = (struct seg){ .paddr = 0x100000 + i * 0x1000,
				     .filesz = 4, .memsz = 4 };
	len = build_elf(64, s, MHV_IMAGE_MAX_SEGMENTS + 1, 0x100000);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_TOO_MANY,
		"more than 16 segments");
}

static void test_multiboot_bad(void)
{
	size_t len;

	/* checksum off by one */
	len = build_mb_aout(0x200, 0);
	put32(img + 0x48, get32(img + 0x48) + 1);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_CHECKSUM,
		"magic + flags + checksum = 0x00000001, not 0");
	/* the file ends inside the header */
	len = build_mb_aout(0x200, 0);
	refused(0x48, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_TRUNCATED, "ends before its flags and checksum");
	refused(0x50, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_TRUNCATED, "run past the end of the file");
	/* the a.out fields would run past the first 8192 bytes */
	memset(img, 0, sizeof(img));
	mb_header(8192 - 16, (1u << 16), 0x100000, 0, 0, 0x100000);
	refused(9000, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_TRUNCATED, "first 8192 bytes");
	/* a magic past the first 8192 bytes is no header */
	memset(img, 0, sizeof(img));
	mb_header(8192, 0x2, 0, 0, 0, 0);
	refused(9000, MHV_IMAGE_MULTIBOOT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_BAD_MAGIC, "no Multiboot header");
	/* required features mhv does not offer */
	len = build_mb_aout(0x200, 0);
	mb_header(0x40, (1u << 2) | (1u << 16), 0x100000, 0, 0, 0x100060);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_UNSUPPORTED, "video mode");
	mb_header(0x40, (1u << 5) | (1u << 16), 0x100000, 0, 0, 0x100060);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_UNSUPPORTED, "(bits 0x0020)");
	/* no address fields and no ELF */
	mb_header(0x40, 0x3, 0, 0, 0, 0);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_UNSUPPORTED, "must then be an ELF file");
	/* address fields out of order */
	mb_header(0x40, (1u << 16), 0x100000, 0, 0, 0x100060);
	put32(img + 0x40 + 12, 0x100000 - 4);		/* header_addr < load_addr */
	put32(img + 0x40 + 8, -(MB_MAGIC + (1u << 16)));
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_BAD_HEADER, "before the start of the file");
	mb_header(0x40, (1u << 16), 0x100000, 0xff000, 0, 0x100060);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_BAD_HEADER, "load_end_addr 0xff000 is below");
	mb_header(0x40, (1u << 16), 0x100000, 0x100100, 0x100080, 0x100060);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_BAD_HEADER, "bss_end_addr 0x100080");
	/* load_end_addr past the end of the file */
	mb_header(0x40, (1u << 16), 0x100000, 0x100201, 0, 0x100060);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_TRUNCATED, "512 bytes");
	/* a huge bss: outside guest memory */
	mb_header(0x40, (1u << 16), 0x100000, 0, 0xfffff000, 0x100060);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL,
		MHV_IMAGE_ERR_OUTSIDE_MEMORY, "outside guest memory");
	/* entry past the load */
	mb_header(0x40, (1u << 16), 0x100000, 0, 0x100300, 0x100300);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_ENTRY,
		"entry point 0x100300");
	/* loaded in the loader's first MiB */
	mb_header(0x40, (1u << 16), 0x8000, 0, 0, 0x8060);
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, NULL, MHV_IMAGE_ERR_RESERVED,
		"below 0x100000");
}

static void test_cmdline_too_long(void)
{
	size_t len = build_mb_aout(0x200, 0);
	char *cmd = malloc(MHV_IMAGE_CMDLINE_MAX + 1);
	struct mhv_image im;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cmd);
	memset(cmd, 'x', MHV_IMAGE_CMDLINE_MAX);
	cmd[MHV_IMAGE_CMDLINE_MAX] = '\0';
	refused(len, MHV_IMAGE_DETECT, MEM_SIZE, cmd, MHV_IMAGE_ERR_CMDLINE,
		"at most 4095 fit");
	cmd[MHV_IMAGE_CMDLINE_MAX - 1] = '\0';	/* 4095: fits */
	CU_ASSERT_EQUAL(mhv_image_parse(&im, img, len, 0, MEM_SIZE, cmd), 0);
	free(cmd);
}

/* ---- mhv run --device TYPE@ADDR ---------------------------------------- */

static void test_device_spec(void)
{
	uint32_t type, space, irq;
	uint64_t base;
	char err[256];

	CU_ASSERT_EQUAL(mhv_device_spec_parse("uart@0x3f8", &type, &space,
					      &base, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(type, MHV_DEV_TYPE_UART);
	CU_ASSERT_EQUAL(space, MHV_DEV_SPACE_PIO);
	CU_ASSERT_EQUAL(base, 0x3f8);
	CU_ASSERT_EQUAL(mhv_device_spec_parse("debug-exit@pio:244", &type,
					      &space, &base, err,
					      sizeof(err)), 0);
	CU_ASSERT_EQUAL(type, MHV_DEV_TYPE_DEBUG_EXIT);
	CU_ASSERT_EQUAL(base, 244);
	CU_ASSERT_EQUAL(mhv_device_spec_parse("demo@mmio:0xd0000000", &type,
					      &space, &base, err,
					      sizeof(err)), 0);
	CU_ASSERT_EQUAL(type, MHV_DEV_TYPE_DEMO);
	CU_ASSERT_EQUAL(space, MHV_DEV_SPACE_MMIO);
	CU_ASSERT_EQUAL(base, 0xd0000000);
	CU_ASSERT_EQUAL(mhv_device_spec_parse_irq("rtc@0x70,irq=0x28", &type,
						  &space, &base, &irq, err,
						  sizeof(err)), 0);
	CU_ASSERT_EQUAL(type, MHV_DEV_TYPE_RTC);
	CU_ASSERT_EQUAL(base, 0x70);
	CU_ASSERT_EQUAL(irq, 0x28);
	CU_ASSERT_EQUAL(mhv_device_spec_parse("reset@0xcf9", &type, &space,
					      &base, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(type, MHV_DEV_TYPE_RESET);
	CU_ASSERT_EQUAL(mhv_device_spec_parse("fwinfo@0x510", &type, &space,
					      &base, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(type, MHV_DEV_TYPE_FWINFO);
	CU_ASSERT_EQUAL(base, 0x510);

	CU_ASSERT_EQUAL(mhv_device_spec_parse("uart", &type, &space, &base,
					      err, sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "want TYPE@ADDR"));
	CU_ASSERT_EQUAL(mhv_device_spec_parse("floppy@0x3f0", &type, &space,
					      &base, err, sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown device type 'floppy'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "uart"));	/* the known ones */
	CU_ASSERT_EQUAL(mhv_device_spec_parse("uart@0x10000", &type, &space,
					      &base, err, sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "above 0xffff"));
	CU_ASSERT_EQUAL(mhv_device_spec_parse("uart@3f8", &type, &space,
					      &base, err, sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "'3f8' is not a number"));
	CU_ASSERT_EQUAL(mhv_device_spec_parse("demo@mmio:", &type, &space,
					      &base, err, sizeof(err)), -EINVAL);
	CU_ASSERT_EQUAL(mhv_device_spec_parse("uart@-1", &type, &space,
					      &base, err, sizeof(err)), -EINVAL);
	CU_ASSERT_EQUAL(mhv_device_spec_parse(NULL, &type, &space, &base,
					      NULL, 0), -EINVAL);
	/* ,irq=VECTOR: only where the caller takes it, only 32..255 */
	CU_ASSERT_EQUAL(mhv_device_spec_parse("edu@0x600,irq=0x31", &type,
					      &space, &base, err,
					      sizeof(err)), -EINVAL);
	CU_ASSERT_EQUAL(mhv_device_spec_parse_irq("edu@0x600,irq=0x31", &type,
						  &space, &base, &irq, err,
						  sizeof(err)), 0);
	CU_ASSERT_EQUAL(type, MHV_DEV_TYPE_EDU);
	CU_ASSERT_EQUAL(base, 0x600);
	CU_ASSERT_EQUAL(irq, 0x31);
	CU_ASSERT_EQUAL(mhv_device_spec_parse_irq("timer@mmio:0xd0000000", &type,
						  &space, &base, &irq, err,
						  sizeof(err)), 0);
	CU_ASSERT_EQUAL(space, MHV_DEV_SPACE_MMIO);
	CU_ASSERT_EQUAL(base, 0xd0000000);
	CU_ASSERT_EQUAL(irq, 0);
	CU_ASSERT_EQUAL(mhv_device_spec_parse_irq("edu@0x600,irq=31", &type,
						  &space, &base, &irq, err,
						  sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "irq=VECTOR (32..255)"));
	CU_ASSERT_EQUAL(mhv_device_spec_parse_irq("edu@0x600,vec=40", &type,
						  &space, &base, &irq, err,
						  sizeof(err)), -EINVAL);
}

/* ---- mhv run --json --------------------------------------------------------- */

static void test_summary_json(void)
{
	static const char *const keys[] = {
		"name", "image", "format", "end", "exit_status", "run_ns",
		"state", "npf", "memory_used_kb", "exits", "devices", NULL,
	};
	struct mhv_run_summary s;
	char buf[16384], v[256];
	int n;

	memset(&s, 0, sizeof(s));
	s.name = "hello \"guest\"";
	s.image = "/mhv/samples/hello.elf";
	s.format = MHV_IMAGE_MULTIBOOT;
	s.end = "debug-exit";
	s.exit_status = 7;
	s.run_ns = 1234567;
	s.has_info = 1;
	s.info.state = MHV_VM_PAUSED;
	s.info.npf_count = 5;
	s.has_stats = 1;
	s.stats.nr = MHV_STAT_NR;
	s.stats.counters[MHV_STAT_EXITS] = 40;
	s.stats.counters[MHV_STAT_DEV_IO] = 30;
	s.nr_devices = 2;
	s.dev[0].type = MHV_DEV_TYPE_UART;
	s.dev[0].space = MHV_DEV_SPACE_PIO;
	s.dev[0].base = 0x3f8;
	s.dev_stats[0].writes = 25;
	s.dev[1].id = 1;
	s.dev[1].type = MHV_DEV_TYPE_DEMO;
	s.dev[1].space = MHV_DEV_SPACE_MMIO;
	s.dev_stats[1].hist[3] = 9;
	n = mhv_run_summary_format_json(&s, buf, sizeof(buf));
	CU_ASSERT_EQUAL(n, (int)strlen(buf));
	CU_ASSERT(json_valid(buf));
	CU_ASSERT(json_keys_are(buf, NULL, keys));
	CU_ASSERT_EQUAL(json_member_raw(buf, "exit_status", v, sizeof(v)), 0);
	CU_ASSERT_STRING_EQUAL(v, "7");
	CU_ASSERT_EQUAL(json_member_raw(buf, "npf", v, sizeof(v)), 0);
	CU_ASSERT_STRING_EQUAL(v, "5");
	CU_ASSERT_EQUAL(json_member_raw(buf, "format", v, sizeof(v)), 0);
	CU_ASSERT_STRING_EQUAL(v, "\"multiboot\"");
	CU_ASSERT_EQUAL(json_member_raw(buf, "exits", v, sizeof(v)), 0);
	CU_ASSERT_STRING_EQUAL(v, "{\"total\": 40, \"dev_io\": 30}");
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"type\": \"uart\", \"space\": \"pio\", \"base\": 1016"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"writes\": 25"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"hist\": [0, 0, 0, 9, 0"));
	/* no info: null, not made-up zeros; snprintf-style size */
	s.has_info = 0;
	n = mhv_run_summary_format_json(&s, NULL, 0);
	CU_ASSERT_EQUAL(mhv_run_summary_format_json(&s, buf, sizeof(buf)), n);
	CU_ASSERT(json_valid(buf));
	CU_ASSERT_EQUAL(json_member_raw(buf, "state", v, sizeof(v)), 0);
	CU_ASSERT_STRING_EQUAL(v, "null");
}

int register_loader_tests(void)
{
	ADD_SUITE("loader",
		  { "flat", test_flat },
		  { "elf32", test_elf32 },
		  { "elf64", test_elf64 },
		  { "elf_high_entry", test_elf_high_entry },
		  { "multiboot_aout", test_multiboot_aout },
		  { "multiboot_elf", test_multiboot_elf },
		  { "names", test_names },
		  { "bad_args", test_bad_args },
		  { "flat_bad", test_flat_bad },
		  { "elf_truncated", test_elf_truncated },
		  { "elf_bad_header", test_elf_bad_header },
		  { "elf_segments_bad", test_elf_segments_bad },
		  { "multiboot_bad", test_multiboot_bad },
		  { "cmdline_too_long", test_cmdline_too_long },
		  { "device_spec", test_device_spec },
		  { "summary_json", test_summary_json });
}
