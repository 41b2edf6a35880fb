"""``python -m bscp_desktop``: the same entry point as the ``bscp-desktop`` command."""

import sys

from bscp_desktop.cli import main

sys.exit(main())
