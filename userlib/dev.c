// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - in-kernel devices: one wrapper per device ioctl of the
 * VM fd, names of device types, spaces and access modes, and the
 * statistics of a device as text.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmultios_hv.h"
#include "internal.h"

#define PTR(p) ((unsigned long)(p))

#define NAME_OF(table, i) \
	((i) < sizeof(table) / sizeof((table)[0]) && (table)[i] ? \
	 (table)[i] : "unknown")

int mhv_create_device(int vm_fd, uint32_t type, uint32_t space,
		      uint64_t base)
{
	return mhv_create_device_irq(vm_fd, type, space, base, 0);
}

static int create_device(int vm_fd, uint32_t type, uint32_t space,
			 uint64_t base, uint32_t irq_vector, uint32_t flags,
			 uint32_t gsi)
{
	struct mhv_device_create c;

	memset(&c, 0, sizeof(c));
	c.type = type;
	c.space = space;
	c.base = base;
	c.irq_vector = irq_vector;
	c.flags = flags;
	c.irq_gsi = gsi;
	return mhv_ioctl(vm_fd, MHV_CREATE_DEVICE, PTR(&c));
}

int mhv_create_device_irq(int vm_fd, uint32_t type, uint32_t space,
			  uint64_t base, uint32_t irq_vector)
{
	return create_device(vm_fd, type, space, base, irq_vector, 0, 0);
}

int mhv_create_device_gsi(int vm_fd, uint32_t type, uint32_t space,
			  uint64_t base, uint32_t gsi)
{
	return create_device(vm_fd, type, space, base, 0, MHV_DEV_F_IRQ_GSI,
			     gsi);
}

int mhv_list_devices(int vm_fd, struct mhv_device_list *list)
{
	return mhv_ioctl(vm_fd, MHV_LIST_DEVICES, PTR(list));
}

int mhv_describe_device(int vm_fd, uint32_t id, struct mhv_device_desc *desc)
{
	memset(desc, 0, sizeof(*desc));
	desc->id = id;
	return mhv_ioctl(vm_fd, MHV_DESCRIBE_DEVICE, PTR(desc));
}

int mhv_device_read(int vm_fd, uint32_t id, uint32_t offset, uint32_t size,
		    uint64_t *value)
{
	struct mhv_device_reg r;
	int ret;

	memset(&r, 0, sizeof(r));
	r.id = id;
	r.offset = offset;
	r.size = size;
	ret = mhv_ioctl(vm_fd, MHV_DEVICE_READ, PTR(&r));
	if (!ret)
		*value = r.value;
	return ret;
}

int mhv_device_write(int vm_fd, uint32_t id, uint32_t offset, uint32_t size,
		     uint64_t value)
{
	struct mhv_device_reg r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	r.offset = offset;
	r.size = size;
	r.value = value;
	return mhv_ioctl(vm_fd, MHV_DEVICE_WRITE, PTR(&r));
}

int mhv_get_device_stats(int vm_fd, uint32_t id, struct mhv_device_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->id = id;
	return mhv_ioctl(vm_fd, MHV_GET_DEVICE_STATS, PTR(st));
}

int mhv_reset_device_stats(int vm_fd, uint32_t id)
{
	return mhv_ioctl(vm_fd, MHV_RESET_DEVICE_STATS, id);
}

int mhv_set_device_mode(int vm_fd, uint32_t id, uint32_t mode)
{
	struct mhv_device_mode m;

	memset(&m, 0, sizeof(m));
	m.id = id;
	m.mode = mode;
	return mhv_ioctl(vm_fd, MHV_SET_DEVICE_MODE, PTR(&m));
}

int mhv_reset_device(int vm_fd, uint32_t id)
{
	return mhv_ioctl(vm_fd, MHV_RESET_DEVICE, id);
}

static int uart_io(int vm_fd, unsigned long cmd, uint32_t id,
		   const void *buf, uint32_t len)
{
	struct mhv_uart_io io;

	memset(&io, 0, sizeof(io));
	io.id = id;
	io.len = len;
	io.data = PTR(buf);
	return mhv_ioctl(vm_fd, cmd, PTR(&io));
}

int mhv_uart_read_output(int vm_fd, uint32_t id, void *buf, uint32_t len)
{
	return uart_io(vm_fd, MHV_DEV_UART_READ_OUTPUT, id, buf, len);
}

int mhv_uart_write_input(int vm_fd, uint32_t id, const void *buf,
			 uint32_t len)
{
	return uart_io(vm_fd, MHV_DEV_UART_WRITE_INPUT, id, buf, len);
}

/* ---- names --------------------------------------------------------------- */

static const char *const dev_type_names[] = {
	[MHV_DEV_TYPE_DEMO] = "demo",
	[MHV_DEV_TYPE_DEBUG_EXIT] = "debug-exit",
	[MHV_DEV_TYPE_UART] = "uart",
	[MHV_DEV_TYPE_TIMER] = "timer",
	[MHV_DEV_TYPE_EDU] = "edu",
	[MHV_DEV_TYPE_RTC] = "rtc",
	[MHV_DEV_TYPE_RESET] = "reset",
	[MHV_DEV_TYPE_FWINFO] = "fwinfo",
	[MHV_DEV_TYPE_PIC] = "pic",
	[MHV_DEV_TYPE_PIT] = "pit",
	[MHV_DEV_TYPE_IOAPIC] = "ioapic",
	[MHV_DEV_TYPE_ACPI_PM] = "acpi-pm",
};

static const char *const dev_mode_names[] = {
	[MHV_DEV_MODE_RW] = "read-write",
	[MHV_DEV_MODE_RO] = "read-only",
	[MHV_DEV_MODE_DISABLED] = "disabled",
};

const char *mhv_dev_type_name(uint32_t type)
{
	return NAME_OF(dev_type_names, type);
}

const char *mhv_dev_mode_name(uint32_t mode)
{
	return NAME_OF(dev_mode_names, mode);
}

const char *mhv_dev_space_name(uint32_t space)
{
	static const char *const n[] = {
		[MHV_DEV_SPACE_PIO] = "pio", [MHV_DEV_SPACE_MMIO] = "mmio",
	};
	return NAME_OF(n, space);
}

/* Index of @name in @table (entries may be NULL), or -EINVAL. */
static int index_of(const char *const *table, size_t n, const char *name)
{
	size_t i;

	if (!name)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (table[i] && !strcmp(table[i], name))
			return (int)i;
	return -EINVAL;
}

int mhv_dev_type_from_name(const char *name)
{
	return index_of(dev_type_names,
			sizeof(dev_type_names) / sizeof(dev_type_names[0]),
			name);
}

int mhv_dev_mode_from_name(const char *name)
{
	return index_of(dev_mode_names,
			sizeof(dev_mode_names) / sizeof(dev_mode_names[0]),
			name);
}

/* ---- statistics as text ---------------------------------------------------- */

int mhv_dev_stats_format(const struct mhv_device_stats *st, char *buf,
			 size_t len)
{
	uint64_t errors = st->err_offset + st->err_width + st->err_refused;
	struct mhv_out o;
	unsigned int i;

	mhv_out_init(&o, buf, len);
	mhv_out_printf(&o, "  %-10s %12" PRIu64 "  (%" PRIu64 " bytes)\n",
		       "reads", (uint64_t)st->reads,
		       (uint64_t)st->bytes_read);
	mhv_out_printf(&o, "  %-10s %12" PRIu64 "  (%" PRIu64 " bytes)\n",
		       "writes", (uint64_t)st->writes,
		       (uint64_t)st->bytes_written);
	mhv_out_printf(&o, "  %-10s %12" PRIu64 "  (offset %" PRIu64
		       ", width %" PRIu64 ", refused %" PRIu64 ")\n",
		       "errors", errors, (uint64_t)st->err_offset,
		       (uint64_t)st->err_width, (uint64_t)st->err_refused);
	if (st->dma_refused)
		mhv_out_printf(&o, "  %-10s %12" PRIu64 "  (DMA commands)\n",
			       "refused", (uint64_t)st->dma_refused);
	mhv_out_printf(&o, "  %-10s %12" PRIu64 "  (mean %" PRIu64
		       " ns, min %" PRIu64 " ns, max %" PRIu64 " ns)\n",
		       "timed", (uint64_t)st->time_count,
		       (uint64_t)st->time_mean_ns, (uint64_t)st->time_min_ns,
		       (uint64_t)st->time_max_ns);
	for (i = 0; i < MHV_DEV_HIST_BUCKETS; i++) {
		if (!st->hist[i])
			continue;
		if (i == MHV_DEV_HIST_BUCKETS - 1)
			mhv_out_printf(&o, "  >= %" PRIu64 " ns",
				       (uint64_t)1 << i);
		else
			mhv_out_printf(&o, "  %" PRIu64 "-%" PRIu64 " ns",
				       i ? (uint64_t)1 << i : 0,
				       ((uint64_t)2 << i) - 1);
		mhv_out_printf(&o, ": %" PRIu64 "\n", (uint64_t)st->hist[i]);
	}
	return mhv_out_done(&o);
}

/* ---- "TYPE@ADDR" on a command line ------------------------------------------ */

/* A C-syntax number, all of @s; 0 or -EINVAL. */
static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

static void spec_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void spec_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* "demo, debug-exit, uart, ...": the type names the library knows. */
static void type_list(char *buf, size_t len)
{
	struct mhv_out o;
	unsigned int i;

	mhv_out_init(&o, buf, len);
	for (i = 1; i < MHV_DEV_TYPE_NR; i++)
		if (strcmp(mhv_dev_type_name(i), "unknown"))
			mhv_out_printf(&o, "%s%s", o.pos ? ", " : "",
				       mhv_dev_type_name(i));
	mhv_out_done(&o);
}

int mhv_device_spec_parse(const char *spec, uint32_t *type, uint32_t *space,
			  uint64_t *base, char *err, size_t errlen)
{
	return mhv_device_spec_parse_irq(spec, type, space, base, NULL, err,
					 errlen);
}

/* ",irq=VECTOR" after the address: 32..255 */
static int spec_irq(const char *spec, const char *opt, uint32_t *irq,
		    char *err, size_t errlen)
{
	uint64_t v;

	if (!irq || strncmp(opt, "irq=", 4) || parse_u64(opt + 4, &v) ||
	    v < 32 || v > 255) {
		spec_err(err, errlen, "'%s': after the address only ,irq=VECTOR (32..255) may follow",
			 spec);
		return -EINVAL;
	}
	*irq = (uint32_t)v;
	return 0;
}

int mhv_device_spec_parse_irq(const char *spec, uint32_t *type,
			      uint32_t *space, uint64_t *base, uint32_t *irq,
			      char *err, size_t errlen)
{
	char name[MHV_DEV_NAME_LEN + 1], types[128], num[64];
	const char *at, *addr, *comma;
	size_t n;
	int t;

	spec_err(err, errlen, "%s", "");
	at = spec ? strchr(spec, '@') : NULL;
	if (!at) {
		spec_err(err, errlen, "'%s': want TYPE@ADDR, e.g. uart@0x3f8 or demo@mmio:0xd0000000",
			 spec ? spec : "");
		return -EINVAL;
	}
	n = (size_t)(at - spec);
	type_list(types, sizeof(types));
	if (n >= sizeof(name)) {
		spec_err(err, errlen, "'%s': unknown device type (known: %s)",
			 spec, types);
		return -EINVAL;
	}
	memcpy(name, spec, n);
	name[n] = '\0';
	t = mhv_dev_type_from_name(name);
	if (t < 0) {
		spec_err(err, errlen, "'%s': unknown device type '%s' (known: %s)",
			 spec, name, types);
		return -EINVAL;
	}
	addr = at + 1;
	if (irq)
		*irq = 0;
	comma = strchr(addr, ',');
	if (comma) {
		if (spec_irq(spec, comma + 1, irq, err, errlen))
			return -EINVAL;
		n = (size_t)(comma - addr);
		if (n >= sizeof(num))
			n = sizeof(num) - 1;
		memcpy(num, addr, n);
		num[n] = '\0';
		addr = num;
	}
	*space = MHV_DEV_SPACE_PIO;
	if (!strncmp(addr, "mmio:", 5)) {
		*space = MHV_DEV_SPACE_MMIO;
		addr += 5;
	} else if (!strncmp(addr, "pio:", 4)) {
		addr += 4;
	}
	if (parse_u64(addr, base)) {
		spec_err(err, errlen, "'%s': '%s' is not a number (a port like 0x3f8, or mmio:0xd0000000)",
			 spec, addr);
		return -EINVAL;
	}
	if (*space == MHV_DEV_SPACE_PIO && *base > 0xffff) {
		spec_err(err, errlen, "'%s': port 0x%" PRIx64 " is above 0xffff (for memory-mapped registers write mmio:0x%" PRIx64 ")",
			 spec, *base, *base);
		return -EINVAL;
	}
	*type = (uint32_t)t;
	return 0;
}
