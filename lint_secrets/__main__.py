import sys

from lint_secrets.cli import main

sys.exit(main())
