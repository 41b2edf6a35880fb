"""``encrypt``, ``decrypt``, ``rekey`` and ``restore``: a register's key and its copies."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bscp_desktop.util.words import counted

if TYPE_CHECKING:
    pass

from bscp_desktop.cli.common import UsageError, administrator_only, chosen_key, fail, register_file


def add_key_commands(sub: Any) -> None:
    """``encrypt``, ``decrypt`` and ``rekey``: a SQLite register encrypted at rest, and its key."""
    e = sub.add_parser("encrypt", help="encrypt a plain register in place (and the program's copies of it)")
    e.add_argument("--db", default=argparse.SUPPRESS)
    e.add_argument("--passphrase", action="store_true",
                   help="open it with a passphrase (typed, or BSCP_DB_PASSPHRASE) rather than a key kept in this "
                        "PC's credential store")

    d = sub.add_parser("decrypt", help="write a plain copy of an encrypted register (for a records manager)")
    d.add_argument("--db", default=argparse.SUPPRESS)
    d.add_argument("--out", required=True, type=Path, help="the new, plain file")

    back = sub.add_parser("restore", help="list the program's copies of a register, or put it back as one was")
    back.add_argument("--db", default=argparse.SUPPRESS)
    back.add_argument("--from", dest="copy", type=Path, help="the copy to put back (one that --db's list shows)")

    r = sub.add_parser("rekey", help="change an encrypted register's passphrase, or where its key is kept")
    r.add_argument("--db", default=argparse.SUPPRESS)
    r.add_argument("--to", choices=("passphrase", "keyring"), default="passphrase",
                   help="passphrase (typed, or BSCP_NEW_DB_PASSPHRASE) or keyring (a new key kept in this PC's "
                        "credential store); default passphrase")


def encrypt(args: argparse.Namespace) -> int:
    from bscp_desktop.store.encryption import EncryptionRefused, encrypt_register
    from bscp_desktop.store.keys import is_encrypted, keyring_usable

    path = register_file(args)
    already = is_encrypted(path)
    if not already:
        administrator_only(path, "encrypt the register")
    if already:
        key: Any = None
    elif args.passphrase or not keyring_usable():
        if not args.passphrase and not os.environ.get("BSCP_DB_PASSPHRASE"):
            raise UsageError("this PC has no credential store to keep the key in: add --passphrase to choose one")
        key = chosen_key("passphrase", "BSCP_DB_PASSPHRASE", "Passphrase for the register")
    else:
        key = chosen_key("keyring", "", "")
    try:
        report = encrypt_register(path, key)
    except EncryptionRefused as e:
        return fail(str(e))
    copies = f"; {counted(len(report.copies), 'plain copy', 'plain copies')} in the backups folder encrypted too"
    if already:
        print(f"{path} is already encrypted{copies if report.copies else ''}")
        return 0
    print(f"Encrypted {path} with SQLCipher ({key.described}): {counted(report.tables, 'table')}, "
          f"{counted(report.rows, 'row')} and {counted(report.documents, 'document')} verified; the plain bytes were "
          f"overwritten{copies if report.copies else ''}")
    return 0


def decrypt(args: argparse.Namespace) -> int:
    from bscp_desktop.store.encryption import EncryptionRefused, decrypt_register

    path = register_file(args)
    administrator_only(path, "write a plain copy of the register")
    try:
        report = decrypt_register(path, args.out)
    except EncryptionRefused as e:
        return fail(str(e))
    print(f"Wrote a plain copy of {path} to {args.out}: {counted(report.rows, 'row')} and "
          f"{counted(report.documents, 'document')} verified. Anyone with this file can read it: keep it safe and "
          "delete it when done")
    return 0


def rekey(args: argparse.Namespace) -> int:
    from bscp_desktop.store.encryption import EncryptionRefused, rekey_register
    from bscp_desktop.store.keys import RegisterKey

    path = register_file(args)
    administrator_only(path, "change the register's key")
    key = chosen_key(args.to, "BSCP_NEW_DB_PASSPHRASE", "New passphrase for the register")
    earlier = os.environ.get("BSCP_OLD_DB_PASSPHRASE")  # opens copies made under an earlier passphrase
    try:
        report = rekey_register(path, key, old_copy_key=RegisterKey.passphrase(earlier) if earlier else None)
    except EncryptionRefused as e:
        return fail(str(e))
    copies = f"; {counted(len(report.copies), 'copy', 'copies')} in the backups folder re-keyed too"
    print(f"Re-keyed {path}: {key.described}{copies if report.copies else ''}")
    if report.removed:
        print(f"Removed {counted(len(report.removed), 'copy', 'copies')} of it that no key held here opens (made "
              f"under an earlier key): {', '.join(str(p) for p in report.removed)}")
    return 0


def restore(args: argparse.Namespace) -> int:
    """``restore --db FILE``: the register's own copies; ``--from COPY``: put the register back as it was."""
    from bscp_desktop.services.core.base import os_login
    from bscp_desktop.store.keys import file_state, find_key
    from bscp_desktop.store.restore import RestoreRefused, restorable_copies, restore_register

    path = register_file(args)
    key = find_key(path) if file_state(path) == "encrypted" else None
    if file_state(path) == "encrypted" and key is None:
        from bscp_desktop.store.keys import KeyNeeded, key_needed_message

        raise KeyNeeded(key_needed_message(path))
    if args.copy is None:
        copies = restorable_copies(path, key)
        if not copies:
            print(f"The program has made no copy of {path} yet (a daily copy is made when the window opens)")
        for c in copies:
            print(f"{c.made:%d/%m/%Y}  {c.kind:<11}  {c.path}")
        return 0
    administrator_only(path, "restore the register from a copy")
    try:
        done = restore_register(path, key, args.copy, os_login())
    except RestoreRefused as e:
        raise UsageError(str(e)) from None
    print(f"Restored {path} from the {done.copy.kind} copy of {done.copy.made:%d/%m/%Y}; the register as it was is "
          f"kept as {done.kept}. Its audit log now has {done.entries:,} entries (the restore is the last)")
    return 0
