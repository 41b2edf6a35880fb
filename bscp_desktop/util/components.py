"""What the program is made of, for Help › About and ``--version``: the versions of the parts a support call asks
about (the program, its schema, Python, Qt, SQLCipher) and the licence notices of every third-party package it
ships. A bundle carries the notices in ``licences/THIRD-PARTY-NOTICES.txt``, collected when it is built
(``build.spec`` calls ``write_notices``); run from source they are read from the installed packages."""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from pathlib import Path

NOTICES_FILE = Path("licences") / "THIRD-PARTY-NOTICES.txt"
OWN = "bscp-desktop"


def versions(schema: str) -> list[tuple[str, str]]:
    """(part, version) for the program, the schema it writes (``schema``), Python, Qt (from its package, so Qt
    is not loaded) and SQLCipher (asked of the library, which loads here)."""
    from bscp_desktop import __version__

    rows = [("bscp-desktop", __version__), ("Schema it writes", schema),
            ("Python", f"{platform.python_version()} ({platform.python_implementation()})")]
    qt = next((v for name in ("PySide6-Essentials", "PySide6") if (v := _installed(name))), None)
    rows.append(("Qt", f"{qt} (Qt for Python)" if qt else "not installed"))  # read without loading Qt
    try:
        import sqlcipher3

        conn = sqlcipher3.connect(":memory:")
        cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
        conn.close()
        rows.append(("SQLCipher", f"{cipher} (SQLite {sqlcipher3.sqlite_version})"))
    except ImportError:
        rows.append(("SQLCipher", "not installed"))
    return rows


def _installed(name: str) -> str | None:
    """The installed version of package ``name``, or None."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _licence_text(dist: metadata.Distribution) -> str:
    """A distribution's licence: the text of its licence files, else what its metadata says."""
    texts = []
    for f in dist.files or []:
        name = f.name.upper()
        if any(word in name for word in ("LICENSE", "LICENCE", "COPYING", "NOTICE")) and not name.endswith(".PY"):
            try:
                texts.append(f.read_text(encoding="utf-8").strip())
            except (OSError, UnicodeDecodeError):
                continue
    if texts:
        return "\n\n".join(texts)
    meta = dist.metadata
    return meta.get("License-Expression") or meta.get("License") or "see the package's own documentation"


def _key(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def collect_notices(only: set[str] | None = None) -> str:
    """Every installed third-party package's name, version and licence text, in name order (``only``: just
    these packages, by name)."""
    wanted = {_key(n) for n in only} if only is not None else None
    seen: dict[str, metadata.Distribution] = {}
    for dist in metadata.distributions():
        key = _key(dist.metadata.get("Name") or "")
        if key and key != OWN and key not in seen and (wanted is None or key in wanted):
            seen[key] = dist
    parts = []
    for key in sorted(seen):
        dist = seen[key]
        parts.append(f"{'=' * 60}\n{dist.metadata['Name']} {dist.version}\n{'=' * 60}\n{_licence_text(dist)}\n")
    return "\n".join(parts)


LOCK = Path(__file__).resolve().parents[2] / "requirements" / "bundle.lock"  # in a source checkout


def locked_names(lock: Path) -> set[str]:
    """The names of the packages the lock file ``lock`` pins: what a bundle ships."""
    return {line.split("==", 1)[0].strip() for line in lock.read_text(encoding="utf-8").splitlines()
            if "==" in line and not line.startswith((" ", "#"))}


def write_notices(folder: Path, lock: Path) -> Path:
    """Write the notices of the packages the bundle ships (those in ``lock``) under ``folder``; its path."""
    out = folder / NOTICES_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(collect_notices(locked_names(lock)), encoding="utf-8")
    return out


def notices() -> str:
    """The third-party licence notices: the bundle's own file, or collected from the installed packages."""
    base = Path(getattr(sys, "_MEIPASS", "")) if getattr(sys, "frozen", False) else None
    if base is not None and (base / NOTICES_FILE).is_file():
        return (base / NOTICES_FILE).read_text(encoding="utf-8")
    return collect_notices(locked_names(LOCK) if LOCK.is_file() else None)
