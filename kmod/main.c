// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - module entry: the /dev/multios_hv misc device and the
 * system-fd ioctls.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "mhv.h"
#include "trace.h"

static long mhv_ioctl_api_version(struct file *file, void __user *argp)
{
	return MHV_API_VERSION;
}

static long mhv_ioctl_get_caps(struct file *file, void __user *argp)
{
	struct mhv_caps caps;

	mhv_caps_get(&caps);
	if (copy_to_user(argp, &caps, sizeof(caps)))
		return -EFAULT;
	return 0;
}

static long mhv_ioctl_create_vm(struct file *file, void __user *argp)
{
	return mhv_create_vm(argp);
}

static long mhv_ioctl_run_size(struct file *file, void __user *argp)
{
	return PAGE_SIZE;
}

static const struct mhv_ioctl_desc mhv_sys_ioctls[] = {
	{ MHV_GET_API_VERSION, mhv_ioctl_api_version },
	{ MHV_GET_CAPS, mhv_ioctl_get_caps },
	{ MHV_CREATE_VM, mhv_ioctl_create_vm },
	{ MHV_GET_RUN_SIZE, mhv_ioctl_run_size },
};

/**
 * mhv_dispatch() - run the handler of @cmd from an fd's ioctl table.
 * @table: the fd's ioctl table
 * @n:     its size
 * @file:  the fd
 * @cmd:   the ioctl number
 * @arg:   its argument
 *
 * The whole number (direction, size, type, number) must match an entry,
 * so a VM ioctl sent to the system fd, or a wrong size, is -ENOTTY.
 */
long mhv_dispatch(const struct mhv_ioctl_desc *table, size_t n,
		  struct file *file, unsigned int cmd, unsigned long arg)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (table[i].cmd == cmd)
			return table[i].fn(file, (void __user *)arg);
	return -ENOTTY;
}

static long mhv_sys_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	return mhv_dispatch(mhv_sys_ioctls, ARRAY_SIZE(mhv_sys_ioctls),
			    file, cmd, arg);
}

static const struct file_operations mhv_sys_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= mhv_sys_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice mhv_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= MHV_DEVICE_NAME,
	.fops	= &mhv_sys_fops,
	.mode	= 0600,		/* root only; udev rule grants group multios */
};

static int __init mhv_init(void)
{
	int ret;

	ret = mhv_caps_init();
	if (ret)
		return ret;
	mhv_memstat_init();
	/* suspend/resume, reboot and crash hooks before the first VM */
	ret = mhv_hw_init();
	if (ret) {
		mhv_memstat_exit();
		return ret;
	}

	ret = mhv_trace_init();
	if (ret) {
		pr_err("cannot register the generic netlink family %s: %d\n",
		       MHV_GENL_NAME, ret);
		mhv_hw_exit();
		mhv_memstat_exit();
		return ret;
	}
	ret = misc_register(&mhv_misc);
	if (ret) {
		pr_err("cannot register /dev/%s: %d\n", MHV_DEVICE_NAME, ret);
		mhv_trace_cleanup();
		mhv_hw_exit();
		mhv_memstat_exit();
		return ret;
	}
	pr_info("ready: /dev/%s, API version %d\n", MHV_DEVICE_NAME,
		MHV_API_VERSION);
	return 0;
}

static void __exit mhv_exit(void)
{
	misc_deregister(&mhv_misc);
	mhv_trace_cleanup();
	mhv_hw_exit();
	mhv_memstat_exit();
	pr_info("unloaded\n");
}

module_init(mhv_init);
module_exit(mhv_exit);

MODULE_DESCRIPTION("MultiOS HV: an educational type-2 hypervisor (AMD-V, Intel VT-x)");
MODULE_AUTHOR("MultiOS HV developers");
MODULE_LICENSE("GPL");
