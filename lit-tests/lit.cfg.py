# lit configuration for the regression tests `reduce emit` generated for cases/.
#
# Choose the toolchain to run against (one of):
#   lit lit-tests --param llvm=22            # clang-22, llc-22, llvm-readobj-22, FileCheck-22 on PATH
#   lit lit-tests --param llvm-bin=/usr/lib/llvm-22/bin   # the tools in a directory
#   REDUCER_LIT_LLVM=22 lit lit-tests        # or REDUCER_LIT_LLVM_BIN=DIR
# FileCheck is LLVM's when the toolchain has one, else the PyPI `filecheck`; force the
# PyPI one with --param filecheck=pypi (or REDUCER_LIT_FILECHECK=pypi).
#
# Features: llvm-<major> (tests XFAIL the releases known to have the bug),
# x86-registered-target, filecheck-llvm / filecheck-pypi.
# Each case directory also holds reduced.c (or reduced.ll), the input the tests were generated from; it is
# not a test. Regenerate the tests with `python -m reducer.commands.cases`.

import os
import sys

import lit.formats

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from reducer.emit.litsupport import lit_tools  # noqa: E402
from reducer.emit.toolchain import toolchain_for_llvm  # noqa: E402
from reducer.errors import ReducerError  # noqa: E402

config.name = "reducer-emitted"  # noqa: F821
config.test_format = lit.formats.ShTest()  # noqa: F821
config.suffixes = [".ll", ".c"]  # noqa: F821
config.excludes = ["reduced.c", "reduced.ll", "Output"]  # noqa: F821
config.test_source_root = HERE  # noqa: F821
config.test_exec_root = os.path.join(HERE, "Output")  # noqa: F821

params = lit_config.params  # noqa: F821
bindir = params.get("llvm-bin") or os.environ.get("REDUCER_LIT_LLVM_BIN")
version = params.get("llvm") or os.environ.get("REDUCER_LIT_LLVM")
filecheck = params.get("filecheck") or os.environ.get("REDUCER_LIT_FILECHECK") or "llvm"
if not bindir and not version:
    lit_config.fatal(  # noqa: F821
        "choose a toolchain: --param llvm=22 or --param llvm-bin=/usr/lib/llvm-22/bin "
        "(or set REDUCER_LIT_LLVM / REDUCER_LIT_LLVM_BIN)"
    )
try:
    tools = lit_tools(toolchain_for_llvm(bindir or version), filecheck)
except ReducerError as exc:
    lit_config.fatal(str(exc))  # noqa: F821

config.substitutions.extend(tools.substitutions())  # noqa: F821
config.available_features.update(tools.features())  # noqa: F821
lit_config.note(  # noqa: F821
    f"LLVM {tools.version}: llc={tools.tools['llc']}, FileCheck={tools.tools['FileCheck']}, "
    f"%clang_cc1={tools.clang_cc1}"
)
