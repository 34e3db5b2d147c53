// SPDX-License-Identifier: GPL-2.0
/*
 * The binary statistics fds: the counters equal the exits a guest caused
 * (exactly N CPUIDs, N port writes, N RDMSRs between two guest calls),
 * every latency histogram sums to its exit count, the VM's fd sums its
 * vCPUs, the fd is readable with pread() while the vCPU runs in another
 * thread, and it outlives the VM and vCPU fds (the VM is freed when the
 * last stats fd closes).
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "guest_util.h"
#include "limits_util.h"

#define N_CPUID		37
#define N_OUT		11
#define N_RDMSR		13
#define PORT		0x80

static void guest_counted(uint64_t arg)
{
	uint32_t a, b, c, d, lo, hi;
	int i;

	GUEST_SYNC(0);
	for (i = 0; i < N_CPUID; i++)
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(1), "c"(0));
	for (i = 0; i < N_OUT; i++)
		__asm__ volatile("outb %b0, %w1" : : "a"(i), "d"(PORT));
	for (i = 0; i < N_RDMSR; i++)	/* IA32_APIC_BASE: in the kernel */
		__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0x1b));
	GUEST_SYNC(1);
	GUEST_DONE();
}

static uint64_t val(struct __test_metadata *_metadata,
		    struct mhv_stats_reader *r, const char *name)
{
	uint64_t v = 0;

	EXPECT_EQ(0, mhv_stats_get(r, name, &v)) TH_LOG("no field %s", name);
	return v;
}

/* Every histogram sums to its exit count; the types sum to "exits". */
static void check_consistent(struct __test_metadata *_metadata,
			     struct mhv_stats_reader *r)
{
	uint64_t sum = 0;
	unsigned int t;
	char name[64];

	for (t = 0; t < MHV_X_NR; t++) {
		const struct mhv_stat_field *f;
		uint64_t n;

		snprintf(name, sizeof(name), "exits_%s", mhv_exit_type_name(t));
		n = val(_metadata, r, name);
		sum += n;
		snprintf(name, sizeof(name), "exit_latency_%s",
			 mhv_exit_type_name(t));
		f = mhv_stats_find(r, name);
		ASSERT_NE(NULL, f) TH_LOG("no field %s", name);
		EXPECT_EQ(MHV_STATS_TYPE_HIST_LOG2, f->flags & MHV_STATS_TYPE_MASK);
		EXPECT_EQ(n, mhv_hist_count(mhv_stats_values(r, f), f->size))
			TH_LOG("%s", name);
	}
	EXPECT_EQ(val(_metadata, r, "exits"), sum);
}

TEST(counts_equal_the_guests_exits)
{
	struct mhv_stats_reader vr, mr;
	uint64_t cpuid0, io0, msr0, ucpuid0;
	struct mhv_guest g;
	struct mhv_ucall uc;
	int vfd, mfd, i;

	ASSERT_EQ(0, mhv_guest_create(&g, "stats-count", 1, 64,
				      guest_counted, 0));
	vfd = mhv_get_vcpu_stats_fd(g.vcpu[0].fd);
	ASSERT_LE(0, vfd);
	mfd = mhv_get_stats_fd(g.vm_fd);
	ASSERT_LE(0, mfd);
	ASSERT_EQ(0, mhv_stats_open(&vr, vfd));
	ASSERT_EQ(0, mhv_stats_open(&mr, mfd));
	EXPECT_STREQ("stats-count/vcpu0", vr.id);
	EXPECT_STREQ("stats-count", mr.id);

	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_stats_refresh(&vr));
	cpuid0 = val(_metadata, &vr, "exits_cpuid");
	ucpuid0 = val(_metadata, &vr, "cpuid");
	io0 = val(_metadata, &vr, "exits_io");
	msr0 = val(_metadata, &vr, "exits_msr_read");
	for (i = 0; i < N_OUT; i++) {
		EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_IO);
	}
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_stats_refresh(&vr));
	ASSERT_EQ(0, mhv_stats_refresh(&mr));
	EXPECT_EQ(N_CPUID, val(_metadata, &vr, "exits_cpuid") - cpuid0);
	EXPECT_EQ(N_CPUID, val(_metadata, &vr, "cpuid") - ucpuid0);
	/* the port writes and the guest call that ended the section */
	EXPECT_EQ(N_OUT + 1, val(_metadata, &vr, "exits_io") - io0);
	EXPECT_EQ(N_RDMSR, val(_metadata, &vr, "exits_msr_read") - msr0);
	check_consistent(_metadata, &vr);
	EXPECT_LT(0, val(_metadata, &vr, "guest_time"));
	EXPECT_LT(0, val(_metadata, &vr, "hypervisor_time"));
	/* one vCPU: the VM's sums are its values, plus VM-wide ones */
	EXPECT_EQ(val(_metadata, &vr, "exits"), val(_metadata, &mr, "exits"));
	EXPECT_EQ(val(_metadata, &vr, "exits_cpuid"),
		  val(_metadata, &mr, "exits_cpuid"));
	check_consistent(_metadata, &mr);
	EXPECT_EQ(1, val(_metadata, &mr, "vcpus"));
	EXPECT_LT(0, val(_metadata, &mr, "pages_mapped"));
	EXPECT_EQ(val(_metadata, &mr, "npf"), val(_metadata, &mr, "exits_npf"));
	EXPECT_EQ(MHV_VM_PAUSED, val(_metadata, &mr, "state"));

	mhv_stats_close(&vr);
	mhv_stats_close(&mr);
	close(vfd);
	close(mfd);
	mhv_guest_destroy(&g);
}

/* ---- read while the vCPU runs in another thread ---------------------- */

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

struct runner {
	struct mhv_guest *g;
	unsigned int vcpu;
	int ret;
	struct mhv_ucall uc;
};

static void *run_vcpu(void *arg)
{
	struct runner *r = arg;

	r->ret = mhv_guest_run(r->g, r->vcpu, &r->uc);
	return NULL;
}

TEST(readable_while_the_vcpu_runs)
{
	volatile uint64_t *gspins, *gstop;
	struct mhv_stats_reader vr;
	struct runner rn;
	struct mhv_guest g;
	pthread_t t;
	uint64_t seen, v1, v2;
	int vfd;

	ASSERT_EQ(0, mhv_guest_create(&g, "stats-live", 1, 64, guest_spin, 0));
	gspins = mhv_guest_ptr(&g, (uint64_t)(uintptr_t)&spins);
	gstop = mhv_guest_ptr(&g, (uint64_t)(uintptr_t)&stop);
	ASSERT_NE(NULL, gspins);
	ASSERT_NE(NULL, gstop);
	vfd = mhv_get_vcpu_stats_fd(g.vcpu[0].fd);
	ASSERT_LE(0, vfd);
	ASSERT_EQ(0, mhv_stats_open(&vr, vfd));

	rn = (struct runner){ .g = &g, .vcpu = 0 };
	ASSERT_EQ(0, pthread_create(&t, NULL, run_vcpu, &rn));
	/* the guest counts its CPUIDs: it runs, inside MHV_RUN */
	ASSERT_EQ(0, guest_wait_change(&g, &spins, 0, 20));
	ASSERT_EQ(0, mhv_stats_refresh(&vr));
	v1 = mhv_stats_value(&vr, "exits_cpuid");
	EXPECT_LT(0, v1);
	/* 100 more CPUIDs the guest counted, still inside the same RUN */
	while ((seen = *gspins) < v1 + 100) {
		ASSERT_EQ(0, guest_wait_change(&g, &spins, seen, 20));
	}
	ASSERT_EQ(0, mhv_stats_refresh(&vr));
	v2 = mhv_stats_value(&vr, "exits_cpuid");
	EXPECT_LT(v1, v2) TH_LOG("no new CPUIDs counted while running");
	*gstop = 1;
	pthread_join(t, NULL);
	ASSERT_EQ(MHV_UCALL_DONE, rn.ret);
	/* exactly one exit per loop: the CPUIDs are the guest's count */
	ASSERT_EQ(0, mhv_stats_refresh(&vr));
	EXPECT_EQ(*gspins, mhv_stats_value(&vr, "exits_cpuid"));
	mhv_stats_close(&vr);
	close(vfd);
	mhv_guest_destroy(&g);
}

/* ---- the fd outlives its VM ------------------------------------------- */

static void guest_few(uint64_t arg)
{
	uint32_t a, b, c, d;
	int i;

	for (i = 0; i < N_CPUID; i++)
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(0), "c"(0));
	GUEST_DONE();
}

TEST(outlives_the_vm_fd)
{
	struct mhv_stats_reader vr, mr;
	struct mhv_counters before, during, after;
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint64_t exits;
	int vfd, mfd, problems = dmesg_count_problems();

	ASSERT_EQ(0, mhv_counters_read(&before));
	ASSERT_EQ(0, mhv_guest_create(&g, "stats-orphan", 1, 64, guest_few, 0));
	vfd = mhv_get_vcpu_stats_fd(g.vcpu[0].fd);
	mfd = mhv_get_stats_fd(g.vm_fd);
	ASSERT_LE(0, vfd);
	ASSERT_LE(0, mfd);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(0, mhv_stats_open(&vr, vfd));
	exits = mhv_stats_value(&vr, "exits");
	EXPECT_EQ(N_CPUID, mhv_stats_value(&vr, "exits_cpuid"));
	/* VM fd, vCPU fd and guest memory gone */
	mhv_guest_destroy(&g);
	ASSERT_EQ(0, mhv_counters_read(&during));
	EXPECT_EQ(before.vms + 1, during.vms) TH_LOG("the stats fds hold the VM");
	ASSERT_EQ(0, mhv_stats_refresh(&vr));
	EXPECT_EQ(exits, mhv_stats_value(&vr, "exits"));
	EXPECT_EQ(N_CPUID, mhv_stats_value(&vr, "exits_cpuid"));
	ASSERT_EQ(0, mhv_stats_open(&mr, mfd));
	EXPECT_EQ(exits, mhv_stats_value(&mr, "exits"));
	EXPECT_EQ(1, mhv_stats_value(&mr, "vcpus"));
	mhv_stats_close(&mr);
	close(mfd);
	/* the vCPU's fd alone still holds the VM */
	ASSERT_EQ(0, mhv_stats_refresh(&vr));
	EXPECT_EQ(exits, mhv_stats_value(&vr, "exits"));
	mhv_stats_close(&vr);
	close(vfd);
	ASSERT_EQ(0, mhv_counters_read(&after));
	EXPECT_EQ(before.vms, after.vms);
	EXPECT_EQ(before.vcpus, after.vcpus);
	EXPECT_EQ(before.pinned, after.pinned);
	EXPECT_EQ(problems, dmesg_count_problems());
}

/* ---- the format itself ------------------------------------------------- */

TEST(format_is_self_describing)
{
	struct mhv_stats_header h;
	struct mhv_stats_desc d;
	char name[MHV_STATS_NAME_SIZE];
	struct mhv_guest g;
	unsigned int i, hists = 0;
	int fd;

	ASSERT_EQ(0, mhv_guest_create(&g, "stats-format", 1, 64, guest_few, 0));
	fd = mhv_get_stats_fd(g.vm_fd);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(h), pread(fd, &h, sizeof(h), 0));
	EXPECT_EQ(MHV_STATS_MAGIC, h.magic);
	EXPECT_EQ(MHV_STATS_NAME_SIZE, h.name_size);
	EXPECT_EQ(sizeof(d) + h.name_size, h.desc_size);
	EXPECT_LE(h.desc_offset + h.num_desc * h.desc_size, h.data_offset);
	for (i = 0; i < h.num_desc; i++) {
		off_t at = h.desc_offset + (off_t)i * h.desc_size;

		ASSERT_EQ(sizeof(d), pread(fd, &d, sizeof(d), at));
		ASSERT_EQ(sizeof(name), pread(fd, name, sizeof(name),
					      at + sizeof(d)));
		ASSERT_NE(NULL, memchr(name, 0, sizeof(name)));
		EXPECT_LE(d.offset + d.size * 8, h.data_size) TH_LOG("%s", name);
		if ((d.flags & MHV_STATS_TYPE_MASK) == MHV_STATS_TYPE_HIST_LOG2) {
			hists++;
			EXPECT_EQ(MHV_STATS_UNIT_SECONDS, d.flags & MHV_STATS_UNIT_MASK);
			EXPECT_EQ(-9, d.exponent);
		}
	}
	EXPECT_EQ(MHV_X_NR, hists);
	/* the file ends with the data; read() goes on from the offset */
	EXPECT_EQ(0, pread(fd, &d, sizeof(d), h.data_offset + h.data_size));
	EXPECT_EQ(sizeof(h), read(fd, &h, sizeof(h)));
	EXPECT_EQ(-1, write(fd, &h, sizeof(h)));
	close(fd);
	/* an argument is refused */
	EXPECT_EQ(-1, ioctl(g.vm_fd, MHV_GET_STATS_FD, 1));
	EXPECT_EQ(EINVAL, errno);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
