"""`python -m profilelens`: the `profilelens` command."""

import sys

from profilelens.cli import main

sys.exit(main())
