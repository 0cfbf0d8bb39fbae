#!/usr/bin/env bash
# The whole test suite: lint, pytest (real compilers, nothing skipped), and the lit-tests/
# suite against LLVM 16, 19 and 22. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh

echo "== ruff"
.venv/bin/ruff check reducer tests bench
echo "== pytest"
CI="${CI:-}" .venv/bin/python -m pytest -ra -p no:cacheprovider --durations=15 tests
if [ -f lit-tests/lit.cfg.py ]; then
  for version in 16 19 22; do
    echo "== lit-tests against LLVM $version"
    .venv/bin/lit -sv --param "llvm=$version" lit-tests
  done
fi
