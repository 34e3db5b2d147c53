// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 8, item 5: #DB and #AC are intercepted and reflected to the guest
 * (MHV_STAT_DB, MHV_STAT_AC), so that a guest cannot keep a host CPU in
 * an endless #DB or #AC delivery loop (KVM's CVE-2015-8104 and
 * CVE-2015-5307): with the intercepts, each delivery is a VM exit and
 * the host takes the CPU back.
 *
 * The hang itself cannot be seen in an emulator (QEMU and Bochs check
 * for host interrupts between two deliveries, where a real CPU does
 * not): the tests check the counters that prove the intercepts, the
 * guest-visible behaviour (the handlers run as often as the
 * architecture says, with DR6 right), and that a vCPU in a #DB-on-#DB
 * loop can be stopped and its VM destroyed with a clean kernel log.
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "isol_util.h"

#define IDT_GPA		0x2000000ULL
#define DR6_BS		(1ULL << 14)
#define DR6_RESET	0xffff0ff0ULL
#define STEPS		3	/* single-step traps in guest_single_step() */

static volatile uint64_t db_count, db_dr6_bs, ac_count;

static void db_handler(struct mhv_ex_regs *r)
{
	uint64_t dr6 = read_dr(6);

	db_count++;
	if (dr6 & DR6_BS)
		db_dr6_bs++;
	write_dr(6, DR6_RESET);	/* the CPU never clears DR6 itself */
	if (db_count == STEPS)
		r->rflags &= ~X86_RFLAGS_TF;
}

/*
 * POPF sets TF: the instruction after it is the first to trap; the
 * handler clears TF at the third trap, so the three NOPs each trap once.
 */
static void guest_single_step(uint64_t arg)
{
	__asm__ volatile("pushfq\n\t"
			 "orq $0x100, (%%rsp)\n\t"
			 "popfq\n\t"
			 "nop\n\t"
			 "nop\n\t"
			 "nop\n\t"
			 "nop\n\t"
			 : : : "memory", "cc");
	GUEST_SYNC2(db_count, db_dr6_bs);
	GUEST_DONE();
}

TEST(single_step_db_reflected)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "db-step", 1, 64,
				      guest_single_step, 0));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_DB, db_handler));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(STEPS, uc.args[0]) TH_LOG("#DB handler ran %lu times",
					    (unsigned long)uc.args[0]);
	EXPECT_EQ(STEPS, uc.args[1]) TH_LOG("DR6.BS set in %lu of them",
					    (unsigned long)uc.args[1]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_EQ(STEPS, vcpu_stat(&g, 0, MHV_STAT_DB));
	mhv_guest_destroy(&g);
}

/*
 * #DB on #DB: an instruction breakpoint on the first instruction of the
 * #DB handler (the library's stub, read from the guest's own IDT). The
 * first single-step trap's delivery lands on the breakpoint, which is a
 * fault, whose delivery lands on it again, and so on: the C handler never
 * runs. Where the CPU does not loop there (QEMU 7.2 lets the handler
 * run), TF stays set and the guest spins: one #DB per instruction,
 * forever. Either way only the host can end this.
 *
 * The classic form of the loop, a data breakpoint on the stack slot the
 * delivery writes, makes the emulator abort (QEMU 7.2 asserts in
 * qemu_mutex_lock_iothread when a watchpoint hits during exception
 * delivery), with or without the fix: the instruction breakpoint gives
 * the same endless #DB delivery without taking the test VM down.
 */
#define DR7_L0		(1ULL << 0)

static void guest_db_loop(uint64_t arg)
{
	const volatile uint64_t *gate = (const uint64_t *)(IDT_GPA + 16 * VEC_DB);
	uint64_t stub = (gate[0] & 0xffff) | ((gate[0] >> 48) << 16) |
			(gate[1] << 32);

	guest_map_ex_pages();
	write_dr(0, stub);
	write_dr(7, DR7_L0 | 0x400);	/* RW0 = 00: instruction fetch */
	GUEST_SYNC(0);		/* the loop starts now */
	__asm__ volatile("pushfq\n\t"
			 "orq $0x100, (%%rsp)\n\t"
			 "popfq\n\t"
			 "1: pause\n\t"
			 "jmp 1b"
			 : : : "memory", "cc");
}

/* Counts, and leaves TF set: the interrupted code traps again. */
static void db_count_handler(struct mhv_ex_regs *r)
{
	db_count++;
}

struct runner {
	struct mhv_guest *g;
	int ret;
	int done;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void *run_thread(void *arg)
{
	struct runner *r = arg;
	int ret = mhv_run(r->g->vcpu[0].fd);

	pthread_mutex_lock(&r->lock);
	r->ret = ret;
	r->done = 1;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

static uint64_t vm_exits(struct mhv_guest *g)
{
	struct mhv_vm_info info;

	if (mhv_get_vm_info(g->vm_fd, &info))
		return 0;
	return info.exits;
}

TEST(db_on_db_loop_is_stoppable)
{
	struct runner r = { .lock = PTHREAD_MUTEX_INITIALIZER,
			    .cond = PTHREAD_COND_INITIALIZER };
	int problems = dmesg_count_problems();
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct timespec t0, now;
	uint64_t exits0;
	pthread_t t;

	ASSERT_LE(0, problems);
	ASSERT_EQ(0, mhv_guest_create(&g, "db-loop", 1, 64, guest_db_loop, 0));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_DB, db_count_handler));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, uc.args[0]);

	r.g = &g;
	exits0 = vm_exits(&g);
	ASSERT_EQ(0, pthread_create(&t, NULL, run_thread, &r));
	/*
	 * Let the loop run until the vCPU has exited a few times (each #DB
	 * is an exit once intercepted; host interrupts count too), bounded:
	 * the VM's exit count is read without the vCPU's lock.
	 */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (vm_exits(&g) < exits0 + 20 && now.tv_sec - t0.tv_sec < 10);
	ASSERT_EQ(0, mhv_stop_vm(g.vm_fd, MHV_STOP_FORCE));
	pthread_mutex_lock(&r.lock);
	while (!r.done)
		pthread_cond_wait(&r.cond, &r.lock);
	pthread_mutex_unlock(&r.lock);
	pthread_join(t, NULL);
	EXPECT_EQ(0, r.ret);
	EXPECT_EQ(MHV_EXIT_STOPPED, g.vcpu[0].run->exit_reason);
	EXPECT_LT(1, vcpu_stat(&g, 0, MHV_STAT_DB))
		TH_LOG("#DB not intercepted: the loop never left the guest");
	mhv_guest_destroy(&g);
	EXPECT_EQ(problems, dmesg_count_problems());
}

/* #AC: CPL 3, CR0.AM, RFLAGS.AC and a misaligned load. */
static void ac_handler(struct mhv_ex_regs *r)
{
	ac_count++;
	r->rflags &= ~X86_RFLAGS_AC;	/* the load runs again, unchecked */
}

static void guest_ac(uint64_t arg)
{
	static volatile uint64_t buf[2];
	uint32_t v;

	GUEST_ASSERT_EQ(write_cr0_safe(read_cr0() | X86_CR0_AM), ISOL_NO_EX);
	guest_map_ex_pages();
	(void)*(volatile uint64_t *)IDT_GPA;
	mhv_guest_enter_user();
	__asm__ volatile("pushfq\n\t"
			 "orq $0x40000, (%%rsp)\n\t"
			 "popfq\n\t"
			 "movl (%1), %0\n\t"
			 : "=r"(v) : "r"((uintptr_t)buf + 1) : "memory", "cc");
	GUEST_SYNC(ac_count);
	GUEST_DONE();
}

TEST(alignment_check_reflected)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "ac", 1, 64, guest_ac, 0));
	ASSERT_EQ(0, mhv_guest_setup_idt(&g, IDT_GPA));
	ASSERT_EQ(0, mhv_guest_enable_user(&g));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_GP, isol_ex_handler));
	ASSERT_EQ(0, mhv_guest_install_handler(&g, VEC_AC, ac_handler));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	if (uc.args[0] == 0 && vcpu_stat(&g, 0, MHV_STAT_AC) == 0) {
		mhv_guest_destroy(&g);
		SKIP(return, "this CPU (emulator) raises no #AC for a misaligned load at CPL 3");
	}
	EXPECT_EQ(1, uc.args[0]);
	EXPECT_EQ(1, vcpu_stat(&g, 0, MHV_STAT_AC));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
