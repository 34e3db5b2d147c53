// SPDX-License-Identifier: GPL-2.0
/*
 * The flight recorder: the exits before a triple fault, in order and at
 * the guest's own RIPs; frozen once the VM is in ERROR, also for another
 * vCPU that goes on exiting after the crash.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define PORT	0x80

extern char fr_cpuid1[], fr_cpuid2[], fr_out[], fr_rdmsr[];

static void guest_crash(uint64_t arg)
{
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idt = { 0, 0 };

	__asm__ volatile(".global fr_cpuid1\nfr_cpuid1: cpuid\n"
			 ".global fr_cpuid2\nfr_cpuid2: cpuid"
			 : : "a"(0), "c"(0) : "rbx", "rdx");
	__asm__ volatile(".global fr_out\nfr_out: outb %b0, %w1"
			 : : "a"(0x42), "d"(PORT));
	__asm__ volatile(".global fr_rdmsr\nfr_rdmsr: rdmsr"
			 : : "c"(0x1b) : "rax", "rdx");
	/* an empty IDT, then #UD -> #DF -> shutdown */
	__asm__ volatile("lidt %0\n\tud2" : : "m"(idt));
	GUEST_DONE();
}

/* Host interrupts and page faults come at any time: leave them out. */
static unsigned int significant(const struct mhv_flight_recorder *fr,
				const struct mhv_flight_entry **out,
				unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < fr->nr; i++) {
		uint32_t t = fr->entries[i].type;

		if (t == MHV_X_INTR || t == MHV_X_NMI || t == MHV_X_NPF)
			continue;
		if (n < max)
			out[n] = &fr->entries[i];
		n++;
	}
	return n < max ? n : max;
}

TEST(holds_the_exits_before_a_triple_fault)
{
	struct mhv_flight_recorder fr, again;
	const struct mhv_flight_entry *e[MHV_FLIGHT_ENTRIES], **last;
	struct mhv_stats_reader vr;
	struct mhv_guest g;
	struct mhv_ucall uc;
	unsigned int n, i;
	int vfd;

	ASSERT_EQ(0, mhv_guest_create(&g, "flight", 1, 64, guest_crash, 0));
	vfd = mhv_get_vcpu_stats_fd(g.vcpu[0].fd);
	ASSERT_LE(0, vfd);
	EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_IO);
	EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_SHUTDOWN);

	ASSERT_EQ(0, mhv_get_flight_recorder(g.vcpu[0].fd, &fr));
	EXPECT_TRUE(fr.flags & MHV_FLIGHT_F_FROZEN);
	EXPECT_EQ(MHV_ERR_TRIPLE_FAULT, fr.error);
	EXPECT_EQ(0, fr.vcpu_id);
	EXPECT_STREQ("flight", fr.vm_name);
	ASSERT_EQ(0, mhv_stats_open(&vr, vfd));
	/* every exit of this short life is in the ring */
	EXPECT_EQ(mhv_stats_value(&vr, "exits"), fr.total);
	EXPECT_EQ(fr.total < MHV_FLIGHT_ENTRIES ? fr.total : MHV_FLIGHT_ENTRIES,
		  fr.nr);
	for (i = 1; i < fr.nr; i++) {
		EXPECT_LE(fr.entries[i - 1].time_ns, fr.entries[i].time_ns);
	}

	n = significant(&fr, e, MHV_FLIGHT_ENTRIES);
	ASSERT_LE(5, n);
	last = &e[n - 5];
	EXPECT_EQ(MHV_X_CPUID, last[0]->type);
	EXPECT_EQ((uint64_t)fr_cpuid1, last[0]->rip);
	EXPECT_EQ(MHV_X_CPUID, last[1]->type);
	EXPECT_EQ((uint64_t)fr_cpuid2, last[1]->rip);
	EXPECT_EQ(MHV_X_IO, last[2]->type);
	EXPECT_EQ((uint64_t)fr_out, last[2]->rip);
	EXPECT_EQ(MHV_X_MSR_READ, last[3]->type);
	EXPECT_EQ((uint64_t)fr_rdmsr, last[3]->rip);
	EXPECT_EQ(MHV_X_SHUTDOWN, last[4]->type);

	/* frozen: a RUN refused, nothing added */
	EXPECT_EQ(-1, ioctl(g.vcpu[0].fd, MHV_RUN, 0));
	ASSERT_EQ(0, mhv_get_flight_recorder(g.vcpu[0].fd, &again));
	EXPECT_EQ(0, memcmp(&fr, &again, sizeof(fr)));
	mhv_stats_close(&vr);
	close(vfd);
	mhv_guest_destroy(&g);
}

/* ---- another vCPU goes on exiting after the crash -------------------- */

static volatile uint64_t spins;
static volatile uint64_t stop;

static void guest_spin(uint64_t arg)
{
	uint32_t a, b, c, d;

	while (!stop) {
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(0), "c"(0));
		spins++;
	}
	GUEST_DONE();
}

static void guest_die(uint64_t arg)
{
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idt = { 0, 0 };

	__asm__ volatile("lidt %0\n\tud2" : : "m"(idt));
	GUEST_DONE();
}

struct runner {
	struct mhv_guest *g;
	int ret;
	struct mhv_ucall uc;
};

static void *run_vcpu1(void *arg)
{
	struct runner *r = arg;

	r->ret = mhv_guest_run(r->g, 1, &r->uc);
	return NULL;
}

TEST(frozen_for_every_vcpu_after_error)
{
	struct mhv_flight_recorder fr;
	struct mhv_stats_reader vr;
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct runner rn;
	pthread_t t;
	uint64_t seen, after_crash, c0;
	int vfd;

	ASSERT_EQ(0, mhv_guest_create(&g, "flight2", 2, 64, guest_spin, 0));
	ASSERT_EQ(0, mhv_guest_set_entry(&g, 0, guest_die, 0));
	vfd = mhv_get_vcpu_stats_fd(g.vcpu[1].fd);
	ASSERT_LE(0, vfd);
	ASSERT_EQ(0, mhv_stats_open(&vr, vfd));

	rn = (struct runner){ .g = &g };
	ASSERT_EQ(0, pthread_create(&t, NULL, run_vcpu1, &rn));
	ASSERT_EQ(0, guest_wait_change(&g, &spins, 0, 20));
	EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_SHUTDOWN);
	/* vCPU 1 still exits after the crash: its counters grow */
	ASSERT_EQ(0, mhv_stats_refresh(&vr));
	after_crash = mhv_stats_value(&vr, "exits");
	c0 = mhv_stats_value(&vr, "exits_cpuid");
	while (mhv_stats_value(&vr, "exits_cpuid") < c0 + 50) {
		seen = *(volatile uint64_t *)mhv_guest_ptr(&g, (uintptr_t)&spins);
		ASSERT_EQ(0, guest_wait_change(&g, &spins, seen, 20));
		ASSERT_EQ(0, mhv_stats_refresh(&vr));
	}
	*(volatile uint64_t *)mhv_guest_ptr(&g, (uintptr_t)&stop) = 1;
	pthread_join(t, NULL);
	EXPECT_EQ(MHV_UCALL_DONE, rn.ret);

	ASSERT_EQ(0, mhv_get_flight_recorder(g.vcpu[1].fd, &fr));
	EXPECT_TRUE(fr.flags & MHV_FLIGHT_F_FROZEN);
	EXPECT_EQ(MHV_ERR_TRIPLE_FAULT, fr.error);
	/* nothing recorded after the crash */
	EXPECT_LE(fr.total, after_crash);
	ASSERT_EQ(0, mhv_stats_refresh(&vr));
	EXPECT_LT(fr.total + 50, mhv_stats_value(&vr, "exits"));
	ASSERT_EQ(0, mhv_get_flight_recorder(g.vcpu[0].fd, &fr));
	EXPECT_TRUE(fr.flags & MHV_FLIGHT_F_FROZEN);
	ASSERT_LT(0, fr.nr);
	EXPECT_EQ(MHV_X_SHUTDOWN, fr.entries[fr.nr - 1].type);
	mhv_stats_close(&vr);
	close(vfd);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
