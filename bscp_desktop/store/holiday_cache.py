"""A file cache of England & Wales bank holidays, so start-up does not recompute 90 years of them each time
(about 60 ms). The cache is keyed by the installed ``holidays`` package (where its code is, its size and when it
was written: found without importing it, and without reading the installed packages' metadata, which costs more
than the cache saves) and the span of years: another version of that package (new proclaimed days) recomputes it.
A missing or damaged cache file is simply rebuilt."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Mapping
from importlib.util import find_spec
from pathlib import Path

from platformdirs import user_cache_path

from bscp_desktop import __version__
from bscp_desktop.domain.working_days import FIRST_YEAR, LAST_YEAR, bank_holidays
from bscp_desktop.util.whole_files import write_file_whole


def cache_file() -> Path:
    """Where the cache lives (``BSCP_CACHE_DIR`` overrides the user cache folder)."""
    folder = Path(os.environ["BSCP_CACHE_DIR"]) if os.environ.get("BSCP_CACHE_DIR") else user_cache_path("bscp-desktop", False)
    return folder / "bank-holidays.json"


def installed_holidays() -> str:
    """The installed ``holidays`` package, as a key that changes when another version is installed: its code's
    path, size and modification time (the package is found, not imported). In the frozen program the package
    lives inside the program's own archive, not in a file of its own, and changes only with the program: the key
    is then the program's version and where it runs from."""
    spec = find_spec("holidays")
    origin = Path(spec.origin) if spec is not None and spec.origin else None
    if origin is not None and origin.is_file():
        st = origin.stat()
        return f"{origin} {st.st_size} {st.st_mtime_ns}"
    return f"inside bscp-desktop {__version__} at {sys.executable}"


def cached_bank_holidays(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> Mapping[dt.date, str]:
    """Bank holidays for the span, from the cache file when it matches, computed (and cached) otherwise."""
    key = f"holidays {installed_holidays()} {first_year}-{last_year}"
    path = cache_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") == key:
            return {dt.date.fromisoformat(d): name for d, name in data["days"].items()}
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    days = bank_holidays(first_year, last_year)
    try:
        doc = json.dumps({"key": key, "days": {d.isoformat(): n for d, n in days.items()}})
        write_file_whole(path, lambda part: part.write_text(doc, encoding="utf-8"))
    except OSError:
        pass  # a read-only profile only costs the recomputation next time
    return days
