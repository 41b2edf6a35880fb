"""``python -m bscp_desktop``: the same entry point as the ``bscp-desktop`` command."""

from bscp_desktop.cli import run

run()
