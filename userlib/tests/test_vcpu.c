// SPDX-License-Identifier: LGPL-2.1
/*
 * The vCPU helpers and the texts that explain: mhv_vcpu_set_real_mode()
 * (through the fake device), mhv_create_vm_hint(), the descriptions of
 * VM states and exit counters.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libmultios_hv.h"
#include "tests.h"

/* A segment as after x86 RESET in real mode (limit 64K). */
static void reset_seg(struct mhv_segment *s, uint16_t sel, uint64_t base,
		      uint8_t type)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->base = base;
	s->limit = 0xffff;
	s->type = type;
	s->s = 1;
	s->present = 1;
}

static int fake_vcpu(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return fd;
	fake_dev_attach(fd);
	reset_seg(&fake_dev.sregs.cs, 0xf000, 0xffff0000, 0xb);
	reset_seg(&fake_dev.sregs.ds, 0, 0, 0x3);
	fake_dev.sregs.es = fake_dev.sregs.ds;
	fake_dev.sregs.fs = fake_dev.sregs.ds;
	fake_dev.sregs.gs = fake_dev.sregs.ds;
	fake_dev.sregs.ss = fake_dev.sregs.ds;
	fake_dev.sregs.cr0 = 0x60000010;
	memset(&fake_dev.regs, 0xa5, sizeof(fake_dev.regs));
	return fd;
}

static void close_fake(int fd)
{
	fake_dev_detach();
	close(fd);
}

/* Real-mode address of SEG:OFF as the CPU forms it. */
static uint64_t linear(const struct mhv_segment *s, uint64_t off)
{
	return s->base + off;
}

static void expect_real_mode(uint32_t entry, uint32_t stack)
{
	struct mhv_regs zero;
	int fd = fake_vcpu();

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(mhv_vcpu_set_real_mode(fd, entry, stack), 0);
	/* the CPU starts at @entry and pushes below @stack */
	CU_ASSERT_EQUAL(linear(&fake_dev.sregs.cs, fake_dev.regs.rip), entry);
	CU_ASSERT_EQUAL(linear(&fake_dev.sregs.ss, fake_dev.regs.rsp), stack);
	/* real mode: base = selector * 16, offsets within 64 KiB */
	CU_ASSERT_EQUAL(fake_dev.sregs.cs.base, fake_dev.sregs.cs.selector * 16ULL);
	CU_ASSERT_EQUAL(fake_dev.sregs.ss.base, fake_dev.sregs.ss.selector * 16ULL);
	CU_ASSERT(fake_dev.regs.rip <= 0xffff && fake_dev.regs.rsp <= 0xffff);
	/* data segments = code segment, attributes of the reset state kept */
	CU_ASSERT_EQUAL(fake_dev.sregs.ds.selector, fake_dev.sregs.cs.selector);
	CU_ASSERT_EQUAL(fake_dev.sregs.es.base, fake_dev.sregs.cs.base);
	CU_ASSERT_EQUAL(fake_dev.sregs.gs.base, fake_dev.sregs.cs.base);
	CU_ASSERT_EQUAL(fake_dev.sregs.cs.limit, 0xffff);
	CU_ASSERT_EQUAL(fake_dev.sregs.cs.type, 0xb);
	CU_ASSERT_EQUAL(fake_dev.sregs.ds.type, 0x3);
	CU_ASSERT_EQUAL(fake_dev.sregs.cr0, 0x60000010);
	/* RFLAGS: only the reserved bit 1; every other register 0 */
	CU_ASSERT_EQUAL(fake_dev.regs.rflags, 2);
	memset(&zero, 0, sizeof(zero));
	zero.rip = fake_dev.regs.rip;
	zero.rsp = fake_dev.regs.rsp;
	zero.rflags = 2;
	CU_ASSERT_EQUAL(memcmp(&zero, &fake_dev.regs, sizeof(zero)), 0);
	CU_ASSERT_EQUAL(fake_dev.last_cmd, MHV_SET_REGS);
	close_fake(fd);
}

static void test_real_mode(void)
{
	int fd;

	expect_real_mode(0x1000, 0xfff0);	/* mhv run, the bench */
	CU_ASSERT_EQUAL(fake_dev.sregs.cs.selector, 0);
	expect_real_mode(0x12345, 0x9fff0);	/* beyond the first 64 KiB */
	expect_real_mode(0xfffff, 0);

	fd = fake_vcpu();
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(mhv_vcpu_set_real_mode(fd, 0x100000, 0x1000), -EINVAL);
	CU_ASSERT_EQUAL(mhv_vcpu_set_real_mode(fd, 0x1000, 0x100000), -EINVAL);
	CU_ASSERT_EQUAL(fake_dev.calls, 0);	/* refused before any ioctl */
	fake_dev.err = EBUSY;
	CU_ASSERT_EQUAL(mhv_vcpu_set_real_mode(fd, 0x1000, 0xfff0), -EBUSY);
	close_fake(fd);
}

static void test_create_vm_hint(void)
{
	const char *busy = mhv_create_vm_hint(-EBUSY);

	/* what `mhv run` and the tutorials tell a student KVM is in the way */
	CU_ASSERT_PTR_NOT_NULL(strstr(busy, "another hypervisor"));
	CU_ASSERT_PTR_NOT_NULL(strstr(busy, "kvm_amd"));
	CU_ASSERT_PTR_NOT_NULL(strstr(busy, "enable_virt_at_load=0"));
	CU_ASSERT_PTR_NULL(strchr(busy, '\n'));
	CU_ASSERT_PTR_NOT_NULL(strstr(mhv_create_vm_hint(-E2BIG), "mhv caps"));
	CU_ASSERT_PTR_NOT_NULL(strstr(mhv_create_vm_hint(-EPERM), "BIOS"));
	CU_ASSERT_STRING_EQUAL(mhv_create_vm_hint(0), "");
	CU_ASSERT_STRING_EQUAL(mhv_create_vm_hint(-ENOENT), "");
	CU_ASSERT_STRING_EQUAL(mhv_create_vm_hint(EBUSY), "");	/* not negative */
}

/* Every counter and state the uapi defines is explained, in one line. */
static void test_descriptions(void)
{
	unsigned int i;

	for (i = 0; i < MHV_STAT_NR; i++) {
		if (MHV_STAT_RESERVED(i))
			continue;
		CU_ASSERT(strlen(mhv_stat_desc(i)) > 10);
		CU_ASSERT_PTR_NULL(strchr(mhv_stat_desc(i), '\n'));
	}
	CU_ASSERT_STRING_EQUAL(mhv_stat_desc(MHV_STAT_NR), "");
	CU_ASSERT_STRING_EQUAL(mhv_stat_desc(~0U), "");
	CU_ASSERT_PTR_NOT_NULL(strstr(mhv_stat_desc(MHV_STAT_USER_EXITS),
				      "handed to the program"));
	for (i = MHV_VM_CREATED; i <= MHV_VM_ERROR; i++)
		CU_ASSERT(strlen(mhv_vm_state_desc(i)) > 10);
	CU_ASSERT_PTR_NOT_NULL(strstr(mhv_vm_state_desc(MHV_VM_PAUSED), "HLT"));
	CU_ASSERT_STRING_EQUAL(mhv_vm_state_desc(MHV_VM_ERROR + 1), "");
}

/* Size of the mapping of this process that starts at @p, 0 if none. */
static unsigned long mapping_size(const void *p)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long start, end, size = 0;
	char line[512];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &start, &end) == 2 &&
		    start == (unsigned long)p) {
			size = end - start;
			break;
		}
	fclose(f);
	return size;
}

/* Bytes of [@p, @p + @len) that some mapping of this process covers. */
static unsigned long mapped_bytes(const void *p, unsigned long len)
{
	unsigned long a = (unsigned long)p, b = a + len, start, end, n = 0;
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	if (!f)
		return len;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &start, &end) == 2 &&
		    start < b && end > a)
			n += (end < b ? end : b) - (start > a ? start : a);
	fclose(f);
	return n;
}

/*
 * mhv_map_run() maps what MHV_GET_RUN_SIZE says, not a page of 4096
 * bytes: a run size of three pages (from the fake device) is mapped and
 * unmapped whole. /dev/zero stands for the vCPU fd.
 */
static void test_run_size_from_api(void)
{
	struct mhv_run *run = NULL;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	int zero = open("/dev/zero", O_RDWR | O_CLOEXEC);

	CU_ASSERT_FATAL(fd >= 0 && zero >= 0);
	fake_dev_attach(fd);
	fake_dev.run_size = 3 * 4096;
	CU_ASSERT_EQUAL(mhv_get_run_size(fd), 3 * 4096);
	CU_ASSERT_EQUAL_FATAL(mhv_map_run(zero, &run), 0);
	CU_ASSERT_EQUAL(mapping_size(run), 3 * 4096);
	CU_ASSERT_EQUAL(mhv_unmap_run(run), 0);
	CU_ASSERT_EQUAL(mapped_bytes(run, 3 * 4096), 0);

	fake_dev.run_size = 4096;	/* as the module says */
	CU_ASSERT_EQUAL(mhv_get_run_size(fd), 4096);
	CU_ASSERT_EQUAL_FATAL(mhv_map_run(zero, &run), 0);
	CU_ASSERT_EQUAL(mapping_size(run), 4096);
	CU_ASSERT_EQUAL(mhv_unmap_run(run), 0);
	CU_ASSERT_EQUAL(mapped_bytes(run, 4096), 0);
	fake_dev_detach();
	close(fd);
	close(zero);
}

int register_vcpu_tests(void)
{
	ADD_SUITE("vcpu",
		  { "run_size_from_api", test_run_size_from_api },
		  { "real_mode", test_real_mode },
		  { "create_vm_hint", test_create_vm_hint },
		  { "descriptions", test_descriptions });
}
