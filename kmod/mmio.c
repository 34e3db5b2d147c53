// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - MMIO: a guest access to guest-physical memory that no slot
 * backs (or a write to a read-only slot) becomes an MMIO exit to
 * userspace.
 *
 * The nested page fault gives the address but not the access, so the
 * instruction at RIP is fetched from guest memory and decoded: the MOV
 * forms compilers emit for device registers (88, 89, 8A, 8B, C6, C7,
 * A0-A3, 0F B6, 0F B7) with operand-size, address-size, segment and REX
 * prefixes. Anything else stops the VM with a clear error rather than
 * guessing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/msr-index.h>

#include "mhv.h"

#define MHV_INSN_MAX	15

struct mhv_insn {
	u8 bytes[MHV_INSN_MAX];
	unsigned int len;	/* bytes available */
	unsigned int pos;	/* decode position */
	u8 op_size;		/* operand size in bytes */
	u8 addr_size;
	u8 rex;
	bool mode64;
};

static int mhv_insn_byte(struct mhv_insn *in, u8 *b)
{
	if (in->pos >= in->len)
		return -EINVAL;
	*b = in->bytes[in->pos++];
	return 0;
}

/* Skip the ModRM addressing bytes after the ModRM byte itself. */
static int mhv_skip_modrm(struct mhv_insn *in, u8 modrm)
{
	u8 mod = modrm >> 6, rm = modrm & 7, sib;
	unsigned int disp = 0;

	if (mod == 3)
		return -EINVAL;		/* register operand: not memory */
	if (in->addr_size == 2) {
		if (mod == 0 && rm == 6)
			disp = 2;
		else
			disp = mod == 1 ? 1 : mod == 2 ? 2 : 0;
	} else {
		if (rm == 4) {
			if (mhv_insn_byte(in, &sib))
				return -EINVAL;
			if (mod == 0 && (sib & 7) == 5)
				disp = 4;
		}
		if (mod == 0 && rm == 5)
			disp = 4;	/* disp32, or RIP-relative in 64-bit */
		else if (mod == 1)
			disp = 1;
		else if (mod == 2)
			disp = 4;
	}
	in->pos += disp;
	return in->pos <= in->len ? 0 : -EINVAL;
}

static int mhv_fetch_insn(struct mhv_vcpu *vcpu, struct mhv_insn *in)
{
	struct mhv_sregs s;
	u64 linear;
	size_t first;

	mhv_vendor->get_sregs(vcpu, &s);
	in->mode64 = (s.efer & EFER_LMA) && s.cs.l;
	if (in->mode64) {
		in->op_size = 4;
		in->addr_size = 8;
		linear = vcpu->rip;
	} else {
		in->op_size = s.cs.db ? 4 : 2;
		in->addr_size = in->op_size;
		linear = s.cs.base + (vcpu->rip & 0xffffffffULL);
	}
	/* the instruction may end at a page boundary: fetch what exists */
	first = min_t(size_t, MHV_INSN_MAX, PAGE_SIZE - (linear & ~PAGE_MASK));
	if (mhv_read_gva(vcpu, linear, in->bytes, first))
		return -EFAULT;
	in->len = first;
	if (first < MHV_INSN_MAX &&
	    !mhv_read_gva(vcpu, linear + first, in->bytes + first,
			  MHV_INSN_MAX - first))
		in->len = MHV_INSN_MAX;
	return 0;
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

struct mhv_mmio_op {
	bool write;
	u8 size;		/* access size */
	u8 reg;			/* register operand */
	bool high;		/* AH..BH */
	bool has_imm;
	u64 imm;
	u8 dest_size;		/* register destination size (reads) */
};

/* Register operand @reg (ModRM.reg + REX.R) of a byte instruction. */
static void mhv_byte_reg(struct mhv_insn *in, u8 reg, struct mhv_mmio_op *op)
{
	op->reg = reg;
	op->high = !in->rex && reg >= 4 && reg < 8;
	if (op->high)
		op->reg = reg - 4;
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

static int mhv_decode(struct mhv_insn *in, struct mhv_mmio_op *op)
{
	u8 b, modrm, reg;
	u64 imm;

	memset(op, 0, sizeof(*op));
	for (;;) {			/* legacy prefixes */
		if (mhv_insn_byte(in, &b))
			return -EINVAL;
		if (b == 0x66)
			in->op_size = in->op_size == 2 ? 4 : 2;
		else if (b == 0x67)
			in->addr_size = in->mode64 ? 4 :
					(in->addr_size == 2 ? 4 : 2);
		else if (b != 0x2e && b != 0x36 && b != 0x3e && b != 0x26 &&
			 b != 0x64 && b != 0x65 && b != 0xf0)
			break;
	}
	if (in->mode64 && (b & 0xf0) == 0x40) {
		in->rex = b;
		if (b & 0x08)
			in->op_size = 8;
		if (mhv_insn_byte(in, &b))
			return -EINVAL;
	}

	switch (b) {
	case 0x88: case 0x89: case 0x8a: case 0x8b:
		if (mhv_insn_byte(in, &modrm) || mhv_skip_modrm(in, modrm))
			return -EINVAL;
		reg = ((modrm >> 3) & 7) | ((in->rex & 4) << 1);
		op->write = b == 0x88 || b == 0x89;
		op->size = (b & 1) ? in->op_size : 1;
		if (op->size == 1)
			mhv_byte_reg(in, reg, op);
		else
			op->reg = reg;
		op->dest_size = op->size;
		return 0;
	case 0xc6: case 0xc7:
		if (mhv_insn_byte(in, &modrm) || ((modrm >> 3) & 7) ||
		    mhv_skip_modrm(in, modrm))
			return -EINVAL;
		op->write = true;
		op->size = b == 0xc6 ? 1 : in->op_size;
		if (mhv_read_imm(in, min_t(u8, op->size, 4), &imm))
			return -EINVAL;
		if (op->size == 8)	/* imm32 sign-extended */
			imm = (u64)(s64)(s32)imm;
		op->has_imm = true;
		op->imm = imm;
		return 0;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		if (mhv_read_imm(in, in->addr_size, &imm))
			return -EINVAL;
		op->write = b >= 0xa2;
		op->size = (b & 1) ? in->op_size : 1;
		op->reg = 0;		/* AL / eAX */
		op->dest_size = op->size;
		return 0;
	case 0x0f:
		if (mhv_insn_byte(in, &b) || (b != 0xb6 && b != 0xb7) ||
		    mhv_insn_byte(in, &modrm) || mhv_skip_modrm(in, modrm))
			return -EINVAL;
		op->size = b == 0xb6 ? 1 : 2;
		op->reg = ((modrm >> 3) & 7) | ((in->rex & 4) << 1);
		op->dest_size = in->op_size;
		return 0;
	}
	return -EINVAL;
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
	static const s8 seg_of_prefix[256] = {
		[0x26] = 1, [0x2e] = 2, [0x36] = 3, [0x3e] = 4,
		[0x64] = 5, [0x65] = 6,		/* segment + 1 */
	};
	struct mhv_insn in;
	u8 b;

	memset(&in, 0, sizeof(in));
	if (mhv_fetch_insn(vcpu, &in))
		return -EFAULT;
	exit->io.rep = false;
	exit->io.seg = MHV_SEG_DS;
	for (;;) {
		if (mhv_insn_byte(&in, &b))
			return -EINVAL;
		if (b == 0xf2 || b == 0xf3)
			exit->io.rep = true;
		else if (b == 0x67)
			in.addr_size = in.mode64 ? 4 :
				       (in.addr_size == 2 ? 4 : 2);
		else if (seg_of_prefix[b])
			exit->io.seg = seg_of_prefix[b] - 1;
		else if (b != 0x66 && b != 0xf0 &&
			 !(in.mode64 && (b & 0xf0) == 0x40))
			break;
	}
	if (b < 0x6c || b > 0x6f)
		return -EINVAL;
	exit->io.addr_size = in.addr_size;
	return 0;
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
	mhv_reg_write(vcpu, vcpu->mmio.reg, vcpu->mmio.high,
		      vcpu->mmio.dest_size, val);
	vcpu->rip = vcpu->mmio.next_rip;
	return 0;
}

int mhv_mmio_exit(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	struct mhv_run *run = vcpu->run;
	struct mhv_mmio_op op;
	struct mhv_insn in;
	u64 val;

	memset(&in, 0, sizeof(in));
	if (mhv_fetch_insn(vcpu, &in) || mhv_decode(&in, &op)) {
		pr_err("VM \"%s\" vCPU %u: cannot emulate the MMIO access to 0x%llx at RIP 0x%llx (bytes %*phN); VM is now in ERROR state\n",
		       vcpu->vm->config.name, vcpu->id, exit->npf.gpa,
		       exit->rip, (int)min_t(unsigned int, in.len, 8),
		       in.bytes);
		return mhv_fail(vcpu, exit, MHV_ERR_INTERNAL,
				MHV_EXIT_INTERNAL_ERROR);
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
		vcpu->rip += in.pos;
	} else {
		vcpu->mmio.reg = op.reg;
		vcpu->mmio.high = op.high;
		vcpu->mmio.size = op.size;
		vcpu->mmio.dest_size = op.dest_size;
		vcpu->mmio.next_rip = vcpu->rip + in.pos;
		vcpu->complete = mhv_mmio_complete;
	}
	run->exit_reason = MHV_EXIT_MMIO;
	return MHV_TO_USER;
}

/* Put the value userspace supplied for an MMIO read into the register. */
/**
 * mhv_decode_mov_crdr() - decode the instruction of an exit the CPU did
 * not describe (SVM without decode assists or next-RIP saving).
 * @vcpu: the vCPU that exited
 * @exit: MHV_X_CR_WRITE or MHV_X_DR (fills mov.gpr and next_rip, checks
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
	if (mhv_fetch_insn(vcpu, &in))
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
	return 0;
}
