// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU features real AMD hardware has and the QEMU lane does not:
 * NRIP save, decode assists, VMCB clean bits, flush-by-ASID. Each is
 * used when MHV_GET_CAPS says the CPU offers it and its module parameter
 * (nrips, decode_assists, vmcb_clean, flush_by_asid) is "auto", and
 * never otherwise; decode_assists=emulate makes the module supply the
 * instruction bytes of nested page faults itself. The counters of a
 * guest's exits (MHV_STAT_SKIP_NRIP .. MHV_STAT_FLUSH_ASID) must show
 * exactly the path that matches: on QEMU the fallbacks, on a CPU with
 * the features (the Bochs SVM lane, hardware) the hardware paths. On
 * VT-x the CPU gives every exit's length: skips are all NRIP skips.
 *
 * The module is reloaded with every feature off (and decode assists
 * emulated) and the same checks run again; it is left loaded with the
 * defaults.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "test_util.h"

#define MMIO		0x40000000ULL	/* no slot: MMIO */
#define N		8		/* of each exit */

static void guest_paths(uint64_t arg)
{
	uint32_t a, b, c, d, i;
	uint64_t sum = 0, cr4;

	for (i = 0; i < N; i++)
		__cpuid_count(0, 0, a, b, c, d);
	for (i = 0; i < N; i++)
		sum += *(volatile uint32_t *)(MMIO + 4 * i);
	GUEST_SYNC(sum);
	for (i = 0; i < N; i++) {
		__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
		__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
	}
	GUEST_DONE();
}

/* A module parameter: "auto", "off", "emulate"; "" if unreadable. */
static void param(const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/module/multios_hv/parameters/%s",
		 name);
	buf[0] = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
}

/* Which paths the module should take, from caps and the parameters. */
struct paths {
	bool svm, nrips, decode, emulate, clean, flush;
};

static bool feature_on(const struct mhv_caps *caps, uint64_t cap,
		       const char *name)
{
	char mode[16];

	param(name, mode, sizeof(mode));
	return (caps->flags & cap) && !strcmp(mode, "auto");
}

static void expected_paths(struct __test_metadata *_metadata, struct paths *p)
{
	struct mhv_caps caps;
	char mode[16];
	int fd = mhv_open_system();

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, mhv_get_caps(fd, &caps));
	close(fd);
	memset(p, 0, sizeof(*p));
	p->svm = caps.flags & MHV_CAP_SVM;
	if (!p->svm) {
		p->nrips = true;	/* VT-x: the exit instruction length */
		return;
	}
	param("decode_assists", mode, sizeof(mode));
	p->emulate = !strcmp(mode, "emulate");
	p->nrips = feature_on(&caps, MHV_CAP_NRIPS, "nrips");
	p->decode = feature_on(&caps, MHV_CAP_DECODE_ASSISTS, "decode_assists");
	p->clean = feature_on(&caps, MHV_CAP_VMCB_CLEAN, "vmcb_clean");
	p->flush = feature_on(&caps, MHV_CAP_FLUSH_BY_ASID, "flush_by_asid");
	TH_LOG("caps 0x%llx: nrips %d decode %d emulate %d clean %d flush %d",
	       (unsigned long long)caps.flags, p->nrips, p->decode, p->emulate,
	       p->clean, p->flush);
}

static void check_paths(struct __test_metadata *_metadata)
{
	const __u64 *ctr;
	struct mhv_vcpu_stats st;
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct paths p;
	/* MOV CR4 described by the CPU: decode assists and NRIP save */
	bool cr_hw;
	uint64_t i, nr_ucalls = 2, sum = 0, decoded, assisted;

	expected_paths(_metadata, &p);
	cr_hw = p.decode && p.nrips;
	ASSERT_EQ(0, mhv_guest_create(&g, "svm-features", 1, 64,
				      guest_paths, 0));
	for (i = 0; i < N; i++) {
		EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_MMIO);
		ASSERT_EQ(MMIO + 4 * i, g.vcpu[0].run->mmio.phys_addr);
		ASSERT_FALSE(g.vcpu[0].run->mmio.is_write);
		memcpy(g.vcpu[0].run->mmio.data, &(uint32_t){ i + 1 }, 4);
		sum += i + 1;
	}
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(sum, uc.args[0]);	/* the reads landed, right length */
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(0, mhv_get_vcpu_stats(g.vcpu[0].fd, &st));
	ctr = st.counters;

	/* CPUID: NRIP or known length; MMIO: decoded; MOV CR4: by the CPU
	 * or decoded (SVM; VT-x does not exit on a CR4 write of the same
	 * value); the ucalls' port I/O: EXITINFO2 / exit length
	 */
	decoded = N + (p.nrips ? 0 : N) + (p.svm && !cr_hw ? N : 0);
	EXPECT_EQ(decoded, ctr[MHV_STAT_SKIP_DECODE]);
	EXPECT_EQ((p.nrips ? N : 0) + (cr_hw ? N : 0) + nr_ucalls,
		  ctr[MHV_STAT_SKIP_NRIP]);
	assisted = (p.decode || p.emulate ? N : 0) + (cr_hw ? N : 0);
	EXPECT_EQ(assisted, ctr[MHV_STAT_INSN_ASSIST]);
	if (p.clean) {
		EXPECT_LT(0, ctr[MHV_STAT_VMRUN_CLEAN]);
	} else {
		EXPECT_EQ(0, ctr[MHV_STAT_VMRUN_CLEAN]);
	}
	/* a CR4 write flushes the TLB: of the ASID, or by a new ASID */
	if (p.flush) {
		EXPECT_LT(0, ctr[MHV_STAT_FLUSH_ASID]);
	} else {
		EXPECT_EQ(0, ctr[MHV_STAT_FLUSH_ASID]);
	}
	mhv_guest_destroy(&g);
}

/*
 * State set between runs reaches the guest: with clean bits, only if
 * the module marks what it wrote dirty (GDTR: DT, CR0: CR, CR2: CR2,
 * the TSC offset: intercepts), and RFLAGS (VT-x: GUEST_RFLAGS is
 * written only when it changed). RDTSC, PUSHF and the reads of CR0, CR2
 * and GDTR do not exit: the guest sees what the CPU loaded.
 */
static void guest_state(uint64_t arg)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) gdt;
	uint64_t cr0, cr2, tsc, rflags;
	uint32_t lo, hi;
	int i;

	for (i = 0; i < 3; i++) {
		__asm__ volatile("sgdt %0" : "=m"(gdt));
		__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
		__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
		tsc = (uint64_t)hi << 32 | lo;
		GUEST_SYNC2(gdt.limit, cr0);
		GUEST_SYNC2(cr2, tsc);
		__asm__ volatile("pushfq; popq %0" : "=r"(rflags));
		GUEST_SYNC(rflags);
	}
	GUEST_DONE();
}

static void check_state_changes(struct __test_metadata *_metadata)
{
	struct mhv_vcpu_stats st;
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_msrs tsc = { .nmsrs = 1 };
	struct mhv_sregs s;
	struct mhv_regs r;
	struct paths p;
	int i;

	tsc.entries[0].index = 0x10;		/* IA32_TSC */

	expected_paths(_metadata, &p);
	ASSERT_EQ(0, mhv_guest_create(&g, "svm-clean", 1, 64, guest_state, 0));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_get_sregs(g.vcpu[0].fd, &s));
	EXPECT_EQ(s.gdt.limit, uc.args[0]);
	EXPECT_EQ(s.cr0, uc.args[1]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(s.cr2, uc.args[0]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	for (i = 1; i < 3; i++) {
		/* RFLAGS.ID, harmless: VT-x writes GUEST_RFLAGS only if changed */
		ASSERT_EQ(0, mhv_get_regs(g.vcpu[0].fd, &r));
		r.rflags ^= 1ULL << 21;
		ASSERT_EQ(0, mhv_set_regs(g.vcpu[0].fd, &r));
		ASSERT_EQ(0, mhv_get_sregs(g.vcpu[0].fd, &s));
		s.gdt.limit += 8;
		s.cr0 ^= 2;			/* CR0.MP */
		s.cr2 = 0x1000ULL * (i + 0x100);
		ASSERT_EQ(0, mhv_set_sregs(g.vcpu[0].fd, &s));
		tsc.entries[0].data = (uint64_t)i << 56;	/* far ahead */
		ASSERT_EQ(1, mhv_set_msrs(g.vcpu[0].fd, &tsc));
		EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
		EXPECT_EQ(s.gdt.limit, uc.args[0]) TH_LOG("run %d", i);
		EXPECT_EQ(s.cr0, uc.args[1]) TH_LOG("run %d", i);
		EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
		EXPECT_EQ(s.cr2, uc.args[0]) TH_LOG("run %d", i);
		/* the new TSC, not yet by another 2^56 cycles */
		EXPECT_EQ(i, uc.args[1] >> 56) TH_LOG("run %d", i);
		EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
		/* only ID: the arithmetic flags change on the way */
		EXPECT_EQ(r.rflags & 1ULL << 21, uc.args[0] & 1ULL << 21)
			TH_LOG("run %d", i);
	}
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(0, mhv_get_vcpu_stats(g.vcpu[0].fd, &st));
	if (p.clean) {
		EXPECT_LT(0, st.counters[MHV_STAT_VMRUN_CLEAN]);
	} else {
		EXPECT_EQ(0, st.counters[MHV_STAT_VMRUN_CLEAN]);
	}
	mhv_guest_destroy(&g);
}

static int reload_module(const char *params)
{
	if (syscall(SYS_delete_module, "multios_hv", O_NONBLOCK))
		return -errno;
	return mhv_load_module(params);
}

TEST(paths_match_caps)
{
	check_paths(_metadata);
}

TEST(state_set_between_runs_takes_effect)
{
	check_state_changes(_metadata);
}

TEST(paths_with_features_switched_off)
{
	char mode[16];

	param("nrips", mode, sizeof(mode));
	ASSERT_STREQ("auto", mode);
	ASSERT_EQ(0, reload_module("nrips=off decode_assists=emulate vmcb_clean=off flush_by_asid=off"));
	param("nrips", mode, sizeof(mode));
	EXPECT_STREQ("off", mode);
	param("decode_assists", mode, sizeof(mode));
	EXPECT_STREQ("emulate", mode);
	check_paths(_metadata);
	check_state_changes(_metadata);
	/* only decode assists can be emulated; no unknown words */
	EXPECT_EQ(-EINVAL, reload_module("nrips=emulate"));
	EXPECT_EQ(-EINVAL, mhv_load_module("vmcb_clean=on"));
	ASSERT_EQ(0, mhv_load_module(""));
	param("decode_assists", mode, sizeof(mode));
	EXPECT_STREQ("auto", mode);
}

TEST_HARNESS_MAIN
