"""Putting a register back as one of its own copies was: ``restore --from COPY`` and File › Restore from a copy….

Only a copy the program made of this register (``copies.copies_of``: filed under its id) can be chosen. The copy
is verified before anything changes (it opens with the register's key or its own, SQLite's integrity check, the
audit log's hash chain); the register as it is now is kept as a copy of its own (``NAME.before-restore.…``),
then a verified working copy of the chosen one is moved over the register in one atomic rename, and the
restored register records the restore in its audit log (which copy, and the head of the log it replaced, so the
entries written since that copy stay accounted for). Refused while another program has the register open.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bscp_desktop.store.audit_chain import verify_chain
from bscp_desktop.store.copies import RegisterCopy, copies_folder, copies_of, register_id, register_id_of_file
from bscp_desktop.store.engine import Database, resolve_url
from bscp_desktop.store.keys import RegisterKey, file_state, find_key, remember_key


class RestoreRefused(RuntimeError):
    """The copy cannot be restored (not this register's, damaged, no key opens it) or the register is in use;
    nothing was changed."""


@dataclass(frozen=True)
class Restored:
    """What a restore did: the copy put back, where the register as it was is kept, and the audit log's head
    before and after."""

    copy: RegisterCopy
    kept: Path
    replaced_head: str
    entries: int


def restorable_copies(path: Path, key: RegisterKey | None) -> list[RegisterCopy]:
    """The copies of the register ``path`` that can be chosen, newest first."""
    register = register_id_of_file(path, key)
    return sorted(copies_of(register), key=lambda c: (c.made, c.path.name), reverse=True) if register else []


def _open_copy(copy: Path, key: RegisterKey | None) -> Database:
    """The copy, opened read-only with the register's key or its own (``RestoreRefused`` when none opens it)."""
    state = file_state(copy)
    if state == "plain":
        return Database(resolve_url(copy), read_only=True)
    if state != "encrypted":
        raise RestoreRefused(f"{copy} is not a register copy this program can read")
    from bscp_desktop.store.encryption import opens_with

    for candidate in (key, find_key(copy)):
        if candidate is not None and opens_with(copy, candidate):
            return Database(resolve_url(copy), key=candidate, read_only=True)
    raise RestoreRefused(f"{copy} does not open with the register's key (it was made under another key)")


def verify_copy_for(path: Path, key: RegisterKey | None, copy: Path) -> tuple[int, str]:
    """Check that ``copy`` is one of this register's copies and whole; returns its audit log's entries and head."""
    if copy.resolve() not in {c.path.resolve() for c in restorable_copies(path, key)}:
        raise RestoreRefused(f"{copy} is not one of the copies the program made of {path}: choose one of those")
    db = _open_copy(copy, key)
    try:
        with db.engine.connect() as conn:
            integrity = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
            if integrity != ["ok"]:
                raise RestoreRefused(f"{copy} is damaged ({'; '.join(integrity[:2])}): choose another copy")
            chain = verify_chain(conn)
            conn.rollback()
    except DBAPIError as e:  # too damaged even to check
        raise RestoreRefused(f"{copy} is damaged ({getattr(e, 'orig', e)}): choose another copy") from None
    finally:
        db.dispose()
    if not chain.ok:
        raise RestoreRefused(f"{copy}: its audit log does not verify ({chain.problem}): choose another copy")
    return chain.entries, chain.head


def restore_register(path: Path, key: RegisterKey | None, copy: Path, user: str,
                     now: dt.datetime | None = None) -> Restored:
    """Put the register ``path`` back as its copy ``copy`` was (see the module's docstring)."""
    from bscp_desktop.store.backup import backup_sqlite
    from bscp_desktop.store.encryption import _refuse_if_in_use

    now = now or dt.datetime.now()
    verify_copy_for(path, key, copy)
    try:
        _refuse_if_in_use(path, key)
    except Exception as e:  # noqa: BLE001 - EncryptionRefused's words apply here too
        raise RestoreRefused(str(e).replace("Nothing was changed.", "Nothing was restored.")) from None
    chosen = next(c for c in restorable_copies(path, key) if c.path.resolve() == copy.resolve())
    db = Database(resolve_url(path), key=key)
    try:
        register = register_id(db)
        assert register is not None
        with db.engine.connect() as conn:
            replaced = verify_chain(conn)
            conn.rollback()
        kept = copies_folder(register) / f"{path.stem}.before-restore.{now:%Y%m%d-%H%M%S}.db"
        while kept.exists():  # two restores in one second: each keeps its own
            now += dt.timedelta(seconds=1)
            kept = kept.with_name(f"{path.stem}.before-restore.{now:%Y%m%d-%H%M%S}.db")
        backup_sqlite(db, kept)
    finally:
        db.dispose()
    work = path.with_name(f".{path.name}.restoring")
    work.unlink(missing_ok=True)
    try:
        shutil.copyfile(copy, work)
        copy_key = key if key is None or file_state(copy) != "encrypted" else _key_opening(copy, key)
        if copy_key is not None:
            remember_key(work, copy_key)
        os.replace(work, path)  # the one step that changes the register
    finally:
        work.unlink(missing_ok=True)
    entries = _record(path, copy_key, chosen, kept, replaced.head, user)
    return Restored(chosen, kept, replaced.head, entries)


def _key_opening(copy: Path, key: RegisterKey) -> RegisterKey:
    from bscp_desktop.store.encryption import opens_with

    found = find_key(copy)
    return key if opens_with(copy, key) or found is None else found


def _record(path: Path, key: RegisterKey | None, chosen: RegisterCopy, kept: Path, replaced_head: str,
            user: str) -> int:
    """The restore's audit entry in the restored register, sealed into its chain like any other (the store
    seals it itself: the restore runs below the services)."""
    from bscp_desktop.models import AuditEntry
    from bscp_desktop.store.audit_chain import seal_new_entries

    db = Database(resolve_url(path), key=key)
    try:
        with db.write() as s:
            s.add(AuditEntry(user=user, action="restore register", entity="register", entity_id=register_id(db) or "",
                             summary=f"Restored from the {chosen.kind} copy of {chosen.made:%d/%m/%Y} ({chosen.path.name})",
                             before={"audit_head": replaced_head, "kept_as": str(kept)},
                             after={"copy": str(chosen.path)}))
            seal_new_entries(s)
        with db.read() as s:
            return int(s.execute(text("SELECT count(*) FROM audit_log")).scalar_one())
    finally:
        db.dispose()
