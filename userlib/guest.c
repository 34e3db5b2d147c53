// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - guests written as ordinary C functions (mhv_guest.h).
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libmultios_hv.h"
#include "mhv_guest.h"
#include "internal.h"

#define PTE_P		0x001ULL
#define PTE_RW		0x002ULL
#define PTE_PS		0x080ULL

#define CR0_PE		(1ULL << 0)
#define CR0_MP		(1ULL << 1)
#define CR0_ET		(1ULL << 4)
#define CR0_NE		(1ULL << 5)
#define CR0_WP		(1ULL << 16)
#define CR0_PG		(1ULL << 31)
#define CR4_PAE		(1ULL << 5)
#define CR4_OSFXSR	(1ULL << 9)
#define CR4_OSXMMEXCPT	(1ULL << 10)
#define EFER_SCE	(1ULL << 0)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)
#define EFER_NXE	(1ULL << 11)

/* Where a guest function returns to: halt for good. */
static void __attribute__((noreturn, used)) mhv_guest_return_trap(void)
{
	for (;;)
		__asm__ volatile("hlt");
}

void *mhv_guest_ptr(struct mhv_guest *g, uint64_t gpa)
{
	return gpa < g->mem_size ? g->mem + gpa : NULL;
}

/* Copy this program's PT_LOAD segments to the same guest addresses. */
static int mhv_guest_load_self(struct mhv_guest *g)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int fd, i, ret = 0;

	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_type != ET_EXEC) {
		ret = -ENOEXEC;	/* must be linked -static, without PIE */
		goto out;
	}
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * eh.e_phentsize) !=
		    sizeof(ph)) {
			ret = -EIO;
			goto out;
		}
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_vaddr + ph.p_memsz > g->mem_size ||
		    ph.p_vaddr < MHV_GUEST_STACK_TOP) {
			ret = -E2BIG;
			goto out;
		}
		if (pread(fd, g->mem + ph.p_vaddr, ph.p_filesz, ph.p_offset) !=
		    (ssize_t)ph.p_filesz) {
			ret = -EIO;
			goto out;
		}
		memset(g->mem + ph.p_vaddr + ph.p_filesz, 0,
		       ph.p_memsz - ph.p_filesz);
	}
out:
	close(fd);
	return ret;
}

/* GDT and identity page tables for the first 4 GiB, 2M pages. */
void mhv_long_mode_tables(uint8_t *mem)
{
	uint64_t *gdt = (uint64_t *)(mem + MHV_GUEST_GDT);
	uint64_t *pml4 = (uint64_t *)(mem + MHV_GUEST_PT);
	uint64_t *pdpt = pml4 + 512;
	uint64_t *pd = pdpt + 512;
	unsigned int i;

	gdt[0] = 0;
	gdt[1] = 0x00af9b000000ffffULL;	/* 64-bit code, DPL 0 */
	gdt[2] = 0x00cf93000000ffffULL;	/* data, DPL 0 */

	memset(pml4, 0, 2 * 4096);	/* PML4 and PDPT: all but these absent */
	pml4[0] = (MHV_GUEST_PT + 0x1000) | PTE_P | PTE_RW;
	for (i = 0; i < 4; i++)
		pdpt[i] = (MHV_GUEST_PT + 0x2000 + i * 0x1000) | PTE_P | PTE_RW;
	for (i = 0; i < 4 * 512; i++)
		pd[i] = ((uint64_t)i << 21) | PTE_P | PTE_RW | PTE_PS;
}

void mhv_flat_segment(struct mhv_segment *s, uint16_t sel, uint8_t type,
		      uint8_t l, uint8_t db)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->base = 0;
	s->limit = 0xffffffff;
	s->type = type;
	s->s = 1;
	s->present = 1;
	s->l = l;
	s->db = db;
	s->g = 1;
}

int mhv_guest_long_mode_sregs(struct mhv_sregs *s)
{
	memset(s, 0, sizeof(*s));
	mhv_flat_segment(&s->cs, MHV_GUEST_CODE_SEL, 0xb, 1, 0);
	mhv_flat_segment(&s->ds, MHV_GUEST_DATA_SEL, 0x3, 0, 1);
	s->es = s->ds;
	s->fs = s->ds;
	s->gs = s->ds;
	s->ss = s->ds;
	s->tr.type = 0xb;		/* busy 64-bit TSS */
	s->tr.present = 1;
	s->tr.limit = 0x67;
	s->ldt.type = 0x2;
	s->ldt.present = 1;
	s->ldt.limit = 0xffff;
	s->gdt.base = MHV_GUEST_GDT;
	s->gdt.limit = 3 * 8 - 1;
	s->idt.limit = 0xffff;
	s->cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	s->cr3 = MHV_GUEST_PT;
	s->cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	s->efer = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
	return 0;
}

int mhv_guest_set_entry(struct mhv_guest *g, unsigned int i,
			void (*entry)(uint64_t), uint64_t arg)
{
	uint64_t top = MHV_GUEST_STACK_TOP - i * MHV_GUEST_STACK_SIZE;
	struct mhv_regs regs;
	struct mhv_sregs s;
	int ret;

	if (i >= g->nr_vcpus)
		return -EINVAL;
	/* as if called: the return address makes RSP 8 mod 16 */
	top -= 8;
	*(uint64_t *)(g->mem + top) = (uint64_t)mhv_guest_return_trap;
	mhv_guest_long_mode_sregs(&s);
	mhv_guest_apply_options(g, i, &s);
	ret = mhv_set_sregs(g->vcpu[i].fd, &s);
	if (ret)
		return ret;
	memset(&regs, 0, sizeof(regs));
	regs.rip = (uint64_t)entry;
	regs.rsp = top;
	regs.rdi = arg;
	regs.rflags = 2;
	return mhv_set_regs(g->vcpu[i].fd, &regs);
}

void mhv_guest_destroy(struct mhv_guest *g)
{
	unsigned int i;

	for (i = 0; i < g->nr_vcpus; i++) {
		if (g->vcpu[i].run)
			mhv_unmap_run(g->vcpu[i].run);
		if (g->vcpu[i].fd >= 0)
			mhv_close(g->vcpu[i].fd);
	}
	if (g->vm_fd >= 0)
		mhv_close(g->vm_fd);
	if (g->sys_fd >= 0)
		mhv_close(g->sys_fd);
	if (g->mem)
		munmap(g->mem, g->mem_size);
	memset(g, 0, sizeof(*g));
	g->vm_fd = -1;
	g->sys_fd = -1;
}

int mhv_guest_create(struct mhv_guest *g, const char *name,
		     unsigned int nr_vcpus, unsigned int mem_mb,
		     void (*entry)(uint64_t), uint64_t arg)
{
	struct mhv_vm_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	strncpy(cfg.name, name, sizeof(cfg.name) - 1);
	cfg.vcpu_count = nr_vcpus;
	cfg.memory_mb = mem_mb + MHV_GUEST_EXTRA_MB;
	cfg.arch = MHV_ARCH_X86_64;
	cfg.features = MHV_VM_F_EDUCATIONAL;
	cfg.page_size = MHV_PAGE_SIZE_4K;
	return mhv_guest_create_config(g, &cfg, mem_mb, entry, arg);
}

int mhv_guest_create_config(struct mhv_guest *g,
			    const struct mhv_vm_config *cfg,
			    unsigned int mem_mb, void (*entry)(uint64_t),
			    uint64_t arg)
{
	unsigned int i, nr_vcpus = cfg->vcpu_count;
	struct mhv_memory_region region;
	int ret;

	memset(g, 0, sizeof(*g));
	g->sys_fd = -1;
	g->vm_fd = -1;
	if (!nr_vcpus || nr_vcpus > MHV_GUEST_MAX_VCPUS || mem_mb < 8)
		return -EINVAL;
	for (i = 0; i < MHV_GUEST_MAX_VCPUS; i++)
		g->vcpu[i].fd = -1;

	g->sys_fd = mhv_open_system();
	if (g->sys_fd < 0)
		return g->sys_fd;
	ret = g->vm_fd = mhv_create_vm(g->sys_fd, cfg);
	if (ret < 0)
		goto fail;

	g->mem_size = (size_t)mem_mb << 20;
	g->mem = mmap(NULL, g->mem_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (g->mem == MAP_FAILED) {
		ret = -errno;
		g->mem = NULL;
		goto fail;
	}
	ret = mhv_guest_load_self(g);
	if (ret)
		goto fail;
	mhv_long_mode_tables(g->mem);

	memset(&region, 0, sizeof(region));
	region.slot = 0;
	region.guest_phys_addr = 0;
	region.size = g->mem_size;
	region.userspace_addr = (uint64_t)g->mem;
	ret = mhv_set_memory_region(g->vm_fd, &region);
	if (ret)
		goto fail;

	for (i = 0; i < nr_vcpus; i++) {
		g->nr_vcpus = i + 1;
		ret = g->vcpu[i].fd = mhv_create_vcpu(g->vm_fd, i);
		if (ret < 0)
			goto fail;
		ret = mhv_map_run(g->vcpu[i].fd, &g->vcpu[i].run);
		if (!ret)
			ret = mhv_guest_set_entry(g, i, entry, arg);
		if (ret)
			goto fail;
	}
	return 0;

fail:
	mhv_guest_destroy(g);
	return ret;
}

int mhv_guest_sync_global(struct mhv_guest *g, const void *addr, size_t len)
{
	uint64_t gpa = (uint64_t)addr;

	if (gpa + len > g->mem_size || gpa + len < gpa)
		return -EFAULT;
	memcpy(g->mem + gpa, addr, len);
	return 0;
}

/* The console bytes a return of MHV_RUN on vCPU @i carried go out. */
static void mhv_guest_console(struct mhv_guest *g, unsigned int i)
{
	const void *data;
	int n = mhv_run_console(g->vcpu[i].run, &data, NULL, NULL);

	if (n > 0 && g->console)
		g->console(g->console_arg, i, data, n);
}

/* After an exit of vCPU @i: the guest call it made, as mhv_guest_run(). */
static int mhv_guest_read_ucall(struct mhv_guest *g, unsigned int i,
				struct mhv_ucall *uc)
{
	struct mhv_run *run = g->vcpu[i].run;
	struct mhv_regs regs;
	struct mhv_ucall *guc;
	int ret;

	if (run->exit_reason != MHV_EXIT_IO || run->io.port != MHV_UCALL_PORT ||
	    run->io.direction != MHV_IO_OUT)
		return 0;
	ret = mhv_get_regs(g->vcpu[i].fd, &regs);
	if (ret)
		return ret;
	guc = mhv_guest_ptr(g, regs.rdi);
	if (!guc || regs.rdi + sizeof(*uc) > g->mem_size)
		return -EFAULT;
	memcpy(uc, guc, sizeof(*uc));
	return (int)uc->cmd;
}

int mhv_guest_run(struct mhv_guest *g, unsigned int i, struct mhv_ucall *uc)
{
	int ret;

	if (i >= g->nr_vcpus)
		return -EINVAL;
	do {
		ret = mhv_run(g->vcpu[i].fd);
		mhv_guest_console(g, i);
	} while (!ret && g->vcpu[i].run->exit_reason == MHV_EXIT_CONSOLE);
	return ret ? ret : mhv_guest_read_ucall(g, i, uc);
}

struct mhv_guest_all {
	struct mhv_guest *g;
	mhv_guest_exit_fn fn;
	void *arg;
};

/* mhv_vm_run_all()'s callback: console batches, then the guest call. */
static int mhv_guest_all_exit(void *arg, unsigned int i, int ret,
			      struct mhv_run *run)
{
	struct mhv_guest_all *a = arg;
	struct mhv_ucall uc;

	memset(&uc, 0, sizeof(uc));
	mhv_guest_console(a->g, i);
	if (!ret && run->exit_reason == MHV_EXIT_CONSOLE)
		return 0;
	if (!ret)
		ret = mhv_guest_read_ucall(a->g, i, &uc);
	return a->fn(a->arg, a->g, i, ret, &uc);
}

int mhv_guest_run_all(struct mhv_guest *g, mhv_guest_exit_fn fn, void *arg)
{
	struct mhv_guest_all a = { .g = g, .fn = fn, .arg = arg };
	int fds[MHV_GUEST_MAX_VCPUS];
	struct mhv_run *runs[MHV_GUEST_MAX_VCPUS];
	unsigned int i;

	for (i = 0; i < g->nr_vcpus; i++) {
		fds[i] = g->vcpu[i].fd;
		runs[i] = g->vcpu[i].run;
	}
	return mhv_vm_run_all(g->vm_fd, g->nr_vcpus, fds, runs,
			      mhv_guest_all_exit, &a);
}
