// SPDX-License-Identifier: LGPL-2.1
/*
 * The pure parts of the guest exception support (guest_ex.c): which
 * vectors carry an error code, the IDT stubs as machine code, the IDT
 * gate and TSS layouts. Expected values come from the Intel SDM / AMD APM
 * tables, not from the library.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <string.h>

#include "libmultios_hv.h"
#include "mhv_guest.h"
#include "internal.h"
#include "tests.h"

/* SDM vol. 3 table 6-1: #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX */
static const unsigned int with_error_code[] = {
	8, 10, 11, 12, 13, 14, 17, 21, 29, 30
};

static int sdm_has_error_code(unsigned int v)
{
	size_t i;

	for (i = 0; i < sizeof(with_error_code) / sizeof(with_error_code[0]); i++)
		if (with_error_code[i] == v)
			return 1;
	return 0;
}

static void test_error_code_vectors(void)
{
	unsigned int v;

	for (v = 0; v < 256; v++)
		CU_ASSERT_EQUAL(mhv_ex_has_error_code(v), sdm_has_error_code(v));
}

/*
 * Decode stub @v: [push $0] push $v; jmp common. Returns the jump target,
 * 0 when the bytes are not that.
 */
static uint64_t decode_stub(unsigned int v)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)mhv_ex_stub_addr(v);
	const uint8_t *start = p;
	int32_t rel;

	if (!sdm_has_error_code(v)) {
		if (p[0] != 0x6a || p[1] != 0)		/* push $0 */
			return 0;
		p += 2;
	}
	if (p[0] == 0x6a && v < 0x80 && p[1] == v) {	/* push $imm8 */
		p += 2;
	} else if (p[0] == 0x68) {			/* push $imm32 */
		memcpy(&rel, p + 1, 4);
		if (rel != (int32_t)v)
			return 0;
		p += 5;
	} else {
		return 0;
	}
	if (p[0] == 0xeb) {				/* jmp rel8 */
		rel = (int8_t)p[1];
		p += 2;
	} else if (p[0] == 0xe9) {			/* jmp rel32 */
		memcpy(&rel, p + 1, 4);
		p += 5;
	} else {
		return 0;
	}
	if (p - start > MHV_EX_STUB_SIZE)
		return 0;
	return (uint64_t)(uintptr_t)p + rel;
}

static void test_stubs(void)
{
	uint64_t common = decode_stub(0);
	unsigned int v;

	CU_ASSERT_NOT_EQUAL(common, 0);
	CU_ASSERT_EQUAL(mhv_ex_stub_addr(1) - mhv_ex_stub_addr(0),
			MHV_EX_STUB_SIZE);
	for (v = 0; v < 256; v++)
		CU_ASSERT_EQUAL(decode_stub(v), common);
}

static void test_gate(void)
{
	static const uint8_t want[16] = {
		0xf0, 0xde,		/* offset 15:0 */
		0x08, 0x00,		/* selector */
		0x01,			/* IST */
		0xee,			/* P, DPL 3, 64-bit interrupt gate */
		0xbc, 0x9a,		/* offset 31:16 */
		0x78, 0x56, 0x34, 0x12,	/* offset 63:32 */
		0, 0, 0, 0,
	};
	uint64_t gate[2];

	mhv_idt_gate(gate, 0x123456789abcdef0ULL, 0x08, 1, 3);
	CU_ASSERT_EQUAL(memcmp(gate, want, sizeof(want)), 0);
	mhv_idt_gate(gate, 0x401000, 0x08, 0, 0);
	CU_ASSERT_EQUAL(gate[0], 0x00408e0000081000ULL);
	CU_ASSERT_EQUAL(gate[1], 0);
}

static void test_tss(void)
{
	uint8_t tss[MHV_TSS64_SIZE + 8];
	uint64_t q;
	uint16_t w;

	memset(tss, 0xaa, sizeof(tss));
	mhv_tss64_init(tss, 0x1111222233334444ULL, 0x5555666677778888ULL);
	memcpy(&q, tss + 4, 8);		/* RSP0 */
	CU_ASSERT_EQUAL(q, 0x1111222233334444ULL);
	memcpy(&q, tss + 0x24, 8);	/* IST1 */
	CU_ASSERT_EQUAL(q, 0x5555666677778888ULL);
	memcpy(&q, tss + 0x2c, 8);	/* IST2 */
	CU_ASSERT_EQUAL(q, 0);
	memcpy(&w, tss + 0x66, 2);	/* I/O map base: none */
	CU_ASSERT_EQUAL(w, 104);
	CU_ASSERT_EQUAL(tss[MHV_TSS64_SIZE], 0xaa);	/* no overrun */
}

static void test_apply_options(void)
{
	struct mhv_guest g;
	struct mhv_sregs s;

	memset(&g, 0, sizeof(g));
	mhv_guest_long_mode_sregs(&s);
	mhv_guest_apply_options(&g, 1, &s);
	CU_ASSERT_EQUAL(s.idt.base, 0);		/* no IDT: unchanged */
	CU_ASSERT_EQUAL(s.gdt.limit, 3 * 8 - 1);
	g.idt_gpa = 0x600000;
	g.user = 1;
	mhv_guest_apply_options(&g, 1, &s);
	CU_ASSERT_EQUAL(s.idt.base, 0x600000);
	CU_ASSERT_EQUAL(s.idt.limit, 4095);
	CU_ASSERT_EQUAL(s.tr.base, MHV_GUEST_TSS + MHV_GUEST_TSS_SIZE);
	CU_ASSERT_EQUAL(s.tr.limit, 103);
	CU_ASSERT_EQUAL(s.gdt.limit, 5 * 8 - 1);
}

int register_guest_ex_tests(void)
{
	ADD_SUITE("guest_ex",
		  { "error_code_vectors", test_error_code_vectors },
		  { "stubs", test_stubs },
		  { "gate", test_gate },
		  { "tss", test_tss },
		  { "apply_options", test_apply_options });
}
