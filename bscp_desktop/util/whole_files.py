"""Files and folders written whole or not at all. A file (a report, an export, a calendar, a backup) is written
to a hidden ``.part`` file beside it and renamed over it once complete (``write_file_whole``); a folder of files
(an archive request's release, a notice to the Panel) goes into a hidden ``.part`` folder renamed to the folder's
name once every file is written (``write_folder_whole``). Nobody ever finds, or sends, half a file or a folder
with half its files, and a failure leaves what was there before."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path


class FolderTaken(FileExistsError):
    """The folder to write already exists (it is never overwritten)."""


class FolderNotWritable(OSError):
    """The folder's parent cannot be written at all (nothing was started)."""


def part_path(target: Path) -> Path:
    """The hidden name beside ``target`` that its content is written under until it is whole."""
    return target.with_name(f".{target.name}.{os.getpid()}.part")


def write_file_whole[T](target: Path, fill: Callable[[Path], T]) -> T:
    """Write file ``target`` (its folder created) through ``fill(part)``, which writes the whole content to
    ``part``, renamed over ``target`` once ``fill`` returns; returns what ``fill`` returned. Any error leaves
    ``target`` as it was and no part file behind; an ``OSError`` names ``target``, not the part file."""
    target = Path(target)
    part = part_path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        done = fill(part)
        part.replace(target)
    except OSError as e:
        raise type(e)(e.errno, e.strerror, str(target)) from e
    finally:
        with contextlib.suppress(OSError):  # a folder that could not be written holds no part file either
            part.unlink(missing_ok=True)
    return done


def write_folder_whole[T](target: Path, fill: Callable[[Path], T]) -> T:
    """Create folder ``target`` holding what ``fill(part)`` writes into ``part``; returns what ``fill`` returned.
    ``FolderTaken`` when ``target`` exists, ``FolderNotWritable`` when its parent cannot take a folder; any error
    of ``fill`` removes the part folder and is raised as it was."""
    if target.exists():
        raise FolderTaken(f"{target} already exists")
    part = part_path(target)
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


__all__ = ["FolderNotWritable", "FolderTaken", "part_path", "write_file_whole", "write_folder_whole"]
