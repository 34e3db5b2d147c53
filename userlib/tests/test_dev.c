// SPDX-License-Identifier: LGPL-2.1
/*
 * Device names and the device statistics text.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "libmultios_hv.h"
#include "tests.h"

static void test_dev_names(void)
{
	CU_ASSERT_STRING_EQUAL(mhv_dev_type_name(MHV_DEV_TYPE_DEMO), "demo");
	CU_ASSERT_STRING_EQUAL(mhv_dev_type_name(MHV_DEV_TYPE_DEBUG_EXIT),
			       "debug-exit");
	CU_ASSERT_STRING_EQUAL(mhv_dev_type_name(MHV_DEV_TYPE_EDU), "edu");
	CU_ASSERT_STRING_EQUAL(mhv_dev_type_name(MHV_DEV_TYPE_RTC), "rtc");
	CU_ASSERT_STRING_EQUAL(mhv_dev_type_name(MHV_DEV_TYPE_RESET), "reset");
	CU_ASSERT_STRING_EQUAL(mhv_dev_type_name(MHV_DEV_TYPE_FWINFO),
			       "fwinfo");
	CU_ASSERT_STRING_EQUAL(mhv_dev_type_name(MHV_DEV_TYPE_NONE), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_dev_type_name(MHV_DEV_TYPE_NR), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_dev_type_name(UINT32_MAX), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_dev_space_name(MHV_DEV_SPACE_PIO), "pio");
	CU_ASSERT_STRING_EQUAL(mhv_dev_space_name(MHV_DEV_SPACE_MMIO), "mmio");
	CU_ASSERT_STRING_EQUAL(mhv_dev_space_name(0), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_dev_space_name(3), "unknown");
	CU_ASSERT_STRING_EQUAL(mhv_dev_mode_name(MHV_DEV_MODE_RW), "read-write");
	CU_ASSERT_STRING_EQUAL(mhv_dev_mode_name(MHV_DEV_MODE_RO), "read-only");
	CU_ASSERT_STRING_EQUAL(mhv_dev_mode_name(MHV_DEV_MODE_DISABLED),
			       "disabled");
	CU_ASSERT_STRING_EQUAL(mhv_dev_mode_name(MHV_DEV_MODE_NR), "unknown");
}

/* Every name maps back to its value; anything else is -EINVAL. */
static void test_dev_from_name(void)
{
	unsigned int i;

	for (i = 1; i < MHV_DEV_TYPE_NR; i++) {
		CU_ASSERT_STRING_NOT_EQUAL(mhv_dev_type_name(i), "unknown");
		CU_ASSERT_EQUAL(mhv_dev_type_from_name(mhv_dev_type_name(i)),
				(int)i);
	}
	CU_ASSERT_STRING_EQUAL(mhv_dev_type_name(MHV_DEV_TYPE_ACPI_PM),
			       "acpi-pm");
	for (i = 0; i < MHV_DEV_MODE_NR; i++)
		CU_ASSERT_EQUAL(mhv_dev_mode_from_name(mhv_dev_mode_name(i)),
				(int)i);
	CU_ASSERT_EQUAL(mhv_dev_type_from_name("unknown"), -EINVAL);
	CU_ASSERT_EQUAL(mhv_dev_type_from_name(""), -EINVAL);
	CU_ASSERT_EQUAL(mhv_dev_type_from_name("Demo"), -EINVAL);
	CU_ASSERT_EQUAL(mhv_dev_type_from_name("demo "), -EINVAL);
	CU_ASSERT_EQUAL(mhv_dev_type_from_name(NULL), -EINVAL);
	CU_ASSERT_EQUAL(mhv_dev_mode_from_name("rw"), -EINVAL);
	CU_ASSERT_EQUAL(mhv_dev_mode_from_name(NULL), -EINVAL);
}

static void test_dev_stats_format(void)
{
	struct mhv_device_stats st;
	char buf[1024], small[16];
	int n;

	memset(&st, 0, sizeof(st));
	st.reads = 3;
	st.bytes_read = 7;
	st.writes = 2;
	st.bytes_written = 6;
	st.err_offset = 1;
	st.err_width = 2;
	st.err_refused = 4;
	st.time_count = 12;
	st.time_mean_ns = 150;
	st.time_min_ns = 0;
	st.time_max_ns = 3000000000ULL;
	st.hist[0] = 1;
	st.hist[7] = 10;
	st.hist[MHV_DEV_HIST_BUCKETS - 1] = 1;
	n = mhv_dev_stats_format(&st, buf, sizeof(buf));
	CU_ASSERT_EQUAL(n, (int)strlen(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "reads"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, " 3  (7 bytes)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, " 2  (6 bytes)\n"));
	/* 1 + 2 + 4 errors */
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, " 7  (offset 1, width 2, refused 4)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "(mean 150 ns, min 0 ns, max 3000000000 ns)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  0-1 ns: 1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  128-255 ns: 10\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  >= 2147483648 ns: 1\n"));
	CU_ASSERT_PTR_NULL(strstr(buf, "2-3 ns"));	/* empty bucket */
	CU_ASSERT_PTR_NULL(strstr(buf, "DMA"));		/* none refused */
	/* snprintf-style: the same length, truncated, NUL-terminated */
	memset(small, 'x', sizeof(small));
	CU_ASSERT_EQUAL(mhv_dev_stats_format(&st, small, sizeof(small)), n);
	CU_ASSERT_EQUAL(strlen(small), sizeof(small) - 1);
	CU_ASSERT_EQUAL(mhv_dev_stats_format(&st, NULL, 0), n);
	/* refused DMA commands get their own line */
	st.dma_refused = 5;
	mhv_dev_stats_format(&st, buf, sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, " 5  (DMA commands)\n"));
}

/* mhv_run_console() on a run page filled by hand. */
static void test_run_console(void)
{
	static union {
		struct mhv_run run;
		uint8_t page[4096];
	} p;
	const void *data = &p;
	uint32_t dev = 99;
	uint64_t pos = 99;

	memset(&p, 0, sizeof(p));
	CU_ASSERT_EQUAL(mhv_run_console(&p.run, &data, &dev, &pos), 0);
	CU_ASSERT_PTR_NULL(data);
	CU_ASSERT_EQUAL(dev, 0);
	CU_ASSERT_EQUAL(pos, 0);
	memcpy(p.page + MHV_RUN_CONSOLE_OFFSET, "hi\n", 3);
	p.run.console.len = 3;
	p.run.console.device = 2;
	p.run.console.pos = 1234;
	CU_ASSERT_EQUAL(mhv_run_console(&p.run, &data, &dev, &pos), 3);
	CU_ASSERT_PTR_EQUAL(data, p.page + MHV_RUN_CONSOLE_OFFSET);
	CU_ASSERT_EQUAL(memcmp(data, "hi\n", 3), 0);
	CU_ASSERT_EQUAL(dev, 2);
	CU_ASSERT_EQUAL(pos, 1234);
	/* taken: none the second time */
	CU_ASSERT_EQUAL(p.run.console.len, 0);
	CU_ASSERT_EQUAL(mhv_run_console(&p.run, &data, NULL, NULL), 0);
	/* the whole area, and one byte more than it holds */
	p.run.console.len = MHV_RUN_CONSOLE_MAX;
	CU_ASSERT_EQUAL(mhv_run_console(&p.run, NULL, NULL, NULL),
			MHV_RUN_CONSOLE_MAX);
	p.run.console.len = MHV_RUN_CONSOLE_MAX + 1;
	CU_ASSERT_EQUAL(mhv_run_console(&p.run, &data, NULL, NULL), -EPROTO);
	/* the area fits in the page, after the I/O data */
	CU_ASSERT(MHV_RUN_CONSOLE_OFFSET + MHV_RUN_CONSOLE_MAX <= sizeof(p));
	CU_ASSERT(MHV_RUN_IO_DATA_OFFSET + MHV_RUN_IO_DATA_MAX <=
		  MHV_RUN_CONSOLE_OFFSET);
	CU_ASSERT(sizeof(struct mhv_run) <= MHV_RUN_IO_DATA_OFFSET);
}

int register_dev_tests(void)
{
	ADD_SUITE("dev",
		  { "dev_names", test_dev_names },
		  { "dev_from_name", test_dev_from_name },
		  { "dev_stats_format", test_dev_stats_format },
		  { "run_console", test_run_console });
}
