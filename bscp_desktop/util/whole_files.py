"""A folder of files written whole or not at all (an archive request's release, a notice to the Panel): its
files go into a hidden ``.part`` folder beside it, renamed to the folder's name once every file is written, so
nobody ever finds — or sends — a folder with half its files."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path


class FolderTaken(FileExistsError):
    """The folder to write already exists (it is never overwritten)."""


class FolderNotWritable(OSError):
    """The folder's parent cannot be written at all (nothing was started)."""


def write_folder_whole[T](target: Path, fill: Callable[[Path], T]) -> T:
    """Create folder ``target`` holding what ``fill(part)`` writes into ``part``; returns what ``fill`` returned.
    ``FolderTaken`` when ``target`` exists, ``FolderNotWritable`` when its parent cannot take a folder; any error
    of ``fill`` removes the part folder and is raised as it was."""
    if target.exists():
        raise FolderTaken(f"{target} already exists")
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        part.mkdir(parents=True)
    except OSError as e:
        raise FolderNotWritable(e.errno, e.strerror, str(target.parent)) from e
    try:
        done = fill(part)
        part.rename(target)
    except BaseException:
        shutil.rmtree(part, ignore_errors=True)
        raise
    return done


__all__ = ["FolderNotWritable", "FolderTaken", "write_folder_whole"]
