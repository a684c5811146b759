"""`python -m lint_secrets` and the `lint-secrets` script.

The CLI is imported here, inside the handler, so that Ctrl-C while its modules load (a
pre-commit run on a busy machine) ends as quietly as Ctrl-C during the run: no traceback.
"""

import sys


def run() -> None:
    try:
        from lint_secrets.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("lint-secrets: interrupted\n")
        sys.exit(130)
    sys.exit(main())


if __name__ == "__main__":
    run()
