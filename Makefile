# SPDX-License-Identifier: GPL-2.0
#
# MultiOS HV - top-level build.
#
#   make              build the module, libmultios_hv, mhv, selftests, unit tests
#   make demo         boot the test VM and run the demo guest under multios_hv
#   make check        unit tests, the install check, selftests and examples
#                     in the test VM, the harness self-check, lint (KVER=6.1)
#   make check KVER=6.12   the same on Debian's 6.12 kernel
#   make check TESTS=caps,cpuid   unit + install + only these tests in the VM
#                     (an unknown name fails the run)
#   make vm-shell     a shell in the test VM, module loaded (KVER= as above);
#                     the files of vmfiles/ (VMFILES=dir) are in /mhv/files
#   make check-vmx    the selftests in Bochs (Intel VT-x)
#   make check-svm-bochs   a subset of them in Bochs (AMD SVM with NRIP
#                     save and flush-by-ASID, which QEMU lacks);
#                     TESTS=a,b other tests, SVM_BOCHS_TESTS= all of them
#   make check-all    every test lane (what .ci/run runs)
#   make unit         the CUnit tests of libmultios_hv, on the host
#   make lint         checkpatch --strict, sparse and a W=1 build of kmod/
#   make bench        multios_hv vs KVM on the same guest code;
#                     BENCH=a,b only these workloads (e.g. trace_overhead)
#   make install PREFIX=/usr/local [DESTDIR=] [MODDIR=]
#                     libmultios_hv, its headers and .pc, mhv, the sample
#                     guests (PREFIX/share/multios_hv/samples) and the module
#   make clean        remove .cache/build
#   make deps         install what is missing (Debian packages only)
#
# Everything downloaded or built goes to .cache/ (ignored by git).

CACHE     := $(CURDIR)/.cache
KVER      ?= 6.1
# Resolved lazily: tools/deps.sh may have to install the headers first.
KFULL      = $(shell $(CURDIR)/tools/testvm/kver.sh $(KVER))
KDIR      ?= /usr/src/linux-headers-$(KFULL)
MBUILD     = $(CACHE)/build/$(KFULL)
UBUILD    := $(CACHE)/build/user
KSFT_INC  := $(CACHE)/src/kselftest

CC        ?= cc
CFLAGS    ?= -O2 -g
WFLAGS    := -Wall -Wextra -Werror
NL_CFLAGS  = $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS    = $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null)
# GNU Scientific Library: the performance monitor's statistics (monitor.c)
# and the statistics for experiments (analysis.c, mhv_research.h)
GSL_LIBS   = $(shell pkg-config --libs gsl 2>/dev/null || echo -lgsl -lgslcblas -lm)
# json-c: experiment files (experiment.c), selftests that parse what mhv
# writes (trace_cli: --perfetto)
JSONC_LIBS = $(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c)
# cairo (charts, PDF/SVG/PNG) and pango (text layout) of the experiment
# reports (report.c, chart.c)
REPORT_CFLAGS = $(shell pkg-config --cflags pangocairo 2>/dev/null)
REPORT_LIBS   = $(shell pkg-config --libs pangocairo 2>/dev/null || \
		echo -lpangocairo-1.0 -lpango-1.0 -lgobject-2.0 -lglib-2.0 -lcairo)
UCFLAGS    = $(CFLAGS) $(WFLAGS) -std=gnu11 -I$(CURDIR)/uapi -I$(CURDIR)/userlib $(NL_CFLAGS) $(REPORT_CFLAGS)

LIB_SRCS  := $(wildcard userlib/*.c)
LIB_OBJS  := $(LIB_SRCS:%.c=$(UBUILD)/%.o)
LIB_PIC   := $(LIB_SRCS:%.c=$(UBUILD)/%.pic.o)
LIB_A     := $(UBUILD)/libmultios_hv.a
LIB_SO    := $(UBUILD)/libmultios_hv.so.1
LIB_PC    := $(UBUILD)/multios_hv.pc

MHV_SRCS  := $(wildcard tools/mhv/*.c)
MHV       := $(UBUILD)/mhv

ST_LIB    := $(wildcard selftests/lib/*.c)
ST_SRCS   := $(wildcard selftests/*.c)
ST_BINS   := $(ST_SRCS:selftests/%.c=$(UBUILD)/selftests/%)
LINUX_INITRD := $(UBUILD)/linux_guest/initramfs.cpio
SC_SRCS   := $(wildcard selftests/selfcheck/*.c)
SC_BINS   := $(SC_SRCS:selftests/selfcheck/%.c=$(UBUILD)/selfcheck/%)

# bench/stats.c: mhv-bench's statistics, unit-tested with the library
UT_SRCS   := $(wildcard userlib/tests/*.c) bench/stats.c
UT_BIN    := $(UBUILD)/unit/test_userlib

BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BIN := $(UBUILD)/bench/mhv-bench

EX_SRCS   := $(wildcard Documentation/tutorials/*.c)
EX_BINS   := $(EX_SRCS:Documentation/tutorials/%.c=$(UBUILD)/examples/%)

# sample guest images and configs of `mhv run` (/mhv/samples in the VM)
SAMPLE_SRCS := $(wildcard tools/mhv/samples/*.S)
SAMPLE_BINS := $(SAMPLE_SRCS:tools/mhv/samples/%.S=$(UBUILD)/samples/%.bin)
SAMPLE_CONF := $(patsubst tools/mhv/samples/%,$(UBUILD)/samples/%,\
		$(wildcard tools/mhv/samples/*.conf))
# experiment files of mhv experiment (tools/mhv/experiments, research.rst)
SAMPLE_EXP  := $(patsubst tools/mhv/experiments/%,$(UBUILD)/samples/%,\
		$(wildcard tools/mhv/experiments/*.json))
# freestanding sample guests: one file each in tools/mhv/samples/guests/,
# linked with the runtime of guests/rt/ into 32-bit Multiboot ELFs
GUEST_DIR   := tools/mhv/samples/guests
GUEST_SRCS  := $(wildcard $(GUEST_DIR)/*.c)
GUEST_BINS  := $(GUEST_SRCS:$(GUEST_DIR)/%.c=$(UBUILD)/samples/%.elf)
GUEST_RT    := $(wildcard $(GUEST_DIR)/rt/*.c $(GUEST_DIR)/rt/*.S)
GUEST_CFLAGS := -m32 -march=i686 -ffreestanding -fno-pic -fno-pie \
		-fno-stack-protector -fno-asynchronous-unwind-tables \
		-mno-sse -mno-mmx -mno-80387 -mgeneral-regs-only -O2 -g \
		$(WFLAGS) -std=gnu11 -I$(GUEST_DIR)/rt
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(GUEST_DIR)/rt/link.ld \
		-Wl,--build-id=none -Wl,-z,noexecstack -Wl,-n \
		-Wl,--no-warn-rwx-segments

# the folder whose files the test VM shows in /mhv/files (vm-shell, demo)
VMFILES   ?= $(CURDIR)/vmfiles

# make install
PREFIX    ?= /usr/local
DESTDIR   ?=
MODDIR    ?= $(PREFIX)/lib/modules/$(KFULL)/extra

HDRS      := $(wildcard uapi/linux/*.h userlib/*.h selftests/lib/*.h)

.PHONY: all deps module user lib clean demo demo-linux check check-all check-vmx lint bench \
	check-svm-bochs \
	unit vm-shell install samples FORCE

all: module user

deps:
	@$(CURDIR)/tools/deps.sh

# ---- kernel module (kbuild, out of the source tree) -----------------------
module: deps
	@mkdir -p $(MBUILD)
	@cp -u Kbuild $(MBUILD)/Kbuild && cp -ru kmod uapi $(MBUILD)/
	$(MAKE) -C $(KDIR) M=$(MBUILD) W=1 modules
	@echo "module: $(MBUILD)/multios_hv.ko"

# ---- userspace -------------------------------------------------------------
user: lib $(MHV) $(ST_BINS) $(SC_BINS) $(UT_BIN) $(EX_BINS) $(BENCH_BIN) samples \
	$(LINUX_INITRD)

# the initramfs of the Linux guest (selftests/linux_boot.c): a static
# /init alone in a newc cpio (the kernel makes /dev itself: devtmpfs)
$(LINUX_INITRD): selftests/linux_guest/init.c
	@mkdir -p $(@D)/root
	$(CC) -static -O2 $(WFLAGS) -o $(@D)/root/init $<
	(cd $(@D)/root && echo init | cpio -o -H newc -R 0:0 --quiet) > $@.tmp
	mv -f $@.tmp $@

samples: $(SAMPLE_BINS) $(SAMPLE_CONF) $(GUEST_BINS) $(SAMPLE_EXP)

$(UBUILD)/samples/%.elf: $(GUEST_DIR)/%.c $(GUEST_RT) $(GUEST_DIR)/rt/rt.h \
		$(GUEST_DIR)/rt/link.ld
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $< $(GUEST_RT)
	chmod 644 $@

# flat real-mode images: code linked at 0x1000, where mhv run loads it
$(UBUILD)/samples/%.bin: tools/mhv/samples/%.S
	@mkdir -p $(dir $@)
	$(CC) -c -o $(@:.bin=.o) $<
	$(LD) -Ttext=0x1000 --oformat binary -o $@ $(@:.bin=.o)
	chmod 644 $@

$(UBUILD)/samples/%.conf: tools/mhv/samples/%.conf
	@mkdir -p $(dir $@)
	cp $< $@

$(UBUILD)/samples/%.json: tools/mhv/experiments/%.json
	@mkdir -p $(dir $@)
	cp $< $@

lib: $(LIB_A) $(LIB_SO) $(LIB_PC)

$(UBUILD)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c -o $@ $<

$(UBUILD)/%.pic.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -fPIC -c -o $@ $<

$(LIB_A): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIB_SO): $(LIB_PIC)
	$(CC) -shared -Wl,-soname,libmultios_hv.so.1 -o $@ $^ $(NL_LIBS) $(GSL_LIBS) $(JSONC_LIBS) $(REPORT_LIBS)
	ln -sf libmultios_hv.so.1 $(UBUILD)/libmultios_hv.so

$(LIB_PC): userlib/multios_hv.pc.in
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|/usr/local|' $< > $@

# mhv runs the experiment workloads, library functions, as guest code
# (mhv_guest.h): linked without PIE.
$(MHV): $(MHV_SRCS) $(wildcard tools/mhv/*.h) $(LIB_A) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -no-pie -o $@ $(MHV_SRCS) $(LIB_A) $(NL_LIBS) $(GSL_LIBS) $(JSONC_LIBS) $(REPORT_LIBS) -lpthread -lm

# Selftests run their own C functions as guest code (mhv_guest.h): they are
# linked statically without PIE so the guest sees them at the same
# addresses. The kernel's kselftest_harness.h needs the two -Wno- below.
ST_CFLAGS  = $(UCFLAGS) -Wno-unused-parameter -Wno-sign-compare \
	     -fno-stack-protector -I$(KSFT_INC) -Iselftests/lib
ST_LDFLAGS = -static -no-pie

$(UBUILD)/selftests/%: selftests/%.c $(ST_LIB) $(LIB_A) $(HDRS) | deps
	@mkdir -p $(dir $@)
	$(CC) $(ST_CFLAGS) $(ST_LDFLAGS) -o $@ $< $(ST_LIB) $(LIB_A) $(NL_LIBS) $(GSL_LIBS) $(JSONC_LIBS) -lpthread -lm

$(UBUILD)/selfcheck/%: selftests/selfcheck/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ST_CFLAGS) $(ST_LDFLAGS) -o $@ $<

$(UT_BIN): $(UT_SRCS) $(wildcard userlib/tests/*.h) bench/stats.h $(LIB_A) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -Ibench -DUT_DATA='"$(CURDIR)/userlib/tests/data"' -o $@ $(UT_SRCS) \
		$(LIB_A) $(NL_LIBS) $(GSL_LIBS) $(JSONC_LIBS) $(REPORT_LIBS) -lcunit -lm

# Tutorials may run their own functions as guest code: static, no PIE.
$(UBUILD)/examples/%: Documentation/tutorials/%.c $(LIB_A) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -fno-stack-protector $(ST_LDFLAGS) -o $@ $< $(LIB_A) $(NL_LIBS) $(GSL_LIBS) $(JSONC_LIBS) -lpthread -lm

$(BENCH_BIN): $(BENCH_SRCS) bench/bench.h bench/stats.h $(LIB_A) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -Ibench -static -o $@ $(BENCH_SRCS) $(LIB_A) $(NL_LIBS) $(GSL_LIBS) $(JSONC_LIBS) -lpthread

unit: $(UT_BIN)
	$(UT_BIN)

# ---- test lanes -------------------------------------------------------------
demo: all
	@$(CURDIR)/tools/testvm/run.sh --kver $(KFULL) --mode demo \
		--module $(MBUILD)/multios_hv.ko --user $(UBUILD) --files $(VMFILES)

# the optional second part of the main job: Linux booting under multios_hv
demo-linux: all
	@$(CURDIR)/tools/testvm/run.sh --kver $(KFULL) --mode demo-linux \
		--module $(MBUILD)/multios_hv.ko --user $(UBUILD) --files $(VMFILES)

# TESTS=a,b: only these selftests/examples in the VM (unit + install + vm stages)
check: all
	@$(CURDIR)/tools/check.sh --kver $(KFULL) --kdir $(KDIR) \
		--module $(MBUILD)/multios_hv.ko --user $(UBUILD) \
		$(if $(TESTS),--tests $(TESTS))

# an interactive shell in the test VM (module loaded); Ctrl-A X quits
vm-shell: all
	@$(CURDIR)/tools/testvm/run.sh --kver $(KFULL) --mode shell \
		--module $(MBUILD)/multios_hv.ko --user $(UBUILD) --files $(VMFILES)

# The VT-x lane: the 6.1 kernel in Bochs (Skylake-X with VMX + EPT).
check-vmx: KVER := 6.1
check-vmx: all
	@$(CURDIR)/tools/testvm/bochs.sh --kver $(KFULL) \
		--module $(MBUILD)/multios_hv.ko --user $(UBUILD) \
		$(if $(TESTS),--tests $(TESTS))

# The Bochs SVM lane: the 6.1 kernel in Bochs on its Ryzen model, whose
# SVM has NRIP save and flush-by-ASID (QEMU's has neither). By default
# the tests whose guests exit through the paths those features change
# and that work on Bochs 2.7's SVM (Documentation/testing.rst says which
# do not, and why).
SVM_BOCHS_TESTS ?= caps cpuid errors exits guest_long_mode guest_real_mode \
	irq_inject isol_cr8 mmio_decode msrs multi_vm npf string_io
empty :=
comma := ,
svm_bochs_tests = $(or $(TESTS),$(subst $(empty) $(empty),$(comma),$(strip $(SVM_BOCHS_TESTS))))
check-svm-bochs: KVER := 6.1
check-svm-bochs: all
	@$(CURDIR)/tools/testvm/bochs.sh --cpu svm --kver $(KFULL) \
		--module $(MBUILD)/multios_hv.ko --user $(UBUILD) \
		$(if $(svm_bochs_tests),--tests $(svm_bochs_tests))

check-all:
	@$(CURDIR)/tools/check-all.sh

# mhv-bench stops each workload after 40 s (mmio_exit, dev_mmio: 120 s):
# 6 to 10 minutes in all.
# BENCH=a,b: only these workloads (mhv-bench --only); BENCH_VERBOSE=1:
# every round's figures too (mhv-bench --verbose); BENCH_ROUNDS=N: at
# least N rounds (mhv-bench --rounds; trace_overhead: at least 30)
bench: all
	@$(CURDIR)/tools/testvm/run.sh --kver $(KFULL) --mode bench \
		--module $(MBUILD)/multios_hv.ko --user $(UBUILD) --test-timeout 900 \
		$(if $(BENCH),--bench $(BENCH)) $(if $(BENCH_VERBOSE),--bench-verbose) \
		$(if $(BENCH_ROUNDS),--bench-rounds $(BENCH_ROUNDS))

lint: deps
	@$(CURDIR)/tools/lint.sh --kdir $(KDIR)

# The library (static, shared, pkg-config file with PREFIX), its headers,
# mhv, the sample guests and the module. MODDIR=/lib/modules/<release>/extra, then depmod -a,
# lets modprobe find the module; by default it goes under PREFIX.
install: all
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/linux \
		$(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MODDIR)
	install -m 644 $(LIB_A) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(LIB_SO) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libmultios_hv.so.1 $(DESTDIR)$(PREFIX)/lib/libmultios_hv.so
	sed -e 's|@PREFIX@|$(PREFIX)|' userlib/multios_hv.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/multios_hv.pc
	install -m 644 userlib/libmultios_hv.h userlib/mhv_guest.h \
		userlib/mhv_research.h \
		$(DESTDIR)$(PREFIX)/include/
	install -m 644 uapi/linux/multios_hv.h $(DESTDIR)$(PREFIX)/include/linux/
	install -m 755 $(MHV) $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/share/multios_hv/samples
	install -m 644 $(SAMPLE_BINS) $(GUEST_BINS) $(SAMPLE_CONF) $(SAMPLE_EXP) \
		$(DESTDIR)$(PREFIX)/share/multios_hv/samples/
	install -m 644 $(MBUILD)/multios_hv.ko $(DESTDIR)$(MODDIR)/
	@echo "installed in $(DESTDIR)$(PREFIX) (module: $(DESTDIR)$(MODDIR)/multios_hv.ko)"

clean:
	rm -rf $(CACHE)/build
