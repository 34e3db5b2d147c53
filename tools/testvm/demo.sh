#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The main job, inside the test VM: show what the CPU offers, then run the
# demo guest under multios_hv (its console output and exit summary).
set -e
echo "== mhv caps"
mhv caps
echo
mhv run --demo
echo
echo "== mhv run --image /mhv/samples/hello.bin --config /mhv/samples/hello.conf"
echo "   (the sample image, built from tools/mhv/samples/hello.S)"
mhv run --image /mhv/samples/hello.bin --config /mhv/samples/hello.conf
