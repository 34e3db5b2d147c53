// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - MMIO: a guest access to guest-physical memory that no slot
 * backs (or a write to a read-only slot) becomes an MMIO exit to
 * userspace.
 *
 * The nested page fault gives the address but not the access, so the
 * instruction at RIP is fetched from guest memory and decoded: the MOV
 * forms compilers emit for device registers, with operand-size,
 * address-size, segment and REX prefixes and any ModRM/SIB/displacement
 * or RIP-relative addressing:
 *
 *   88, 89     MOV r/m, reg (8-bit; 16/32/64-bit by 66 and REX.W)
 *   8A, 8B     MOV reg, r/m
 *   C6, C7     MOV r/m, imm (imm8, imm16, imm32; sign-extended to 64)
 *   A0-A3      MOV AL/eAX <-> moffs
 *   0F B6/B7   MOVZX reg, r/m8 / r/m16
 *   0F BE/BF   MOVSX reg, r/m8 / r/m16
 *   63         MOVSXD reg, r/m32 (64-bit mode; without REX.W a plain
 *              16/32-bit load)
 *
 * Byte registers 4-7 are AH, CH, DH, BH without a REX prefix and SPL,
 * BPL, SIL, DIL with one. A read writes its destination as the CPU does:
 * an 8- or 16-bit destination keeps the rest of the register, a 32-bit
 * one zeroes bits 63:32. The operand's address is computed and walked
 * through the guest's page tables: the access is emulated only if it
 * lands on the faulting address. Anything else stops the VM with a clear
 * error rather than guessing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/insn.h>
#include <asm/msr-index.h>

#include "mhv.h"
#include "dev/irqchip.h"

struct mhv_insn {
	u8 bytes[MAX_INSN_SIZE];
	unsigned int len;	/* bytes available */
	unsigned int pos;	/* decode position */
	u8 op_size;		/* operand size in bytes */
	u8 addr_size;
	u8 rex;
	bool mode64;
	u64 seg_base[MHV_SEG_GS + 1];	/* by enum mhv_seg */
};

/* The segment an override prefix selects, plus one (0: not one). */
static const u8 mhv_seg_prefix[256] = {
	[0x26] = MHV_SEG_ES + 1, [0x2e] = MHV_SEG_CS + 1,
	[0x36] = MHV_SEG_SS + 1, [0x3e] = MHV_SEG_DS + 1,
	[0x64] = MHV_SEG_FS + 1, [0x65] = MHV_SEG_GS + 1,
};

/* An address-size prefix (once, however often it is repeated). */
static u8 mhv_addr_size_prefixed(const struct mhv_insn *in)
{
	if (in->mode64)
		return 4;
	return in->addr_size == 2 ? 4 : 2;
}

static int mhv_insn_byte(struct mhv_insn *in, u8 *b)
{
	if (in->pos >= in->len)
		return -EINVAL;
	*b = in->bytes[in->pos++];
	return 0;
}

static int mhv_read_imm(struct mhv_insn *in, u8 size, u64 *imm)
{
	u64 v = 0;
	unsigned int i;
	u8 b;

	for (i = 0; i < size; i++) {
		if (mhv_insn_byte(in, &b))
			return -EINVAL;
		v |= (u64)b << (8 * i);
	}
	*imm = v;
	return 0;
}

/* A displacement of @size bytes (1, 2 or 4), sign-extended. */
static int mhv_read_disp(struct mhv_insn *in, u8 size, u64 *disp)
{
	u64 v;

	if (mhv_read_imm(in, size, &v))
		return -EINVAL;
	if (size == 1)
		*disp = (s64)(s8)v;
	else if (size == 2)
		*disp = (s64)(s16)v;
	else
		*disp = (s64)(s32)v;
	return 0;
}

struct mhv_mmio_op {
	bool write;
	u8 size;		/* access size */
	u8 reg;			/* register operand */
	bool high;		/* AH..BH */
	bool has_imm;
	u64 imm;
	u8 dest_size;		/* register destination size (reads) */
	bool sign_ext;		/* MOVSX, MOVSXD: the data is signed */
	u64 ea;			/* memory operand: offset in its segment */
	u8 seg;			/* ... its segment, MHV_SEG_* */
	bool rip_rel;		/* ... ea is relative to the next RIP */
};

/* ModRM memory operand with 16-bit addressing: [BX+SI+disp] and so on. */
static int mhv_modrm16(struct mhv_vcpu *vcpu, struct mhv_insn *in, u8 mod,
		       u8 rm, struct mhv_mmio_op *op)
{
	static const u8 base[8] = { MHV_RBX, MHV_RBX, MHV_RBP, MHV_RBP,
				    MHV_RSI, MHV_RDI, MHV_RBP, MHV_RBX };
	static const u8 index[4] = { MHV_RSI, MHV_RDI, MHV_RSI, MHV_RDI };
	u64 disp = 0;

	if (mod == 0 && rm == 6)	/* [disp16] */
		return mhv_read_disp(in, 2, &op->ea);
	op->ea = vcpu->regs[base[rm]];
	if (rm < 4)
		op->ea += vcpu->regs[index[rm]];
	if (base[rm] == MHV_RBP)
		op->seg = MHV_SEG_SS;
	if (mod && mhv_read_disp(in, mod == 1 ? 1 : 2, &disp))
		return -EINVAL;
	op->ea += disp;
	return 0;
}

/*
 * The memory operand of ModRM byte @modrm (and its SIB and displacement
 * bytes): its offset, default segment, and whether it is RIP-relative.
 */
static int mhv_modrm_ea(struct mhv_vcpu *vcpu, struct mhv_insn *in,
			u8 modrm, struct mhv_mmio_op *op)
{
	u8 mod = modrm >> 6, rm = modrm & 7, base = rm, index, sib;
	bool has_base = true;
	u64 disp = 0;

	if (mod == 3)
		return -EINVAL;		/* register operand: not memory */
	if (in->addr_size == 2)
		return mhv_modrm16(vcpu, in, mod, rm, op);
	op->ea = 0;
	if (rm == 4) {
		if (mhv_insn_byte(in, &sib))
			return -EINVAL;
		index = ((sib >> 3) & 7) | ((in->rex & 2) << 2);
		if (index != 4)		/* 4 without REX.X: no index */
			op->ea = vcpu->regs[index] << (sib >> 6);
		base = sib & 7;
		has_base = !(mod == 0 && base == 5);	/* [index*s+disp32] */
	} else if (mod == 0 && rm == 5) {
		has_base = false;	/* disp32, RIP-relative in 64-bit */
		op->rip_rel = in->mode64;
	}
	if (has_base) {
		base |= (in->rex & 1) << 3;
		op->ea += vcpu->regs[base];
		if (base == MHV_RSP || base == MHV_RBP)
			op->seg = MHV_SEG_SS;
	}
	if (mod == 1 || mod == 2 || !has_base) {
		if (mhv_read_disp(in, mod == 1 ? 1 : 4, &disp))
			return -EINVAL;
		op->ea += disp;
	}
	return 0;
}

/* Linear address of the memory operand, once the whole insn is decoded. */
static u64 mhv_op_linear(struct mhv_vcpu *vcpu, const struct mhv_insn *in,
			 const struct mhv_mmio_op *op)
{
	u64 ea = op->ea;

	if (op->rip_rel)
		ea += vcpu->rip + in->pos;
	if (in->addr_size < 8)
		ea &= (1ULL << (in->addr_size * 8)) - 1;
	if (!in->mode64)
		return (u32)(in->seg_base[op->seg] + ea);
	/* 64-bit mode ignores all segment bases but FS and GS */
	if (op->seg == MHV_SEG_FS || op->seg == MHV_SEG_GS)
		return in->seg_base[op->seg] + ea;
	return ea;
}

/* The processor mode and segment bases the decoder needs; linear RIP. */
static u64 mhv_insn_mode(struct mhv_vcpu *vcpu, struct mhv_insn *in)
{
	struct mhv_sregs s;

	mhv_vendor->get_sregs(vcpu, &s);
	in->seg_base[MHV_SEG_ES] = s.es.base;
	in->seg_base[MHV_SEG_CS] = s.cs.base;
	in->seg_base[MHV_SEG_SS] = s.ss.base;
	in->seg_base[MHV_SEG_DS] = s.ds.base;
	in->seg_base[MHV_SEG_FS] = s.fs.base;
	in->seg_base[MHV_SEG_GS] = s.gs.base;
	in->mode64 = (s.efer & EFER_LMA) && s.cs.l;
	if (in->mode64) {
		in->op_size = 4;
		in->addr_size = 8;
		return vcpu->rip;
	}
	in->op_size = s.cs.db ? 4 : 2;
	in->addr_size = in->op_size;
	return s.cs.base + (vcpu->rip & 0xffffffffULL);
}

/* Up to MHV_INSN_MAX bytes at @linear: what the guest's pages hold. */
static int mhv_read_insn(struct mhv_vcpu *vcpu, u64 linear, u8 *bytes)
{
	size_t first;

	/* the instruction may end at a page boundary: fetch what exists */
	first = min_t(size_t, MAX_INSN_SIZE, PAGE_SIZE - (linear & ~PAGE_MASK));
	if (mhv_read_gva(vcpu, linear, bytes, first))
		return -EFAULT;
	if (first < MAX_INSN_SIZE &&
	    !mhv_read_gva(vcpu, linear + first, bytes + first,
			  MAX_INSN_SIZE - first))
		return MAX_INSN_SIZE;
	return first;
}

/*
 * The instruction at RIP: the bytes the CPU supplied with the exit
 * (decode assists), else fetched from guest memory.
 */
static int mhv_fetch_insn(struct mhv_vcpu *vcpu, const struct mhv_exit *exit,
			  struct mhv_insn *in)
{
	u64 linear = mhv_insn_mode(vcpu, in);
	int len;

	BUILD_BUG_ON(MHV_INSN_MAX != MAX_INSN_SIZE);
	if (exit->insn_len) {
		vcpu->stats[MHV_STAT_INSN_ASSIST]++;
		in->len = min_t(unsigned int, exit->insn_len, MAX_INSN_SIZE);
		memcpy(in->bytes, exit->insn, in->len);
		return 0;
	}
	len = mhv_read_insn(vcpu, linear, in->bytes);
	if (len < 0)
		return len;
	in->len = len;
	return 0;
}

/**
 * mhv_fetch_insn_bytes() - read the instruction at RIP from guest memory,
 * as a CPU with decode assists fetches it for a nested page fault.
 * @vcpu: the vCPU that exited
 * @bytes: MHV_INSN_MAX bytes
 *
 * Called inside the world switch loop, preemption off: nothing is faulted
 * in (a page not present fails the read, as on a kernel without
 * preemption counting it would otherwise sleep in atomic context).
 *
 * Return: the number of bytes read, 0 if none could be.
 */
int mhv_fetch_insn_bytes(struct mhv_vcpu *vcpu, u8 *bytes)
{
	struct mhv_insn in;
	int len;

	memset(&in, 0, sizeof(in));
	pagefault_disable();
	len = mhv_read_insn(vcpu, mhv_insn_mode(vcpu, &in), bytes);
	pagefault_enable();
	return max(len, 0);
}

static u64 mhv_reg_read(struct mhv_vcpu *vcpu, u8 reg, bool high, u8 size)
{
	u64 v = vcpu->regs[reg];

	if (high)
		v >>= 8;
	return size == 8 ? v : v & ((1ULL << (size * 8)) - 1);
}

static void mhv_reg_write(struct mhv_vcpu *vcpu, u8 reg, bool high, u8 size,
			  u64 val)
{
	u64 *r = &vcpu->regs[reg];

	if (high)
		*r = (*r & ~0xff00ULL) | (val & 0xff) << 8;
	else if (size == 1)
		*r = (*r & ~0xffULL) | (val & 0xff);
	else if (size == 2)
		*r = (*r & ~0xffffULL) | (val & 0xffff);
	else if (size == 4)
		*r = (u32)val;		/* 32-bit writes zero-extend */
	else
		*r = val;
}

/*
 * The data of a read (@size bytes, the rest zero) into its destination
 * register: sign-extended first for MOVSX and MOVSXD.
 */
static void mhv_reg_load(struct mhv_vcpu *vcpu, u8 reg, bool high,
			 u8 dest_size, u8 size, bool sign_ext, u64 val)
{
	if (sign_ext && size < 8)
		val = sign_extend64(val, size * 8 - 1);
	mhv_reg_write(vcpu, reg, high, dest_size, val);
}

/* Register operand @reg (ModRM.reg + REX.R) of a byte instruction. */
static void mhv_byte_reg(struct mhv_insn *in, u8 reg, struct mhv_mmio_op *op)
{
	op->reg = reg;
	op->high = !in->rex && reg >= 4 && reg < 8;
	if (op->high)
		op->reg = reg - 4;
}

/*
 * A ModRM instruction with a memory operand: the ModRM byte, the memory
 * operand (SIB, displacement) and the register operand's number
 * (ModRM.reg extended by REX.R) in *@reg.
 */
static int mhv_decode_modrm(struct mhv_vcpu *vcpu, struct mhv_insn *in,
			    struct mhv_mmio_op *op, u8 *reg)
{
	u8 modrm;

	if (mhv_insn_byte(in, &modrm) || mhv_modrm_ea(vcpu, in, modrm, op))
		return -EINVAL;
	*reg = ((modrm >> 3) & 7) | ((in->rex & 4) << 1);
	return 0;
}

/* 0F B6/B7 (MOVZX) and 0F BE/BF (MOVSX): reg <- r/m8 or r/m16. */
static int mhv_decode_movx(struct mhv_vcpu *vcpu, struct mhv_insn *in,
			   struct mhv_mmio_op *op)
{
	u8 b;

	if (mhv_insn_byte(in, &b) ||
	    (b != 0xb6 && b != 0xb7 && b != 0xbe && b != 0xbf) ||
	    mhv_decode_modrm(vcpu, in, op, &op->reg))
		return -EINVAL;
	op->size = (b & 1) ? 2 : 1;
	op->dest_size = in->op_size;
	op->sign_ext = b >= 0xbe;
	return 0;
}

/* C6 /0, C7 /0: MOV r/m, imm; a 64-bit store takes an imm32 signed. */
static int mhv_decode_mov_imm(struct mhv_vcpu *vcpu, struct mhv_insn *in,
			      u8 b, struct mhv_mmio_op *op)
{
	u8 reg;
	u64 imm;

	if (mhv_decode_modrm(vcpu, in, op, &reg) || reg & 7)
		return -EINVAL;
	op->write = true;
	op->size = b == 0xc6 ? 1 : in->op_size;
	if (mhv_read_imm(in, min_t(u8, op->size, 4), &imm))
		return -EINVAL;
	if (op->size == 8)
		imm = (u64)sign_extend64(imm, 31);
	op->has_imm = true;
	op->imm = imm;
	return 0;
}

/* The opcode @b (after the prefixes) and its operands. */
static int mhv_decode_opcode(struct mhv_vcpu *vcpu, struct mhv_insn *in,
			     u8 b, struct mhv_mmio_op *op)
{
	u8 reg;

	switch (b) {
	case 0x88: case 0x89: case 0x8a: case 0x8b:
		if (mhv_decode_modrm(vcpu, in, op, &reg))
			return -EINVAL;
		op->write = b == 0x88 || b == 0x89;
		op->size = (b & 1) ? in->op_size : 1;
		if (op->size == 1)
			mhv_byte_reg(in, reg, op);
		else
			op->reg = reg;
		op->dest_size = op->size;
		return 0;
	case 0x63:		/* MOVSXD; ARPL outside 64-bit mode */
		if (!in->mode64 || mhv_decode_modrm(vcpu, in, op, &op->reg))
			return -EINVAL;
		op->size = min_t(u8, in->op_size, 4);
		op->dest_size = in->op_size;
		op->sign_ext = true;
		return 0;
	case 0xc6: case 0xc7:
		return mhv_decode_mov_imm(vcpu, in, b, op);
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		if (mhv_read_imm(in, in->addr_size, &op->ea))
			return -EINVAL;
		op->write = b >= 0xa2;
		op->size = (b & 1) ? in->op_size : 1;
		op->reg = 0;		/* AL / eAX */
		op->dest_size = op->size;
		return 0;
	case 0x0f:
		return mhv_decode_movx(vcpu, in, op);
	}
	return -EINVAL;
}

/*
 * Decode the MOV at RIP. A legacy prefix counts once however often it is
 * repeated (66 66 89 is a 16-bit MOV); REX must come last.
 */
static int mhv_decode(struct mhv_vcpu *vcpu, struct mhv_insn *in,
		      struct mhv_mmio_op *op)
{
	bool op_prefix = false, addr_prefix = false;
	u8 b, seg = 0;
	int ret;

	memset(op, 0, sizeof(*op));
	for (;;) {			/* legacy prefixes */
		if (mhv_insn_byte(in, &b))
			return -EINVAL;
		if (b == 0x66)
			op_prefix = true;
		else if (b == 0x67)
			addr_prefix = true;
		else if (mhv_seg_prefix[b])
			seg = mhv_seg_prefix[b];	/* the last one counts */
		else if (b != 0xf0)
			break;
	}
	if (op_prefix)
		in->op_size = in->op_size == 2 ? 4 : 2;
	if (addr_prefix)
		in->addr_size = mhv_addr_size_prefixed(in);
	if (in->mode64 && (b & 0xf0) == 0x40) {
		in->rex = b;
		if (b & 0x08)
			in->op_size = 8;
		if (mhv_insn_byte(in, &b))
			return -EINVAL;
	}
	op->seg = MHV_SEG_DS;
	ret = mhv_decode_opcode(vcpu, in, b, op);
	if (!ret && seg)
		op->seg = seg - 1;
	return ret;
}

/**
 * mhv_decode_string_io() - complete the exit information of ins/outs.
 * @vcpu: the vCPU that exited
 * @exit: an I/O exit with io.string set
 *
 * Without decode assists (and under emulators) the exit information may
 * lack the REP prefix, the address size and the segment: read them from
 * the instruction's prefixes.
 *
 * Return: 0, or -errno when the instruction cannot be read or is not a
 * string I/O instruction.
 */
int mhv_decode_string_io(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	struct mhv_insn in;
	bool addr_prefix = false;
	u8 b;

	if (exit->io_full) {
		vcpu->stats[MHV_STAT_INSN_ASSIST]++;
		return 0;
	}
	memset(&in, 0, sizeof(in));
	if (mhv_fetch_insn(vcpu, exit, &in))
		return -EFAULT;
	exit->io.rep = false;
	exit->io.seg = MHV_SEG_DS;
	for (;;) {
		if (mhv_insn_byte(&in, &b))
			return -EINVAL;
		if (b == 0xf2 || b == 0xf3)
			exit->io.rep = true;
		else if (b == 0x67)
			addr_prefix = true;
		else if (mhv_seg_prefix[b])
			exit->io.seg = mhv_seg_prefix[b] - 1;
		else if (b != 0x66 && b != 0xf0 &&
			 !(in.mode64 && (b & 0xf0) == 0x40))
			break;
	}
	if (b < 0x6c || b > 0x6f)
		return -EINVAL;
	exit->io.addr_size = addr_prefix ? mhv_addr_size_prefixed(&in) :
					   in.addr_size;
	return 0;
}

static int mhv_mmio_error(struct mhv_vcpu *vcpu, struct mhv_exit *exit,
			  const struct mhv_insn *in, const char *why)
{
	mhv_vm_report(vcpu->vm,
		      "vCPU %u: cannot emulate the MMIO access to 0x%llx at RIP 0x%llx: %s (bytes %*phN); VM is now in ERROR state\n",
		      vcpu->id, exit->npf.gpa, exit->rip, why,
		      (int)min_t(unsigned int, in->len, 8), in->bytes);
	return mhv_fail(vcpu, exit, MHV_ERR_INTERNAL, MHV_EXIT_INTERNAL_ERROR);
}

/*
 * The nested page fault is this instruction's data access only if the
 * guest's page tables translate its operand to the faulting address. A
 * fault the CPU took on a guest page-table entry outside slot memory
 * (or on its accessed/dirty bits in a read-only slot) is not: handing
 * it to userspace would give the guest device data as a page-table
 * entry, so the VM stops instead.
 */
static int mhv_mmio_check(struct mhv_vcpu *vcpu, struct mhv_exit *exit,
			  const struct mhv_insn *in,
			  const struct mhv_mmio_op *op)
{
	u64 gpa;
	int ret;

	ret = mhv_gva_to_gpa(vcpu, mhv_op_linear(vcpu, in, op), op->write,
			     &gpa);
	if (ret == -ENXIO)
		return mhv_mmio_error(vcpu, exit, in,
			"a guest page table for its operand is outside guest memory");
	if (ret || gpa != exit->npf.gpa)
		return mhv_mmio_error(vcpu, exit, in,
			"the fault is not at the address of its operand");
	return 0;
}

/* The MMIO instruction is done: on past its decoded length. */
static void mhv_mmio_skip(struct mhv_vcpu *vcpu, u64 next_rip)
{
	vcpu->stats[MHV_STAT_SKIP_DECODE]++;
	mhv_insn_done(vcpu, next_rip);
}

/*
 * An MMIO read userspace answered: the data into the register, as wide
 * as the decoded access (run->mmio.len is userspace's to change).
 */
static int mhv_mmio_complete(struct mhv_vcpu *vcpu)
{
	u8 size = vcpu->mmio.size;
	u64 val = 0;

	memcpy(&val, vcpu->run->mmio.data, size);
	mhv_reg_load(vcpu, vcpu->mmio.reg, vcpu->mmio.high,
		     vcpu->mmio.dest_size, size, vcpu->mmio.sign_ext, val);
	mhv_mmio_skip(vcpu, vcpu->mmio.next_rip);
	return 0;
}

int mhv_mmio_exit(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	struct mhv_run *run = vcpu->run;
	struct mhv_mmio_op op;
	struct mhv_insn in;
	u64 val;
	int ret;

	memset(&in, 0, sizeof(in));
	if (mhv_fetch_insn(vcpu, exit, &in))
		return mhv_mmio_error(vcpu, exit, &in,
			"the instruction (or a page table mapping it) is outside guest memory");
	if (mhv_decode(vcpu, &in, &op))
		return mhv_mmio_error(vcpu, exit, &in,
			"not a MOV form the module decodes");
	ret = mhv_mmio_check(vcpu, exit, &in, &op);
	if (ret)
		return ret;

	/* an address of an in-kernel device: completed here (dev/core.c) */
	val = op.has_imm ? op.imm : mhv_reg_read(vcpu, op.reg, op.high, op.size);
	/* the vCPU's own local APIC page first (dev/lapic.c) */
	ret = mhv_lapic_mmio(vcpu, exit->npf.gpa, op.size, op.write, &val);
	if (ret == -ENODEV)
		ret = mhv_dev_mmio(vcpu, exit->npf.gpa, op.size, op.write,
				   &val);
	if (ret != -ENODEV) {
		if (!op.write)
			mhv_reg_load(vcpu, op.reg, op.high, op.dest_size,
				     op.size, op.sign_ext, val);
		mhv_mmio_skip(vcpu, vcpu->rip + in.pos);
		return ret;
	}

	vcpu->stats[MHV_STAT_MMIO]++;
	memset(&run->mmio, 0, sizeof(run->mmio));
	run->mmio.phys_addr = exit->npf.gpa;
	run->mmio.len = op.size;
	run->mmio.is_write = op.write;
	if (op.write) {
		val = op.has_imm ? op.imm :
		      mhv_reg_read(vcpu, op.reg, op.high, op.size);
		memcpy(run->mmio.data, &val, op.size);
		mhv_mmio_skip(vcpu, vcpu->rip + in.pos);
	} else {
		vcpu->mmio.reg = op.reg;
		vcpu->mmio.high = op.high;
		vcpu->mmio.size = op.size;
		vcpu->mmio.dest_size = op.dest_size;
		vcpu->mmio.sign_ext = op.sign_ext;
		vcpu->mmio.next_rip = vcpu->rip + in.pos;
		vcpu->complete = mhv_mmio_complete;
	}
	run->exit_reason = MHV_EXIT_MMIO;
	return MHV_TO_USER;
}

/**
 * mhv_decode_mov_crdr() - decode the instruction of an exit the CPU did
 * not describe (SVM without decode assists or next-RIP saving).
 * @vcpu: the vCPU that exited
 * @exit: MHV_X_CR or MHV_X_DR (fills mov.gpr and next_rip, checks
 *	  mov.num), or MHV_X_CACHE (fills next_rip)
 *
 * Handles MOV to/from CRn/DRn (0F 20-23 with a register ModRM, REX.B
 * and REX.R) and INVD/WBINVD/WBNOINVD (0F 08, 0F 09), after legacy and
 * REX prefixes.
 *
 * Return: 0, or -EINVAL when the bytes at RIP are not such an instruction.
 */
int mhv_decode_mov_crdr(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	struct mhv_insn in;
	u8 b, modrm;

	memset(&in, 0, sizeof(in));
	if (mhv_fetch_insn(vcpu, exit, &in))
		return -EFAULT;
	do {				/* legacy prefixes */
		if (mhv_insn_byte(&in, &b))
			return -EINVAL;
	} while (b == 0x66 || b == 0x67 || b == 0xf2 || b == 0xf3 ||
		 b == 0xf0 || b == 0x2e || b == 0x36 || b == 0x3e ||
		 b == 0x26 || b == 0x64 || b == 0x65);
	if (in.mode64 && (b & 0xf0) == 0x40) {
		in.rex = b;
		if (mhv_insn_byte(&in, &b))
			return -EINVAL;
	}
	if (b != 0x0f || mhv_insn_byte(&in, &b))
		return -EINVAL;
	if (exit->type == MHV_X_CACHE) {
		if (b != 0x08 && b != 0x09)
			return -EINVAL;
	} else {
		if (b < 0x20 || b > 0x23 || mhv_insn_byte(&in, &modrm) ||
		    (modrm >> 6) != 3 ||
		    (((modrm >> 3) & 7) | ((in.rex & 4) << 1)) != exit->mov.num)
			return -EINVAL;
		exit->mov.gpr = (modrm & 7) | ((in.rex & 1) << 3);
	}
	exit->next_rip = vcpu->rip + in.pos;
	exit->nrip_hw = false;
	return 0;
}
