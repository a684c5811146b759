"""`python -m lint_secrets` and the `lint-secrets` script.

The CLI is imported here, inside the handler, so that Ctrl-C while its modules load (a
pre-commit run on a busy machine) ends as quietly as Ctrl-C during the run: no traceback.
"""

import os
import sys


def run() -> None:
    try:
        from lint_secrets.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("lint-secrets: interrupted\n")
        sys.exit(130)
    code = main()
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
