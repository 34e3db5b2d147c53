// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - the Linux x86 boot protocol (the kernel's
 * Documentation/arch/x86/boot.rst): a bzImage as the image format
 * MHV_IMAGE_LINUX of loader.c, started at its 64-bit entry point.
 *
 * The file: the real-mode setup (boot sector + setup_sects sectors of
 * 512 bytes, the setup header at 0x1f1) and then the protected-mode
 * kernel, which is copied to its load address: pref_address for a
 * relocatable kernel (protocol 2.10+), else 1 MiB. The loader then
 * writes the zero page (struct boot_params of <asm/bootparam.h>: the
 * setup header copied from the file, our fields filled in), the command
 * line, the initrd, the E820 map, a GDT with __BOOT_CS/__BOOT_DS and the
 * identity page tables of the first 4 GiB, and starts the vCPU in long
 * mode at load address + 0x200 (startup_64) with RSI = the zero page, as
 * the protocol's "64-bit boot protocol" section asks (2.12+,
 * XLF_KERNEL_64).
 */
#include <asm/bootparam.h>
#include <asm/e820.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "libmultios_hv.h"
#include "mhv_guest.h"
#include "internal.h"

#define SETUP_HDR		0x1f1	/* struct setup_header in the file */
#define HDR_MAGIC		0x53726448u	/* "HdrS" at 0x202 */
#define BOOT_FLAG		0xaa55u		/* at 0x1fe */
#define DEFAULT_SETUP_SECTS	4	/* setup_sects 0 means 4 */
#define LOADER_TYPE_UNKNOWN	0xff	/* type_of_loader: no assigned id */
#define LEGACY_LOAD_ADDR	0x100000u	/* a non-relocatable kernel */
#define PAGE_SIZE_4K		0x1000u
#define LOW_RAM_END		0x9fc00u	/* the EBDA starts here */
#define BIOS_AREA		0xe0000u	/* ACPI tables, up to 1 MiB */
#define ONE_MIB			0x100000u

/* GDT descriptors: 64-bit code (L=1), flat 4 GiB read/write data */
#define GDT_CODE64		0x00af9b000000ffffULL
#define GDT_DATA		0x00cf93000000ffffULL

/* The setup header as the file has it (zeroes past the file's end). */
static void read_header(const struct mhv_image *img, struct setup_header *h)
{
	size_t n = img->len > SETUP_HDR ? img->len - SETUP_HDR : 0;

	memset(h, 0, sizeof(*h));
	memcpy(h, img->data + SETUP_HDR, n < sizeof(*h) ? n : sizeof(*h));
}

int mhv_linux_detect(const struct mhv_image *img)
{
	struct setup_header h;

	if (img->len < SETUP_HDR + sizeof(h))
		return 0;
	read_header(img, &h);
	return h.header == HDR_MAGIC;
}

/* Magic, version, 64-bit entry, the setup size. */
static int check_header(struct mhv_image *img, const struct setup_header *h)
{
	uint64_t setup;

	if (img->len < SETUP_HDR + sizeof(*h))
		return mhv_image_refuse(img, MHV_IMAGE_ERR_TRUNCATED,
					"bzImage: the file has %zu bytes, the setup header ends at 0x%zx",
					img->len, SETUP_HDR + sizeof(*h));
	if (h->header != HDR_MAGIC || h->boot_flag != BOOT_FLAG)
		return mhv_image_refuse(img, MHV_IMAGE_ERR_BAD_MAGIC,
					"not a bzImage: no \"HdrS\" at 0x202 and 0xaa55 at 0x1fe");
	if (h->version < MHV_LINUX_MIN_VERSION)
		return mhv_image_refuse(img, MHV_IMAGE_ERR_UNSUPPORTED,
					"bzImage: boot protocol %u.%02u, the 64-bit entry needs 2.12 or later",
					h->version >> 8, h->version & 0xff);
	if (!(h->xloadflags & XLF_KERNEL_64))
		return mhv_image_refuse(img, MHV_IMAGE_ERR_UNSUPPORTED,
					"bzImage: no 64-bit entry point (xloadflags 0x%x without XLF_KERNEL_64): a 32-bit kernel",
					h->xloadflags);
	if (!(h->loadflags & LOADED_HIGH))
		return mhv_image_refuse(img, MHV_IMAGE_ERR_UNSUPPORTED,
					"bzImage: a zImage (loadflags without LOADED_HIGH) loads below 1 MiB");
	setup = (uint64_t)((h->setup_sects ? h->setup_sects :
			    DEFAULT_SETUP_SECTS) + 1) * 512;
	if (setup >= img->len)
		return mhv_image_refuse(img, MHV_IMAGE_ERR_TRUNCATED,
					"bzImage: %" PRIu64 " bytes of setup, the file has %zu: no protected-mode kernel",
					setup, img->len);
	return 0;
}

/* Where the protected-mode kernel goes, checked against memory. */
static int place_kernel(struct mhv_image *img, const struct setup_header *h)
{
	struct mhv_linux_info *lx = &img->lx;
	uint64_t setup = (uint64_t)((h->setup_sects ? h->setup_sects :
				     DEFAULT_SETUP_SECTS) + 1) * 512;
	struct mhv_image_segment s = {
		.offset = setup, .filesz = img->len - setup,
	};

	lx->version = h->version;
	lx->setup_sects = h->setup_sects;
	lx->relocatable = h->relocatable_kernel;
	lx->xloadflags = h->xloadflags;
	lx->kernel_alignment = h->kernel_alignment;
	lx->init_size = h->init_size;
	lx->initrd_addr_max = h->initrd_addr_max;
	lx->cmdline_size = h->cmdline_size;
	lx->load_addr = h->relocatable_kernel ? h->pref_address :
						LEGACY_LOAD_ADDR;
	if (h->relocatable_kernel && h->kernel_alignment &&
	    lx->load_addr % h->kernel_alignment)
		return mhv_image_refuse(img, MHV_IMAGE_ERR_BAD_HEADER,
					"bzImage: pref_address 0x%" PRIx64 " is not a multiple of kernel_alignment 0x%x",
					lx->load_addr, h->kernel_alignment);
	if (img->mem_size > MHV_LINUX_MAX_MEM)
		return mhv_image_refuse(img, MHV_IMAGE_ERR_OUTSIDE_MEMORY,
					"Linux: at most %llu MiB of guest memory (the RAM of its E820 map ends below the APICs at 0xfec00000)",
					MHV_LINUX_MAX_MEM >> 20);
	s.addr = lx->load_addr;
	/* the kernel decompresses in place: init_size bytes from load */
	s.memsz = h->init_size > s.filesz ? h->init_size : s.filesz;
	return mhv_image_add_segment(img, "the protected-mode kernel", &s,
				     0x100000000ULL);
}

int mhv_linux_parse(struct mhv_image *img)
{
	const char *cmdline = img->cmdline ? img->cmdline : "";
	struct setup_header h;
	int r;

	read_header(img, &h);
	r = check_header(img, &h);
	if (!r)
		r = place_kernel(img, &h);
	if (r)
		return r;
	if (strlen(cmdline) > h.cmdline_size)
		return mhv_image_refuse(img, MHV_IMAGE_ERR_CMDLINE,
					"the command line has %zu bytes, this kernel takes at most %u (cmdline_size)",
					strlen(cmdline), h.cmdline_size);
	img->entry = img->lx.load_addr + MHV_LINUX_ENTRY_64;
	return 0;
}

int mhv_image_set_initrd(struct mhv_image *img, const void *data, size_t len)
{
	struct mhv_linux_info *lx;
	uint64_t top, kend;

	if (!img || img->error || img->format != MHV_IMAGE_LINUX || !data ||
	    !len)
		return -EINVAL;
	lx = &img->lx;
	top = img->mem_size;
	if ((uint64_t)lx->initrd_addr_max + 1 < top)
		top = (uint64_t)lx->initrd_addr_max + 1;
	kend = img->seg[0].addr + img->seg[0].memsz;
	if (len > top || ((top - len) & ~(uint64_t)(PAGE_SIZE_4K - 1)) < kend)
		return mhv_image_refuse(img, MHV_IMAGE_ERR_OUTSIDE_MEMORY,
					"the initrd (%zu bytes) does not fit between the kernel's end 0x%" PRIx64 " and 0x%" PRIx64 " (guest memory, initrd_addr_max): give the guest more memory",
					len, kend, top);
	lx->initrd = data;
	lx->initrd_len = len;
	lx->initrd_addr = (top - len) & ~(uint64_t)(PAGE_SIZE_4K - 1);
	return 0;
}

int mhv_linux_e820(uint64_t mem_size, struct mhv_e820_entry *e,
		   unsigned int max)
{
	const struct mhv_e820_entry map[] = {
		{ 0, LOW_RAM_END, E820_RAM },
		{ LOW_RAM_END, 0xa0000 - LOW_RAM_END, E820_RESERVED },
		{ BIOS_AREA, ONE_MIB - BIOS_AREA, E820_RESERVED },
		{ ONE_MIB, mem_size - ONE_MIB, E820_RAM },
	};
	unsigned int n = sizeof(map) / sizeof(map[0]);

	if (!e || max < n || mem_size < 2 * ONE_MIB ||
	    mem_size > MHV_LINUX_MAX_MEM)
		return -EINVAL;
	memcpy(e, map, sizeof(map));
	return (int)n;
}

/* The zero page: the file's setup header, then what the loader says. */
static void boot_params(const struct mhv_image *img, uint8_t *mem)
{
	const struct mhv_linux_info *lx = &img->lx;
	struct boot_params *bp = (void *)(mem + MHV_LINUX_BOOT_PARAMS);
	struct mhv_e820_entry e[E820MAX];
	size_t hlen;
	int i, n;

	memset(bp, 0, sizeof(*bp));
	/* the header ends at 0x202 + the byte at 0x201 (boot.rst) */
	hlen = 0x202 + img->data[0x201] - SETUP_HDR;
	if (hlen > sizeof(bp->hdr))
		hlen = sizeof(bp->hdr);
	memcpy(&bp->hdr, img->data + SETUP_HDR, hlen);
	bp->hdr.type_of_loader = LOADER_TYPE_UNKNOWN;
	bp->hdr.code32_start = (uint32_t)lx->load_addr;
	bp->hdr.cmd_line_ptr = MHV_LINUX_CMDLINE;
	bp->hdr.vid_mode = 0xffff;	/* "normal" */
	bp->hdr.ramdisk_image = (uint32_t)lx->initrd_addr;
	bp->hdr.ramdisk_size = (uint32_t)lx->initrd_len;
	if (lx->version >= 0x020e)	/* 2.14: acpi_rsdp_addr */
		bp->acpi_rsdp_addr = lx->acpi_rsdp;
	n = mhv_linux_e820(img->mem_size, e, E820MAX);
	for (i = 0; i < n; i++) {
		bp->e820_table[i].addr = e[i].addr;
		bp->e820_table[i].size = e[i].size;
		bp->e820_table[i].type = e[i].type;
	}
	bp->e820_entries = (uint8_t)(n > 0 ? n : 0);
}

int mhv_linux_load(const struct mhv_image *img, uint8_t *mem)
{
	const struct mhv_linux_info *lx = &img->lx;
	const char *cmdline = img->cmdline ? img->cmdline : "";
	uint64_t *gdt = (uint64_t *)(mem + MHV_IMAGE_GDT);

	if (img->mem_size < (uint64_t)MHV_LINUX_CMDLINE + lx->cmdline_size + 1)
		return -EINVAL;
	mhv_long_mode_tables(mem);	/* identity map of 4 GiB */
	gdt[0] = 0;
	gdt[1] = 0;
	gdt[MHV_LINUX_BOOT_CS / 8] = GDT_CODE64;
	gdt[MHV_LINUX_BOOT_DS / 8] = GDT_DATA;
	memcpy(mem + MHV_LINUX_CMDLINE, cmdline, strlen(cmdline) + 1);
	if (lx->initrd)
		memcpy(mem + lx->initrd_addr, lx->initrd, lx->initrd_len);
	boot_params(img, mem);
	return 0;
}

int mhv_linux_boot_state(const struct mhv_image *img, struct mhv_regs *regs,
			 struct mhv_sregs *sregs)
{
	mhv_guest_long_mode_sregs(sregs);
	sregs->cs.selector = MHV_LINUX_BOOT_CS;
	sregs->ds.selector = MHV_LINUX_BOOT_DS;
	sregs->es = sregs->ds;
	sregs->fs = sregs->ds;
	sregs->gs = sregs->ds;
	sregs->ss = sregs->ds;
	sregs->gdt.limit = 4 * 8 - 1;
	memset(regs, 0, sizeof(*regs));
	regs->rip = img->entry;
	regs->rsi = MHV_LINUX_BOOT_PARAMS;
	regs->rsp = MHV_IMAGE_STACK_TOP;
	regs->rflags = 2;		/* interrupts disabled */
	return 0;
}
