"""User-facing errors and the documented exit codes.

Every failure the user can cause ends in one line on stderr and one of these codes; a
traceback is a bug.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    CASES_FAILED = 1  # batch: some case failed to reduce or verify (its row says why)
    USAGE = 2  # bad flags, bad compile command
    INPUT = 3  # missing, directory, empty, binary or non-UTF-8 input file
    NOT_INTERESTING = 4  # the original file does not show the behaviour
    COMPILER = 5  # compiler not found, or it crashes/hangs on the original
    OUTPUT = 6  # output path not writable
    FLAKY = 7  # final re-check disagreed with the reduction
    EMIT_UNVERIFIED = 8  # emitted tests written, but one does not fail/pass as it should
    EXECUTOR = 9  # the cluster executor failed (scheduler unreachable or lost, worker mismatch)
    INTERRUPTED_INT = 130  # SIGINT
    INTERRUPTED_TERM = 143  # SIGTERM


class ReducerError(Exception):
    exit_code: ExitCode = ExitCode.USAGE


class UsageError(ReducerError):
    exit_code = ExitCode.USAGE


class InputError(ReducerError):
    exit_code = ExitCode.INPUT


class NotInterestingError(ReducerError):
    exit_code = ExitCode.NOT_INTERESTING


class CompilerError(ReducerError):
    exit_code = ExitCode.COMPILER


class CompilerNotFound(CompilerError):
    pass


class FlakyOracleError(ReducerError):
    exit_code = ExitCode.FLAKY


class OutputError(ReducerError):
    exit_code = ExitCode.OUTPUT


class ExecutorError(ReducerError):
    exit_code = ExitCode.EXECUTOR


class Terminated(BaseException):
    """Raised in the main thread when SIGTERM arrives, so cleanup runs as for Ctrl-C."""
