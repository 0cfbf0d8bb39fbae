#!/usr/bin/env bash
# The nightly's check, runnable here: lit-tests/ against each LLVM VERSION given, with
# XPASS reported as "fixed in N" and FAIL as "regressed in N" (see reducer/nightly.py).
#   scripts/lit-nightly.sh 16 19 22
#   scripts/lit-nightly.sh --snapshot 23 19 22 23    # 23: apt.llvm.org's snapshot, <= 5 days old
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m reducer.nightly "$@"
