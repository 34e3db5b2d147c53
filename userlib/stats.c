// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - reader of the binary statistics format (stats fds of
 * MHV_GET_STATS_FD and MHV_GET_VCPU_STATS_FD), and the flight recorder.
 *
 * Parsing is pure (mhv_stats_parse() on a buffer): the unit tests feed it
 * hand-built files. The reader trusts nothing of the file: every offset
 * and size is checked against the file's length.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libmultios_hv.h"
#include "internal.h"

#define PTR(p) ((unsigned long)(p))

int mhv_get_stats_fd(int vm_fd)
{
	return mhv_ioctl(vm_fd, MHV_GET_STATS_FD, 0);
}

int mhv_get_vcpu_stats_fd(int vcpu_fd)
{
	return mhv_ioctl(vcpu_fd, MHV_GET_VCPU_STATS_FD, 0);
}

int mhv_get_flight_recorder(int vcpu_fd, struct mhv_flight_recorder *fr)
{
	return mhv_ioctl(vcpu_fd, MHV_GET_FLIGHT_RECORDER, PTR(fr));
}

/* ---- parsing -------------------------------------------------------------- */

static int mhv_stats_check_header(const struct mhv_stats_header *h,
				  size_t len)
{
	uint64_t descs = (uint64_t)h->num_desc * h->desc_size;

	if (h->magic != MHV_STATS_MAGIC || h->flags)
		return -EPROTO;
	if (!h->name_size || h->name_size > MHV_STATS_NAME_SIZE * 4 ||
	    h->desc_size < sizeof(struct mhv_stats_desc) + h->name_size)
		return -EPROTO;
	if (h->id_offset < sizeof(*h) ||
	    (uint64_t)h->id_offset + MHV_STATS_ID_SIZE > h->desc_offset ||
	    h->desc_offset < sizeof(*h) ||
	    (uint64_t)h->desc_offset + descs > h->data_offset ||
	    h->data_size % 8)
		return -EPROTO;
	if (h->data_offset > len)	/* the descriptors must be there */
		return -EPROTO;
	return 0;
}

static int mhv_stats_check_field(const struct mhv_stat_field *f,
				 uint32_t data_size)
{
	uint32_t type = f->flags & MHV_STATS_TYPE_MASK;

	if (type > MHV_STATS_TYPE_HIST_LOG2 || !f->size || f->offset % 8 ||
	    (uint64_t)f->offset + (uint64_t)f->size * 8 > data_size)
		return -EPROTO;
	if (type != MHV_STATS_TYPE_HIST_LOG2 && f->size != 1)
		return -EPROTO;
	if (!f->name[0] || memchr(f->name, 0, sizeof(f->name)) == NULL)
		return -EPROTO;
	return 0;
}

int mhv_stats_parse(struct mhv_stats_reader *r, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	struct mhv_stats_header h;
	uint32_t i;
	int ret;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	if (len < sizeof(h))
		return -EPROTO;
	memcpy(&h, p, sizeof(h));
	ret = mhv_stats_check_header(&h, len);
	if (ret)
		return ret;
	memcpy(r->id, p + h.id_offset, sizeof(r->id));
	r->id[sizeof(r->id) - 1] = 0;
	r->fields = calloc(h.num_desc ? h.num_desc : 1, sizeof(*r->fields));
	r->data = calloc(h.data_size ? h.data_size / 8 : 1, 8);
	if (!r->fields || !r->data) {
		mhv_stats_close(r);
		return -ENOMEM;
	}
	for (i = 0; i < h.num_desc; i++) {
		const uint8_t *d = p + h.desc_offset + (size_t)i * h.desc_size;
		struct mhv_stats_desc desc;
		struct mhv_stat_field *f = &r->fields[i];
		size_t n = h.name_size < sizeof(f->name) ? h.name_size :
			   sizeof(f->name);

		memcpy(&desc, d, sizeof(desc));
		f->flags = desc.flags;
		f->exponent = desc.exponent;
		f->size = desc.size;
		f->offset = desc.offset;
		memcpy(f->name, d + sizeof(desc), n);
		if (!memchr(d + sizeof(desc), 0, h.name_size)) {
			mhv_stats_close(r);
			return -EPROTO;
		}
		f->name[sizeof(f->name) - 1] = 0;
		if (mhv_stats_check_field(f, h.data_size)) {
			mhv_stats_close(r);
			return -EPROTO;
		}
	}
	r->nr = h.num_desc;
	r->data_offset = h.data_offset;
	r->data_size = h.data_size;
	if (len >= (size_t)h.data_offset + h.data_size)
		memcpy(r->data, p + h.data_offset, h.data_size);
	return 0;
}

/* pread exactly @len bytes at @off */
static int mhv_pread_all(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done,
				  off + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPROTO;
		done += n;
	}
	return 0;
}

int mhv_stats_open(struct mhv_stats_reader *r, int stats_fd)
{
	struct mhv_stats_header h;
	void *head;
	int ret;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	ret = mhv_pread_all(stats_fd, &h, sizeof(h), 0);
	if (ret)
		return ret;
	if (h.magic != MHV_STATS_MAGIC || h.data_offset < sizeof(h) ||
	    h.data_offset > (1u << 24))
		return -EPROTO;
	head = malloc(h.data_offset);
	if (!head)
		return -ENOMEM;
	ret = mhv_pread_all(stats_fd, head, h.data_offset, 0);
	if (!ret)
		ret = mhv_stats_parse(r, head, h.data_offset);
	free(head);
	if (ret)
		return ret;
	r->fd = stats_fd;
	ret = mhv_stats_refresh(r);
	if (ret)
		mhv_stats_close(r);
	return ret;
}

int mhv_stats_refresh(struct mhv_stats_reader *r)
{
	if (r->fd < 0)
		return -EBADF;
	return mhv_pread_all(r->fd, r->data, r->data_size, r->data_offset);
}

void mhv_stats_close(struct mhv_stats_reader *r)
{
	free(r->fields);
	free(r->data);
	r->fields = NULL;
	r->data = NULL;
	r->nr = 0;
	r->fd = -1;
}

const struct mhv_stat_field *mhv_stats_find(const struct mhv_stats_reader *r,
					    const char *name)
{
	uint32_t i;

	for (i = 0; i < r->nr; i++)
		if (!strcmp(r->fields[i].name, name))
			return &r->fields[i];
	return NULL;
}

const uint64_t *mhv_stats_values(const struct mhv_stats_reader *r,
				 const struct mhv_stat_field *f)
{
	return r->data + f->offset / 8;
}

int mhv_stats_get(const struct mhv_stats_reader *r, const char *name,
		  uint64_t *val)
{
	const struct mhv_stat_field *f = mhv_stats_find(r, name);

	if (!f)
		return -ENOENT;
	*val = mhv_stats_values(r, f)[0];
	return 0;
}

uint64_t mhv_stats_value(const struct mhv_stats_reader *r, const char *name)
{
	uint64_t v = 0;

	mhv_stats_get(r, name, &v);
	return v;
}

double mhv_stat_scale(const struct mhv_stat_field *f)
{
	double base = (f->flags & MHV_STATS_BASE_MASK) == MHV_STATS_BASE_POW2 ?
		      2 : 10;

	return pow(base, f->exponent);
}

const char *mhv_stat_type_name(uint32_t flags)
{
	switch (flags & MHV_STATS_TYPE_MASK) {
	case MHV_STATS_TYPE_COUNTER:
		return "counter";
	case MHV_STATS_TYPE_INSTANT:
		return "instant";
	case MHV_STATS_TYPE_HIST_LOG2:
		return "histogram";
	}
	return "unknown";
}

/* ---- histograms ---------------------------------------------------------- */

uint64_t mhv_hist_count(const uint64_t *b, unsigned int n)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += b[i];
	return sum;
}

double mhv_hist_percentile(const uint64_t *b, unsigned int n, double p)
{
	uint64_t count = mhv_hist_count(b, n), seen = 0, rank;
	unsigned int i;

	if (!count)
		return 0;
	if (p < 0)
		p = 0;
	if (p > 100)
		p = 100;
	rank = (uint64_t)ceil(p / 100.0 * count);
	if (rank < 1)
		rank = 1;
	for (i = 0; i < n; i++) {
		double lo = i ? ldexp(1, i) : 0, hi = ldexp(1, i + 1);

		if (seen + b[i] >= rank)
			return lo + (hi - lo) * (double)(rank - seen) / b[i];
		seen += b[i];
	}
	return ldexp(1, n);
}

/* ---- formatting ---------------------------------------------------------- */

static const char *mhv_stat_unit(const struct mhv_stat_field *f)
{
	switch (f->flags & MHV_STATS_UNIT_MASK) {
	case MHV_STATS_UNIT_BYTES:
		return "bytes";
	case MHV_STATS_UNIT_SECONDS:
		return "s";
	}
	return "";
}

static int mhv_stat_is_ns(const struct mhv_stat_field *f)
{
	return (f->flags & MHV_STATS_UNIT_MASK) == MHV_STATS_UNIT_SECONDS &&
	       (f->flags & MHV_STATS_BASE_MASK) == MHV_STATS_BASE_POW10 &&
	       f->exponent == -9;
}

/*
 * The name of an enum a VM's stats fd holds as a number: "state" (the
 * names mhv list prints), "error"; NULL for any other field.
 */
static const char *mhv_stat_value_name(const struct mhv_stat_field *f,
				       uint64_t v)
{
	if ((f->flags & MHV_STATS_TYPE_MASK) != MHV_STATS_TYPE_INSTANT ||
	    v > UINT32_MAX)
		return NULL;
	if (!strcmp(f->name, "state"))
		return mhv_vm_state_name((uint32_t)v);
	if (!strcmp(f->name, "error"))
		return mhv_error_name((uint32_t)v);
	return NULL;
}

static void mhv_format_field(struct mhv_out *o,
			     const struct mhv_stats_reader *r,
			     const struct mhv_stat_field *f, int all)
{
	const uint64_t *v = mhv_stats_values(r, f);
	double s = mhv_stat_scale(f);
	const char *name;

	if ((f->flags & MHV_STATS_TYPE_MASK) == MHV_STATS_TYPE_HIST_LOG2) {
		uint64_t n = mhv_hist_count(v, f->size);

		if (!n && !all)
			return;
		mhv_out_printf(o, "%-28s count %llu", f->name,
			       (unsigned long long)n);
		if (n)
			mhv_out_printf(o, "  p50 %.3g p90 %.3g p99 %.3g %s",
				       mhv_hist_percentile(v, f->size, 50) * s,
				       mhv_hist_percentile(v, f->size, 90) * s,
				       mhv_hist_percentile(v, f->size, 99) * s,
				       mhv_stat_unit(f));
		mhv_out_putc(o, '\n');
		return;
	}
	name = mhv_stat_value_name(f, v[0]);
	/* a state is worth printing, CREATED (0) too */
	if (!v[0] && !all && !(name && !strcmp(f->name, "state")))
		return;
	if (name)
		mhv_out_printf(o, "%-28s %s (%llu)\n", f->name, name,
			       (unsigned long long)v[0]);
	else if (s == 1)
		mhv_out_printf(o, "%-28s %llu%s%s\n", f->name,
			       (unsigned long long)v[0],
			       *mhv_stat_unit(f) ? " " : "", mhv_stat_unit(f));
	else
		mhv_out_printf(o, "%-28s %.6g %s\n", f->name, v[0] * s,
			       mhv_stat_unit(f));
}

int mhv_stats_reader_format(const struct mhv_stats_reader *r, int all,
			    char *buf, size_t len)
{
	struct mhv_out o;
	uint32_t i;

	mhv_out_init(&o, buf, len);
	mhv_out_printf(&o, "%s\n", r->id);
	for (i = 0; i < r->nr; i++)
		mhv_format_field(&o, r, &r->fields[i], all);
	return mhv_out_done(&o);
}

int mhv_stats_reader_json(const struct mhv_stats_reader *r, char *buf,
			  size_t len)
{
	struct mhv_out o;
	struct mhv_json j;
	uint32_t i, k;

	mhv_out_init(&o, buf, len);
	mhv_json_init(&j, &o);
	mhv_json_begin_object(&j, NULL);
	mhv_json_strn(&j, "id", r->id, sizeof(r->id));
	for (i = 0; i < r->nr; i++) {
		const struct mhv_stat_field *f = &r->fields[i];
		const uint64_t *v = mhv_stats_values(r, f);
		double pct[3] = { 50, 90, 99 };
		const char *key[3] = { "p50", "p90", "p99" };
		char name[16];

		if ((f->flags & MHV_STATS_TYPE_MASK) != MHV_STATS_TYPE_HIST_LOG2) {
			mhv_json_uint(&j, f->name, v[0]);
			continue;
		}
		mhv_json_begin_object(&j, f->name);
		mhv_json_uint(&j, "count", mhv_hist_count(v, f->size));
		for (k = 0; k < 3; k++) {
			snprintf(name, sizeof(name), "%s%s", key[k],
				 mhv_stat_is_ns(f) ? "_ns" : "");
			mhv_json_uint(&j, name, (uint64_t)llround(
				mhv_hist_percentile(v, f->size, pct[k])));
		}
		mhv_json_begin_array(&j, "buckets");
		for (k = 0; k < f->size; k++)
			mhv_json_uint(&j, NULL, v[k]);
		mhv_json_end_array(&j);
		mhv_json_end_object(&j);
	}
	mhv_json_end_object(&j);
	if (mhv_json_finish(&j))
		return -EINVAL;
	return mhv_out_done(&o);
}

/* ---- flight recorder ----------------------------------------------------- */

const char *mhv_exit_type_name(uint32_t type)
{
	static const char *const n[] = {
		[MHV_X_UNKNOWN] = "unknown", [MHV_X_CPUID] = "cpuid",
		[MHV_X_HLT] = "hlt", [MHV_X_IO] = "io",
		[MHV_X_MSR_READ] = "msr_read", [MHV_X_MSR_WRITE] = "msr_write",
		[MHV_X_NPF] = "npf", [MHV_X_SHUTDOWN] = "shutdown",
		[MHV_X_INTR] = "intr", [MHV_X_NMI] = "nmi", [MHV_X_UD] = "ud",
		[MHV_X_FAIL_ENTRY] = "fail_entry", [MHV_X_CR] = "cr",
		[MHV_X_DR] = "dr", [MHV_X_EXCEPTION] = "exception",
		[MHV_X_CACHE] = "cache", [MHV_X_RDPMC] = "rdpmc",
		[MHV_X_IRQ_WINDOW] = "irq_window",
		[MHV_X_NMI_WINDOW] = "nmi_window",
	};

	return type < sizeof(n) / sizeof(n[0]) && n[type] ? n[type] :
	       "unknown";
}

int mhv_flight_format(const struct mhv_flight_recorder *fr, char *buf,
		      size_t len)
{
	const struct mhv_flight_entry *last;
	struct mhv_out o;
	uint32_t i, nr = fr->nr > MHV_FLIGHT_ENTRIES ? MHV_FLIGHT_ENTRIES :
						       fr->nr;

	mhv_out_init(&o, buf, len);
	mhv_out_printf(&o, "VM \"%.*s\" vCPU %u: last %u of %llu exits, oldest first\n",
		       MHV_VM_NAME_LEN, fr->vm_name, fr->vcpu_id, nr,
		       (unsigned long long)fr->total);
	mhv_out_printf(&o, "%4s %14s %-10s %18s %10s %18s %18s\n", "#",
		       "time (us)", "exit", "rip", "code", "info1", "info2");
	last = nr ? &fr->entries[nr - 1] : NULL;
	for (i = 0; i < nr; i++) {
		const struct mhv_flight_entry *e = &fr->entries[i];

		mhv_out_printf(&o, "%4d %14.3f %-10s %#18llx %#10llx %#18llx %#18llx\n",
			       (int)i - (int)nr + 1,
			       -(double)(last->time_ns - e->time_ns) / 1000,
			       mhv_exit_type_name(e->type),
			       (unsigned long long)e->rip,
			       (unsigned long long)e->code,
			       (unsigned long long)e->info1,
			       (unsigned long long)e->info2);
	}
	if (fr->flags & MHV_FLIGHT_F_FROZEN)
		mhv_out_printf(&o, "frozen: the VM is in ERROR: %s\n",
			       mhv_error_name(fr->error));
	else
		mhv_out_printf(&o, "not frozen: the VM is not in ERROR\n");
	return mhv_out_done(&o);
}
