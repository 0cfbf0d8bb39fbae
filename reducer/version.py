"""`reduce --version`: the package's version and, run from a git checkout, its commit."""

from __future__ import annotations

import os
import re
from importlib import metadata
from pathlib import Path

from reducer.process import run_program

# The checkout this package would be in: reducer/version.py -> the repository's top.
CHECKOUT = Path(__file__).resolve().parent.parent
GIT_TIMEOUT = 5.0  # seconds; a hung git (a network filesystem) must not hang --version


def package_version() -> str:
    try:
        return metadata.version("reducer")
    except metadata.PackageNotFoundError:  # run from a tree that was never installed
        return "unknown"


def git_commit(checkout: Path = CHECKOUT) -> str | None:
    """HEAD's abbreviated hash when ``checkout`` is a git checkout (an installed wheel is
    not), else None. Read-only: rev-parse touches neither the index nor the tree."""
    if not (checkout / ".git").exists():  # a directory, or a file in a worktree
        return None
    # The user's GIT_DIR and friends name their repository, not this one.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    try:
        result = run_program(
            ["git", "-C", str(checkout), "rev-parse", "--short=12", "HEAD"],
            timeout=GIT_TIMEOUT,
            env=env,
        )
    except OSError:  # no git installed
        return None
    commit = result.stdout.decode("ascii", "replace").strip()
    if result.returncode != 0 or not re.fullmatch(r"[0-9a-f]{7,40}", commit):
        return None
    return commit


def version_line(checkout: Path = CHECKOUT) -> str:
    commit = git_commit(checkout)
    return f"reduce {package_version()}" + (f" (git {commit})" if commit else "")
