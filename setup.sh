#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# One-step set-up on a fresh Debian 12 machine, as root: installs every
# package iptables-bpf needs to build, run and test, then configures and
# builds.  Idempotent and non-interactive.  Extra arguments go to configure.
set -eu
cd "$(dirname "$0")"

packages="
	autoconf automake libtool pkg-config make gcc
	libxtables-dev libnftnl-dev libmnl-dev libbpf-dev linux-libc-dev
	iptables nftables iproute2 bpftool iputils-ping python3
	bats bats-assert bats-support
	clang llvm libclang-rt-14-dev
"

missing=
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
fi

if [ ! -x configure ] || [ configure.ac -nt configure ] ||
   [ Makefile.am -nt configure ]; then
	autoreconf -fi
fi
if [ ! -f Makefile ] || [ configure -nt Makefile ] || [ $# -gt 0 ]; then
	./configure --enable-werror "$@"
fi
make -j"$(nproc)"
