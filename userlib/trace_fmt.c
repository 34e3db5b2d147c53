// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - the pure side of the trace channel: decoding netlink
 * event and VM-list messages, names, text and JSON lines. No socket
 * here (trace.c has them), so the unit tests run it on the host.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <netlink/genl/genl.h>

#include "internal.h"
#include "libmultios_hv.h"

#define NAME_OF(table, i)						\
	((i) < sizeof(table) / sizeof((table)[0]) && (table)[i] ?	\
	 (table)[i] : "unknown")

static const char *const mhv_event_names[MHV_TRACE_NR] = {
	[MHV_TRACE_EXIT] = "EXIT", [MHV_TRACE_ENTRY] = "ENTRY",
	[MHV_TRACE_NPF] = "NPF", [MHV_TRACE_DEV] = "DEV",
	[MHV_TRACE_INJECT] = "INJECT", [MHV_TRACE_VM] = "VM",
	[MHV_TRACE_DROP] = "DROP",
};

const char *mhv_trace_event_name(uint32_t type)
{
	return NAME_OF(mhv_event_names, type);
}

const char *mhv_trace_exit_name(uint32_t reason)
{
	static const char *const n[MHV_TRACE_X_NR] = {
		[MHV_TRACE_X_UNKNOWN] = "UNKNOWN", [MHV_TRACE_X_CPUID] = "CPUID",
		[MHV_TRACE_X_HLT] = "HLT", [MHV_TRACE_X_IO] = "IO",
		[MHV_TRACE_X_MSR_READ] = "RDMSR",
		[MHV_TRACE_X_MSR_WRITE] = "WRMSR", [MHV_TRACE_X_NPF] = "NPF",
		[MHV_TRACE_X_SHUTDOWN] = "SHUTDOWN", [MHV_TRACE_X_INTR] = "INTR",
		[MHV_TRACE_X_NMI] = "NMI", [MHV_TRACE_X_UD] = "UD",
		[MHV_TRACE_X_FAIL_ENTRY] = "FAIL_ENTRY", [MHV_TRACE_X_CR] = "CR",
		[MHV_TRACE_X_DR] = "DR", [MHV_TRACE_X_EXCEPTION] = "EXCEPTION",
		[MHV_TRACE_X_CACHE] = "CACHE", [MHV_TRACE_X_RDPMC] = "RDPMC",
		[MHV_TRACE_X_IRQ_WINDOW] = "IRQ_WINDOW",
		[MHV_TRACE_X_NMI_WINDOW] = "NMI_WINDOW",
	};
	return NAME_OF(n, reason);
}

int mhv_trace_events_parse(const char *s, uint32_t *mask)
{
	uint32_t m = 0;
	unsigned int t;

	if (!s || !*s)
		return -EINVAL;
	while (*s) {
		size_t n = strcspn(s, ",");
		bool found = false;

		if (n == 3 && !strncasecmp(s, "all", 3)) {
			m |= ((1u << MHV_TRACE_NR) - 1) & ~1u;
			found = true;
		}
		for (t = 1; !found && t < MHV_TRACE_NR; t++) {
			if (strlen(mhv_event_names[t]) == n &&
			    !strncasecmp(s, mhv_event_names[t], n)) {
				m |= 1u << t;
				found = true;
			}
		}
		if (!found)
			return -EINVAL;
		s += n;
		if (*s == ',')
			s++;
	}
	*mask = m;
	return 0;
}

/* ---- decoding -------------------------------------------------------------- */

static struct nlattr **mhv_parse_attrs(const void *msg, size_t len,
				       struct nlattr **tb, uint8_t cmd)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)msg;
	struct genlmsghdr *g;

	if (len < NLMSG_HDRLEN + GENL_HDRLEN || nlh->nlmsg_len > len ||
	    !genlmsg_valid_hdr(nlh, 0))
		return NULL;
	g = nlmsg_data(nlh);
	if (g->cmd != cmd || genlmsg_parse(nlh, 0, tb, MHV_NL_A_MAX, NULL))
		return NULL;
	return tb;
}

static uint64_t u64_of(struct nlattr **tb, int a)
{
	return tb[a] && nla_len(tb[a]) >= 8 ? nla_get_u64(tb[a]) : 0;
}

static uint32_t u32_of(struct nlattr **tb, int a)
{
	return tb[a] && nla_len(tb[a]) >= 4 ? nla_get_u32(tb[a]) : 0;
}

static int u8_of(struct nlattr **tb, int a)
{
	return tb[a] && nla_len(tb[a]) >= 1 ? nla_get_u8(tb[a]) : 0;
}

static void str_of(struct nlattr **tb, int a, char *dst, size_t size)
{
	memset(dst, 0, size);
	if (tb[a])
		nla_strlcpy(dst, tb[a], size);
}

int mhv_trace_parse(const void *msg, size_t len, struct mhv_trace_event *ev)
{
	struct nlattr *tb[MHV_NL_A_MAX + 1];

	if (!mhv_parse_attrs(msg, len, tb, MHV_NL_CMD_EVENT) ||
	    !tb[MHV_NL_A_EVENT])
		return -EINVAL;
	memset(ev, 0, sizeof(*ev));
	ev->type = u32_of(tb, MHV_NL_A_EVENT);
	ev->vm_id = u32_of(tb, MHV_NL_A_VM_ID);
	ev->vcpu = tb[MHV_NL_A_VCPU] ? u32_of(tb, MHV_NL_A_VCPU) :
				       MHV_TRACE_NO_VCPU;
	ev->time_ns = u64_of(tb, MHV_NL_A_TIME_NS);
	ev->exit_reason = u32_of(tb, MHV_NL_A_EXIT_REASON);
	ev->rip = u64_of(tb, MHV_NL_A_RIP);
	ev->exit_code = u64_of(tb, MHV_NL_A_EXIT_CODE);
	ev->exit_info1 = u64_of(tb, MHV_NL_A_EXIT_INFO1);
	ev->exit_info2 = u64_of(tb, MHV_NL_A_EXIT_INFO2);
	ev->exit_arg = u64_of(tb, MHV_NL_A_EXIT_ARG);
	ev->gpa = u64_of(tb, MHV_NL_A_GPA);
	ev->handle_ns = u64_of(tb, MHV_NL_A_HANDLE_NS);
	ev->user = u8_of(tb, MHV_NL_A_USER);
	ev->access = u32_of(tb, MHV_NL_A_ACCESS);
	ev->pages = u64_of(tb, MHV_NL_A_PAGES);
	ev->dev_id = u32_of(tb, MHV_NL_A_DEV_ID);
	ev->dev_type = u32_of(tb, MHV_NL_A_DEV_TYPE);
	ev->width = u32_of(tb, MHV_NL_A_WIDTH);
	ev->offset = u64_of(tb, MHV_NL_A_OFFSET);
	ev->value = u64_of(tb, MHV_NL_A_VALUE);
	ev->write = u8_of(tb, MHV_NL_A_WRITE);
	ev->refused = u8_of(tb, MHV_NL_A_REFUSED);
	ev->vector = u32_of(tb, MHV_NL_A_VECTOR);
	ev->inject_kind = u32_of(tb, MHV_NL_A_INJECT_KIND);
	ev->has_error_code = !!tb[MHV_NL_A_ERROR_CODE];
	ev->error_code = u32_of(tb, MHV_NL_A_ERROR_CODE);
	ev->lifecycle = u32_of(tb, MHV_NL_A_LIFECYCLE);
	ev->state = u32_of(tb, MHV_NL_A_STATE);
	ev->error = u32_of(tb, MHV_NL_A_ERROR);
	ev->owner_uid = u32_of(tb, MHV_NL_A_OWNER_UID);
	str_of(tb, MHV_NL_A_VM_NAME, ev->vm_name, sizeof(ev->vm_name));
	ev->dropped = u64_of(tb, MHV_NL_A_DROPPED);
	ev->drop_where = u32_of(tb, MHV_NL_A_DROP_WHERE);
	return 0;
}

/*
 * The fields of @r that events of @type use (see struct
 * mhv_trace_record). From a record of zeros: those fields zeroed again.
 */
static void mhv_record_fields(const struct mhv_trace_record *r, uint32_t type,
			      struct mhv_trace_event *ev)
{
	switch (type) {
	case MHV_TRACE_EXIT:
		ev->exit_reason = r->reason;
		ev->rip = r->a[0];
		ev->exit_code = r->a[1];
		ev->exit_info1 = r->a[2];
		ev->exit_info2 = r->a[3];
		ev->exit_arg = r->a[4];
		ev->gpa = r->a[5];
		ev->handle_ns = r->a[6];
		ev->user = !!(r->flags & MHV_TRACE_F_USER);
		ev->entry = !!(r->flags & MHV_TRACE_F_ENTRY);
		ev->entry_rip = ev->entry ? r->aux | (uint64_t)r->aux2 << 32 : 0;
		break;
	case MHV_TRACE_ENTRY:
		ev->rip = r->a[0];
		break;
	case MHV_TRACE_NPF:
		ev->access = r->aux;
		ev->gpa = r->a[0];
		ev->pages = r->a[1];
		ev->rip = r->a[2];
		break;
	case MHV_TRACE_DEV:
		ev->dev_id = r->reason;
		ev->dev_type = r->aux;
		ev->width = r->aux2;
		ev->offset = r->a[0];
		ev->value = r->a[1];
		ev->write = !!(r->flags & MHV_TRACE_F_WRITE);
		ev->refused = !!(r->flags & MHV_TRACE_F_REFUSED);
		break;
	case MHV_TRACE_INJECT:
		ev->vector = r->reason;
		ev->inject_kind = r->aux;
		ev->has_error_code = !!(r->flags & MHV_TRACE_F_ERROR_CODE);
		ev->error_code = ev->has_error_code ? (uint32_t)r->a[0] : 0;
		ev->rip = r->a[1];
		break;
	case MHV_TRACE_VM:
		ev->lifecycle = r->reason;
		ev->state = r->aux;
		ev->owner_uid = r->aux2;
		ev->error = (uint32_t)r->a[0];
		ev->exit_code = r->a[1];
		memcpy(ev->vm_name, &r->a[2], sizeof(ev->vm_name) - 1);
		break;
	case MHV_TRACE_DROP:
		ev->drop_where = r->reason;
		ev->dropped = r->a[0];
		break;
	}
}

static const struct mhv_trace_record mhv_zero_record;

/*
 * @ev gets the record at @rec (MHV_NL_A_RECORD_SIZE bytes). Every field
 * outside those of the record's type must be zero already; those of its
 * type are all stored. A batch decodes its records into one event and
 * clears the fields of the last type only when the type changes: no
 * memset() of the whole event per record (under an emulator each
 * instruction per event shows in a traced guest's speed).
 */
static void mhv_record_load(const void *rec, struct mhv_trace_event *ev)
{
	struct mhv_trace_record r;

	memcpy(&r, rec, sizeof(r));
	if (ev->type != r.type)
		mhv_record_fields(&mhv_zero_record, ev->type, ev);
	ev->type = r.type;
	ev->vm_id = r.vm_id;
	ev->vcpu = r.vcpu;
	ev->time_ns = r.time_ns;
	mhv_record_fields(&r, r.type, ev);
}

int mhv_trace_record_decode(const void *rec, size_t size,
			    struct mhv_trace_event *ev)
{
	if (size < sizeof(struct mhv_trace_record))
		return -EINVAL;
	memset(ev, 0, sizeof(*ev));
	mhv_record_load(rec, ev);
	return 0;
}

int mhv_trace_parse_records(const void *msg, size_t len, mhv_trace_cb cb,
			    void *arg)
{
	struct nlattr *tb[MHV_NL_A_MAX + 1];
	struct mhv_trace_event ev, entry;
	const uint8_t *p;
	uint32_t size;
	int n = 0, len_recs;

	if (!mhv_parse_attrs(msg, len, tb, MHV_NL_CMD_EVENTS) ||
	    !tb[MHV_NL_A_RECORDS])
		return -EINVAL;
	size = u32_of(tb, MHV_NL_A_RECORD_SIZE);
	len_recs = nla_len(tb[MHV_NL_A_RECORDS]);
	if (size < sizeof(struct mhv_trace_record) || len_recs % size)
		return -EINVAL;
	p = nla_data(tb[MHV_NL_A_RECORDS]);
	memset(&ev, 0, sizeof(ev));
	/* MHV_TRACE_F_ENTRY: the entry after the exit; only these fields */
	memset(&entry, 0, sizeof(entry));
	entry.type = MHV_TRACE_ENTRY;
	for (; len_recs > 0; len_recs -= size, p += size) {
		mhv_record_load(p, &ev);
		n++;
		if (cb && cb(&ev, arg))
			break;
		if (ev.type != MHV_TRACE_EXIT || !ev.entry)
			continue;
		entry.vm_id = ev.vm_id;
		entry.vcpu = ev.vcpu;
		entry.time_ns = ev.time_ns + ev.handle_ns;
		entry.rip = ev.entry_rip;
		n++;
		if (cb && cb(&entry, arg))
			break;
	}
	return n;
}

int mhv_vm_entry_parse(const void *msg, size_t len, struct mhv_vm_entry *e)
{
	struct nlattr *tb[MHV_NL_A_MAX + 1];

	if (!mhv_parse_attrs(msg, len, tb, MHV_NL_CMD_LIST_VMS) ||
	    !tb[MHV_NL_A_VM_ID])
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	e->id = u32_of(tb, MHV_NL_A_VM_ID);
	str_of(tb, MHV_NL_A_VM_NAME, e->name, sizeof(e->name));
	e->owner_pid = u32_of(tb, MHV_NL_A_OWNER_PID);
	e->owner_uid = u32_of(tb, MHV_NL_A_OWNER_UID);
	e->state = u32_of(tb, MHV_NL_A_STATE);
	e->vcpus = u32_of(tb, MHV_NL_A_VCPUS);
	e->vcpus_created = u32_of(tb, MHV_NL_A_VCPUS_CREATED);
	e->devices = u32_of(tb, MHV_NL_A_DEVICES);
	e->mem_limit = u64_of(tb, MHV_NL_A_MEM_LIMIT);
	e->mem_allocated = u64_of(tb, MHV_NL_A_MEM_ALLOCATED);
	e->mem_used = u64_of(tb, MHV_NL_A_MEM_USED);
	e->exits = u64_of(tb, MHV_NL_A_EXITS);
	return 0;
}

/* ---- text ------------------------------------------------------------------ */

/* 850ns, 1.2us, 3.4ms, 1.0s */
static void mhv_out_ns(struct mhv_out *o, uint64_t ns)
{
	if (ns < 1000)
		mhv_out_printf(o, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		mhv_out_printf(o, "%.1fus", ns / 1e3);
	else if (ns < 1000000000)
		mhv_out_printf(o, "%.1fms", ns / 1e6);
	else
		mhv_out_printf(o, "%.1fs", ns / 1e9);
}

static void mhv_out_exit(struct mhv_out *o, const struct mhv_trace_event *e)
{
	uint64_t a = e->exit_arg;

	mhv_out_printf(o, " %s", mhv_trace_exit_name(e->exit_reason));
	switch (e->exit_reason) {
	case MHV_TRACE_X_CPUID:
		mhv_out_printf(o, " leaf 0x%x", (uint32_t)a);
		if (a >> 32)
			mhv_out_printf(o, " subleaf 0x%x", (uint32_t)(a >> 32));
		break;
	case MHV_TRACE_X_MSR_READ:
	case MHV_TRACE_X_MSR_WRITE:
		mhv_out_printf(o, " msr 0x%x", (uint32_t)a);
		break;
	case MHV_TRACE_X_IO:
		mhv_out_printf(o, " %s port 0x%x size %u",
			       (a >> 24) & 1 ? "in" : "out",
			       (unsigned int)(a & 0xffff),
			       (unsigned int)((a >> 16) & 0xff));
		break;
	case MHV_TRACE_X_NPF:
		mhv_out_printf(o, " gpa 0x%llx", (unsigned long long)e->gpa);
		break;
	}
	mhv_out_printf(o, " at rip 0x%llx ", (unsigned long long)e->rip);
	mhv_out_ns(o, e->handle_ns);
	mhv_out_printf(o, " %s", e->user ? "user" : "kernel");
}

static void mhv_out_npf(struct mhv_out *o, const struct mhv_trace_event *e)
{
	mhv_out_printf(o, " NPF gpa 0x%llx %s%s%s", (unsigned long long)e->gpa,
		       e->access & MHV_TRACE_ACC_FETCH ? "fetch" :
		       e->access & MHV_TRACE_ACC_WRITE ? "write" : "read",
		       e->access & MHV_TRACE_ACC_PRESENT ? " present" : "",
		       e->access & MHV_TRACE_ACC_MMIO ? " mmio" : "");
	if (!(e->access & MHV_TRACE_ACC_MMIO))
		mhv_out_printf(o, " mapped %llu page%s",
			       (unsigned long long)e->pages,
			       e->pages == 1 ? "" : "s");
	mhv_out_printf(o, " at rip 0x%llx", (unsigned long long)e->rip);
}

static void mhv_out_vm(struct mhv_out *o, const struct mhv_trace_event *e)
{
	static const char *const what[] = {
		[MHV_TRACE_VM_CREATED] = "created",
		[MHV_TRACE_VM_STATE] = "state",
		[MHV_TRACE_VM_DESTROYED] = "destroyed",
		[MHV_TRACE_VM_ERROR] = "error",
	};

	mhv_out_printf(o, "vm %u \"%s\" %s", e->vm_id, e->vm_name,
		       NAME_OF(what, e->lifecycle));
	if (e->lifecycle == MHV_TRACE_VM_STATE)
		mhv_out_printf(o, " %s", mhv_vm_state_name(e->state));
	if (e->lifecycle == MHV_TRACE_VM_ERROR)
		mhv_out_printf(o, ": %s", mhv_error_name(e->error));
}

int mhv_trace_format(const struct mhv_trace_event *e, char *buf, size_t len)
{
	static const char *const where[] = {
		[MHV_TRACE_DROP_RING] = "buffer full",
		[MHV_TRACE_DROP_SOCKET] = "socket full",
		[MHV_TRACE_DROP_VMQ] = "lifecycle queue full",
	};
	struct mhv_out o;

	mhv_out_init(&o, buf, len);
	if (e->vcpu != MHV_TRACE_NO_VCPU)
		mhv_out_printf(&o, "vcpu%u", e->vcpu);
	switch (e->type) {
	case MHV_TRACE_EXIT:
		mhv_out_exit(&o, e);
		break;
	case MHV_TRACE_ENTRY:
		mhv_out_printf(&o, " ENTRY at rip 0x%llx",
			       (unsigned long long)e->rip);
		break;
	case MHV_TRACE_NPF:
		mhv_out_npf(&o, e);
		break;
	case MHV_TRACE_DEV:
		mhv_out_printf(&o, " DEV %u (%s) %s offset 0x%llx width %u value 0x%llx%s",
			       e->dev_id, mhv_dev_type_name(e->dev_type),
			       e->write ? "write" : "read",
			       (unsigned long long)e->offset, e->width,
			       (unsigned long long)e->value,
			       e->refused ? " refused" : "");
		break;
	case MHV_TRACE_INJECT:
		mhv_out_printf(&o, " INJECT %s vector %u",
			       e->inject_kind == MHV_TRACE_INJ_EXC ?
			       "exception" : "interrupt", e->vector);
		if (e->has_error_code)
			mhv_out_printf(&o, " error 0x%x", e->error_code);
		mhv_out_printf(&o, " at rip 0x%llx", (unsigned long long)e->rip);
		break;
	case MHV_TRACE_VM:
		mhv_out_vm(&o, e);
		break;
	case MHV_TRACE_DROP:
		mhv_out_printf(&o, "%sDROPPED %llu events (%s)",
			       e->vcpu != MHV_TRACE_NO_VCPU ? " " : "",
			       (unsigned long long)e->dropped,
			       NAME_OF(where, e->drop_where));
		break;
	default:
		mhv_out_printf(&o, " event %u", e->type);
		break;
	}
	return mhv_out_done(&o);
}

static void mhv_json_type_fields(struct mhv_json *j,
				 const struct mhv_trace_event *e)
{
	switch (e->type) {
	case MHV_TRACE_EXIT:
		mhv_json_str(j, "reason", mhv_trace_exit_name(e->exit_reason));
		mhv_json_uint(j, "rip", e->rip);
		mhv_json_uint(j, "code", e->exit_code);
		mhv_json_uint(j, "info1", e->exit_info1);
		mhv_json_uint(j, "info2", e->exit_info2);
		mhv_json_uint(j, "arg", e->exit_arg);
		mhv_json_uint(j, "gpa", e->gpa);
		mhv_json_uint(j, "handle_ns", e->handle_ns);
		mhv_json_str(j, "handled", e->user ? "user" : "kernel");
		break;
	case MHV_TRACE_ENTRY:
		mhv_json_uint(j, "rip", e->rip);
		break;
	case MHV_TRACE_NPF:
		mhv_json_uint(j, "gpa", e->gpa);
		mhv_json_uint(j, "access", e->access);
		mhv_json_uint(j, "pages", e->pages);
		mhv_json_uint(j, "rip", e->rip);
		break;
	case MHV_TRACE_DEV:
		mhv_json_uint(j, "device", e->dev_id);
		mhv_json_str(j, "device_type", mhv_dev_type_name(e->dev_type));
		mhv_json_uint(j, "offset", e->offset);
		mhv_json_uint(j, "width", e->width);
		mhv_json_uint(j, "value", e->value);
		mhv_json_bool(j, "write", e->write);
		mhv_json_bool(j, "refused", e->refused);
		break;
	case MHV_TRACE_INJECT:
		mhv_json_str(j, "kind", e->inject_kind == MHV_TRACE_INJ_EXC ?
			     "exception" : "interrupt");
		mhv_json_uint(j, "vector", e->vector);
		if (e->has_error_code)
			mhv_json_uint(j, "error_code", e->error_code);
		mhv_json_uint(j, "rip", e->rip);
		break;
	case MHV_TRACE_VM:
		mhv_json_uint(j, "lifecycle", e->lifecycle);
		mhv_json_str(j, "state", mhv_vm_state_name(e->state));
		mhv_json_strn(j, "name", e->vm_name, sizeof(e->vm_name));
		mhv_json_uint(j, "owner_uid", e->owner_uid);
		if (e->lifecycle == MHV_TRACE_VM_ERROR)
			mhv_json_str(j, "error", mhv_error_name(e->error));
		break;
	case MHV_TRACE_DROP:
		mhv_json_uint(j, "dropped", e->dropped);
		mhv_json_uint(j, "where", e->drop_where);
		break;
	}
}

int mhv_trace_format_json(const struct mhv_trace_event *e, char *buf,
			  size_t len)
{
	struct mhv_out o;
	struct mhv_json j;

	mhv_out_init(&o, buf, len);
	mhv_json_init(&j, &o);
	mhv_json_begin_object(&j, NULL);
	mhv_json_str(&j, "event", mhv_trace_event_name(e->type));
	mhv_json_uint(&j, "time_ns", e->time_ns);
	mhv_json_uint(&j, "vm", e->vm_id);
	if (e->vcpu == MHV_TRACE_NO_VCPU)
		mhv_json_null(&j, "vcpu");
	else
		mhv_json_uint(&j, "vcpu", e->vcpu);
	mhv_json_type_fields(&j, e);
	mhv_json_end_object(&j);
	if (mhv_json_finish(&j))
		return -EINVAL;
	return mhv_out_done(&o);
}

int mhv_vm_entry_format_json(const struct mhv_vm_entry *e, char *buf,
			     size_t len)
{
	struct mhv_out o;
	struct mhv_json j;

	mhv_out_init(&o, buf, len);
	mhv_json_init(&j, &o);
	mhv_json_begin_object(&j, NULL);
	mhv_json_uint(&j, "id", e->id);
	mhv_json_strn(&j, "name", e->name, sizeof(e->name));
	mhv_json_uint(&j, "owner_pid", e->owner_pid);
	mhv_json_uint(&j, "owner_uid", e->owner_uid);
	mhv_json_str(&j, "state", mhv_vm_state_name(e->state));
	mhv_json_uint(&j, "vcpus", e->vcpus);
	mhv_json_uint(&j, "vcpus_created", e->vcpus_created);
	mhv_json_uint(&j, "memory_limit", e->mem_limit);
	mhv_json_uint(&j, "memory_allocated", e->mem_allocated);
	mhv_json_uint(&j, "memory_used", e->mem_used);
	mhv_json_uint(&j, "devices", e->devices);
	mhv_json_uint(&j, "exits", e->exits);
	mhv_json_end_object(&j);
	if (mhv_json_finish(&j))
		return -EINVAL;
	return mhv_out_done(&o);
}
