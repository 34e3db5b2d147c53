// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - the ACPI tables of a PC guest, generated from the VM's
 * configuration (libmultios_hv.h: mhv_acpi_build()). Section numbers are
 * those of the ACPI Specification 6.4.
 *
 * At MHV_ACPI_BASE (0xe0000, in the BIOS area where Linux also scans for
 * the RSDP on 16-byte boundaries), in this order, each 16-byte aligned
 * (the FACS 64-byte aligned):
 *	RSDP (revision 2) -> RSDT and XSDT -> FADT, MADT
 *	FADT -> FACS, DSDT
 * The FADT describes the ACPI PM device of the module (PM1a event and
 * control blocks, the PM timer, SCI on IRQ 9) and the reset register
 * (0x06 to port 0xcf9); the MADT a local APIC per vCPU, the I/O APIC at
 * 0xfec00000 and the ISA overrides of a PC; the DSDT holds only \_S5 so
 * that Linux can power off. No HPET, no MCFG.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "libmultios_hv.h"

#define OEM_ID			"MHV   "	/* 6 bytes */
#define OEM_TABLE_ID		"MULTIOSH"	/* 8 bytes */
#define CREATOR_ID		0x2056484d	/* "MHV " */

/* 5.2.5.3: the Root System Description Pointer, revision 2 (36 bytes) */
struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	uint8_t checksum;	/* of the first 20 bytes */
	char oem_id[6];
	uint8_t revision;	/* 2: ACPI 2.0 and later */
	uint32_t rsdt_address;
	uint32_t length;	/* 36 */
	uint64_t xsdt_address;
	uint8_t ext_checksum;	/* of all 36 bytes */
	uint8_t reserved[3];
} __attribute__((packed));

/* 5.2.6: the header of every system description table (36 bytes) */
struct acpi_header {
	char signature[4];
	uint32_t length;	/* of the whole table */
	uint8_t revision;
	uint8_t checksum;	/* all bytes of the table sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));

/* 5.2.3.2: Generic Address Structure (12 bytes) */
struct acpi_gas {
	uint8_t space_id;	/* 1: system I/O */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;	/* 1: byte */
	uint64_t address;
} __attribute__((packed));

/*
 * 5.2.9, Table 5.9: the Fixed ACPI Description Table, revision 6 (276
 * bytes). The X_ register blocks stay 0: the 32-bit port fields say it
 * all, and an OS converts them (ACPICA does); filled X_ blocks that did
 * not match them would be warned about.
 */
struct acpi_fadt {
	struct acpi_header h;		/* "FACP" */
	uint32_t firmware_ctrl;		/* the FACS */
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;		/* 8259 IRQ of the SCI */
	uint32_t smi_cmd;		/* 0: no SMM, always in ACPI mode */
	uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	uint32_t pm1a_evt_blk, pm1b_evt_blk;
	uint32_t pm1a_cnt_blk, pm1b_cnt_blk;
	uint32_t pm2_cnt_blk, pm_tmr_blk;
	uint32_t gpe0_blk, gpe1_blk;
	uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	uint8_t gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
	uint16_t p_lvl2_lat, p_lvl3_lat;
	uint16_t flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl, x_dsdt;
	struct acpi_gas x_pm1a_evt_blk, x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk, x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk, x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk, x_gpe1_blk;
	struct acpi_gas sleep_control_reg, sleep_status_reg;
	uint64_t hypervisor_vendor_id;
} __attribute__((packed));

/* FADT flags (Table 5.10) */
#define FADT_WBINVD		(1u << 0)
#define FADT_PROC_C1		(1u << 2)
#define FADT_PWR_BUTTON		(1u << 4)	/* none as a fixed feature */
#define FADT_SLP_BUTTON		(1u << 5)	/* none as a fixed feature */
#define FADT_FIX_RTC		(1u << 6)	/* no RTC wake status */
#define FADT_TMR_VAL_EXT	(1u << 8)	/* the PM timer has 32 bits */
#define FADT_RESET_REG_SUP	(1u << 10)
/* IA-PC boot architecture flags (Table 5.11) */
#define IAPC_VGA_NOT_PRESENT	(1u << 2)
#define IAPC_MSI_NOT_SUPPORTED	(1u << 3)

/* 5.2.10: the Firmware ACPI Control Structure (64 bytes, no checksum) */
struct acpi_facs {
	char signature[4];	/* "FACS" */
	uint32_t length;	/* 64 */
	uint32_t hardware_signature;
	uint32_t waking_vector;
	uint32_t global_lock;
	uint32_t flags;
	uint64_t x_waking_vector;
	uint8_t version;	/* 2 */
	uint8_t reserved[3];
	uint32_t ospm_flags;
	uint8_t reserved2[24];
} __attribute__((packed));

/* 5.2.12: the Multiple APIC Description Table and its entries */
struct acpi_madt {
	struct acpi_header h;	/* "APIC" */
	uint32_t lapic_address;
	uint32_t flags;		/* PCAT_COMPAT: the 8259s are there too */
} __attribute__((packed));

#define MADT_PCAT_COMPAT	(1u << 0)

struct madt_lapic {		/* 5.2.12.2, type 0 */
	uint8_t type, length;	/* 0, 8 */
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;		/* bit 0: enabled */
} __attribute__((packed));

struct madt_ioapic {		/* 5.2.12.3, type 1 */
	uint8_t type, length;	/* 1, 12 */
	uint8_t ioapic_id;
	uint8_t reserved;
	uint32_t address;
	uint32_t gsi_base;
} __attribute__((packed));

struct madt_iso {		/* 5.2.12.5, type 2: interrupt source override */
	uint8_t type, length;	/* 2, 10 */
	uint8_t bus;		/* 0: ISA */
	uint8_t source;		/* ISA IRQ */
	uint32_t gsi;
	uint16_t flags;		/* MPS INTI flags (Table 5.26) */
} __attribute__((packed));

struct madt_lapic_nmi {		/* 5.2.12.7, type 4 */
	uint8_t type, length;	/* 4, 6 */
	uint8_t processor_uid;	/* 0xff: all processors */
	uint16_t flags;
	uint8_t lint;		/* LINT# pin: 1 */
} __attribute__((packed));

/* MPS INTI flags: polarity in bits 1:0, trigger mode in bits 3:2 */
#define INTI_ACTIVE_HIGH	0x1
#define INTI_EDGE		(0x1 << 2)
#define INTI_LEVEL		(0x3 << 2)

#define MADT_LAPIC_ENABLED	(1u << 0)
#define LAPIC_BASE		0xfee00000u
#define IOAPIC_BASE		0xfec00000u

/*
 * 5.2.11.1: the DSDT: the header and AML (chapter 20). Only the \_S5
 * object (7.4.2.5, the S5 soft-off sleep state) is defined:
 *	Name (_S5, Package (4) { S5_TYP, S5_TYP, 0, 0 })
 * SLP_TYPa, SLP_TYPb and two reserved values.
 */
static const uint8_t dsdt_aml[] = {
	0x08,				/* NameOp (20.2.5.1) */
	'_', 'S', '5', '_',		/* NameString "_S5_" (20.2.2) */
	0x12,				/* PackageOp (20.2.5.4) */
	0x08,				/* PkgLength: 8 bytes from here, this
					 * byte included (20.2.4, one byte
					 * for lengths up to 63) */
	0x04,				/* NumElements: 4 */
	0x0a, MHV_ACPI_PM_SLP_TYP_S5,	/* BytePrefix (20.2.3) SLP_TYPa */
	0x0a, MHV_ACPI_PM_SLP_TYP_S5,	/* BytePrefix SLP_TYPb */
	0x00,				/* ZeroOp: reserved */
	0x00,				/* ZeroOp: reserved */
};

uint8_t mhv_acpi_checksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return sum;
}

/* The bump allocator of the tables in guest memory. */
struct acpi_ctx {
	uint8_t *mem;		/* guest memory at guest-physical 0 */
	uint32_t next;		/* next free guest-physical byte */
	uint32_t end;
};

static uint32_t acpi_alloc(struct acpi_ctx *c, uint32_t len, uint32_t align)
{
	uint32_t at = (c->next + align - 1) & ~(align - 1);

	if (at + len > c->end)
		return 0;
	c->next = at + len;
	memset(c->mem + at, 0, len);
	return at;
}

static void fill_header(struct acpi_header *h, const char *sig, uint32_t len,
			uint8_t rev)
{
	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, OEM_ID, 6);
	memcpy(h->oem_table_id, OEM_TABLE_ID, 8);
	h->oem_revision = 1;
	h->creator_id = CREATOR_ID;
	h->creator_revision = 1;
}

/* Set the table's checksum: all its bytes then sum to 0. */
static void seal(struct acpi_ctx *c, uint32_t at)
{
	struct acpi_header *h = (void *)(c->mem + at);

	h->checksum = 0;
	h->checksum = (uint8_t)-mhv_acpi_checksum(h, h->length);
}

static uint32_t build_dsdt(struct acpi_ctx *c)
{
	uint32_t len = sizeof(struct acpi_header) + sizeof(dsdt_aml);
	uint32_t at = acpi_alloc(c, len, 16);

	if (!at)
		return 0;
	fill_header((void *)(c->mem + at), "DSDT", len, 2);
	memcpy(c->mem + at + sizeof(struct acpi_header), dsdt_aml,
	       sizeof(dsdt_aml));
	seal(c, at);
	return at;
}

static uint32_t build_facs(struct acpi_ctx *c)
{
	uint32_t at = acpi_alloc(c, sizeof(struct acpi_facs), 64);
	struct acpi_facs *f = (void *)(c->mem + at);

	if (!at)
		return 0;
	memcpy(f->signature, "FACS", 4);
	f->length = sizeof(*f);
	f->version = 2;
	return at;
}

static void fadt_pm(struct acpi_fadt *f, const struct mhv_acpi_config *cfg)
{
	f->sci_int = MHV_ACPI_SCI_IRQ;
	f->pm1a_evt_blk = cfg->pm_base + MHV_ACPI_PM1_EVT;
	f->pm1a_cnt_blk = cfg->pm_base + MHV_ACPI_PM1_CNT;
	f->pm_tmr_blk = cfg->pm_base + MHV_ACPI_PM_TMR;
	f->pm1_evt_len = MHV_ACPI_PM1_EVT_LEN;
	f->pm1_cnt_len = MHV_ACPI_PM1_CNT_LEN;
	f->pm_tmr_len = MHV_ACPI_PM_TMR_LEN;
	f->p_lvl2_lat = 101;		/* > 100: no C2 */
	f->p_lvl3_lat = 1001;		/* > 1000: no C3 */
	f->century = MHV_ACPI_RTC_CENTURY;
	f->iapc_boot_arch = IAPC_VGA_NOT_PRESENT | IAPC_MSI_NOT_SUPPORTED;
	f->flags = FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON |
		   FADT_SLP_BUTTON | FADT_FIX_RTC | FADT_TMR_VAL_EXT |
		   FADT_RESET_REG_SUP;
	f->reset_reg.space_id = 1;		/* system I/O */
	f->reset_reg.bit_width = 8;
	f->reset_reg.access_size = 1;		/* byte */
	f->reset_reg.address = MHV_RESET_PORT_CF9;
	f->reset_value = 0x06;			/* reset CPU + system reset */
}

static uint32_t build_fadt(struct acpi_ctx *c,
			   const struct mhv_acpi_config *cfg)
{
	uint32_t dsdt = build_dsdt(c), facs = build_facs(c);
	uint32_t at = acpi_alloc(c, sizeof(struct acpi_fadt), 16);
	struct acpi_fadt *f = (void *)(c->mem + at);

	if (!dsdt || !facs || !at)
		return 0;
	fill_header(&f->h, "FACP", sizeof(*f), 6);
	/* only one of FIRMWARE_CTRL and X_FIRMWARE_CTRL may be set (5.2.9) */
	f->firmware_ctrl = facs;
	f->dsdt = dsdt;
	f->x_dsdt = dsdt;
	fadt_pm(f, cfg);
	seal(c, at);
	return at;
}

/* The ISA interrupt source overrides of a PC (PIT to pin 2; the SCI). */
static uint8_t *madt_overrides(uint8_t *p)
{
	const struct madt_iso iso[] = {
		{ 2, sizeof(struct madt_iso), 0, 0, 2, 0 },
		{ 2, sizeof(struct madt_iso), 0, MHV_ACPI_SCI_IRQ,
		  MHV_ACPI_SCI_IRQ, INTI_ACTIVE_HIGH | INTI_LEVEL },
	};

	memcpy(p, iso, sizeof(iso));
	return p + sizeof(iso);
}

static uint32_t build_madt(struct acpi_ctx *c,
			   const struct mhv_acpi_config *cfg)
{
	uint32_t len = sizeof(struct acpi_madt) +
		       cfg->nr_vcpus * sizeof(struct madt_lapic) +
		       sizeof(struct madt_ioapic) +
		       2 * sizeof(struct madt_iso) +
		       sizeof(struct madt_lapic_nmi);
	uint32_t at = acpi_alloc(c, len, 16), i;
	struct acpi_madt *m = (void *)(c->mem + at);
	struct madt_ioapic io = { 1, sizeof(io), 0, 0, IOAPIC_BASE, 0 };
	struct madt_lapic_nmi nmi = {
		4, sizeof(nmi), 0xff, INTI_ACTIVE_HIGH | INTI_EDGE, 1,
	};
	uint8_t *p = (uint8_t *)(m + 1);

	if (!at)
		return 0;
	fill_header(&m->h, "APIC", len, 4);
	m->lapic_address = LAPIC_BASE;
	m->flags = MADT_PCAT_COMPAT;
	for (i = 0; i < cfg->nr_vcpus; i++, p += sizeof(struct madt_lapic)) {
		struct madt_lapic l = {
			0, sizeof(l), (uint8_t)i, (uint8_t)i, MADT_LAPIC_ENABLED,
		};

		memcpy(p, &l, sizeof(l));
	}
	memcpy(p, &io, sizeof(io));
	p = madt_overrides(p + sizeof(io));
	memcpy(p, &nmi, sizeof(nmi));
	seal(c, at);
	return at;
}

/* RSDT (32-bit pointers) and XSDT (64-bit) to the same tables. */
static int build_roots(struct acpi_ctx *c, const uint32_t *t, unsigned int n,
		       uint32_t *rsdt, uint32_t *xsdt)
{
	uint32_t hl = sizeof(struct acpi_header), i;

	*rsdt = acpi_alloc(c, hl + 4 * n, 16);
	*xsdt = acpi_alloc(c, hl + 8 * n, 16);
	if (!*rsdt || !*xsdt)
		return -ENOSPC;
	fill_header((void *)(c->mem + *rsdt), "RSDT", hl + 4 * n, 1);
	fill_header((void *)(c->mem + *xsdt), "XSDT", hl + 8 * n, 1);
	for (i = 0; i < n; i++) {
		uint64_t x = t[i];

		memcpy(c->mem + *rsdt + hl + 4 * i, &t[i], 4);
		memcpy(c->mem + *xsdt + hl + 8 * i, &x, 8);
	}
	seal(c, *rsdt);
	seal(c, *xsdt);
	return 0;
}

int mhv_acpi_build(void *mem, uint64_t mem_size,
		   const struct mhv_acpi_config *cfg)
{
	struct acpi_ctx c = {
		.mem = mem, .next = MHV_ACPI_BASE + sizeof(struct acpi_rsdp),
		.end = MHV_ACPI_BASE + MHV_ACPI_SIZE,
	};
	struct acpi_rsdp *r;
	uint32_t t[2], rsdt, xsdt;

	if (!mem || !cfg || mem_size < MHV_ACPI_BASE + MHV_ACPI_SIZE ||
	    !cfg->nr_vcpus || cfg->nr_vcpus > MHV_ACPI_MAX_VCPUS ||
	    cfg->pm_base > 0xffff - MHV_ACPI_PM_SIZE)
		return -EINVAL;
	r = memset(c.mem + MHV_ACPI_BASE, 0, sizeof(*r));
	t[0] = build_fadt(&c, cfg);
	t[1] = build_madt(&c, cfg);
	if (!t[0] || !t[1] || build_roots(&c, t, 2, &rsdt, &xsdt))
		return -ENOSPC;
	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, OEM_ID, 6);
	r->revision = 2;
	r->rsdt_address = rsdt;
	r->length = sizeof(*r);
	r->xsdt_address = xsdt;
	r->checksum = (uint8_t)-mhv_acpi_checksum(r, 20);
	r->ext_checksum = (uint8_t)-mhv_acpi_checksum(r, sizeof(*r));
	return (int)(c.next - MHV_ACPI_BASE);
}
