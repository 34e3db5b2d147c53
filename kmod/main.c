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

/**
 * struct mhv_ioctl_desc - one entry of an fd's ioctl table.
 * @cmd:	the full ioctl number (direction, size, type, nr all checked)
 * @fn:		handler; gets the user pointer of the argument
 * @name:	for dmesg and documentation cross-reference
 */
struct mhv_ioctl_desc {
	unsigned int cmd;
	long (*fn)(struct file *file, void __user *argp);
	const char *name;
};

#define MHV_IOCTL(_cmd, _fn) [_IOC_NR(_cmd)] = { .cmd = _cmd, .fn = _fn, .name = #_cmd }

static const struct mhv_ioctl_desc mhv_sys_ioctls[] = {
	MHV_IOCTL(MHV_GET_API_VERSION, mhv_ioctl_api_version),
	MHV_IOCTL(MHV_GET_CAPS, mhv_ioctl_get_caps),
};

static long mhv_dispatch(const struct mhv_ioctl_desc *table, size_t n,
			 struct file *file, unsigned int cmd, unsigned long arg)
{
	unsigned int nr = _IOC_NR(cmd);

	if (_IOC_TYPE(cmd) != MHVIO || nr >= n || !table[nr].fn ||
	    table[nr].cmd != cmd)
		return -ENOTTY;
	return table[nr].fn(file, (void __user *)arg);
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

	ret = misc_register(&mhv_misc);
	if (ret) {
		pr_err("cannot register /dev/%s: %d\n", MHV_DEVICE_NAME, ret);
		return ret;
	}
	pr_info("ready: /dev/%s, API version %d\n", MHV_DEVICE_NAME,
		MHV_API_VERSION);
	return 0;
}

static void __exit mhv_exit(void)
{
	misc_deregister(&mhv_misc);
	pr_info("unloaded\n");
}

module_init(mhv_init);
module_exit(mhv_exit);

MODULE_DESCRIPTION("MultiOS HV: an educational type-2 hypervisor (AMD-V, Intel VT-x)");
MODULE_AUTHOR("MultiOS HV developers");
MODULE_LICENSE("GPL");
