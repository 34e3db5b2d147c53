// SPDX-License-Identifier: GPL-2.0
/*
 * Nested paging: memory is mapped on demand, exactly one nested page
 * fault per page first touched; MHV_TRANSLATE reports the real mapping.
 */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define AREA		0x2000000ULL	/* 32 MiB: untouched by the loader */
#define AREA2		0x3000000ULL
#define NPAGES		64

static void touch(uint64_t base)
{
	int i;

	for (i = 0; i < NPAGES; i++)
		*(volatile uint64_t *)(base + i * 4096ULL) = 0xab00 + i;
}

static void guest_touch(uint64_t arg)
{
	GUEST_SYNC(0);
	touch(AREA);
	GUEST_SYNC(1);
	touch(AREA);
	GUEST_SYNC(2);
	touch(AREA2);
	GUEST_SYNC(3);
	GUEST_DONE();
}

static uint64_t npf_count(struct mhv_guest *g)
{
	struct mhv_vm_info info;

	if (ioctl(g->vm_fd, MHV_GET_VM_INFO, &info))
		return ~0ULL;
	return info.npf_count;
}

TEST(touch_n_pages_gives_n_faults)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_vm_info info;
	uint64_t n[4];
	int i;

	ASSERT_EQ(0, mhv_guest_create(&g, "npf", 1, 64, guest_touch, 0));
	for (i = 0; i < 4; i++) {
		EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
		ASSERT_EQ((uint64_t)i, uc.args[0]);
		n[i] = npf_count(&g);
	}
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_GE(n[1] - n[0], NPAGES);		/* plus code of touch() */
	EXPECT_EQ(0, n[2] - n[1]) TH_LOG("touching again must not fault");
	EXPECT_EQ(NPAGES, n[3] - n[2]);
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_GET_VM_INFO, &info));
	EXPECT_EQ(info.npf_count * 4096, info.memory_used);
	EXPECT_EQ(64ULL << 20, info.memory_allocated);
	mhv_guest_destroy(&g);
}

/*
 * vCPU 0 touches AREA's pages, then vCPU 1 AREA2's and the first half of
 * AREA's again: each fault is counted on the vCPU that took it, the VM's
 * count is their sum, and pages another vCPU mapped do not fault.
 */
static void guest_touch_vcpu(uint64_t i)
{
	GUEST_SYNC(0);
	if (i == 0) {
		touch(AREA);
	} else {
		touch(AREA2);
		for (i = 0; i < NPAGES / 2; i++)
			*(volatile uint64_t *)(AREA + i * 4096ULL) = 0xcd00 + i;
	}
	GUEST_SYNC(1);
	GUEST_DONE();
}

static uint64_t vcpu_npf(struct mhv_guest *g, unsigned int i)
{
	struct mhv_vcpu_stats st;

	if (mhv_get_vcpu_stats(g->vcpu[i].fd, &st))
		return ~0ULL;
	return st.counters[MHV_STAT_NPF];
}

TEST(faults_counted_per_vcpu)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint64_t v0[2], v1[2], vm[2];
	unsigned int i;

	ASSERT_EQ(0, mhv_guest_create(&g, "npf2", 2, 64, guest_touch_vcpu, 0));
	ASSERT_EQ(0, mhv_guest_set_entry(&g, 1, guest_touch_vcpu, 1));
	for (i = 0; i < 2; i++) {
		EXPECT_UCALL(&g, i, &uc, MHV_UCALL_SYNC);
		ASSERT_EQ(0, uc.args[0]);
	}
	v0[0] = vcpu_npf(&g, 0);
	v1[0] = vcpu_npf(&g, 1);
	vm[0] = npf_count(&g);
	EXPECT_EQ(v0[0] + v1[0], vm[0]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_UCALL(&g, 1, &uc, MHV_UCALL_SYNC);
	v0[1] = vcpu_npf(&g, 0);
	v1[1] = vcpu_npf(&g, 1);
	vm[1] = npf_count(&g);
	/* vCPU 0: its pages, plus the code of touch() the first time */
	EXPECT_GE(v0[1] - v0[0], NPAGES);
	EXPECT_LE(v0[1] - v0[0], NPAGES + 2);
	/* vCPU 1: AREA2 only; touch() and AREA are mapped already */
	EXPECT_EQ(NPAGES, v1[1] - v1[0]);
	EXPECT_EQ((v0[1] - v0[0]) + (v1[1] - v1[0]), vm[1] - vm[0]);
	EXPECT_EQ(v0[1] + v1[1], vm[1]);
	for (i = 0; i < 2; i++)
		EXPECT_UCALL(&g, i, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/* Host-physical frame behind one of our own virtual pages. */
static uint64_t host_pfn(void *va)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, 8, ((uintptr_t)va / 4096) * 8) != 8)
		e = 0;
	close(fd);
	return (e & (1ULL << 63)) ? e & ((1ULL << 55) - 1) : 0;
}

TEST(translate_matches_guest_writes)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_translate tr;
	int i;

	ASSERT_EQ(0, mhv_guest_create(&g, "translate", 1, 64, guest_touch, 0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);

	memset(&tr, 0, sizeof(tr));
	tr.gpa = AREA + 8;
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_TRANSLATE, &tr));
	EXPECT_EQ(0, tr.page_size) TH_LOG("not touched yet: not mapped");
	EXPECT_EQ(0, tr.slot);

	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	for (i = 0; i < NPAGES; i += 7) {
		uint64_t gpa = AREA + i * 4096ULL;
		uint64_t *host = mhv_guest_ptr(&g, gpa);

		EXPECT_EQ(0xab00 + i, *host);
		memset(&tr, 0, sizeof(tr));
		tr.gpa = gpa + 0x18;
		ASSERT_EQ(0, ioctl(g.vm_fd, MHV_TRANSLATE, &tr));
		EXPECT_EQ(4096, tr.page_size);
		EXPECT_EQ(1, tr.level);
		EXPECT_EQ(0, tr.slot);
		EXPECT_EQ(0x18, tr.hpa & 0xfff);
		/* NPT entries are x86 PTEs with U/S set; EPT has no U/S */
		EXPECT_EQ(MHV_PROT_READ | MHV_PROT_WRITE | MHV_PROT_EXEC |
			  (cpuinfo_has_flag("svm") ? MHV_PROT_USER : 0),
			  tr.prot);
		EXPECT_EQ(host_pfn(host), tr.hpa >> 12)
			TH_LOG("gpa 0x%lx", (unsigned long)gpa);
	}
	memset(&tr, 0, sizeof(tr));
	tr.gpa = 0xc0000000ULL;		/* no slot */
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_TRANSLATE, &tr));
	EXPECT_EQ(0, tr.page_size);
	EXPECT_EQ(~0U, tr.slot);
	tr.reserved[0] = 1;
	EXPECT_EQ(-1, ioctl(g.vm_fd, MHV_TRANSLATE, &tr));
	EXPECT_EQ(EINVAL, errno);
	tr.reserved[0] = 0;
	tr.gpa = 1ULL << 60;
	EXPECT_EQ(-1, ioctl(g.vm_fd, MHV_TRANSLATE, &tr));
	EXPECT_EQ(EINVAL, errno);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
