#!/usr/bin/env bash
# Installs everything reducer needs on a fresh Debian 12 machine (as root): the Debian
# compilers and LLVM tools, the reference reducers, and the Python package in ./.venv.
# With --demo it then reduces the shipped kexec purgatory case.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  clang-19 clang-22 clang-16 llvm-16 llvm-19 llvm-22 llvm-16-tools llvm-19-tools llvm-22-tools
  libclang1-19 libclang-19-dev cvise creduce csmith libcsmith-dev bear
  libclang-rt-19-dev libclang-rt-22-dev lld-19 lld-22
  libxml2-dev libxslt1-dev  # headers lxml's etree.c needs in bench/realcode_bench.py
)

# Debian's own python3 needs python3-venv for `python3 -m venv` (ensurepip).
if ! python3 -c "import ensurepip, venv" 2>/dev/null; then
  APT_PACKAGES+=(python3-venv python3-pip)
fi

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

if [ "${1:-}" = "--demo" ]; then
  # The project's end-to-end case: reduce with clang-19 (R_X86_64_32S at -O0), keeping
  # only candidates clang-22 compiles correctly, then emit and verify lit tests. The
  # tests are meant for upstream, so the reported symbol and section keep their names.
  demo="${TMPDIR:-/tmp}/reducer-demo"
  rm -rf "$demo" && mkdir -p "$demo"
  cp cases/purgatory-O0-sha256/input.c "$demo/purgatory.c"
  .venv/bin/reduce --oracle r_x86_64_32s --keep-names --good-cc clang-22 --emit "$demo/tests" "$demo/purgatory.c" \
    -- clang-19 --target=x86_64-linux-gnu -O0 -mcmodel=large -fno-pic -c
  echo "--- $demo/purgatory.reduced.c:"
  cat "$demo/purgatory.reduced.c"
fi
