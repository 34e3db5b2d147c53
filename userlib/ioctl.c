// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - one thin wrapper per ioctl of the VM and vCPU fds
 * (the system fd ones are in sys.c).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "libmultios_hv.h"
#include "internal.h"

#define PTR(p) ((unsigned long)(p))

int mhv_set_memory_region(int vm_fd, const struct mhv_memory_region *r)
{
	return mhv_ioctl(vm_fd, MHV_SET_MEMORY_REGION, PTR(r));
}

int mhv_delete_memory_region(int vm_fd, uint32_t slot)
{
	struct mhv_memory_region r = { .slot = slot };

	return mhv_set_memory_region(vm_fd, &r);
}

int mhv_create_vcpu(int vm_fd, unsigned int id)
{
	return mhv_ioctl(vm_fd, MHV_CREATE_VCPU, id);
}

int mhv_get_vm_info(int vm_fd, struct mhv_vm_info *info)
{
	return mhv_ioctl(vm_fd, MHV_GET_VM_INFO, PTR(info));
}

int mhv_stop_vm(int vm_fd, unsigned int how)
{
	return mhv_ioctl(vm_fd, MHV_STOP_VM, how);
}

int mhv_set_irq_line(int vm_fd, uint32_t gsi, uint32_t level)
{
	struct mhv_irq_level l;

	memset(&l, 0, sizeof(l));
	l.gsi = gsi;
	l.level = level;
	return mhv_ioctl(vm_fd, MHV_IRQ_LINE, PTR(&l));
}

int mhv_translate(int vm_fd, struct mhv_translate *tr)
{
	return mhv_ioctl(vm_fd, MHV_TRANSLATE, PTR(tr));
}

int mhv_set_cpuid(int vm_fd, const struct mhv_cpuid *cpuid)
{
	return mhv_ioctl(vm_fd, MHV_SET_CPUID, PTR(cpuid));
}

int mhv_get_cpuid(int vm_fd, struct mhv_cpuid *cpuid)
{
	return mhv_ioctl(vm_fd, MHV_GET_CPUID, PTR(cpuid));
}

/*
 * MHV_GET_RUN_SIZE, the same for every vCPU of the module: remembered when
 * the program asked for it, else asked here once of a system fd.
 */
static int mhv_run_size_get(void)
{
	int size = __atomic_load_n(&mhv_run_size, __ATOMIC_RELAXED);
	int fd;

	if (size > 0)
		return size;
	fd = mhv_open_system();
	if (fd < 0)
		return fd;
	size = mhv_get_run_size(fd);	/* remembers a valid size */
	mhv_close(fd);
	if (size < (int)sizeof(struct mhv_run))
		return size < 0 ? size : -EPROTO;
	return size;
}

int mhv_map_run(int vcpu_fd, struct mhv_run **run)
{
	int size = mhv_run_size_get();
	void *p;

	if (size < 0)
		return size;
	p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 vcpu_fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	*run = p;
	return 0;
}

int mhv_unmap_run(struct mhv_run *run)
{
	int size = __atomic_load_n(&mhv_run_size, __ATOMIC_RELAXED);

	/* no size known: no run page was ever mapped by this library */
	if (size <= 0)
		return -EINVAL;
	return munmap(run, (size_t)size) ? -errno : 0;
}

int mhv_run(int vcpu_fd)
{
	return mhv_ioctl(vcpu_fd, MHV_RUN, 0);
}

int mhv_get_regs(int vcpu_fd, struct mhv_regs *regs)
{
	return mhv_ioctl(vcpu_fd, MHV_GET_REGS, PTR(regs));
}

int mhv_set_regs(int vcpu_fd, const struct mhv_regs *regs)
{
	return mhv_ioctl(vcpu_fd, MHV_SET_REGS, PTR(regs));
}

int mhv_get_sregs(int vcpu_fd, struct mhv_sregs *sregs)
{
	return mhv_ioctl(vcpu_fd, MHV_GET_SREGS, PTR(sregs));
}

int mhv_set_sregs(int vcpu_fd, const struct mhv_sregs *sregs)
{
	return mhv_ioctl(vcpu_fd, MHV_SET_SREGS, PTR(sregs));
}

int mhv_get_msrs(int vcpu_fd, struct mhv_msrs *msrs)
{
	return mhv_ioctl(vcpu_fd, MHV_GET_MSRS, PTR(msrs));
}

int mhv_set_msrs(int vcpu_fd, const struct mhv_msrs *msrs)
{
	return mhv_ioctl(vcpu_fd, MHV_SET_MSRS, PTR(msrs));
}

int mhv_get_state_dump(int vcpu_fd, char *buf, size_t size)
{
	struct mhv_state_dump d = {
		.buf = PTR(buf),
		.size = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size,
	};
	int r = mhv_ioctl(vcpu_fd, MHV_GET_STATE_DUMP, PTR(&d));

	return r < 0 ? r : (int)d.len;
}

int mhv_get_vcpu_stats(int vcpu_fd, struct mhv_vcpu_stats *stats)
{
	return mhv_ioctl(vcpu_fd, MHV_GET_VCPU_STATS, PTR(stats));
}

int mhv_interrupt(int vcpu_fd, uint32_t vector)
{
	struct mhv_interrupt irq = { .vector = vector };

	return mhv_ioctl(vcpu_fd, MHV_INTERRUPT, PTR(&irq));
}

int mhv_get_lapic(int vcpu_fd, struct mhv_lapic_state *st)
{
	return mhv_ioctl(vcpu_fd, MHV_GET_LAPIC, PTR(st));
}

int mhv_set_lapic(int vcpu_fd, const struct mhv_lapic_state *st)
{
	return mhv_ioctl(vcpu_fd, MHV_SET_LAPIC, PTR(st));
}

uint32_t mhv_lapic_reg(const struct mhv_lapic_state *st, unsigned int reg)
{
	uint32_t v = 0;

	if (reg <= sizeof(st->regs) - sizeof(v))
		memcpy(&v, st->regs + reg, sizeof(v));
	return v;
}

int mhv_queue_exception(int vcpu_fd, uint32_t vector, uint32_t flags,
			uint32_t error_code)
{
	struct mhv_exception e = {
		.vector = vector,
		.flags = flags,
		.error_code = error_code,
	};

	return mhv_ioctl(vcpu_fd, MHV_QUEUE_EXCEPTION, PTR(&e));
}

int mhv_get_mp_state(int vcpu_fd, uint32_t *state)
{
	struct mhv_mp_state mp = { 0 };
	int r = mhv_ioctl(vcpu_fd, MHV_GET_MP_STATE, PTR(&mp));

	if (!r)
		*state = mp.state;
	return r;
}

int mhv_set_mp_state(int vcpu_fd, uint32_t state)
{
	struct mhv_mp_state mp = { .state = state };

	return mhv_ioctl(vcpu_fd, MHV_SET_MP_STATE, PTR(&mp));
}

int mhv_send_sipi(int vcpu_fd, uint8_t vector)
{
	struct mhv_mp_state mp = {
		.state = MHV_MP_STATE_SIPI_RECEIVED,
		.sipi_vector = vector,
	};

	return mhv_ioctl(vcpu_fd, MHV_SET_MP_STATE, PTR(&mp));
}

int mhv_nmi(int vcpu_fd)
{
	return mhv_ioctl(vcpu_fd, MHV_NMI, 0);
}
