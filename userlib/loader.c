// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - guest images: flat binaries, 32/64-bit ELF and
 * Multiboot (v1) kernels (libmultios_hv.h describes the formats, the
 * errors and the memory the loader uses).
 *
 * mhv_image_parse() checks everything (headers, sizes, overflow, guest
 * memory, overlap, entry) before mhv_image_load() writes a byte; the
 * parser reads the file only through bounds-checked helpers.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmultios_hv.h"
#include "mhv_guest.h"
#include "internal.h"

#define FOUR_GIB		0x100000000ULL

#define refuse		mhv_image_refuse	/* shared with linux.c */
#define add_segment	mhv_image_add_segment

/* Multiboot header flags (the specification, section 3.1.2) */
#define MB_F_PAGE_ALIGN		(1u << 0)	/* modules page-aligned */
#define MB_F_MEMORY_INFO	(1u << 1)	/* mem_* must be given */
#define MB_F_VIDEO_MODE		(1u << 2)	/* video mode table */
#define MB_F_AOUT_KLUDGE	(1u << 16)	/* address fields valid */
#define MB_F_REQUIRED_MASK	0x0000ffffu	/* bits a loader must know */
#define MB_F_KNOWN		(MB_F_PAGE_ALIGN | MB_F_MEMORY_INFO)

/* Multiboot information flags (section 3.3) */
#define MBI_F_MEMORY		(1u << 0)
#define MBI_F_CMDLINE		(1u << 2)
#define MBI_F_MMAP		(1u << 6)
#define MBI_F_LOADER_NAME	(1u << 9)

#define MB_HEADER_SIZE		12	/* magic, flags, checksum */
#define MB_AOUT_SIZE		32	/* ... and the five address fields */
#define MB_VIDEO_SIZE		48	/* ... and the four video fields */

#define MB_LOWER_END		0x9fc00u	/* conventional memory */
#define MB_BIOS_START		0xe0000u	/* reserved up to 1 MiB */
#define MB_LOADER_NAME		"MultiOS HV (mhv)"

static const char *const format_names[] = {
	[MHV_IMAGE_DETECT] = "detect",
	[MHV_IMAGE_FLAT] = "flat",
	[MHV_IMAGE_ELF32] = "elf32",
	[MHV_IMAGE_ELF64] = "elf64",
	[MHV_IMAGE_MULTIBOOT] = "multiboot",
	[MHV_IMAGE_LINUX] = "linux",
};

static const char *const error_names[] = {
	[MHV_IMAGE_OK] = "ok",
	[MHV_IMAGE_ERR_EMPTY] = "empty",
	[MHV_IMAGE_ERR_TRUNCATED] = "truncated",
	[MHV_IMAGE_ERR_BAD_MAGIC] = "bad-magic",
	[MHV_IMAGE_ERR_CHECKSUM] = "checksum",
	[MHV_IMAGE_ERR_BAD_HEADER] = "bad-header",
	[MHV_IMAGE_ERR_UNSUPPORTED] = "unsupported",
	[MHV_IMAGE_ERR_NO_SEGMENTS] = "no-segments",
	[MHV_IMAGE_ERR_TOO_MANY] = "too-many-segments",
	[MHV_IMAGE_ERR_OVERFLOW] = "overflow",
	[MHV_IMAGE_ERR_OUTSIDE_MEMORY] = "outside-memory",
	[MHV_IMAGE_ERR_RESERVED] = "reserved",
	[MHV_IMAGE_ERR_OVERLAP] = "overlap",
	[MHV_IMAGE_ERR_ENTRY] = "entry",
	[MHV_IMAGE_ERR_CMDLINE] = "cmdline",
};

const char *mhv_image_format_name(uint32_t format)
{
	return format < MHV_IMAGE_NR_FORMATS ? format_names[format] : "unknown";
}

int mhv_image_format_from_name(const char *name)
{
	uint32_t i;

	if (!name)
		return -EINVAL;
	for (i = 0; i < MHV_IMAGE_NR_FORMATS; i++)
		if (!strcmp(name, format_names[i]))
			return (int)i;
	return -EINVAL;
}

const char *mhv_image_error_name(int error)
{
	return error >= 0 && error < MHV_IMAGE_ERR_NR ? error_names[error] :
							 "unknown";
}

/* Refuse the image: record why; always -ENOEXEC. */
int mhv_image_refuse(struct mhv_image *img, int error, const char *fmt, ...)
{
	va_list ap;

	img->error = error;
	va_start(ap, fmt);
	vsnprintf(img->errmsg, sizeof(img->errmsg), fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

/* Does [off, off + n) lie inside the file? (no overflow) */
static int in_file(const struct mhv_image *img, uint64_t off, uint64_t n)
{
	return off <= img->len && n <= img->len - off;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));	/* x86 only: little-endian */
	return v;
}

/* ---- segments ----------------------------------------------------------- */

/*
 * Add a segment @what (e.g. "segment 2") after checking its file bytes,
 * that it does not wrap around @limit (2^32 or 2^64 - 1: 0 means 2^64),
 * the loader's low memory and guest memory.
 */
int add_segment(struct mhv_image *img, const char *what,
		const struct mhv_image_segment *s, uint64_t limit)
{
	uint64_t end = s->addr + s->memsz;

	if (s->filesz > s->memsz)
		return refuse(img, MHV_IMAGE_ERR_BAD_HEADER,
			      "%s: %" PRIu64 " bytes in the file but only %" PRIu64 " in memory (filesz > memsz)",
			      what, s->filesz, s->memsz);
	if (!in_file(img, s->offset, s->filesz))
		return refuse(img, MHV_IMAGE_ERR_TRUNCATED,
			      "%s: its %" PRIu64 " bytes at file offset 0x%" PRIx64 " run past the end of the file (%zu bytes): truncated",
			      what, s->filesz, s->offset, img->len);
	if (end < s->addr || (limit && end > limit))
		return refuse(img, MHV_IMAGE_ERR_OVERFLOW,
			      "%s: address 0x%" PRIx64 " + size 0x%" PRIx64 " wraps around the %s address space",
			      what, s->addr, s->memsz,
			      limit == FOUR_GIB ? "32-bit" : "64-bit");
	if (!s->memsz)
		return 0;	/* nothing to load */
	if (s->addr < MHV_IMAGE_LOW_END)
		return refuse(img, MHV_IMAGE_ERR_RESERVED,
			      "%s at 0x%" PRIx64 " is below 0x%x: the first MiB is the loader's (GDT, boot information, page tables, stack); link the image at 1 MiB or above",
			      what, s->addr, MHV_IMAGE_LOW_END);
	if (end > img->mem_size)
		return refuse(img, MHV_IMAGE_ERR_OUTSIDE_MEMORY,
			      "%s 0x%" PRIx64 "-0x%" PRIx64 " is outside guest memory (%" PRIu64 " MiB, up to 0x%" PRIx64 ")",
			      what, s->addr, end - 1, img->mem_size >> 20,
			      img->mem_size);
	if (img->nr_segments == MHV_IMAGE_MAX_SEGMENTS)
		return refuse(img, MHV_IMAGE_ERR_TOO_MANY,
			      "more than %d segments with bytes to load",
			      MHV_IMAGE_MAX_SEGMENTS);
	img->seg[img->nr_segments++] = *s;
	return 0;
}

/* After all segments: some to load, none overlapping, entry in one. */
static int check_segments(struct mhv_image *img, uint64_t entry,
			  const uint64_t *vaddr)
{
	const struct mhv_image_segment *a, *b;
	unsigned int i, j;

	if (!img->nr_segments)
		return refuse(img, MHV_IMAGE_ERR_NO_SEGMENTS,
			      "no segment with bytes to load (no PT_LOAD with p_memsz > 0)");
	for (i = 0; i < img->nr_segments; i++) {
		for (j = i + 1; j < img->nr_segments; j++) {
			a = &img->seg[i];
			b = &img->seg[j];
			if (a->addr < b->addr + b->memsz &&
			    b->addr < a->addr + a->memsz)
				return refuse(img, MHV_IMAGE_ERR_OVERLAP,
					      "segments %u (0x%" PRIx64 "-0x%" PRIx64 ") and %u (0x%" PRIx64 "-0x%" PRIx64 ") overlap",
					      i, a->addr, a->addr + a->memsz - 1,
					      j, b->addr, b->addr + b->memsz - 1);
		}
	}
	/* an entry in a segment's virtual range: its physical address */
	for (i = 0; i < img->nr_segments; i++) {
		a = &img->seg[i];
		if (entry >= vaddr[i] && entry - vaddr[i] < a->memsz) {
			img->entry = a->addr + (entry - vaddr[i]);
			return 0;
		}
	}
	return refuse(img, MHV_IMAGE_ERR_ENTRY,
		      "the entry point 0x%" PRIx64 " is in no loaded segment",
		      entry);
}

/* ---- ELF ----------------------------------------------------------------- */

/* The fields of an ELF header both classes have, widened. */
struct elf_hdr {
	unsigned int class;	/* 32 or 64 */
	uint16_t type, machine;
	uint64_t entry, phoff;
	uint16_t phentsize, phnum;
};

static int elf_header(struct mhv_image *img, struct elf_hdr *h)
{
	const uint8_t *d = img->data;
	size_t need;

	if (img->len < EI_NIDENT)
		return refuse(img, MHV_IMAGE_ERR_TRUNCATED,
			      "ELF header: the file has %zu bytes, the identification alone needs %d",
			      img->len, EI_NIDENT);
	if (d[EI_CLASS] != ELFCLASS32 && d[EI_CLASS] != ELFCLASS64)
		return refuse(img, MHV_IMAGE_ERR_BAD_HEADER,
			      "ELF header: class %u is neither 32-bit (1) nor 64-bit (2)",
			      d[EI_CLASS]);
	if (d[EI_DATA] != ELFDATA2LSB)
		return refuse(img, MHV_IMAGE_ERR_BAD_HEADER,
			      "ELF header: byte order %u is not little-endian (1), as x86 is",
			      d[EI_DATA]);
	if (d[EI_VERSION] != EV_CURRENT)
		return refuse(img, MHV_IMAGE_ERR_BAD_HEADER,
			      "ELF header: version %u, not %d", d[EI_VERSION],
			      EV_CURRENT);
	h->class = d[EI_CLASS] == ELFCLASS32 ? 32 : 64;
	need = h->class == 32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	if (img->len < need)
		return refuse(img, MHV_IMAGE_ERR_TRUNCATED,
			      "ELF header: the file has %zu bytes, the %u-bit header needs %zu",
			      img->len, h->class, need);
	if (h->class == 32) {
		Elf32_Ehdr e;

		memcpy(&e, d, sizeof(e));
		h->type = e.e_type;
		h->machine = e.e_machine;
		h->entry = e.e_entry;
		h->phoff = e.e_phoff;
		h->phentsize = e.e_phentsize;
		h->phnum = e.e_phnum;
	} else {
		Elf64_Ehdr e;

		memcpy(&e, d, sizeof(e));
		h->type = e.e_type;
		h->machine = e.e_machine;
		h->entry = e.e_entry;
		h->phoff = e.e_phoff;
		h->phentsize = e.e_phentsize;
		h->phnum = e.e_phnum;
	}
	return 0;
}

static int elf_check_header(struct mhv_image *img, const struct elf_hdr *h)
{
	uint16_t want_machine = h->class == 32 ? EM_386 : EM_X86_64;
	size_t phsize = h->class == 32 ? sizeof(Elf32_Phdr) :
					 sizeof(Elf64_Phdr);

	if (h->type != ET_EXEC)
		return refuse(img, MHV_IMAGE_ERR_UNSUPPORTED,
			      "ELF header: type %u is not an executable (ET_EXEC = 2)%s",
			      h->type, h->type == ET_DYN ?
			      ": a PIE or shared object; link with -static -no-pie" : "");
	if (h->machine != want_machine)
		return refuse(img, MHV_IMAGE_ERR_UNSUPPORTED,
			      "ELF header: machine %u is not %s (%u) for a %u-bit ELF",
			      h->machine, h->class == 32 ? "EM_386" : "EM_X86_64",
			      want_machine, h->class);
	if (!h->phnum)
		return refuse(img, MHV_IMAGE_ERR_NO_SEGMENTS,
			      "ELF header: no program headers (e_phnum = 0)");
	if (h->phentsize != phsize)
		return refuse(img, MHV_IMAGE_ERR_BAD_HEADER,
			      "ELF header: program header size %u, not %zu",
			      h->phentsize, phsize);
	if (!in_file(img, h->phoff, (uint64_t)h->phnum * h->phentsize))
		return refuse(img, MHV_IMAGE_ERR_TRUNCATED,
			      "ELF program headers: %u of %u bytes at offset 0x%" PRIx64 " run past the end of the file (%zu bytes)",
			      h->phnum, h->phentsize, h->phoff, img->len);
	return 0;
}

/* Program header @i as a segment; 1 when it is PT_LOAD. */
static int elf_phdr(const struct mhv_image *img, const struct elf_hdr *h,
		    unsigned int i, struct mhv_image_segment *s,
		    uint64_t *vaddr)
{
	const uint8_t *p = img->data + h->phoff + (uint64_t)i * h->phentsize;

	if (h->class == 32) {
		Elf32_Phdr ph;

		memcpy(&ph, p, sizeof(ph));
		s->addr = ph.p_paddr;
		s->offset = ph.p_offset;
		s->filesz = ph.p_filesz;
		s->memsz = ph.p_memsz;
		*vaddr = ph.p_vaddr;
		return ph.p_type == PT_LOAD;
	}
	Elf64_Phdr ph;

	memcpy(&ph, p, sizeof(ph));
	s->addr = ph.p_paddr;
	s->offset = ph.p_offset;
	s->filesz = ph.p_filesz;
	s->memsz = ph.p_memsz;
	*vaddr = ph.p_vaddr;
	return ph.p_type == PT_LOAD;
}

/*
 * The PT_LOAD segments of an ELF file: a 32-bit one must stay below
 * 4 GiB, an elf64 below the 4 GiB its identity paging maps.
 */
static int parse_elf(struct mhv_image *img)
{
	uint64_t vaddr[MHV_IMAGE_MAX_SEGMENTS], va;
	struct mhv_image_segment s;
	struct elf_hdr h = { 0 };
	unsigned int i;
	char what[32];
	int r;

	r = elf_header(img, &h);
	if (!r)
		r = elf_check_header(img, &h);
	if (r)
		return r;
	img->elf_class = h.class;
	for (i = 0; i < h.phnum; i++) {
		unsigned int n = img->nr_segments;

		if (!elf_phdr(img, &h, i, &s, &va))
			continue;
		snprintf(what, sizeof(what), "segment %u", i);
		r = add_segment(img, what, &s, h.class == 32 ? FOUR_GIB : 0);
		if (r)
			return r;
		if (img->nr_segments > n)
			vaddr[n] = va;
	}
	if (h.class == 64 && img->format != MHV_IMAGE_MULTIBOOT) {
		for (i = 0; i < img->nr_segments; i++)
			if (img->seg[i].addr + img->seg[i].memsz > FOUR_GIB)
				return refuse(img, MHV_IMAGE_ERR_OUTSIDE_MEMORY,
					      "segment at 0x%" PRIx64 " ends above the 4 GiB the loader identity-maps",
					      img->seg[i].addr);
	}
	r = check_segments(img, h.entry, vaddr);
	if (!r && img->format == MHV_IMAGE_MULTIBOOT && img->entry >= FOUR_GIB)
		return refuse(img, MHV_IMAGE_ERR_ENTRY,
			      "the entry point 0x%" PRIx64 " is above 4 GiB: a Multiboot kernel starts in 32-bit mode",
			      img->entry);
	return r;
}

/* ---- Multiboot ------------------------------------------------------------ */

/* Offset of the first Multiboot magic in the first 8192 bytes, or -1. */
static long mb_find(const struct mhv_image *img)
{
	size_t end = img->len < MHV_MULTIBOOT_SEARCH ? img->len :
						       MHV_MULTIBOOT_SEARCH;
	size_t off;

	for (off = 0; off + 4 <= end; off += 4)
		if (get32(img->data + off) == MHV_MULTIBOOT_HEADER_MAGIC)
			return (long)off;
	return -1;
}

/* The a.out kludge: the header's own address fields say what to load. */
static int mb_aout(struct mhv_image *img, uint32_t off)
{
	const uint8_t *f = img->data + off + MB_HEADER_SIZE;
	uint32_t header_addr = get32(f), load_addr = get32(f + 4);
	uint32_t load_end = get32(f + 8), bss_end = get32(f + 12);
	uint32_t entry = get32(f + 16);
	struct mhv_image_segment s;
	uint64_t vaddr[1];
	int r;

	if (load_addr > header_addr || header_addr - load_addr > off)
		return refuse(img, MHV_IMAGE_ERR_BAD_HEADER,
			      "Multiboot header: load_addr 0x%x and header_addr 0x%x put the start of the load before the start of the file (header at offset 0x%x)",
			      load_addr, header_addr, off);
	s.addr = load_addr;
	s.offset = off - (header_addr - load_addr);
	if (!load_end) {
		s.filesz = img->len - s.offset;
	} else if (load_end < load_addr) {
		return refuse(img, MHV_IMAGE_ERR_BAD_HEADER,
			      "Multiboot header: load_end_addr 0x%x is below load_addr 0x%x",
			      load_end, load_addr);
	} else {
		s.filesz = load_end - load_addr;
	}
	if (bss_end && bss_end < load_addr + s.filesz)
		return refuse(img, MHV_IMAGE_ERR_BAD_HEADER,
			      "Multiboot header: bss_end_addr 0x%x is below the end of the load 0x%" PRIx64,
			      bss_end, load_addr + s.filesz);
	s.memsz = bss_end ? bss_end - load_addr : s.filesz;
	r = add_segment(img, "the Multiboot load (a.out kludge)", &s, FOUR_GIB);
	if (r)
		return r;
	vaddr[0] = load_addr;
	return check_segments(img, entry, vaddr);
}

static int parse_multiboot(struct mhv_image *img)
{
	long found = mb_find(img);
	uint32_t off, flags, sum, need;

	if (found < 0)
		return refuse(img, MHV_IMAGE_ERR_BAD_MAGIC,
			      "no Multiboot header (magic 0x%08x, 4-byte aligned) in the first %u bytes",
			      MHV_MULTIBOOT_HEADER_MAGIC, MHV_MULTIBOOT_SEARCH);
	off = (uint32_t)found;
	img->mb_offset = off;
	if (!in_file(img, off, MB_HEADER_SIZE))
		return refuse(img, MHV_IMAGE_ERR_TRUNCATED,
			      "Multiboot header at offset 0x%x: the file ends before its flags and checksum",
			      off);
	flags = get32(img->data + off + 4);
	sum = MHV_MULTIBOOT_HEADER_MAGIC + flags + get32(img->data + off + 8);
	if (sum)
		return refuse(img, MHV_IMAGE_ERR_CHECKSUM,
			      "Multiboot header at offset 0x%x: magic + flags + checksum = 0x%08x, not 0",
			      off, sum);
	img->mb_flags = flags;
	if (flags & MB_F_VIDEO_MODE)
		return refuse(img, MHV_IMAGE_ERR_UNSUPPORTED,
			      "Multiboot header: flags 0x%08x require a video mode (bit 2), and mhv run has no display",
			      flags);
	if (flags & MB_F_REQUIRED_MASK & ~MB_F_KNOWN)
		return refuse(img, MHV_IMAGE_ERR_UNSUPPORTED,
			      "Multiboot header: flags 0x%08x require features this loader does not know (bits 0x%04x)",
			      flags, flags & MB_F_REQUIRED_MASK & ~MB_F_KNOWN);
	need = (flags & MB_F_AOUT_KLUDGE) ? MB_AOUT_SIZE : MB_HEADER_SIZE;
	if (off + need > MHV_MULTIBOOT_SEARCH || !in_file(img, off, need))
		return refuse(img, MHV_IMAGE_ERR_TRUNCATED,
			      "Multiboot header at offset 0x%x: its %u bytes run past the %s",
			      off, need, off + need > MHV_MULTIBOOT_SEARCH ?
			      "first 8192 bytes" : "end of the file");
	if (flags & MB_F_AOUT_KLUDGE)
		return mb_aout(img, off);
	if (img->len < SELFMAG || memcmp(img->data, ELFMAG, SELFMAG))
		return refuse(img, MHV_IMAGE_ERR_UNSUPPORTED,
			      "Multiboot header without address fields (flags bit 16): the image must then be an ELF file, and it is not");
	return parse_elf(img);
}

/* ---- parse ------------------------------------------------------------------ */

static int parse_flat(struct mhv_image *img)
{
	struct mhv_image_segment s = {
		.addr = MHV_IMAGE_FLAT_ADDR, .offset = 0,
		.filesz = img->len, .memsz = img->len,
	};

	if (img->mem_size < MHV_IMAGE_FLAT_ADDR ||
	    img->len > img->mem_size - MHV_IMAGE_FLAT_ADDR)
		return refuse(img, MHV_IMAGE_ERR_OUTSIDE_MEMORY,
			      "a flat image of %zu bytes does not fit in %" PRIu64 " MiB at 0x%x",
			      img->len, img->mem_size >> 20, MHV_IMAGE_FLAT_ADDR);
	img->seg[0] = s;
	img->nr_segments = 1;
	img->entry = MHV_IMAGE_FLAT_ADDR;
	return 0;
}

static uint32_t detect(const struct mhv_image *img)
{
	if (mhv_linux_detect(img))
		return MHV_IMAGE_LINUX;
	if (mb_find(img) >= 0)
		return MHV_IMAGE_MULTIBOOT;
	if (img->len >= SELFMAG && !memcmp(img->data, ELFMAG, SELFMAG))
		return img->len > EI_CLASS && img->data[EI_CLASS] == ELFCLASS32 ?
		       MHV_IMAGE_ELF32 : MHV_IMAGE_ELF64;
	return MHV_IMAGE_FLAT;
}

static int parse_as(struct mhv_image *img)
{
	int r;

	switch (img->format) {
	case MHV_IMAGE_FLAT:
		return parse_flat(img);
	case MHV_IMAGE_MULTIBOOT:
		return parse_multiboot(img);
	case MHV_IMAGE_LINUX:
		return mhv_linux_parse(img);
	default:
		if (img->len < SELFMAG || memcmp(img->data, ELFMAG, SELFMAG))
			return refuse(img, MHV_IMAGE_ERR_BAD_MAGIC,
				      "not an ELF file: it does not start with \\x7f E L F");
		r = parse_elf(img);
		if (!r && img->elf_class != (img->format == MHV_IMAGE_ELF32 ? 32u : 64u))
			return refuse(img, MHV_IMAGE_ERR_UNSUPPORTED,
				      "a %u-bit ELF file, not the %s asked for",
				      img->elf_class,
				      mhv_image_format_name(img->format));
		return r;
	}
}

int mhv_image_parse(struct mhv_image *img, const void *data, size_t len,
		    uint32_t format, uint64_t mem_size, const char *cmdline)
{
	int r;

	if (!img)
		return -EINVAL;
	memset(img, 0, sizeof(*img));
	if (!data || format >= MHV_IMAGE_NR_FORMATS)
		return -EINVAL;
	img->data = data;
	img->len = len;
	img->mem_size = mem_size;
	img->cmdline = cmdline;
	if (!len)
		return refuse(img, MHV_IMAGE_ERR_EMPTY,
			      "the image is empty: there is no code to run");
	img->format = format ? format : detect(img);
	if (cmdline && strlen(cmdline) >= MHV_IMAGE_CMDLINE_MAX)
		return refuse(img, MHV_IMAGE_ERR_CMDLINE,
			      "the command line has %zu bytes, at most %u fit",
			      strlen(cmdline), MHV_IMAGE_CMDLINE_MAX - 1);
	r = parse_as(img);
	if (r) {
		img->nr_segments = 0;
		return r;
	}
	return 0;
}

/* ---- load ---------------------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* One memory map entry: size (20), base, length, type; 24 bytes. */
static uint8_t *mb_mmap_entry(uint8_t *p, uint64_t base, uint64_t len,
			      uint32_t type)
{
	put32(p, 20);
	put64(p + 4, base);
	put64(p + 12, len);
	put32(p + 20, type);
	return p + 24;
}

/* The Multiboot information structure and what it points to. */
static void mb_info(const struct mhv_image *img, uint8_t *mem)
{
	uint8_t *info = mem + MHV_IMAGE_MB_INFO, *m = mem + MHV_IMAGE_MB_MMAP;
	const char *cmdline = img->cmdline ? img->cmdline : "";
	uint64_t upper = img->mem_size - MHV_IMAGE_LOW_END;

	memset(info, 0, 128);
	put32(info + 0, MBI_F_MEMORY | MBI_F_CMDLINE | MBI_F_MMAP |
			MBI_F_LOADER_NAME);
	put32(info + 4, MB_LOWER_END >> 10);		/* mem_lower, KiB */
	put32(info + 8, (uint32_t)((upper >> 10) > UINT32_MAX ?
				   UINT32_MAX : upper >> 10)); /* mem_upper */
	put32(info + 16, MHV_IMAGE_MB_CMDLINE);
	m = mb_mmap_entry(m, 0, MB_LOWER_END, 1);
	m = mb_mmap_entry(m, MB_LOWER_END, 0xa0000 - MB_LOWER_END, 2);
	m = mb_mmap_entry(m, MB_BIOS_START, MHV_IMAGE_LOW_END - MB_BIOS_START, 2);
	m = mb_mmap_entry(m, MHV_IMAGE_LOW_END, upper, 1);
	put32(info + 44, (uint32_t)(m - (mem + MHV_IMAGE_MB_MMAP)));
	put32(info + 48, MHV_IMAGE_MB_MMAP);
	put32(info + 64, MHV_IMAGE_MB_NAME);
	memcpy(mem + MHV_IMAGE_MB_NAME, MB_LOADER_NAME, sizeof(MB_LOADER_NAME));
	memcpy(mem + MHV_IMAGE_MB_CMDLINE, cmdline, strlen(cmdline) + 1);
}

/* Null, 32-bit code 0x08, data 0x10. */
static void gdt32(uint8_t *mem)
{
	put64(mem + MHV_IMAGE_GDT, 0);
	put64(mem + MHV_IMAGE_GDT + 8, 0x00cf9b000000ffffULL);
	put64(mem + MHV_IMAGE_GDT + 16, 0x00cf93000000ffffULL);
}

int mhv_image_load(const struct mhv_image *img, void *mem)
{
	uint8_t *m = mem;
	unsigned int i;

	if (!img || !mem || img->error || !img->nr_segments)
		return -EINVAL;
	for (i = 0; i < img->nr_segments; i++) {
		const struct mhv_image_segment *s = &img->seg[i];

		memcpy(m + s->addr, img->data + s->offset, s->filesz);
		memset(m + s->addr + s->filesz, 0, s->memsz - s->filesz);
	}
	switch (img->format) {
	case MHV_IMAGE_ELF64:
		mhv_long_mode_tables(m);
		break;
	case MHV_IMAGE_MULTIBOOT:
		mb_info(img, m);
		/* fall through */
	case MHV_IMAGE_ELF32:
		gdt32(m);
		break;
	case MHV_IMAGE_LINUX:
		return mhv_linux_load(img, m);
	}
	return 0;
}

/* ---- boot ------------------------------------------------------------------ */

static void flat32_sregs(struct mhv_sregs *s)
{
	memset(s, 0, sizeof(*s));
	mhv_flat_segment(&s->cs, 0x08, 0xb, 0, 1);
	mhv_flat_segment(&s->ds, 0x10, 0x3, 0, 1);
	s->es = s->ds;
	s->fs = s->ds;
	s->gs = s->ds;
	s->ss = s->ds;
	s->tr.type = 0xb;		/* busy 32-bit TSS */
	s->tr.present = 1;
	s->tr.limit = 0x67;
	s->ldt.type = 0x2;
	s->ldt.present = 1;
	s->ldt.limit = 0xffff;
	s->gdt.base = MHV_IMAGE_GDT;
	s->gdt.limit = 3 * 8 - 1;
	s->idt.limit = 0xffff;
	s->cr0 = 0x11;			/* PE and ET: paging off */
}

int mhv_image_boot_state(const struct mhv_image *img, struct mhv_regs *regs,
			 struct mhv_sregs *sregs)
{
	if (!img || img->error || !img->nr_segments ||
	    img->format == MHV_IMAGE_FLAT)
		return -EINVAL;
	if (img->format == MHV_IMAGE_LINUX)
		return mhv_linux_boot_state(img, regs, sregs);
	memset(regs, 0, sizeof(*regs));
	if (img->format == MHV_IMAGE_ELF64)
		mhv_guest_long_mode_sregs(sregs);
	else
		flat32_sregs(sregs);
	regs->rip = img->entry;
	regs->rsp = MHV_IMAGE_STACK_TOP;
	regs->rflags = 2;		/* IF clear */
	if (img->format == MHV_IMAGE_MULTIBOOT) {
		regs->rax = MHV_MULTIBOOT_BOOT_MAGIC;
		regs->rbx = MHV_IMAGE_MB_INFO;
	}
	return 0;
}

int mhv_vcpu_boot_image(int vcpu_fd, const struct mhv_image *img)
{
	struct mhv_sregs sregs;
	struct mhv_regs regs;
	int r;

	if (!img || img->error || !img->nr_segments)
		return -EINVAL;
	if (img->format == MHV_IMAGE_FLAT)
		return mhv_vcpu_set_real_mode(vcpu_fd, MHV_IMAGE_FLAT_ADDR,
					      MHV_IMAGE_FLAT_STACK);
	r = mhv_image_boot_state(img, &regs, &sregs);
	if (!r)
		r = mhv_set_sregs(vcpu_fd, &sregs);
	if (!r)
		r = mhv_set_regs(vcpu_fd, &regs);
	return r;
}
