#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-install.sh - `make install PREFIX=...` gives a usable library: a
# program built only with `pkg-config --cflags --libs multios_hv` against
# the installed copy (never the source tree) compiles, links and runs.
#
#   tools/check-install.sh [KVER]
#
# Installs into a temporary PREFIX and checks that
#   - the library (.a, .so.1, .so), its headers, multios_hv.pc, mhv and
#     multios_hv.ko are there, and the .pc names that PREFIX;
#   - tutorial 1 (Documentation/tutorials/01_basic_vm.c) compiles and links
#     with the pkg-config flags alone, statically and against the .so;
#   - a small program linked against the installed .so runs on the host
#     (no module needed) and finds that .so, with the installed version
#     (and a median from the statistics of mhv_research.h).
# Prints "install: ok" or what is wrong; exit 1 on any failure.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KVER=${1:-6.1}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PREFIX=$TMP/prefix
FAIL=0

fail() { echo "install: FAIL: $*"; FAIL=1; }

if ! make -s -C "$ROOT" install KVER="$KVER" PREFIX="$PREFIX" >"$TMP/make.log" 2>&1; then
	cat "$TMP/make.log"
	fail "make install PREFIX=$PREFIX failed"
	exit 1
fi

for f in lib/libmultios_hv.a lib/libmultios_hv.so.1 lib/libmultios_hv.so \
	 lib/pkgconfig/multios_hv.pc include/libmultios_hv.h \
	 include/mhv_guest.h include/mhv_research.h include/linux/multios_hv.h bin/mhv; do
	[ -e "$PREFIX/$f" ] || fail "missing $f"
done
[ -n "$(find "$PREFIX/lib/modules" -name multios_hv.ko 2>/dev/null)" ] ||
	fail "missing lib/modules/*/extra/multios_hv.ko"

export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
# only the installed copy: no -I or -L into the source tree or .cache
CFLAGS=$(pkg-config --cflags multios_hv) || fail "pkg-config --cflags"
LIBS=$(pkg-config --libs multios_hv) || fail "pkg-config --libs"
[ "$(pkg-config --variable=prefix multios_hv)" = "$PREFIX" ] ||
	fail "multios_hv.pc has prefix $(pkg-config --variable=prefix multios_hv), not $PREFIX"
case " $CFLAGS $LIBS " in
*"$ROOT/userlib"* | *"$ROOT/uapi"* | *"$ROOT/.cache"*)
	fail "pkg-config points into the source tree: $CFLAGS $LIBS" ;;
esac
[ "$(pkg-config --modversion multios_hv)" = "$(sed -n 's/^#define MHV_LIB_VERSION_MAJOR\t//p' "$ROOT/userlib/libmultios_hv.h").$(sed -n 's/^#define MHV_LIB_VERSION_MINOR\t//p' "$ROOT/userlib/libmultios_hv.h")" ] ||
	fail "multios_hv.pc Version $(pkg-config --modversion multios_hv) is not the header's"

cd "$TMP"
# shellcheck disable=SC2086 # word splitting of the flags is intended
cc -Wall -Werror -static -no-pie -o tut1 "$ROOT/Documentation/tutorials/01_basic_vm.c" \
	$CFLAGS $LIBS -lpthread || fail "tutorial 1 does not build statically with pkg-config"
# shellcheck disable=SC2086
cc -Wall -Werror -o tut1-shared "$ROOT/Documentation/tutorials/01_basic_vm.c" \
	$CFLAGS $LIBS -lpthread || fail "tutorial 1 does not build against the .so with pkg-config"

cat > version.c <<'C'
#include <stdio.h>
#include <string.h>
#include <libmultios_hv.h>

int main(void)
{
	static const double x[] = { 4, 1, 3, 2 };
	struct mhv_vm_config c;
	char err[256];
	double med;

	/* the statistics (mhv_research.h, GSL behind the .so) */
	if (mhv_percentile(x, 4, 0.5, &med) || med != 2.5)
		return 1;
	mhv_vm_config_default(&c);
	if (mhv_vm_config_parse("name = \"installed\"\n", &c, err, sizeof(err)))
		return 1;
	printf("%s %s %d\n", mhv_lib_version(), c.name, MHV_API_VERSION);
	return 0;
}
C
# shellcheck disable=SC2086
if cc -Wall -Werror -o version version.c $CFLAGS $LIBS; then
	out=$(LD_LIBRARY_PATH=$PREFIX/lib ./version) || fail "the program linked against the .so does not run"
	[ "$out" = "$(pkg-config --modversion multios_hv) installed $(sed -n 's/^#define MHV_API_VERSION\t\t//p' "$ROOT/uapi/linux/multios_hv.h")" ] ||
		fail "the program printed '$out'"
	# (the whole output first: grep -q would end the pipe early, and
	# pipefail would count ldd's SIGPIPE as a failure)
	deps=$(LD_LIBRARY_PATH=$PREFIX/lib ldd ./version) || fail "ldd ./version"
	grep -q "libmultios_hv.so.1 => $PREFIX/lib/" <<<"$deps" ||
		fail "the program does not use the installed libmultios_hv.so.1: $deps"
else
	fail "a program does not build against the installed .so with pkg-config"
fi

if [ $FAIL = 0 ]; then
	echo "install: ok (make install PREFIX=..., pkg-config builds against it)"
fi
exit $FAIL
