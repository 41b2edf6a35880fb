"""The audit log as a hash chain: each entry carries the SHA-256 of its own canonical content (who, when, action,
entity, id, and the digest of its summary and before and after values) together with the previous entry's hash (the services' flush hook and
``Manager.audit_many`` append through ``seal_new_entries`` and ``seal_rows``), so an entry changed, deleted,
inserted or moved with any SQLite or psql client breaks the chain where it happened, and ``verify_chain`` names
that entry and how. The head hash and the number of entries, minuted by a board, prove later that the log was not
cut short (a chain cannot show a missing tail by itself).

What an entry says about its record (its summary, its values before and after) is sealed by its digest
(``values_digest``), not in the hash itself: a lawful disposal removes them from the disposed record's entries
(``values_removed``) and every hash still verifies; what is present is checked against its digest, so a changed
value is named like a changed entry.

Appends are serialised so that two users saving at once never fork the chain: on SQLite every write transaction
already holds the write lock (``BEGIN IMMEDIATE``); on PostgreSQL the writing transaction takes an advisory lock
before it reads the head.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, inspect, select

from bscp_desktop.schema import audit_log, utcnow
from bscp_desktop.util.text import clean_text

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

GENESIS = "0" * 64  # what the first entry follows
CHAIN_LOCK = 0x6273_6370  # the advisory lock key ("bscp") that serialises appends on PostgreSQL
READ_BATCH = 5000


def _json(doc: Any) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _moment(at: dt.datetime) -> str:
    return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone(dt.UTC).isoformat(timespec="microseconds")


def values_digest(summary: str | None, before: Any, after: Any) -> str:
    """The SHA-256 (hex) of what an entry says about the record (its summary, its values before and after): what
    its hash covers in their place, so they can be removed (by a lawful disposal) and every hash still verifies."""
    return hashlib.sha256(_json({"summary": clean_text(summary or ""), "before": before, "after": after})).hexdigest()


def canonical(user: str, at: dt.datetime, action: str, entity: str, entity_id: str, values: str,
              prev_hash: str) -> bytes:
    """The bytes an entry's hash is taken over: its fields as sorted, compact JSON, text cleaned as the database
    stores it, the moment in UTC to the microsecond, the digest of its summary and values, and the previous
    entry's hash."""
    return _json({"user": clean_text(user), "at": _moment(at), "action": clean_text(action),
                  "entity": clean_text(entity), "entity_id": clean_text(str(entity_id)), "values": values,
                  "prev": prev_hash})


def entry_hash(user: str, at: dt.datetime, action: str, entity: str, entity_id: str, values: str,
               prev_hash: str) -> str:
    """The SHA-256 (hex) of an entry (its summary and values given by their digest) chained to ``prev_hash``."""
    return hashlib.sha256(canonical(user, at, action, entity, entity_id, values, prev_hash)).hexdigest()


def entry_hash_before_0013(user: str, at: dt.datetime, action: str, entity: str, entity_id: str, summary: str,
                           before: Any, after: Any, prev_hash: str) -> str:
    """How an entry was hashed until migration 0013 (over its values themselves): the upgrade verifies the old
    chain with it before moving every entry to the current form."""
    return hashlib.sha256(_json({
        "user": clean_text(user), "at": _moment(at), "action": clean_text(action), "entity": clean_text(entity),
        "entity_id": clean_text(str(entity_id)), "summary": clean_text(summary or ""), "before": before,
        "after": after, "prev": prev_hash})).hexdigest()


def lock_and_read_head(conn: Connection) -> str:
    """Serialise appends (an advisory lock on PostgreSQL, held to the end of the transaction) and return the hash
    of the newest entry (``GENESIS`` for an empty log)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK})")
    head = conn.execute(select(audit_log.c.entry_hash).order_by(audit_log.c.id.desc()).limit(1)).scalar()
    return head or GENESIS


def server_stamp(conn: Connection) -> tuple[str, dt.datetime] | None:
    """On PostgreSQL, the session's login and the transaction's time: what the server's guard requires of every
    entry (``store.server_audit``), so the program seals its entries with them. None on SQLite."""
    if conn.dialect.name != "postgresql":
        return None
    login, now = conn.exec_driver_sql("SELECT session_user, now()").one()
    return str(login), now.astimezone(dt.UTC)


def seal_new_entries(session: Session) -> None:
    """Before a flush: chain every audit entry the session is about to insert, in the order they were added."""
    from bscp_desktop.models import AuditEntry  # a flush: the ORM is loaded

    new = [obj for obj in session.new if isinstance(obj, AuditEntry)]
    if not new:
        return
    new.sort(key=lambda e: inspect(e).insert_order or 0)
    prev = lock_and_read_head(session.connection())
    stamp = server_stamp(session.connection())
    for e in new:
        if stamp is not None:
            e.user, e.at = stamp
        if e.at is None:
            e.at = utcnow()
        e.values_digest = values_digest(e.summary, e.before, e.after)
        e.prev_hash = prev
        e.entry_hash = prev = entry_hash(e.user, e.at, e.action, e.entity, e.entity_id, e.values_digest, prev)


def seal_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Chain audit rows about to be inserted in bulk (``Manager.audit_many``), in list order."""
    prev = lock_and_read_head(conn)
    stamp = server_stamp(conn)
    for r in rows:
        if stamp is not None:
            r["user"], r["at"] = stamp
        r["values_digest"] = values_digest(r["summary"], r["before"], r["after"])
        r["prev_hash"] = prev
        r["entry_hash"] = prev = entry_hash(r["user"], r["at"], r["action"], r["entity"], r["entity_id"],
                                            r["values_digest"], prev)


@dataclass(frozen=True)
class ChainReport:
    """What verifying the chain found: how many entries, the head hash, and the first break (None: intact)."""

    entries: int
    head: str
    problem: str | None
    verified_to: int | None  # the id of the last entry before the first break (or the last entry)

    @property
    def ok(self) -> bool:
        """True when every entry matches its hash and follows the one before it."""
        return self.problem is None


@dataclass(frozen=True)
class _Link:
    id: int
    prev_hash: str
    stored: str
    computed: str
    values_changed: bool = False  # its values are present and no longer match their sealed digest


def _links(conn: Connection) -> Iterator[_Link]:
    t = audit_log
    last = 0
    while True:
        rows = conn.execute(select(t).where(t.c.id > last).order_by(t.c.id).limit(READ_BATCH)).mappings().all()
        if not rows:
            return
        for r in rows:
            computed = entry_hash(r["user"], r["at"], r["action"], r["entity"], r["entity_id"], r["values_digest"] or "",
                                  r["prev_hash"] or "")
            changed = not r["values_removed"] and values_digest(r["summary"], r["before"], r["after"]) != r[
                "values_digest"]
            yield _Link(r["id"], r["prev_hash"] or "", r["entry_hash"] or "", computed, changed)
        last = rows[-1]["id"]


def verify_chain(conn: Connection) -> ChainReport:
    """Walk the whole log in id order; name the first entry that is changed or out of its place, and how."""
    links = list(_links(conn))
    return describe_chain(links)


def describe_chain(links: Iterable[_Link]) -> ChainReport:
    """The report for entries in id order (see ``verify_chain``)."""
    items = list(links)
    position = {link.stored: i for i, link in enumerate(items)}
    prev, prev_id = GENESIS, None
    for i, link in enumerate(items):
        if not link.stored:
            return _broken(items, prev_id, f"entry {link.id} was inserted outside the program: it has no hash")
        if link.computed != link.stored:
            return _broken(items, prev_id, f"entry {link.id} was changed: its content no longer matches its hash")
        if link.values_changed:
            return _broken(items, prev_id, f"entry {link.id} was changed: its summary or values no longer match "
                                           "their sealed digest")
        if link.prev_hash != prev:
            return _broken(items, prev_id, _out_of_place(items, i, prev_id, position))
        prev, prev_id = link.stored, link.id
    return ChainReport(len(items), prev, None, prev_id)


def _out_of_place(items: list[_Link], i: int, prev_id: int | None, position: dict[str, int]) -> str:
    """How entry ``items[i]`` fails to follow the entry before it (``prev_id``)."""
    link = items[i]
    after = f"entry {prev_id}" if prev_id is not None else "the start of the log"
    where = position.get(link.prev_hash)
    if where is not None and where > i:
        return f"entries were reordered: entry {link.id} follows entry {items[where].id}, which now comes after it"
    if i > 0 and items[i - 1].prev_hash == link.prev_hash:
        return f"entry {prev_id} was inserted: it and entry {link.id} both follow the same entry"
    if where is None and i + 1 < len(items) and i > 0 and items[i + 1].prev_hash == items[i - 1].stored:
        return f"entry {link.id} was inserted: the entry after it follows {after}"
    if where is None:
        return f"an entry between {after} and entry {link.id} was deleted"
    return f"entry {link.id} does not follow {after} but entry {items[where].id}: entries were moved or deleted"


def _broken(items: list[_Link], prev_id: int | None, problem: str) -> ChainReport:
    return ChainReport(len(items), items[-1].stored if items else GENESIS, problem, prev_id)
