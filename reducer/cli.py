"""Entry point: `reduce [SUBCOMMAND] ...`. Turns every user error into one line on stderr
and a documented exit code (see reducer.errors.ExitCode)."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import NoReturn

from reducer import libclang
from reducer.commands import load_commands, split_at_double_dash
from reducer.errors import ExitCode, ReducerError, Terminated
from reducer.inputs import in_user_terms
from reducer.version import version_line

DEFAULT_COMMAND = "reduce"


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


class _Parser(argparse.ArgumentParser):
    """argparse with the CLI's one-line errors: argparse would print the usage (several
    lines for some subcommands) before its message; --help has it."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("reduce").strip()  # "" or the subcommand
        where = f"{command}: " if command else ""
        self.exit(ExitCode.USAGE, f"reduce: error: {where}{message} (see {self.prog} --help)\n")


class _Version(argparse.Action):
    """``--version`` on every subcommand. An action of its own, unlike argparse's, so the
    git lookup runs only when asked for and the line goes to stdout."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(
            option_strings,
            dest=argparse.SUPPRESS,
            default=argparse.SUPPRESS,
            nargs=0,
            help="print the version (and the git commit of a checkout) and exit",
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        print(version_line())
        parser.exit(ExitCode.OK)


def build_parser(name: str, module: object) -> argparse.ArgumentParser:
    prog = "reduce" if name == DEFAULT_COMMAND else f"reduce {name}"
    parser = _Parser(
        prog=prog,
        description=module.HELP,  # type: ignore[attr-defined]
        epilog=_epilog() if name == DEFAULT_COMMAND else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version)
    module.configure(parser)  # type: ignore[attr-defined]
    return parser


def _epilog() -> str:
    commands = load_commands()
    lines = ["subcommands (reduce SUBCOMMAND --help):"]
    lines += [f"  {n:<8} {m.HELP}" for n, m in commands.items() if n != DEFAULT_COMMAND]
    lines.append("exit codes: " + ", ".join(f"{c.value} {c.name.lower()}" for c in ExitCode))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = load_commands()
    name = DEFAULT_COMMAND
    if argv and argv[0] in commands and argv[0] != DEFAULT_COMMAND:
        name = argv.pop(0)
    module = commands[name]
    own_args, compile_argv = split_at_double_dash(argv)
    parser = build_parser(name, module)
    try:
        args = parser.parse_args(own_args)
    except SystemExit as exc:  # argparse already printed a one-line usage error
        return ExitCode.OK if exc.code == 0 else ExitCode.USAGE
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return int(module.run(args, compile_argv))
    except ReducerError as exc:
        message = str(exc)
        source = getattr(args, "file", None)  # reduce, emit, explain, matrix: FILE
        if isinstance(source, str | Path):
            message = in_user_terms(message, source)
        print(f"reduce: error: {message}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("reduce: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED_INT)
    except Terminated:
        print("reduce: terminated", file=sys.stderr)
        return int(ExitCode.INTERRUPTED_TERM)
    finally:
        signal.signal(signal.SIGTERM, previous)
        libclang.release_units()  # an in-process run leaves no parser files behind


def entry() -> None:
    """The `reduce` program: main(), then an exit no signal can turn into a crash.

    Once main() has returned, the result is on disk and its summary printed. A Ctrl-C or
    SIGTERM from then until the process is gone used to escape every handler: an uncaught
    KeyboardInterrupt (Python then kills itself with SIGINT, exit -2, with a traceback),
    or a signal during interpreter shutdown, after Python restores the default
    dispositions (clean-clone CI: -2 where 130 was expected, the signal ~0.93 s after the
    first improvement of a 1 s run). The process-wide ignore stays through finalization,
    which leaves ignored signals as they are; main() itself stays free of it, since tests
    call it in-process.
    """
    code: int = ExitCode.INTERRUPTED_INT
    try:
        code = main()
    except KeyboardInterrupt:  # arrived between main's handlers and its return
        code = ExitCode.INTERRUPTED_INT
    except Terminated:
        code = ExitCode.INTERRUPTED_TERM
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(int(code))
