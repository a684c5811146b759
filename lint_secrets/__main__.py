"""`python -m lint_secrets` and the `lint-secrets` script.

A plain `check` (flags and paths: what pre-commit runs) runs without click; any other
command line goes to click. The CLI is imported here, inside the handler, so that Ctrl-C
while its modules load (a pre-commit run on a busy machine) ends as quietly as Ctrl-C during
the run: no traceback.
"""

import os
import sys
from typing import Any


def _entry_point(module: str) -> Any:
    """`module.main`, or a quiet exit on Ctrl-C while it loads."""
    import importlib

    try:
        return importlib.import_module(module).main
    except KeyboardInterrupt:
        sys.stderr.write("lint-secrets: interrupted\n")
        sys.exit(130)


def run() -> None:
    code = _entry_point("lint_secrets.check_command")(sys.argv[1:])
    if code is None:
        code = _entry_point("lint_secrets.cli")()
    # The run is over: its output is written, its worker processes joined, its files
    # replaced. The interpreter's own teardown would still free every object one by one and
    # collect the cycles among them: for a 5 MB file, seconds spent on nothing.
    # (Not under a profiler or coverage: they write their results at exit.)
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, OSError):
        code = code or 1
    os._exit(code)


if __name__ == "__main__":
    run()
