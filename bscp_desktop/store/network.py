"""Whether a register file lies on a network share. SQLite's write-ahead log relies on shared memory and file
locks that SMB and NFS shares do not give reliably, so a register several people open there can be damaged:
such a register is opened read-only, saying why, and shared work goes through a PostgreSQL server instead.

Linux reads the filesystem type of the mount that holds the file (``/proc/self/mountinfo``); Windows asks the
drive's type (a UNC path ``\\\\server\\share`` or a mapped network drive is remote)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "ncpfs", "coda", "9p", "ceph", "glusterfs",
    "lustre", "gfs2", "ocfs2", "davfs", "fuse.sshfs", "fuse.davfs", "fuse.rclone", "fuse.glusterfs", "fuse.s3fs",
})


def network_filesystem(path: Path) -> str | None:
    """The network filesystem ``path`` lies on ("cifs", "nfs4", "a network drive"), or None for a local disk."""
    if sys.platform == "win32":
        return _windows_remote(path)
    try:
        text = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None  # not Linux (or no /proc): treated as local
    kind = filesystem_type(path, text)
    return kind if kind in NETWORK_FILESYSTEMS else None


def filesystem_type(path: Path, mountinfo: str) -> str | None:
    """The filesystem type of the mount (from ``mountinfo``'s text) that holds ``path``: the longest mount point
    that is ``path`` or one of its folders."""
    target = str(Path(os.path.abspath(path)))
    best: tuple[int, str] | None = None
    for line in mountinfo.splitlines():
        fields = line.split(" ")
        if " - " not in line or len(fields) < 5:
            continue
        point = _unescape(fields[4])
        kind = line.split(" - ", 1)[1].split(" ")[0]
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= best[0]):
            best = (len(point), kind)
    return best[1] if best else None


def _unescape(field: str) -> str:
    """A mountinfo field with its octal escapes (``\\040`` for a space) undone."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 3 < len(field) and field[i + 1:i + 4].isdigit():
            out.append(chr(int(field[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def _windows_remote(path: Path) -> str | None:
    import ctypes

    text = os.path.abspath(path)
    if text.startswith(("\\\\", "//")):
        return "a network share"
    drive = os.path.splitdrive(text)[0] + "\\"
    drive_remote = 4  # DRIVE_REMOTE
    if ctypes.windll.kernel32.GetDriveTypeW(drive) == drive_remote:  # type: ignore[attr-defined]
        return "a network drive"
    return None


def network_message(path: Path, kind: str) -> str:
    """Why a register on a network share is open read-only, and what to do instead, in one line."""
    return (f"{path} is on a network share ({kind}): a register there can be damaged when several people open it, "
            "so it is open read-only. Keep your register on this PC, or share it through a PostgreSQL server "
            "(README: Shared use)")
