// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - the system fd: open, version, capabilities, CREATE_VM.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libmultios_hv.h"
#include "internal.h"

#define MHV_STR2(x)	#x
#define MHV_STR(x)	MHV_STR2(x)

const char *mhv_lib_version(void)
{
	return MHV_STR(MHV_LIB_VERSION_MAJOR) "." MHV_STR(MHV_LIB_VERSION_MINOR);
}

int mhv_ioctl(int fd, unsigned long cmd, unsigned long arg)
{
	int r = ioctl(fd, cmd, arg);

	return r < 0 ? -errno : r;
}

const char *mhv_device_path(void)
{
	const char *path = getenv("MHV_DEVICE");

	return path && *path ? path : MHV_DEVICE_PATH;
}

int mhv_open_system(void)
{
	int fd = open(mhv_device_path(), O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int mhv_close(int fd)
{
	return close(fd) ? -errno : 0;
}

int mhv_get_api_version(int sys_fd)
{
	return mhv_ioctl(sys_fd, MHV_GET_API_VERSION, 0);
}

int mhv_check_api(int sys_fd)
{
	int v = mhv_get_api_version(sys_fd);

	if (v < 0)
		return v;
	if (v != MHV_API_VERSION) {
		fprintf(stderr,
			"libmultios_hv: the multios_hv module speaks API version %d, this program was built for version %d: rebuild one of them\n",
			v, MHV_API_VERSION);
		return -EPROTO;
	}
	return 0;
}

int mhv_get_caps(int sys_fd, struct mhv_caps *caps)
{
	return mhv_ioctl(sys_fd, MHV_GET_CAPS, (unsigned long)caps);
}

int mhv_create_vm(int sys_fd, const struct mhv_vm_config *cfg)
{
	return mhv_ioctl(sys_fd, MHV_CREATE_VM, (unsigned long)cfg);
}

const char *mhv_create_vm_hint(int err)
{
	switch (err) {
	case -EBUSY:
		return "another hypervisor (KVM: kvm_amd or kvm_intel) holds the CPU's virtualization extension; "
		       "dmesg names the CPU. Stop its VMs or unload it (rmmod kvm_amd kvm_intel); "
		       "on Linux 6.12+ KVM takes it when loaded unless kvm is loaded with enable_virt_at_load=0";
	case -E2BIG:
		return "more vCPUs or memory than this machine allows: see \"max vCPUs per VM\" and \"max memory per VM\" in mhv caps";
	case -EINVAL:
		return "the config is invalid: a name of 1 to 31 printable characters, arch x86_64, known features, at least 1 vCPU and 1 MiB";
	case -EPERM:
		return "the firmware disabled virtualization: enable AMD-V/SVM or Intel VT-x in the BIOS/UEFI setup";
	case -EOPNOTSUPP:
		return "this CPU lacks what multios_hv needs (nested paging, or a supported backend); dmesg says which";
	case -ENODEV:
	case -EIO:
		return "the module could not switch virtualization on for every CPU; dmesg says why";
	case -ENOMEM:
		return "the kernel is out of memory for a new VM";
	default:
		return "";
	}
}

int mhv_run_size;

int mhv_get_run_size(int sys_fd)
{
	int size = mhv_ioctl(sys_fd, MHV_GET_RUN_SIZE, 0);

	if (size >= (int)sizeof(struct mhv_run))
		__atomic_store_n(&mhv_run_size, size, __ATOMIC_RELAXED);
	return size;
}
