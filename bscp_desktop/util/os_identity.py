"""Who is using the program, as the operating system knows them: the account the process runs as, never an
environment variable (``LOGNAME``, ``USER`` and ``USERNAME`` are set by whoever starts the process, so anyone
could claim to be anyone with them).

On POSIX the real user id's account (``pwd``); on Windows the account of the process token
(``GetUserNameW``, which reads the token, not ``%USERNAME%``)."""

from __future__ import annotations

import os
import sys


def current_login() -> str:
    """The operating-system login of the account running this process."""
    if sys.platform == "win32":
        return _windows_login()
    import pwd

    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # an account with no name in the password database (a bare container)
        return f"uid-{uid}"


def _windows_login() -> str:
    import ctypes
    from ctypes import wintypes

    size = wintypes.DWORD(257)
    buffer = ctypes.create_unicode_buffer(size.value)
    if not ctypes.windll.advapi32.GetUserNameW(buffer, ctypes.byref(size)):  # type: ignore[attr-defined]
        raise OSError("the Windows account of this process could not be read")
    return buffer.value
