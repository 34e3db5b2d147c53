// SPDX-License-Identifier: GPL-2.0
/*
 * SMP guests: the vCPU run states (MHV_GET/SET_MP_STATE), an AP in
 * wait-for-SIPI that does not run until a SIPI and then starts in real
 * mode at vector << 12, its wait ended by a signal or a stop, a SIPI
 * ignored by a running vCPU, the register state after INIT compared with
 * the SDM's table, four vCPUs of one VM on two host CPUs, each on its
 * own thread, meeting in guest memory, and mhv_guest_run_all() stopping
 * every vCPU when one ends the VM.
 * The INIT/SIPI/SIPI bring-up through the BSP's local APIC needs the PC
 * irqchip (MHV_VM_F_IRQCHIP) and is skipped without it.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define SIPI_VECTOR	0x08		/* the APs start at 0x8000 */
#define AP_CODE		((uint64_t)SIPI_VECTOR << 12)
#define AP_DATA		0x7000ULL	/* what the real-mode code writes */
#define AP_PORT		0x1235		/* its OUT: an I/O exit */
#define AP_MARK		0x1234
#define SPIN_MAX	200000000ULL	/* a bound, so a lost vCPU fails */

/*
 * 16-bit code run by a SIPI: CS, the IP of its fourth instruction (0xb
 * when it started at IP 0), a marker to AP_DATA; OUT to AP_PORT; HLT.
 */
static const unsigned char ap_code[] = {
	0xbc, 0x00, 0x7e,		/* 0x00 mov sp, 0x7e00 */
	0x8c, 0xc8,			/* 0x03 mov ax, cs */
	0xa3, 0x00, 0x70,		/* 0x05 mov [0x7000], ax */
	0xe8, 0x00, 0x00,		/* 0x08 call 0x0b */
	0x5b,				/* 0x0b pop bx */
	0x89, 0x1e, 0x02, 0x70,		/* 0x0c mov [0x7002], bx */
	0xc7, 0x06, 0x04, 0x70, 0x34, 0x12, /* 0x10 mov word [0x7004], 0x1234 */
	0xba, 0x35, 0x12,		/* 0x16 mov dx, 0x1235 */
	0xb0, 'S',			/* 0x19 mov al, 'S' */
	0xee,				/* 0x1b out dx, al */
	0xf4,				/* 0x1c hlt */
};
#define AP_OUT_IP	0x1b

static uint16_t ap_word(struct mhv_guest *g, unsigned int i)
{
	return ((volatile uint16_t *)mhv_guest_ptr(g, AP_DATA))[i];
}

/* The value of statistic @name of a vCPU now (its stats fd). */
static uint64_t stat_now(int vcpu_fd, const char *name)
{
	struct mhv_stats_reader r;
	int fd = mhv_get_vcpu_stats_fd(vcpu_fd);
	uint64_t v = ~0ULL;

	if (fd < 0)
		return v;
	if (!mhv_stats_open(&r, fd)) {
		v = mhv_stats_value(&r, name);
		mhv_stats_close(&r);
	}
	close(fd);
	return v;
}

static void guest_bsp(uint64_t arg)
{
	GUEST_SYNC(1);		/* the host sends this vCPU a SIPI here */
	GUEST_DONE();
}

struct vcpu_thread {
	struct mhv_guest *g;
	unsigned int i;
	int cpu;		/* host CPU to run on, -1: any */
	int ret;		/* of mhv_guest_run() */
	uint64_t arg0;		/* of the guest's last SYNC */
	int nr_syncs;
	int done;
};

static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* Run one vCPU until an exit other than a SYNC: DONE, an I/O, ... */
static void *vcpu_thread(void *arg)
{
	struct vcpu_thread *t = arg;
	struct mhv_ucall uc;

	pin(t->cpu);
	for (;;) {
		t->ret = mhv_guest_run(t->g, t->i, &uc);
		if (t->ret != MHV_UCALL_SYNC)
			break;
		t->arg0 = uc.args[0];
		t->nr_syncs++;
	}
	t->done = t->ret == MHV_UCALL_DONE;
	return NULL;
}

static int make_guest(struct mhv_guest *g, const char *name,
		      unsigned int nr_vcpus, void (*entry)(uint64_t))
{
	int r = mhv_guest_create(g, name, nr_vcpus, 64, entry, 0);

	if (!r)
		memcpy(g->mem + AP_CODE, ap_code, sizeof(ap_code));
	return r;
}

static int mp_state(int fd)
{
	uint32_t s = ~0U;

	return mhv_get_mp_state(fd, &s) ? -1 : (int)s;
}

TEST(mp_state_ioctls)
{
	struct mhv_mp_state mp = { 0 };
	struct mhv_guest g;
	int fd;

	ASSERT_EQ(0, make_guest(&g, "smp-mp", 1, guest_bsp));
	fd = g.vcpu[0].fd;
	/* no irqchip: vCPU 0 and any other start runnable */
	EXPECT_EQ(MHV_MP_STATE_RUNNABLE, mp_state(fd));
	EXPECT_EQ(0, mhv_set_mp_state(fd, MHV_MP_STATE_HALTED));
	EXPECT_EQ(MHV_MP_STATE_HALTED, mp_state(fd));
	EXPECT_EQ(0, mhv_set_mp_state(fd, MHV_MP_STATE_RUNNABLE));
	EXPECT_EQ(MHV_MP_STATE_RUNNABLE, mp_state(fd));
	/* the ABI: unknown state, reserved words, a vector where none goes */
	mp.state = 4;
	EXPECT_EQ(-1, ioctl(fd, MHV_SET_MP_STATE, &mp));
	EXPECT_EQ(EINVAL, errno);
	mp.state = MHV_MP_STATE_RUNNABLE;
	mp.reserved[1] = 1;
	EXPECT_EQ(-1, ioctl(fd, MHV_SET_MP_STATE, &mp));
	EXPECT_EQ(EINVAL, errno);
	mp.reserved[1] = 0;
	mp.sipi_vector = 1;
	EXPECT_EQ(-1, ioctl(fd, MHV_SET_MP_STATE, &mp));
	EXPECT_EQ(EINVAL, errno);
	mp.state = MHV_MP_STATE_SIPI_RECEIVED;
	mp.sipi_vector = 256;
	EXPECT_EQ(-1, ioctl(fd, MHV_SET_MP_STATE, &mp));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, MHV_SET_MP_STATE, NULL));
	EXPECT_EQ(EFAULT, errno);
	mhv_guest_destroy(&g);
}

/*
 * vCPU 1, put in wait-for-SIPI, sleeps in RUN without entering the guest
 * (its exit count stays 0) until the SIPI; then it runs ap_code from
 * CS = 0x0800 (base 0x8000), IP 0, in real mode. vCPU 0, running, ignores
 * a SIPI.
 */
TEST(ap_waits_for_sipi_then_starts_at_vector)
{
	struct vcpu_thread ap = { .i = 1, .cpu = -1 };
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_sregs s;
	pthread_t t;
	int fd;

	ASSERT_EQ(0, make_guest(&g, "smp-sipi", 2, guest_bsp));
	fd = g.vcpu[1].fd;
	ap.g = &g;
	ASSERT_EQ(0, mhv_set_mp_state(fd, MHV_MP_STATE_WAIT_SIPI));
	EXPECT_EQ(MHV_MP_STATE_WAIT_SIPI, mp_state(fd));
	ASSERT_EQ(0, pthread_create(&t, NULL, vcpu_thread, &ap));
	ASSERT_EQ(0, vcpu_stat_wait(fd, "wait_sipi", 1, 20));
	EXPECT_EQ(0, stat_now(fd, "exits"));
	EXPECT_EQ(0, ap_word(&g, 2));
	/* the BSP runs meanwhile, and a SIPI does not move it */
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_send_sipi(g.vcpu[0].fd, SIPI_VECTOR));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(0, ap_word(&g, 2));

	ASSERT_EQ(0, mhv_send_sipi(fd, SIPI_VECTOR));
	pthread_join(t, NULL);
	ASSERT_EQ(0, ap.ret);
	ASSERT_EQ(MHV_EXIT_IO, g.vcpu[1].run->exit_reason);
	EXPECT_EQ(AP_PORT, g.vcpu[1].run->io.port);
	EXPECT_EQ(AP_OUT_IP, g.vcpu[1].run->exit_rip);
	EXPECT_EQ(SIPI_VECTOR << 8, ap_word(&g, 0));	/* CS */
	EXPECT_EQ(0x0b, ap_word(&g, 1));		/* started at IP 0 */
	EXPECT_EQ(AP_MARK, ap_word(&g, 2));
	EXPECT_EQ(1, stat_now(fd, "wait_sipi"));
	ASSERT_EQ(0, mhv_get_sregs(fd, &s));
	EXPECT_EQ(SIPI_VECTOR << 8, s.cs.selector);
	EXPECT_EQ(AP_CODE, s.cs.base);
	EXPECT_EQ(0xffff, s.cs.limit);
	EXPECT_EQ(0, s.cr0 & 1);			/* real mode */
	EXPECT_EQ(MHV_MP_STATE_RUNNABLE, mp_state(fd));
	mhv_guest_destroy(&g);
}

static void on_sigusr1(int sig)
{
}

/*
 * A vCPU waiting for a SIPI: a signal ends its RUN with EINTR (it still
 * waits: the next RUN sleeps again), MHV_STOP_VM with MHV_EXIT_STOPPED;
 * it never entered the guest.
 */
TEST(wait_sipi_ends_on_signal_and_stop)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	struct vcpu_thread ap = { .i = 1, .cpu = -1 };
	struct mhv_guest g;
	pthread_t t;
	int fd;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));	/* no SA_RESTART */
	ASSERT_EQ(0, make_guest(&g, "smp-wait-stop", 2, guest_bsp));
	fd = g.vcpu[1].fd;
	ap.g = &g;
	ASSERT_EQ(0, mhv_set_mp_state(fd, MHV_MP_STATE_WAIT_SIPI));
	ASSERT_EQ(0, pthread_create(&t, NULL, vcpu_thread, &ap));
	ASSERT_EQ(0, vcpu_stat_wait(fd, "wait_sipi", 1, 20));
	ASSERT_EQ(0, pthread_kill(t, SIGUSR1));
	pthread_join(t, NULL);
	EXPECT_EQ(-EINTR, ap.ret);
	EXPECT_EQ(MHV_EXIT_INTR, g.vcpu[1].run->exit_reason);
	EXPECT_EQ(MHV_MP_STATE_WAIT_SIPI, mp_state(fd));

	ASSERT_EQ(0, pthread_create(&t, NULL, vcpu_thread, &ap));
	ASSERT_EQ(0, vcpu_stat_wait(fd, "wait_sipi", 2, 20));
	ASSERT_EQ(0, mhv_stop_vm(g.vm_fd, MHV_STOP_GRACEFUL));
	pthread_join(t, NULL);
	EXPECT_EQ(0, ap.ret);
	EXPECT_EQ(MHV_EXIT_STOPPED, g.vcpu[1].run->exit_reason);
	EXPECT_EQ(0, stat_now(fd, "exits"));
	signal(SIGUSR1, SIG_DFL);
	mhv_guest_destroy(&g);
}

/* A real-mode segment as SDM vol. 3 table 10-1 gives it after INIT. */
static void expect_seg(struct __test_metadata *_metadata,
		       const struct mhv_segment *sg, uint16_t sel,
		       uint64_t base, uint8_t type)
{
	EXPECT_EQ(sel, sg->selector);
	EXPECT_EQ(base, sg->base);
	EXPECT_EQ(0xffff, sg->limit);
	EXPECT_EQ(type, sg->type);
	EXPECT_EQ(1, sg->present);
}

#define MSR_SYSENTER_CS		0x174
#define CR0_CD			(1ULL << 30)

static uint64_t get_msr(int fd, uint32_t index)
{
	struct mhv_msrs m = { .nmsrs = 1 };

	m.entries[0].index = index;
	return mhv_get_msrs(fd, &m) == 1 ? m.entries[0].data : ~0ULL;
}

static int set_msr(int fd, uint32_t index, uint64_t data)
{
	struct mhv_msrs m = { .nmsrs = 1 };

	m.entries[0].index = index;
	m.entries[0].data = data;
	return mhv_set_msrs(fd, &m) == 1 ? 0 : -EIO;
}

/*
 * After INIT (SDM vol. 3 table 10-1, "IA-32 Processor States Following
 * Power-up, Reset, or INIT", INIT column): EFLAGS 2, EIP 0xfff0, CS
 * F000 base FFFF0000 limit FFFF, the other segments 0 base 0 limit FFFF,
 * GDTR/IDTR base 0 limit FFFF, CR0 0x10 with CD and NW as they were,
 * CR2-CR4 0, general registers 0; MSRs unchanged (here SYSENTER_CS),
 * EFER 0 (as KVM). The vCPU was in 64-bit mode with all of these set.
 */
TEST(init_state_per_sdm)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_sregs s;
	struct mhv_regs r;
	int fd;

	ASSERT_EQ(0, make_guest(&g, "smp-init", 1, guest_bsp));
	fd = g.vcpu[0].fd;
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_get_sregs(fd, &s));
	ASSERT_NE(0, s.cr3);
	s.cr0 |= CR0_CD;
	ASSERT_EQ(0, mhv_set_sregs(fd, &s));
	ASSERT_EQ(0, set_msr(fd, MSR_SYSENTER_CS, 0x10));

	ASSERT_EQ(0, mhv_set_mp_state(fd, MHV_MP_STATE_WAIT_SIPI));
	EXPECT_EQ(MHV_MP_STATE_WAIT_SIPI, mp_state(fd));
	ASSERT_EQ(0, mhv_get_regs(fd, &r));
	EXPECT_EQ(0xfff0, r.rip);
	EXPECT_EQ(2, r.rflags);
	EXPECT_EQ(0, r.rax | r.rbx | r.rcx | r.rdx | r.rsi | r.rdi | r.rsp |
		     r.rbp | r.r8 | r.r9 | r.r10 | r.r11 | r.r12 | r.r13 |
		     r.r14 | r.r15);
	ASSERT_EQ(0, mhv_get_sregs(fd, &s));
	expect_seg(_metadata, &s.cs, 0xf000, 0xffff0000ULL, 0xb);
	expect_seg(_metadata, &s.ds, 0, 0, 3);
	expect_seg(_metadata, &s.es, 0, 0, 3);
	expect_seg(_metadata, &s.fs, 0, 0, 3);
	expect_seg(_metadata, &s.gs, 0, 0, 3);
	expect_seg(_metadata, &s.ss, 0, 0, 3);
	EXPECT_EQ(0, s.gdt.base);
	EXPECT_EQ(0xffff, s.gdt.limit);
	EXPECT_EQ(0, s.idt.base);
	EXPECT_EQ(0xffff, s.idt.limit);
	EXPECT_EQ(0, s.ldt.selector);
	EXPECT_EQ(0xffff, s.ldt.limit);
	EXPECT_EQ(0, s.tr.selector);
	EXPECT_EQ(0xffff, s.tr.limit);
	EXPECT_EQ(0x10 | CR0_CD, s.cr0);
	EXPECT_EQ(0, s.cr2);
	EXPECT_EQ(0, s.cr3);
	EXPECT_EQ(0, s.cr4);
	EXPECT_EQ(0, s.cr8);
	EXPECT_EQ(0, s.efer);
	EXPECT_EQ(0x10, get_msr(fd, MSR_SYSENTER_CS));

	/* a SIPI now: applied by the vCPU's thread, seen at the next look */
	ASSERT_EQ(0, mhv_send_sipi(fd, SIPI_VECTOR));
	EXPECT_EQ(MHV_MP_STATE_RUNNABLE, mp_state(fd));
	ASSERT_EQ(0, mhv_get_sregs(fd, &s));
	expect_seg(_metadata, &s.cs, SIPI_VECTOR << 8, AP_CODE, 0xb);
	ASSERT_EQ(0, mhv_get_regs(fd, &r));
	EXPECT_EQ(0, r.rip);
	EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_IO);
	EXPECT_EQ(AP_MARK, ap_word(&g, 2));
	mhv_guest_destroy(&g);
}

#define NR_VCPUS	4

static volatile uint64_t arrived, seen[NR_VCPUS];

/* Every vCPU counts itself in and waits for all: they run together. */
static void guest_rendezvous(uint64_t id)
{
	uint64_t i;

	__atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < SPIN_MAX && arrived < NR_VCPUS; i++)
		__asm__ volatile("pause" ::: "memory");
	GUEST_ASSERT_EQ(arrived, NR_VCPUS);
	seen[id] = id + 1;
	GUEST_SYNC(id);
	GUEST_DONE();
}

/*
 * Four vCPUs of one VM, each on its own thread, the threads pinned two
 * by two on host CPUs 0 and 1: all four are inside the guest at the same
 * time (the rendezvous needs it) and each finishes its own code.
 */
TEST(four_vcpus_on_two_cpus)
{
	struct vcpu_thread vt[NR_VCPUS];
	pthread_t t[NR_VCPUS];
	struct mhv_guest g;
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int i;

	ASSERT_EQ(0, make_guest(&g, "smp-four", NR_VCPUS, guest_rendezvous));
	for (i = 0; i < NR_VCPUS; i++) {
		ASSERT_EQ(0, mhv_guest_set_entry(&g, i, guest_rendezvous, i));
		vt[i] = (struct vcpu_thread){ .g = &g, .i = i,
					      .cpu = ncpu >= 2 ? (int)i % 2 : -1 };
	}
	for (i = 0; i < NR_VCPUS; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, vcpu_thread, &vt[i]));
	for (i = 0; i < NR_VCPUS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < NR_VCPUS; i++) {
		EXPECT_EQ(1, vt[i].done);
		EXPECT_EQ(1, vt[i].nr_syncs);
		EXPECT_EQ(i, vt[i].arg0);
		EXPECT_EQ(i + 1, *(volatile uint64_t *)mhv_guest_ptr(&g,
			  (uintptr_t)&seen[i]));
	}
	mhv_guest_destroy(&g);
}

static volatile uint64_t spinning;

/*
 * vCPU 0 ends once the others spin in the guest, which they would do
 * for good (a HLT with IF=0 goes to userspace and they run on).
 */
static void guest_end_or_spin(uint64_t id)
{
	uint64_t i;

	if (id) {
		__atomic_fetch_add(&spinning, 1, __ATOMIC_SEQ_CST);
		for (;;)
			__asm__ volatile("cli; hlt" ::: "memory");
	}
	for (i = 0; i < SPIN_MAX && spinning < NR_VCPUS - 1; i++)
		__asm__ volatile("pause" ::: "memory");
	GUEST_ASSERT_EQ(spinning, NR_VCPUS - 1);
	GUEST_DONE();
}

struct end_log {
	int exits[NR_VCPUS];	/* returns of RUN each vCPU's thread saw */
	int stopped[NR_VCPUS];	/* ... of which MHV_EXIT_STOPPED */
};

/* Run on through HLT exits; vCPU 0's DONE ends the VM (value 100). */
static int end_on_done(void *arg, struct mhv_guest *g, unsigned int i,
		       int r, const struct mhv_ucall *uc)
{
	struct end_log *log = arg;

	log->exits[i]++;
	if (r == MHV_UCALL_DONE)
		return 100 + i;
	if (r)
		return -1000 - r;	/* an assertion, an error: ends too */
	if (g->vcpu[i].run->exit_reason == MHV_EXIT_STOPPED)
		log->stopped[i]++;
	return 0;
}

/*
 * mhv_guest_run_all(): one thread per vCPU; vCPU 0's DONE stops the VM
 * for the three others, which never end on their own, and its value is
 * the result; the others' threads hand no STOPPED exit to the callback
 * (the VM had ended), vCPU 0's thread made exactly one call, and the VM
 * is stopped.
 */
TEST(run_all_stops_every_vcpu_when_one_ends)
{
	struct end_log log = { 0 };
	struct mhv_vm_info info;
	struct mhv_guest g;
	unsigned int i;

	ASSERT_EQ(0, make_guest(&g, "smp-run-all", NR_VCPUS,
				guest_end_or_spin));
	for (i = 0; i < NR_VCPUS; i++)
		ASSERT_EQ(0, mhv_guest_set_entry(&g, i, guest_end_or_spin, i));
	EXPECT_EQ(100, mhv_guest_run_all(&g, end_on_done, &log));
	EXPECT_EQ(1, log.exits[0]);
	for (i = 1; i < NR_VCPUS; i++)
		EXPECT_EQ(0, log.stopped[i]);
	ASSERT_EQ(0, mhv_get_vm_info(g.vm_fd, &info));
	EXPECT_EQ(MHV_VM_STOPPED, info.state);
	EXPECT_EQ(NR_VCPUS - 1, *(volatile uint64_t *)mhv_guest_ptr(&g,
			(uintptr_t)&spinning));
	mhv_guest_destroy(&g);
}

/* ---- bring-up through the local APIC (needs MHV_VM_F_IRQCHIP) ---------- */

#define APIC_ICR_LOW		0xfee00300ULL
#define ICR_INIT_ALL_BUT_SELF	0x000c4500U	/* INIT, assert, shorthand */
#define ICR_SIPI_ALL_BUT_SELF	0x000c4600U	/* | vector */
#define AP_COUNT		0x7006ULL

/* 16-bit code: count this AP in, then halt for good. */
static const unsigned char ap_count_code[] = {
	0xf0, 0xff, 0x06, 0x06, 0x70,	/* lock inc word [0x7006] */
	0xfa,				/* cli */
	0xf4,				/* hlt */
	0xeb, 0xfd,			/* jmp to hlt */
};

static void icr(uint32_t v)
{
	*(volatile uint32_t *)APIC_ICR_LOW = v;
}

/* The BSP: INIT, SIPI, SIPI to all others (MP spec), wait for them. */
static void guest_bringup(uint64_t n_aps)
{
	volatile uint16_t *count = (volatile uint16_t *)AP_COUNT;
	uint64_t i;

	icr(ICR_INIT_ALL_BUT_SELF);
	icr(ICR_SIPI_ALL_BUT_SELF | SIPI_VECTOR);
	icr(ICR_SIPI_ALL_BUT_SELF | SIPI_VECTOR);
	for (i = 0; i < SPIN_MAX && *count < n_aps; i++)
		__asm__ volatile("pause" ::: "memory");
	GUEST_ASSERT_EQ(*count, n_aps);
	GUEST_DONE();
}

TEST(bringup_of_four_through_the_lapic)
{
	struct mhv_vm_config c = { .name = "smp-bringup",
				   .vcpu_count = NR_VCPUS, .memory_mb = 128,
				   .arch = MHV_ARCH_X86_64,
				   .features = MHV_VM_F_IRQCHIP };
	struct vcpu_thread vt[NR_VCPUS];
	pthread_t t[NR_VCPUS];
	struct mhv_guest g;
	struct mhv_ucall uc;
	unsigned int i;
	int r;

	r = mhv_guest_create_config(&g, &c, 64, guest_bringup, NR_VCPUS - 1);
	if (r == -EINVAL)
		SKIP(return, "no MHV_VM_F_IRQCHIP in this module");
	ASSERT_EQ(0, r);
	memcpy(g.mem + AP_CODE, ap_count_code, sizeof(ap_count_code));
	for (i = 1; i < NR_VCPUS; i++) {
		EXPECT_EQ(MHV_MP_STATE_WAIT_SIPI, mp_state(g.vcpu[i].fd));
		vt[i] = (struct vcpu_thread){ .g = &g, .i = i, .cpu = i % 2 };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, vcpu_thread, &vt[i]));
	}
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	/* each AP counted itself once: the second SIPI found it running */
	EXPECT_EQ(NR_VCPUS - 1, *(volatile uint16_t *)mhv_guest_ptr(&g,
								     AP_COUNT));
	ASSERT_EQ(0, mhv_stop_vm(g.vm_fd, MHV_STOP_GRACEFUL));
	for (i = 1; i < NR_VCPUS; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, vt[i].ret);
		EXPECT_EQ(MHV_EXIT_STOPPED, g.vcpu[i].run->exit_reason);
	}
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
