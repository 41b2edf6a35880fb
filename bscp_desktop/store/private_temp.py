"""The program's one place for temporary files: a private folder (0700 on POSIX) per running program, under the
user cache folder, removed when the program closes, and, should it crash, by the next program to start.

Reports are previewed from memory and need none. What does need a file is a stored document opened in an
outside viewer (the viewer reads a path): it goes here, private to the user, and is gone with the program.
Nothing the program writes outside the register survives it unless the user saved it.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import sys
import threading
from pathlib import Path

from platformdirs import user_cache_path

_lock = threading.Lock()
_folder: Path | None = None


def temporary_root() -> Path:
    """The folder that holds every running program's private folder (``BSCP_CACHE_DIR`` overrides the cache)."""
    base = Path(os.environ["BSCP_CACHE_DIR"]) if os.environ.get("BSCP_CACHE_DIR") else user_cache_path(
        "bscp-desktop", False)
    root = base / "temporary"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def session_folder() -> Path:
    """This program's private folder (made on first use, 0700; removed at exit)."""
    global _folder
    with _lock:
        if _folder is None or not _folder.is_dir():
            root = temporary_root()
            folder = root / f"{os.getpid()}-{secrets.token_hex(4)}"
            folder.mkdir(mode=0o700)
            _folder = folder
            atexit.register(remove_session_folder)
        return _folder


def private_file(name: str, data: bytes) -> Path:
    """Write ``data`` as ``name`` in a new sub-folder of this program's private folder (so two files of one name
    never meet), readable by the user alone, and return its path."""
    folder = session_folder() / secrets.token_hex(4)
    folder.mkdir(mode=0o700)
    path = folder / (Path(name).name or "document")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


def remove_session_folder() -> None:
    """Remove this program's private folder and everything in it (at close; again at exit, harmlessly)."""
    global _folder
    with _lock:
        folder, _folder = _folder, None
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def sweep_leftovers() -> int:
    """Remove the private folders of programs that are no longer running (left by a crash or a power cut);
    returns how many were removed. A folder whose program still runs is left alone."""
    removed = 0
    for folder in temporary_root().iterdir():
        pid_text = folder.name.split("-", 1)[0]
        if not pid_text.isdigit() or folder == _folder:
            continue
        if not _running(int(pid_text)):
            shutil.rmtree(folder, ignore_errors=True)
            removed += not folder.exists()
    return removed


def _running(pid: int) -> bool:
    """Whether a process with this id is running on this computer."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        synchronize = 0x00100000
        handle = ctypes.windll.kernel32.OpenProcess(synchronize, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another account's process: not ours to judge, keep its folder
        return True
    return True
