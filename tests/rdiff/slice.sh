#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The differential tester's fixed-seed slice for make check (TAP):
# RDIFF_CASES rulesets from RDIFF_SEED, RDIFF_PACKETS packets each.
# `make check-diff SEED=.. CASES=.. PACKETS=..` runs any other slice.
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/rdiff.py" --seed "${RDIFF_SEED:-1000}" \
	--cases "${RDIFF_CASES:-80}" --packets "${RDIFF_PACKETS:-300}"
