#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The main job, inside the test VM: show what the CPU offers, run the
# demo guest, the flat sample, then the hello guest (a Multiboot ELF built
# from tools/mhv/samples/guests/hello.c) with the in-kernel UART, demo
# and debug-exit devices: its console, then the device statistics.
set -e
echo "== mhv caps"
mhv caps
echo
mhv run --demo
echo
echo "== mhv run --image /mhv/samples/hello.bin --config /mhv/samples/hello.conf"
echo "   (the sample image, built from tools/mhv/samples/hello.S)"
mhv run --image /mhv/samples/hello.bin --config /mhv/samples/hello.conf
echo
echo "== mhv run /mhv/samples/hello.elf --device uart@0x3f8 --device demo@0x500 \\"
echo "           --device debug-exit@0xf4 --append \"hello from make demo\""
echo "   (a Multiboot guest, tools/mhv/samples/guests/hello.c, with in-kernel devices)"
mhv run /mhv/samples/hello.elf --device uart@0x3f8 --device demo@0x500 \
	--device debug-exit@0xf4 --append "hello from make demo" < /dev/null
