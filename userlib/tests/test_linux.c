// SPDX-License-Identifier: LGPL-2.1
/*
 * Unit tests of the Linux boot protocol (linux.c) and the ACPI tables
 * (acpi.c). Expected values come from the specifications (the offsets of
 * the kernel's Documentation/arch/x86/boot.rst, the ACPI 6.4 table
 * layouts) and from the inputs (the real Debian kernel in .cache/kernels,
 * the vCPU count), not from the code under test.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "libmultios_hv.h"
#include "tests.h"

#define MEM		(256ULL << 20)
#define PM_BASE		0x600

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static void wr16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void wr32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* ---- ACPI ------------------------------------------------------------------ */

/* A table at @addr: its signature and a right checksum; its length. */
static uint32_t table(const uint8_t *mem, uint64_t addr, const char *sig)
{
	uint32_t len = rd32(mem + addr + 4);

	CU_ASSERT_EQUAL(memcmp(mem + addr, sig, 4), 0);
	CU_ASSERT_EQUAL(mhv_acpi_checksum(mem + addr, len), 0);
	return len;
}

/* Follow RSDP -> XSDT -> the table named @sig; its address or 0. */
static uint64_t find_table(const uint8_t *mem, const char *sig)
{
	uint64_t xsdt = rd64(mem + MHV_ACPI_RSDP + 24);
	uint32_t len = rd32(mem + xsdt + 4), i;

	for (i = 36; i + 8 <= len; i += 8) {
		uint64_t t = rd64(mem + xsdt + i);

		if (!memcmp(mem + t, sig, 4))
			return t;
	}
	return 0;
}

static void test_acpi_rsdp(void)
{
	struct mhv_acpi_config cfg = { .nr_vcpus = 2, .pm_base = PM_BASE };
	uint8_t *mem = calloc(1, 1 << 20);
	const uint8_t *r = mem + MHV_ACPI_RSDP;
	uint32_t rsdt, xsdt, rlen, xlen, i;

	CU_ASSERT_FATAL(mem != NULL);
	CU_ASSERT(mhv_acpi_build(mem, 1 << 20, &cfg) > 0);
	/* 5.2.5.3: "RSD PTR ", checksum of 20 bytes, revision 2, 36 bytes */
	CU_ASSERT_EQUAL(memcmp(r, "RSD PTR ", 8), 0);
	CU_ASSERT_EQUAL(mhv_acpi_checksum(r, 20), 0);
	CU_ASSERT_EQUAL(r[15], 2);
	CU_ASSERT_EQUAL(rd32(r + 20), 36);
	CU_ASSERT_EQUAL(mhv_acpi_checksum(r, 36), 0);
	CU_ASSERT_EQUAL(MHV_ACPI_RSDP % 16, 0);	/* where Linux scans */
	rsdt = rd32(r + 16);
	xsdt = (uint32_t)rd64(r + 24);
	rlen = table(mem, rsdt, "RSDT");
	xlen = table(mem, xsdt, "XSDT");
	/* the same tables, 32-bit and 64-bit pointers: FADT and MADT */
	CU_ASSERT_EQUAL(rlen, 36 + 2 * 4);
	CU_ASSERT_EQUAL(xlen, 36 + 2 * 8);
	for (i = 0; i < 2; i++)
		CU_ASSERT_EQUAL(rd32(mem + rsdt + 36 + 4 * i),
				rd64(mem + xsdt + 36 + 8 * i));
	CU_ASSERT(find_table(mem, "FACP") != 0);
	CU_ASSERT(find_table(mem, "APIC") != 0);
	CU_ASSERT_EQUAL(find_table(mem, "HPET"), 0);
	free(mem);
}

/* The MADT of @n vCPUs: n enabled local APICs with IDs 0..n-1, the rest. */
static void check_madt(unsigned int n)
{
	struct mhv_acpi_config cfg = { .nr_vcpus = n, .pm_base = PM_BASE };
	uint8_t *mem = calloc(1, 1 << 20);
	unsigned int lapics = 0, ioapics = 0, isos = 0, nmis = 0;
	uint64_t m;
	uint32_t len, off;

	CU_ASSERT_FATAL(mem != NULL);
	CU_ASSERT_FATAL(mhv_acpi_build(mem, 1 << 20, &cfg) > 0);
	m = find_table(mem, "APIC");
	CU_ASSERT_FATAL(m != 0);
	len = table(mem, m, "APIC");
	CU_ASSERT_EQUAL(rd32(mem + m + 36), 0xfee00000);
	CU_ASSERT_EQUAL(rd32(mem + m + 40) & 1, 1);	/* PCAT_COMPAT */
	/* every entry: type, length; the lengths add up to the table's */
	for (off = 44; off < len; off += mem[m + off + 1]) {
		const uint8_t *e = mem + m + off;

		CU_ASSERT_FATAL(e[1] >= 2);
		switch (e[0]) {
		case 0:		/* Processor Local APIC */
			CU_ASSERT_EQUAL(e[1], 8);
			CU_ASSERT_EQUAL(e[3], lapics);	/* APIC ID */
			CU_ASSERT_EQUAL(rd32(e + 4) & 1, 1);
			lapics++;
			break;
		case 1:		/* I/O APIC */
			CU_ASSERT_EQUAL(e[1], 12);
			CU_ASSERT_EQUAL(rd32(e + 4), 0xfec00000);
			CU_ASSERT_EQUAL(rd32(e + 8), 0);
			ioapics++;
			break;
		case 2:		/* Interrupt Source Override, ISA bus */
			CU_ASSERT_EQUAL(e[1], 10);
			CU_ASSERT_EQUAL(e[2], 0);
			if (e[3] == 0) {	/* the PIT on pin 2 */
				CU_ASSERT_EQUAL(rd32(e + 4), 2);
				CU_ASSERT_EQUAL(rd16(e + 8), 0);
			} else {		/* the SCI: level, active high */
				CU_ASSERT_EQUAL(e[3], 9);
				CU_ASSERT_EQUAL(rd32(e + 4), 9);
				CU_ASSERT_EQUAL(rd16(e + 8), 0x1 | (0x3 << 2));
			}
			isos++;
			break;
		case 4:		/* Local APIC NMI: LINT1 of all */
			CU_ASSERT_EQUAL(e[1], 6);
			CU_ASSERT_EQUAL(e[2], 0xff);
			CU_ASSERT_EQUAL(e[5], 1);
			nmis++;
			break;
		default:
			CU_FAIL("an unexpected MADT entry type");
		}
	}
	CU_ASSERT_EQUAL(off, len);
	CU_ASSERT_EQUAL(lapics, n);
	CU_ASSERT_EQUAL(ioapics, 1);
	CU_ASSERT_EQUAL(isos, 2);
	CU_ASSERT_EQUAL(nmis, 1);
	free(mem);
}

static void test_acpi_madt(void)
{
	check_madt(1);
	check_madt(2);
	check_madt(4);
	check_madt(MHV_ACPI_MAX_VCPUS);
}

static void test_acpi_fadt(void)
{
	struct mhv_acpi_config cfg = { .nr_vcpus = 1, .pm_base = 0x1234 };
	uint8_t *mem = calloc(1, 1 << 20);
	const uint8_t *f;
	uint64_t a;
	uint32_t flags;

	CU_ASSERT_FATAL(mem != NULL);
	CU_ASSERT_FATAL(mhv_acpi_build(mem, 1 << 20, &cfg) > 0);
	a = find_table(mem, "FACP");
	CU_ASSERT_FATAL(a != 0);
	f = mem + a;
	/* 5.2.9 Table 5.9: revision 6 is 276 bytes */
	CU_ASSERT_EQUAL(table(mem, a, "FACP"), 276);
	CU_ASSERT_EQUAL(f[8], 6);
	CU_ASSERT_EQUAL(rd16(f + 46), 9);		/* SCI_INT */
	CU_ASSERT_EQUAL(rd32(f + 48), 0);		/* SMI_CMD: none */
	CU_ASSERT_EQUAL(rd32(f + 56), 0x1234);		/* PM1a_EVT_BLK */
	CU_ASSERT_EQUAL(rd32(f + 64), 0x1234 + 4);	/* PM1a_CNT_BLK */
	CU_ASSERT_EQUAL(rd32(f + 76), 0x1234 + 8);	/* PM_TMR_BLK */
	CU_ASSERT_EQUAL(f[88], 4);			/* PM1_EVT_LEN */
	CU_ASSERT_EQUAL(f[89], 2);			/* PM1_CNT_LEN */
	CU_ASSERT_EQUAL(f[91], 4);			/* PM_TMR_LEN */
	flags = rd32(f + 112);
	CU_ASSERT(flags & (1u << 8));			/* TMR_VAL_EXT */
	CU_ASSERT_EQUAL(flags & (1u << 20), 0);		/* not HW_REDUCED */
	CU_ASSERT(flags & (1u << 10));			/* RESET_REG_SUP */
	CU_ASSERT_EQUAL(rd64(f + 116 + 4), 0xcf9);	/* RESET_REG */
	CU_ASSERT_EQUAL(f[128], 0x06);			/* RESET_VALUE */
	/* DSDT: 32-bit and X_ pointers agree; the FACS: FIRMWARE_CTRL
	 * only (5.2.9: X_FIRMWARE_CTRL must then be 0) */
	CU_ASSERT_EQUAL(rd32(f + 40), rd64(f + 140));
	CU_ASSERT_EQUAL(rd64(f + 132), 0);
	table(mem, rd32(f + 40), "DSDT");
	CU_ASSERT_EQUAL(memcmp(mem + rd32(f + 36), "FACS", 4), 0);
	CU_ASSERT_EQUAL(rd32(f + 36) % 64, 0);
	CU_ASSERT_EQUAL(rd32(mem + rd32(f + 36) + 4), 64);
	free(mem);
}

static void test_acpi_dsdt_s5(void)
{
	/*
	 * Name (_S5, Package (4) { 5, 5, 0, 0 }) in AML (ACPI 6.4 chapter
	 * 20): NameOp, "_S5_", PackageOp, PkgLength 8, NumElements 4,
	 * BytePrefix 5, BytePrefix 5, ZeroOp, ZeroOp.
	 */
	static const uint8_t want[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
		0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00,
	};
	struct mhv_acpi_config cfg = { .nr_vcpus = 1, .pm_base = PM_BASE };
	uint8_t *mem = calloc(1, 1 << 20);
	uint32_t dsdt, len;

	CU_ASSERT_FATAL(mem != NULL);
	CU_ASSERT_FATAL(mhv_acpi_build(mem, 1 << 20, &cfg) > 0);
	dsdt = rd32(mem + find_table(mem, "FACP") + 40);
	len = table(mem, dsdt, "DSDT");
	CU_ASSERT_EQUAL(len, 36 + sizeof(want));
	CU_ASSERT_EQUAL(memcmp(mem + dsdt + 36, want, sizeof(want)), 0);
	/* the S5 type is the one the PM device powers off on */
	CU_ASSERT_EQUAL(MHV_ACPI_PM_SLP_TYP_S5, 5);
	free(mem);
}

static void test_acpi_bad(void)
{
	struct mhv_acpi_config cfg = { .nr_vcpus = 1, .pm_base = PM_BASE };
	uint8_t *mem = calloc(1, 1 << 20);

	CU_ASSERT_FATAL(mem != NULL);
	CU_ASSERT_EQUAL(mhv_acpi_build(NULL, 1 << 20, &cfg), -EINVAL);
	CU_ASSERT_EQUAL(mhv_acpi_build(mem, 1 << 20, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mhv_acpi_build(mem, MHV_ACPI_BASE, &cfg), -EINVAL);
	cfg.nr_vcpus = 0;
	CU_ASSERT_EQUAL(mhv_acpi_build(mem, 1 << 20, &cfg), -EINVAL);
	cfg.nr_vcpus = MHV_ACPI_MAX_VCPUS + 1;
	CU_ASSERT_EQUAL(mhv_acpi_build(mem, 1 << 20, &cfg), -EINVAL);
	cfg.nr_vcpus = 1;
	cfg.pm_base = 0xfffc;
	CU_ASSERT_EQUAL(mhv_acpi_build(mem, 1 << 20, &cfg), -EINVAL);
	free(mem);
}

/* ---- e820 ------------------------------------------------------------------ */

static void test_e820(void)
{
	struct mhv_e820_entry e[8];
	uint64_t ram = 0, mems[] = { 2ULL << 20, MEM, 3ULL << 30 };
	unsigned int i, k;
	int n;

	for (k = 0; k < 3; k++) {
		n = mhv_linux_e820(mems[k], e, 8);
		CU_ASSERT_EQUAL_FATAL(n, 4);
		ram = 0;
		for (i = 0; i < (unsigned int)n; i++) {
			if (e[i].type == 1)
				ram += e[i].size;
			if (i)	/* sorted, not overlapping */
				CU_ASSERT(e[i].addr >= e[i - 1].addr + e[i - 1].size);
		}
		/* all RAM but the EBDA and the 640K-1M hole */
		CU_ASSERT_EQUAL(ram, mems[k] - (1 << 20) + 0x9fc00);
		CU_ASSERT_EQUAL(e[3].addr + e[3].size, mems[k]);
		CU_ASSERT_EQUAL(e[2].addr, 0xe0000);	/* the ACPI tables */
		CU_ASSERT_EQUAL(e[2].type, 2);
	}
	CU_ASSERT_EQUAL(mhv_linux_e820(MEM, e, 3), -EINVAL);
	CU_ASSERT_EQUAL(mhv_linux_e820(1 << 20, e, 8), -EINVAL);
	CU_ASSERT_EQUAL(mhv_linux_e820((3ULL << 30) + 4096, e, 8), -EINVAL);
}

/* ---- bzImage: the real Debian kernel -------------------------------------- */

/* The first .cache/kernels/STAR/vmlinuz, read whole; NULL when none. */
static uint8_t *read_vmlinuz(size_t *len)
{
	glob_t g;
	FILE *f = NULL;
	uint8_t *buf = NULL;
	long n;

	if (glob(UT_DATA "/../../../.cache/kernels/*/vmlinuz", 0, NULL, &g))
		return NULL;
	f = fopen(g.gl_pathv[0], "rb");
	globfree(&g);
	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 &&
	    !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static void check_boot_params(const uint8_t *mem, const uint8_t *k,
			      const struct mhv_image *im)
{
	const uint8_t *bp = mem + MHV_LINUX_BOOT_PARAMS;
	const char *cl = (const char *)mem + rd32(bp + 0x228);

	/* boot.rst: the setup header copied, then the loader's fields */
	CU_ASSERT_EQUAL(memcmp(bp + 0x202, "HdrS", 4), 0);
	CU_ASSERT_EQUAL(rd16(bp + 0x206), rd16(k + 0x206));	/* version */
	CU_ASSERT_EQUAL(bp[0x210], 0xff);		/* type_of_loader */
	CU_ASSERT_STRING_EQUAL(cl, "console=ttyS0");
	CU_ASSERT_EQUAL(rd32(bp + 0x218), im->lx.initrd_addr);
	CU_ASSERT_EQUAL(rd32(bp + 0x21c), 8192);	/* ramdisk_size */
	CU_ASSERT_EQUAL(mem[im->lx.initrd_addr], 0xa5);
	CU_ASSERT_EQUAL(im->lx.initrd_addr % 4096, 0);
	CU_ASSERT(im->lx.initrd_addr + 8192 <= MEM);
	CU_ASSERT(im->lx.initrd_addr >= im->lx.load_addr + rd32(k + 0x260));
	CU_ASSERT_EQUAL(rd64(bp + 0x70), 0xe0000);	/* acpi_rsdp_addr */
	CU_ASSERT_EQUAL(bp[0x1e8], 4);			/* e820_entries */
	CU_ASSERT_EQUAL(rd64(bp + 0x2d0 + 3 * 20), 1 << 20);
	CU_ASSERT_EQUAL(rd64(bp + 0x2d0 + 3 * 20 + 8), MEM - (1 << 20));
	CU_ASSERT_EQUAL(rd32(bp + 0x2d0 + 3 * 20 + 16), 1);
}

static void test_bzimage_debian(void)
{
	struct mhv_regs regs;
	struct mhv_sregs sregs;
	struct mhv_image im;
	uint8_t *k, *mem, initrd[8192];
	size_t len = 0, setup;
	uint64_t load;

	k = read_vmlinuz(&len);
	CU_ASSERT_FATAL(k != NULL);	/* tools/deps.sh puts it there */
	CU_ASSERT_EQUAL_FATAL(mhv_image_parse(&im, k, len, MHV_IMAGE_DETECT,
					      MEM, "console=ttyS0"), 0);
	CU_ASSERT_EQUAL(im.format, MHV_IMAGE_LINUX);
	CU_ASSERT_EQUAL(im.lx.version, rd16(k + 0x206));
	CU_ASSERT(im.lx.version >= 0x020c);
	CU_ASSERT(rd16(k + 0x236) & 1);			/* XLF_KERNEL_64 */
	/* relocatable: at pref_address (0x258), entry 0x200 in */
	load = k[0x234] ? rd64(k + 0x258) : 0x100000;
	CU_ASSERT_EQUAL(im.lx.load_addr, load);
	CU_ASSERT_EQUAL(im.entry, load + 0x200);
	CU_ASSERT_EQUAL(load % rd32(k + 0x230), 0);	/* kernel_alignment */
	memset(initrd, 0xa5, sizeof(initrd));
	CU_ASSERT_EQUAL(mhv_image_set_initrd(&im, initrd, sizeof(initrd)), 0);
	im.lx.acpi_rsdp = MHV_ACPI_RSDP;
	mem = calloc(1, MEM);
	CU_ASSERT_FATAL(mem != NULL);
	CU_ASSERT_EQUAL(mhv_image_load(&im, mem), 0);
	setup = ((size_t)(k[0x1f1] ? k[0x1f1] : 4) + 1) * 512;
	CU_ASSERT_EQUAL(memcmp(mem + load, k + setup, len - setup), 0);
	check_boot_params(mem, k, &im);
	/* long mode at startup_64, RSI = the zero page, __BOOT_CS/DS */
	CU_ASSERT_EQUAL(mhv_image_boot_state(&im, &regs, &sregs), 0);
	CU_ASSERT_EQUAL(regs.rip, load + 0x200);
	CU_ASSERT_EQUAL(regs.rsi, MHV_LINUX_BOOT_PARAMS);
	CU_ASSERT_EQUAL(sregs.cs.selector, 0x10);
	CU_ASSERT_EQUAL(sregs.ds.selector, 0x18);
	CU_ASSERT_EQUAL(sregs.cs.l, 1);
	CU_ASSERT(sregs.efer & (1u << 10));		/* LMA */
	CU_ASSERT_EQUAL(rd64(mem + sregs.gdt.base + 0x10) >> 40 & 0xff, 0x9b);
	CU_ASSERT_EQUAL(rd64(mem + sregs.gdt.base + 0x18) >> 40 & 0xff, 0x93);
	CU_ASSERT_EQUAL(regs.rflags & (1u << 9), 0);	/* IF clear */
	free(mem);
	free(k);
}

/* ---- bzImage: refused ----------------------------------------------------- */

/* A minimal bzImage header: 1 setup sector, 2.15, 64-bit, relocatable. */
static void fake_bzimage(uint8_t *b, size_t len)
{
	memset(b, 0, len);
	b[0x1f1] = 1;					/* setup_sects */
	wr16(b + 0x1fe, 0xaa55);
	b[0x201] = 0x6a;				/* header end 0x26c */
	memcpy(b + 0x202, "HdrS", 4);
	wr16(b + 0x206, 0x020f);
	b[0x211] = 1;					/* LOADED_HIGH */
	wr32(b + 0x22c, 0x7fffffff);			/* initrd_addr_max */
	wr32(b + 0x230, 0x200000);			/* kernel_alignment */
	b[0x234] = 1;					/* relocatable */
	wr16(b + 0x236, 1);				/* XLF_KERNEL_64 */
	wr32(b + 0x238, 16);				/* cmdline_size */
	wr32(b + 0x258, 0x1000000);			/* pref_address */
	wr32(b + 0x260, 0x100000);			/* init_size */
}

static void refused(const uint8_t *b, size_t len, uint64_t mem,
		    const char *cmdline, int error)
{
	struct mhv_image im;

	CU_ASSERT_EQUAL(mhv_image_parse(&im, b, len, MHV_IMAGE_LINUX, mem,
					cmdline), -ENOEXEC);
	CU_ASSERT_EQUAL(im.error, error);
	CU_ASSERT(im.errmsg[0] != '\0');
}

static void test_bzimage_bad(void)
{
	uint8_t b[4096], initrd[4096] = { 0 };
	struct mhv_image im;

	fake_bzimage(b, sizeof(b));
	CU_ASSERT_EQUAL(mhv_image_parse(&im, b, sizeof(b), MHV_IMAGE_DETECT,
					MEM, NULL), 0);
	CU_ASSERT_EQUAL(im.format, MHV_IMAGE_LINUX);
	CU_ASSERT_EQUAL(im.entry, 0x1000200);
	refused(b, sizeof(b), MEM, "0123456789abcdefX",
		MHV_IMAGE_ERR_CMDLINE);			/* 17 > 16 */
	refused(b, sizeof(b), 16 << 20, NULL,
		MHV_IMAGE_ERR_OUTSIDE_MEMORY);		/* 16 MiB + init */
	refused(b, sizeof(b), 4ULL << 30, NULL, MHV_IMAGE_ERR_OUTSIDE_MEMORY);
	refused(b, 0x300, MEM, NULL, MHV_IMAGE_ERR_TRUNCATED);
	/* the kernel ends at 16 MiB + init_size (1 MiB): a page-aligned
	 * 4 KiB initrd fits exactly below 0x1101000, not below 0x1100800 */
	CU_ASSERT_EQUAL(mhv_image_parse(&im, b, sizeof(b), MHV_IMAGE_LINUX,
					0x1101000, NULL), 0);
	CU_ASSERT_EQUAL(mhv_image_set_initrd(&im, initrd, sizeof(initrd)), 0);
	CU_ASSERT_EQUAL(im.lx.initrd_addr, 0x1100000);
	CU_ASSERT_EQUAL(mhv_image_parse(&im, b, sizeof(b), MHV_IMAGE_LINUX,
					0x1100800, NULL), 0);
	CU_ASSERT_EQUAL(mhv_image_set_initrd(&im, initrd, sizeof(initrd)),
			-ENOEXEC);
	CU_ASSERT_EQUAL(im.error, MHV_IMAGE_ERR_OUTSIDE_MEMORY);
	wr32(b + 0x258, 0x1100000);	/* not 2 MiB aligned */
	refused(b, sizeof(b), MEM, NULL, MHV_IMAGE_ERR_BAD_HEADER);
	fake_bzimage(b, sizeof(b));
	wr16(b + 0x206, 0x020b);
	refused(b, sizeof(b), MEM, NULL, MHV_IMAGE_ERR_UNSUPPORTED);
	fake_bzimage(b, sizeof(b));
	wr16(b + 0x236, 0);
	refused(b, sizeof(b), MEM, NULL, MHV_IMAGE_ERR_UNSUPPORTED);
	fake_bzimage(b, sizeof(b));
	b[0x202] = 'h';
	refused(b, sizeof(b), MEM, NULL, MHV_IMAGE_ERR_BAD_MAGIC);
	CU_ASSERT_EQUAL(mhv_image_parse(&im, b, sizeof(b), MHV_IMAGE_DETECT,
					MEM, NULL), 0);
	CU_ASSERT_EQUAL(im.format, MHV_IMAGE_FLAT);	/* no longer Linux */
	CU_ASSERT_EQUAL(mhv_image_set_initrd(&im, initrd, 1), -EINVAL);
	/* a cmdline_size of 4 GiB - 1 must not wrap the memory check: the
	 * command line would end past 4 GiB, beyond MEM */
	fake_bzimage(b, sizeof(b));
	wr32(b + 0x238, 0xffffffff);
	CU_ASSERT_EQUAL(mhv_image_parse(&im, b, sizeof(b), MHV_IMAGE_LINUX,
					MEM, NULL), 0);
	CU_ASSERT_EQUAL(mhv_linux_load(&im, initrd), -EINVAL);
}

int register_linux_tests(void)
{
	ADD_SUITE("linux",
		  { "acpi_rsdp", test_acpi_rsdp },
		  { "acpi_madt", test_acpi_madt },
		  { "acpi_fadt", test_acpi_fadt },
		  { "acpi_dsdt_s5", test_acpi_dsdt_s5 },
		  { "acpi_bad", test_acpi_bad },
		  { "e820", test_e820 },
		  { "bzimage_debian", test_bzimage_debian },
		  { "bzimage_bad", test_bzimage_bad });
}
