"""The program's log file in the user log folder (rotated), shared by the window and the command line."""

from __future__ import annotations

import logging
import logging.handlers

from bscp_desktop.util.paths import log_dir

log = logging.getLogger("bscp_desktop")


def setup_logging() -> str:
    """Log to ``bscp-desktop.log`` in the user log folder (rotated); returns the file's path."""
    path = log_dir() / "bscp-desktop.log"
    for h in list(log.handlers):  # a handler left writing elsewhere (the log folder changed) is replaced
        if isinstance(h, logging.handlers.RotatingFileHandler) and h.baseFilename != str(path.resolve()):
            log.removeHandler(h)
            h.close()
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in log.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return str(path)
