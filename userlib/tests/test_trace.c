// SPDX-License-Identifier: LGPL-2.1
/*
 * The trace channel's pure side: decoding netlink messages built here
 * with libnl exactly as the wire format (Documentation/tracing.rst) says,
 * names, the --events list, text and JSON lines.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <string.h>
#include <netlink/genl/genl.h>

#include "libmultios_hv.h"
#include "tests.h"

#define FAMILY	0x1c		/* any id: the parser does not look */

static struct nl_msg *new_msg(uint8_t cmd, uint32_t type)
{
	struct nl_msg *m = nlmsg_alloc();

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(genlmsg_put(m, 0, 0, FAMILY, 0, 0, cmd,
						 MHV_GENL_VERSION));
	if (cmd == MHV_NL_CMD_EVENT)
		nla_put_u32(m, MHV_NL_A_EVENT, type);
	return m;
}

static int parse(struct nl_msg *m, struct mhv_trace_event *ev)
{
	struct nlmsghdr *h = nlmsg_hdr(m);

	return mhv_trace_parse(h, h->nlmsg_len, ev);
}

/* An exit message with every attribute: each lands in its field. */
static void test_parse_exit(void)
{
	struct nl_msg *m = new_msg(MHV_NL_CMD_EVENT, MHV_TRACE_EXIT);
	struct mhv_trace_event ev;

	nla_put_u64(m, MHV_NL_A_TIME_NS, 123456789012ULL);
	nla_put_u32(m, MHV_NL_A_VM_ID, 7);
	nla_put_u32(m, MHV_NL_A_VCPU, 3);
	nla_put_u32(m, MHV_NL_A_EXIT_REASON, MHV_TRACE_X_NPF);
	nla_put_u64(m, MHV_NL_A_RIP, 0x1003);
	nla_put_u64(m, MHV_NL_A_EXIT_CODE, 0x400);
	nla_put_u64(m, MHV_NL_A_EXIT_INFO1, 0x6);
	nla_put_u64(m, MHV_NL_A_EXIT_INFO2, 0xfee00000);
	nla_put_u64(m, MHV_NL_A_EXIT_ARG, 0);
	nla_put_u64(m, MHV_NL_A_GPA, 0xfee00000);
	nla_put_u64(m, MHV_NL_A_HANDLE_NS, 2500);
	nla_put_u8(m, MHV_NL_A_USER, 1);
	CU_ASSERT_EQUAL_FATAL(parse(m, &ev), 0);
	CU_ASSERT_EQUAL(ev.type, MHV_TRACE_EXIT);
	CU_ASSERT_EQUAL(ev.time_ns, 123456789012ULL);
	CU_ASSERT_EQUAL(ev.vm_id, 7);
	CU_ASSERT_EQUAL(ev.vcpu, 3);
	CU_ASSERT_EQUAL(ev.exit_reason, MHV_TRACE_X_NPF);
	CU_ASSERT_EQUAL(ev.rip, 0x1003);
	CU_ASSERT_EQUAL(ev.exit_code, 0x400);
	CU_ASSERT_EQUAL(ev.exit_info1, 0x6);
	CU_ASSERT_EQUAL(ev.exit_info2, 0xfee00000);
	CU_ASSERT_EQUAL(ev.gpa, 0xfee00000);
	CU_ASSERT_EQUAL(ev.handle_ns, 2500);
	CU_ASSERT_EQUAL(ev.user, 1);
	nlmsg_free(m);
}

/* Not an event, no type, cut short: refused. */
static void test_parse_bad(void)
{
	struct nl_msg *m = new_msg(MHV_NL_CMD_LIST_VMS, 0);
	struct mhv_trace_event ev;
	struct nlmsghdr *h;

	nla_put_u32(m, MHV_NL_A_VM_ID, 1);
	CU_ASSERT_EQUAL(parse(m, &ev), -EINVAL);
	nlmsg_free(m);

	m = nlmsg_alloc();
	genlmsg_put(m, 0, 0, FAMILY, 0, 0, MHV_NL_CMD_EVENT, 1);
	nla_put_u32(m, MHV_NL_A_VM_ID, 1);
	CU_ASSERT_EQUAL(parse(m, &ev), -EINVAL);
	nlmsg_free(m);

	m = new_msg(MHV_NL_CMD_EVENT, MHV_TRACE_ENTRY);
	h = nlmsg_hdr(m);
	CU_ASSERT_EQUAL(mhv_trace_parse(h, h->nlmsg_len - 1, &ev), -EINVAL);
	CU_ASSERT_EQUAL(mhv_trace_parse(h, 8, &ev), -EINVAL);
	nlmsg_free(m);
}

/* Device, injection, lifecycle and drop attributes. */
static void test_parse_others(void)
{
	struct nl_msg *m = new_msg(MHV_NL_CMD_EVENT, MHV_TRACE_DEV);
	struct mhv_trace_event ev;

	nla_put_u32(m, MHV_NL_A_DEV_ID, 2);
	nla_put_u32(m, MHV_NL_A_DEV_TYPE, MHV_DEV_TYPE_UART);
	nla_put_u64(m, MHV_NL_A_OFFSET, 5);
	nla_put_u32(m, MHV_NL_A_WIDTH, 1);
	nla_put_u64(m, MHV_NL_A_VALUE, 0x41);
	nla_put_u8(m, MHV_NL_A_WRITE, 1);
	nla_put_u8(m, MHV_NL_A_REFUSED, 1);
	CU_ASSERT_EQUAL_FATAL(parse(m, &ev), 0);
	CU_ASSERT(ev.dev_id == 2 && ev.dev_type == MHV_DEV_TYPE_UART &&
		  ev.offset == 5 && ev.width == 1 && ev.value == 0x41 &&
		  ev.write == 1 && ev.refused == 1);
	/* no VCPU attribute: belongs to no vCPU */
	CU_ASSERT_EQUAL(ev.vcpu, MHV_TRACE_NO_VCPU);
	nlmsg_free(m);

	m = new_msg(MHV_NL_CMD_EVENT, MHV_TRACE_INJECT);
	nla_put_u32(m, MHV_NL_A_VECTOR, 13);
	nla_put_u32(m, MHV_NL_A_INJECT_KIND, MHV_TRACE_INJ_EXC);
	nla_put_u32(m, MHV_NL_A_ERROR_CODE, 0);
	CU_ASSERT_EQUAL_FATAL(parse(m, &ev), 0);
	CU_ASSERT(ev.vector == 13 && ev.inject_kind == MHV_TRACE_INJ_EXC &&
		  ev.has_error_code == 1 && ev.error_code == 0);
	nlmsg_free(m);

	m = new_msg(MHV_NL_CMD_EVENT, MHV_TRACE_VM);
	nla_put_u32(m, MHV_NL_A_LIFECYCLE, MHV_TRACE_VM_ERROR);
	nla_put_u32(m, MHV_NL_A_ERROR, MHV_ERR_TRIPLE_FAULT);
	nla_put_string(m, MHV_NL_A_VM_NAME, "guest-a");
	CU_ASSERT_EQUAL_FATAL(parse(m, &ev), 0);
	CU_ASSERT_EQUAL(ev.lifecycle, MHV_TRACE_VM_ERROR);
	CU_ASSERT_EQUAL(ev.error, MHV_ERR_TRIPLE_FAULT);
	CU_ASSERT_STRING_EQUAL(ev.vm_name, "guest-a");
	nlmsg_free(m);

	m = new_msg(MHV_NL_CMD_EVENT, MHV_TRACE_DROP);
	nla_put_u64(m, MHV_NL_A_DROPPED, 4242);
	nla_put_u32(m, MHV_NL_A_DROP_WHERE, MHV_TRACE_DROP_SOCKET);
	CU_ASSERT_EQUAL_FATAL(parse(m, &ev), 0);
	CU_ASSERT(ev.dropped == 4242 && ev.drop_where == MHV_TRACE_DROP_SOCKET);
	nlmsg_free(m);
}

/* A batch as the wire format says: RECORD_SIZE, then RECORDS. */
static struct nl_msg *new_batch(const struct mhv_trace_record *r, int n,
				uint32_t size)
{
	struct nl_msg *m = new_msg(MHV_NL_CMD_EVENTS, 0);
	uint8_t buf[8 * 128] = { 0 };
	int i;

	CU_ASSERT_FATAL(n * size <= sizeof(buf));
	for (i = 0; i < n; i++)
		memcpy(buf + i * size, &r[i], sizeof(r[i]));
	nla_put_u32(m, MHV_NL_A_RECORD_SIZE, size);
	nla_put(m, MHV_NL_A_RECORDS, n * size, buf);
	return m;
}

struct collected {
	struct mhv_trace_event ev[8];
	int n, stop_at;
};

static int collect(const struct mhv_trace_event *ev, void *arg)
{
	struct collected *c = arg;

	c->ev[c->n++] = *ev;
	return c->n == c->stop_at;
}

static int parse_batch(struct nl_msg *m, struct collected *c)
{
	struct nlmsghdr *h = nlmsg_hdr(m);

	return mhv_trace_parse_records(h, h->nlmsg_len, collect, c);
}

/* One record of each kind of event, in order, every field in its place. */
static void test_parse_records(void)
{
	struct mhv_trace_record r[5] = {
		{ .time_ns = 1000, .vm_id = 7, .vcpu = 1,
		  .type = MHV_TRACE_EXIT, .flags = MHV_TRACE_F_USER,
		  .reason = MHV_TRACE_X_NPF,
		  .a = { 0x1003, 0x400, 0x6, 0xfee00000, 0, 0xfee00000, 2500 } },
		{ .time_ns = 1001, .vm_id = 7, .vcpu = 1,
		  .type = MHV_TRACE_DEV,
		  .flags = MHV_TRACE_F_WRITE | MHV_TRACE_F_REFUSED,
		  .reason = 2, .aux = MHV_DEV_TYPE_UART, .aux2 = 1,
		  .a = { 5, 0x41 } },
		{ .time_ns = 1002, .vm_id = 7, .vcpu = 0,
		  .type = MHV_TRACE_INJECT, .flags = MHV_TRACE_F_ERROR_CODE,
		  .reason = 13, .aux = MHV_TRACE_INJ_EXC, .a = { 0x18, 0x2000 } },
		{ .time_ns = 1003, .vm_id = 7, .vcpu = MHV_TRACE_NO_VCPU,
		  .type = MHV_TRACE_VM, .reason = MHV_TRACE_VM_ERROR,
		  .aux = MHV_VM_ERROR, .aux2 = 1000,
		  .a = { MHV_ERR_TRIPLE_FAULT, 0x7f } },
		{ .time_ns = 1004, .vm_id = 7, .vcpu = 1,
		  .type = MHV_TRACE_DROP, .reason = MHV_TRACE_DROP_RING,
		  .a = { 4242 } },
	};
	struct collected c = { .stop_at = -1 };
	struct nl_msg *m;

	memcpy(&r[3].a[2], "guest-a", 8);
	/* a bigger record size (a later version's): the tail is skipped */
	m = new_batch(r, 5, sizeof(r[0]) + 8);
	CU_ASSERT_EQUAL_FATAL(parse_batch(m, &c), 5);
	nlmsg_free(m);
	CU_ASSERT(c.ev[0].type == MHV_TRACE_EXIT && c.ev[0].time_ns == 1000 &&
		  c.ev[0].vm_id == 7 && c.ev[0].vcpu == 1 &&
		  c.ev[0].exit_reason == MHV_TRACE_X_NPF &&
		  c.ev[0].rip == 0x1003 && c.ev[0].exit_code == 0x400 &&
		  c.ev[0].exit_info1 == 0x6 &&
		  c.ev[0].exit_info2 == 0xfee00000 && c.ev[0].exit_arg == 0 &&
		  c.ev[0].gpa == 0xfee00000 && c.ev[0].handle_ns == 2500 &&
		  c.ev[0].user == 1);
	CU_ASSERT(c.ev[1].type == MHV_TRACE_DEV && c.ev[1].dev_id == 2 &&
		  c.ev[1].dev_type == MHV_DEV_TYPE_UART &&
		  c.ev[1].width == 1 && c.ev[1].offset == 5 &&
		  c.ev[1].value == 0x41 && c.ev[1].write == 1 &&
		  c.ev[1].refused == 1);
	CU_ASSERT(c.ev[2].type == MHV_TRACE_INJECT && c.ev[2].vector == 13 &&
		  c.ev[2].inject_kind == MHV_TRACE_INJ_EXC &&
		  c.ev[2].has_error_code == 1 && c.ev[2].error_code == 0x18 &&
		  c.ev[2].rip == 0x2000);
	CU_ASSERT(c.ev[3].type == MHV_TRACE_VM &&
		  c.ev[3].vcpu == MHV_TRACE_NO_VCPU &&
		  c.ev[3].lifecycle == MHV_TRACE_VM_ERROR &&
		  c.ev[3].state == MHV_VM_ERROR && c.ev[3].owner_uid == 1000 &&
		  c.ev[3].error == MHV_ERR_TRIPLE_FAULT &&
		  c.ev[3].exit_code == 0x7f);
	CU_ASSERT_STRING_EQUAL(c.ev[3].vm_name, "guest-a");
	CU_ASSERT(c.ev[4].type == MHV_TRACE_DROP && c.ev[4].dropped == 4242 &&
		  c.ev[4].drop_where == MHV_TRACE_DROP_RING);

	/* the callback stops the walk */
	c.n = 0;
	c.stop_at = 2;
	m = new_batch(r, 5, sizeof(r[0]));
	CU_ASSERT_EQUAL(parse_batch(m, &c), 2);
	nlmsg_free(m);
}

/*
 * MHV_TRACE_FMT_PAIRS: an EXIT record with MHV_TRACE_F_ENTRY is the exit
 * and then the entry at its time plus its handling time, at the RIP of
 * aux (low 32 bits) and aux2 (high); the next record follows them.
 */
static void test_parse_pairs(void)
{
	struct mhv_trace_record r[2] = {
		{ .time_ns = 5000, .vm_id = 3, .vcpu = 2,
		  .type = MHV_TRACE_EXIT, .flags = MHV_TRACE_F_ENTRY,
		  .reason = MHV_TRACE_X_CPUID, .aux = 0x1005, .aux2 = 0x1,
		  .a = { 0x1003, 0x72, 0, 0, 0x1, 0, 700 } },
		{ .time_ns = 6000, .vm_id = 3, .vcpu = 2,
		  .type = MHV_TRACE_NPF, .aux = MHV_TRACE_ACC_WRITE,
		  .a = { 0x200000, 1, 0x1005 } },
	};
	struct collected c = { .stop_at = -1 };
	struct nl_msg *m = new_batch(r, 2, sizeof(r[0]));

	CU_ASSERT_EQUAL_FATAL(parse_batch(m, &c), 3);
	CU_ASSERT(c.ev[0].type == MHV_TRACE_EXIT && c.ev[0].time_ns == 5000 &&
		  c.ev[0].exit_reason == MHV_TRACE_X_CPUID &&
		  c.ev[0].rip == 0x1003 && c.ev[0].handle_ns == 700 &&
		  c.ev[0].entry == 1 && c.ev[0].entry_rip == 0x100001005ULL);
	CU_ASSERT(c.ev[1].type == MHV_TRACE_ENTRY && c.ev[1].vm_id == 3 &&
		  c.ev[1].vcpu == 2 && c.ev[1].time_ns == 5700 &&
		  c.ev[1].rip == 0x100001005ULL && c.ev[1].exit_reason == 0 &&
		  c.ev[1].handle_ns == 0 && c.ev[1].entry == 0);
	CU_ASSERT(c.ev[2].type == MHV_TRACE_NPF && c.ev[2].gpa == 0x200000);
	/* a callback that stops at the exit does not see the entry */
	c.n = 0;
	c.stop_at = 1;
	CU_ASSERT_EQUAL(parse_batch(m, &c), 1);
	nlmsg_free(m);
}

/*
 * A batch decodes every record into one event, clearing only what the
 * last type set: a record of zeros after one of each type with every
 * bit set (an EXIT with its ENTRY too) decodes as it does alone.
 */
static void test_parse_records_no_leftovers(void)
{
	struct mhv_trace_record r[2];
	struct mhv_trace_event alone;
	struct collected c;
	struct nl_msg *m;
	uint32_t i, j;

	for (i = 0; i < MHV_TRACE_NR; i++) {
		for (j = 0; j < MHV_TRACE_NR; j++) {
			memset(r, 0xff, sizeof(r[0]));
			r[0].type = i;
			memset(&r[1], 0, sizeof(r[1]));
			r[1].type = j;
			memset(&c, 0, sizeof(c));
			c.stop_at = -1;
			m = new_batch(r, 2, sizeof(r[0]));
			CU_ASSERT_EQUAL(parse_batch(m, &c),
					i == MHV_TRACE_EXIT ? 3 : 2);
			nlmsg_free(m);
			CU_ASSERT_EQUAL_FATAL(mhv_trace_record_decode(&r[1],
						sizeof(r[1]), &alone), 0);
			CU_ASSERT(c.n >= 2 && !memcmp(&c.ev[c.n - 1], &alone,
						      sizeof(alone)));
		}
	}
}

/* Records shorter than the struct, a partial record, no records: refused. */
static void test_parse_records_bad(void)
{
	struct mhv_trace_record r[2] = { { .type = MHV_TRACE_ENTRY } };
	struct collected c = { .stop_at = -1 };
	struct nl_msg *m;

	m = new_batch(r, 2, sizeof(r[0]) - 8);
	CU_ASSERT_EQUAL(parse_batch(m, &c), -EINVAL);
	nlmsg_free(m);
	m = new_msg(MHV_NL_CMD_EVENTS, 0);
	nla_put_u32(m, MHV_NL_A_RECORD_SIZE, sizeof(r[0]));
	nla_put(m, MHV_NL_A_RECORDS, sizeof(r[0]) + 4, r);
	CU_ASSERT_EQUAL(parse_batch(m, &c), -EINVAL);
	nlmsg_free(m);
	m = new_msg(MHV_NL_CMD_EVENTS, 0);
	nla_put_u32(m, MHV_NL_A_RECORD_SIZE, sizeof(r[0]));
	CU_ASSERT_EQUAL(parse_batch(m, &c), -EINVAL);
	nlmsg_free(m);
	CU_ASSERT_EQUAL(c.n, 0);
}

static void test_parse_vm_entry(void)
{
	struct nl_msg *m = new_msg(MHV_NL_CMD_LIST_VMS, 0);
	struct mhv_vm_entry e;
	struct nlmsghdr *h;

	nla_put_u32(m, MHV_NL_A_VM_ID, 9);
	nla_put_string(m, MHV_NL_A_VM_NAME, "web");
	nla_put_u32(m, MHV_NL_A_OWNER_PID, 4321);
	nla_put_u32(m, MHV_NL_A_OWNER_UID, 1000);
	nla_put_u32(m, MHV_NL_A_STATE, MHV_VM_PAUSED);
	nla_put_u32(m, MHV_NL_A_VCPUS, 2);
	nla_put_u32(m, MHV_NL_A_VCPUS_CREATED, 1);
	nla_put_u64(m, MHV_NL_A_MEM_LIMIT, 64 << 20);
	nla_put_u64(m, MHV_NL_A_MEM_ALLOCATED, 1 << 20);
	nla_put_u64(m, MHV_NL_A_MEM_USED, 3 << 12);
	nla_put_u32(m, MHV_NL_A_DEVICES, 2);
	nla_put_u64(m, MHV_NL_A_EXITS, 77);
	h = nlmsg_hdr(m);
	CU_ASSERT_EQUAL_FATAL(mhv_vm_entry_parse(h, h->nlmsg_len, &e), 0);
	CU_ASSERT_EQUAL(e.id, 9);
	CU_ASSERT_STRING_EQUAL(e.name, "web");
	CU_ASSERT(e.owner_pid == 4321 && e.owner_uid == 1000 &&
		  e.state == MHV_VM_PAUSED && e.vcpus == 2 &&
		  e.vcpus_created == 1 && e.mem_limit == 64 << 20 &&
		  e.mem_allocated == 1 << 20 && e.mem_used == 3 << 12 &&
		  e.devices == 2 && e.exits == 77);
	nlmsg_free(m);
}

static void test_format_lines(void)
{
	struct mhv_trace_event ev;
	char buf[256];

	memset(&ev, 0, sizeof(ev));
	ev.type = MHV_TRACE_EXIT;
	ev.vcpu = 0;
	ev.exit_reason = MHV_TRACE_X_CPUID;
	ev.exit_arg = 0x1;
	ev.rip = 0x1003;
	ev.handle_ns = 1200;
	CU_ASSERT(mhv_trace_format(&ev, buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "vcpu0 CPUID leaf 0x1 at rip 0x1003 1.2us kernel");

	ev.exit_reason = MHV_TRACE_X_IO;
	ev.exit_arg = 0x3f8 | 1 << 16;	/* out, 1 byte */
	ev.handle_ns = 850;
	ev.user = 1;
	mhv_trace_format(&ev, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "vcpu0 IO out port 0x3f8 size 1 at rip 0x1003 850ns user");

	memset(&ev, 0, sizeof(ev));
	ev.type = MHV_TRACE_NPF;
	ev.vcpu = 1;
	ev.gpa = 0x200000;
	ev.access = MHV_TRACE_ACC_WRITE;
	ev.pages = 1;
	ev.rip = 0x10;
	mhv_trace_format(&ev, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "vcpu1 NPF gpa 0x200000 write mapped 1 page at rip 0x10");

	memset(&ev, 0, sizeof(ev));
	ev.type = MHV_TRACE_DROP;
	ev.vcpu = MHV_TRACE_NO_VCPU;
	ev.dropped = 12;
	ev.drop_where = MHV_TRACE_DROP_SOCKET;
	mhv_trace_format(&ev, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "DROPPED 12 events (socket full)");

	/* snprintf-style: the length needed, truncated output */
	CU_ASSERT_EQUAL(mhv_trace_format(&ev, buf, 4), (int)strlen("DROPPED 12 events (socket full)"));
	CU_ASSERT_STRING_EQUAL(buf, "DRO");
}

static void test_format_json(void)
{
	struct mhv_trace_event ev;
	struct mhv_vm_entry e;
	char buf[1024], raw[64];
	uint32_t t;

	for (t = 1; t < MHV_TRACE_NR; t++) {
		memset(&ev, 0, sizeof(ev));
		ev.type = t;
		ev.vcpu = t == MHV_TRACE_VM ? MHV_TRACE_NO_VCPU : 2;
		strcpy(ev.vm_name, "a\"b");
		CU_ASSERT(mhv_trace_format_json(&ev, buf, sizeof(buf)) > 0);
		CU_ASSERT(json_valid(buf));
		CU_ASSERT_EQUAL(json_member_raw(buf, "event", raw, sizeof(raw)), 0);
	}
	memset(&e, 0, sizeof(e));
	e.id = 4;
	strcpy(e.name, "x");
	CU_ASSERT(mhv_vm_entry_format_json(&e, buf, sizeof(buf)) > 0);
	CU_ASSERT(json_valid(buf));
	CU_ASSERT_EQUAL(json_member_raw(buf, "id", raw, sizeof(raw)), 0);
	CU_ASSERT_STRING_EQUAL(raw, "4");
}

static void test_events_parse(void)
{
	uint32_t m = 0;

	CU_ASSERT_EQUAL(mhv_trace_events_parse("exit,npf", &m), 0);
	CU_ASSERT_EQUAL(m, (1u << MHV_TRACE_EXIT) | (1u << MHV_TRACE_NPF));
	CU_ASSERT_EQUAL(mhv_trace_events_parse("Dev,INJECT,vm", &m), 0);
	CU_ASSERT_EQUAL(m, (1u << MHV_TRACE_DEV) | (1u << MHV_TRACE_INJECT) |
			   (1u << MHV_TRACE_VM));
	CU_ASSERT_EQUAL(mhv_trace_events_parse("all", &m), 0);
	CU_ASSERT_EQUAL(m, ((1u << MHV_TRACE_NR) - 1) & ~1u);
	CU_ASSERT_EQUAL(mhv_trace_events_parse("exit,bogus", &m), -EINVAL);
	CU_ASSERT_EQUAL(mhv_trace_events_parse("exits", &m), -EINVAL);
	CU_ASSERT_EQUAL(mhv_trace_events_parse("", &m), -EINVAL);
	CU_ASSERT_STRING_EQUAL(mhv_trace_exit_name(MHV_TRACE_X_CPUID), "CPUID");
	CU_ASSERT_STRING_EQUAL(mhv_trace_exit_name(MHV_TRACE_X_NR), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_trace_event_name(MHV_TRACE_DROP), "DROP");
}

int register_trace_tests(void)
{
	ADD_SUITE("trace",
		  { "parse an exit event", test_parse_exit },
		  { "parse refuses bad messages", test_parse_bad },
		  { "parse device, inject, vm, drop", test_parse_others },
		  { "parse a VM list entry", test_parse_vm_entry },
		  { "parse a batch of records", test_parse_records },
		  { "parse refuses bad batches", test_parse_records_bad },
		  { "parse folded entries", test_parse_pairs },
		  { "parse leaves nothing of a record in the next",
		    test_parse_records_no_leftovers },
		  { "format text lines", test_format_lines },
		  { "format JSON", test_format_json },
		  { "parse --events lists", test_events_parse });
}
