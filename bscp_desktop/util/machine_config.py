"""Settings a council's IT sets for everyone on a PC: the machine file ``bscp-desktop.toml``, in
``%PROGRAMDATA%\\bscp-desktop\\`` on Windows and ``/etc/bscp-desktop/`` elsewhere (``BSCP_MACHINE_CONFIG`` names
another, for tests and trials). docs/DEPLOYMENT.md shows one.

Where a value comes from, first match wins:

1. the command line (``--db``, for a one-off);
2. a key the machine file lists under ``locked`` (IT's word: not changed by the environment or in Settings);
3. the environment (``BSCP_DATABASE_URL``, ``BSCP_DATA_DIR``, ``BSCP_BACKUP_DIR``);
4. the user's own settings (Settings on this PC: the window's lock);
5. the machine file;
6. the program's built-in default.

``resolve`` gives the value and where it came from, in words, for Settings › Where data lives. A file that cannot
be used raises ``MachineConfigError``, whose message is one line naming the file, the key and the problem.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

FILE_NAME = "bscp-desktop.toml"
MAX_LOCK_MINUTES = 240


class MachineConfigError(ValueError):
    """The machine file cannot be used; the message says which file, which key and why."""


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be text in quotes"


def _folder(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "must be a folder's path, in quotes"
    return None if Path(value).expanduser().is_absolute() else "must be a full path (from the drive or the root)"


def _database(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "must be a register file's path or a postgresql:// address, in quotes"
    from urllib.parse import urlsplit

    if "://" in value and urlsplit(value).password:
        return ("must not hold a password: each user types theirs when the program asks, or the server trusts "
                "their login")
    return None


def _minutes(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_LOCK_MINUTES:
        return f"must be a whole number of minutes from 0 (never) to {MAX_LOCK_MINUTES}"
    return None


# Each key the file may hold, by its section and name, and how its value is checked.
KEYS: dict[str, Callable[[Any], str | None]] = {
    "register.database_url": _database,
    "folders.data": _folder,
    "folders.backups": _folder,
    "privacy.lock_minutes": _minutes,
    "partnership.name": _text,
    "partnership.local_authority": _text,
    "partnership.review_prefix": _text,
    "partnership.incident_prefix": _text,
    "partnership.protective_marking": _text,
    "partnership.address": _text,
    "partnership.email": _text,
}
LOCKABLE = ("register.database_url", "folders.data", "folders.backups", "privacy.lock_minutes")


@dataclass(frozen=True)
class MachineConfig:
    """The machine file as read: its path (None when there is none), its values by key, the keys IT locked."""

    path: Path | None
    values: dict[str, Any] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Resolved:
    """A setting's value and where it came from, in words ("this PC's machine file, locked by IT")."""

    value: Any
    source: str


def machine_file() -> Path:
    """Where the machine file is looked for."""
    if os.environ.get("BSCP_MACHINE_CONFIG"):
        return Path(os.environ["BSCP_MACHINE_CONFIG"])
    if os.name == "nt":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "bscp-desktop" / FILE_NAME
    return Path("/etc/bscp-desktop") / FILE_NAME


def load_machine_config() -> MachineConfig:
    """The machine file, read and checked (none: an empty one); ``MachineConfigError`` when it cannot be used."""
    path = machine_file()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return MachineConfig(None)
    return _read(path, stamp)


@lru_cache(maxsize=4)
def _read(path: Path, _stamp: int) -> MachineConfig:
    """The file at ``path`` as it was at ``_stamp`` (read again when it changes)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise MachineConfigError(f"{path}: not a settings file IT can use ({e})") from None
    except (OSError, UnicodeDecodeError) as e:
        raise MachineConfigError(f"{path}: cannot be read ({e.__class__.__name__})") from None
    values: dict[str, Any] = {}
    locked: list[str] = []
    for section, body in raw.items():
        if section == "locked":
            locked = _locked(path, body)
            continue
        if not isinstance(body, dict):
            raise MachineConfigError(f"{path}: {section}: is not a [section]; the sections are "
                                     f"{', '.join(sorted({k.split('.')[0] for k in KEYS}))} and locked")
        for name, value in body.items():
            key = f"{section}.{name}"
            check = KEYS.get(key)
            if check is None:
                raise MachineConfigError(f"{path}: {key}: is not a setting this program knows "
                                         f"(known: {', '.join(KEYS)})")
            if (problem := check(value)) is not None:
                raise MachineConfigError(f"{path}: {key}: {problem}")
            values[key] = value
    return MachineConfig(path, values, frozenset(locked))


def _locked(path: Path, body: Any) -> list[str]:
    """The keys listed as locked, each one IT may lock."""
    keys = body.get("keys") if isinstance(body, dict) else None
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys) or set(body) != {"keys"}:
        raise MachineConfigError(f'{path}: locked: must be keys = ["section.name", …]')
    for k in keys:
        if k not in LOCKABLE:
            raise MachineConfigError(f"{path}: locked: {k} cannot be locked (these can: {', '.join(LOCKABLE)})")
    return keys


def resolve(key: str, default: Any, command_line: Any = None, env_var: str = "", user: Any = None) -> Resolved:
    """``key``'s value and its source, by the order in this module's docstring."""
    config = load_machine_config()
    where = f"this PC's settings file {config.path}"
    if command_line is not None:
        return Resolved(command_line, "the command line")
    if key in config.locked and key in config.values:
        return Resolved(config.values[key], f"{where}, locked by IT")
    if env_var and os.environ.get(env_var):
        return Resolved(os.environ[env_var], f"the environment ({env_var})")
    if user is not None:
        return Resolved(user, "your own settings")
    if key in config.values:
        return Resolved(config.values[key], where)
    return Resolved(default, "the program's default")


def locked(key: str) -> bool:
    """True when IT locked ``key`` (and set it) in the machine file: Settings shows it and does not change it."""
    config = load_machine_config()
    return key in config.locked and key in config.values


def partnership_defaults() -> dict[str, str]:
    """The partnership's settings IT gave for a new register (by their names in the settings)."""
    names = {"partnership.name": "partnership_name", "partnership.local_authority": "local_authority",
             "partnership.review_prefix": "review_prefix", "partnership.incident_prefix": "incident_prefix",
             "partnership.protective_marking": "protective_marking", "partnership.address": "address",
             "partnership.email": "email"}
    values = load_machine_config().values
    return {names[k]: v for k, v in values.items() if k in names}
