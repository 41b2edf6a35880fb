"""The audit log's hash chain: intact after ordinary work and bulk imports, sealed by the migration, kept whole by
concurrent writers, and broken — naming the entry and how — by a changed entry, a changed user, a deleted entry,
an inserted (forged) entry and reordered entries, written behind the program's back with plain SQL."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bscp_desktop.domain.vocab import Role
from bscp_desktop.services import Services
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.store.audit_chain import GENESIS, entry_hash, values_digest, verify_chain
from bscp_desktop.store.check import check_database
from bscp_desktop.store.engine import Database, resolve_url
from bscp_desktop.store.migrate import upgrade
from tests.conftest import colleague

D = dt.date


def _work(svc: Any, n: int = 6) -> None:
    for i in range(n):
        svc.incidents.register(IncidentInput(f"Child {chr(65 + i)}", "died", D(2026, 11, 2 + i % 3)))


def _chain(svc: Any) -> Any:
    with svc.db.engine.connect() as conn:
        return verify_chain(conn)


def _ids(svc: Any) -> list[int]:
    with svc.db.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT id FROM audit_log ORDER BY id"))]


def _sql(svc: Any, *statements: str, **params: Any) -> None:
    with svc.db.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), params)


def test_ordinary_work_leaves_an_intact_chain(svc: Any, db_url: str) -> None:
    _work(svc)
    chain = _chain(svc)
    ids = _ids(svc)
    assert chain.ok and chain.entries == len(ids) >= 6 and chain.verified_to == ids[-1]
    with svc.db.engine.connect() as conn:
        first_prev, head = conn.execute(text("SELECT (SELECT prev_hash FROM audit_log ORDER BY id LIMIT 1), "
                                             "(SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1)")).one()
    assert first_prev == GENESIS and chain.head == head
    report = check_database(db_url)
    assert report.ok and f"audit log: {len(ids):,} entries, chain intact; head {head}" in report.lines


@pytest.mark.parametrize("tamper, words", [
    ("UPDATE audit_log SET summary = 'nothing happened' WHERE id = :k", "entry {k} was changed"),
    ("UPDATE audit_log SET \"user\" = 'someone else' WHERE id = :k", "entry {k} was changed"),
    ("DELETE FROM audit_log WHERE id = :k", "an entry between entry {p} and entry {n} was deleted"),
])
def test_a_changed_or_deleted_entry_is_named(svc: Any, db_url: str, tamper: str, words: str) -> None:
    _work(svc)
    ids = _ids(svc)
    p, k, n = ids[2], ids[3], ids[4]
    _sql(svc, tamper, k=k)
    chain = _chain(svc)
    expected = words.format(k=k, p=p, n=n)
    assert not chain.ok and chain.problem is not None and chain.problem.startswith(expected)
    assert chain.verified_to == p
    report = check_database(db_url)
    assert not report.ok and any(expected in line for line in report.lines)


def _row(svc: Any, entry_id: int) -> dict[str, Any]:
    with svc.db.engine.connect() as conn:
        return dict(conn.execute(text("SELECT * FROM audit_log WHERE id = :i"), {"i": entry_id}).mappings().one())


def test_a_forged_entry_inserted_with_a_correct_hash_is_named(svc: Any) -> None:
    """Someone who knows the scheme moves later entries up one and slips in an entry chained to the one before."""
    _work(svc)
    ids = _ids(svc)
    at = ids.index(ids[3])
    for entry_id in reversed(ids[at:]):
        _sql(svc, "UPDATE audit_log SET id = :new WHERE id = :old", new=entry_id + 1000, old=entry_id)
    before = _row(svc, ids[at - 1])
    when = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    digest = values_digest("forged", None, None)
    forged = entry_hash("tester", when, "delete", "incident", "1", digest, before["entry_hash"])
    _sql(svc, "INSERT INTO audit_log (id, at, \"user\", action, entity, entity_id, summary, prev_hash, entry_hash, "
              "values_digest, values_removed) VALUES (:i, :at, 'tester', 'delete', 'incident', '1', 'forged', :prev, "
              ":h, :d, false)",
         i=ids[at], at=f"{when:%Y-%m-%d %H:%M:%S.%f}", prev=before["entry_hash"], h=forged, d=digest)
    chain = _chain(svc)
    assert chain.problem == (f"entry {ids[at]} was inserted: it and entry {ids[at] + 1000} both follow the same "
                             "entry")


def test_an_entry_inserted_without_a_hash_is_named(svc: Any) -> None:
    _work(svc, 3)
    last = _ids(svc)[-1]
    _sql(svc, "INSERT INTO audit_log (id, at, \"user\", action, entity, entity_id, summary) "
              "VALUES (:i, '2026-11-20 09:00:00', 'tester', 'update', 'incident', '1', 'forged')", i=last + 1)
    assert _chain(svc).problem == f"entry {last + 1} was inserted outside the program: it has no hash"


def test_reordered_entries_are_named(svc: Any) -> None:
    _work(svc)
    ids = _ids(svc)
    a, b = ids[2], ids[3]
    _sql(svc, "UPDATE audit_log SET id = -1 WHERE id = :a", "UPDATE audit_log SET id = :a WHERE id = :b",
         "UPDATE audit_log SET id = :b WHERE id = -1", a=a, b=b)
    chain = _chain(svc)
    assert chain.problem == f"entries were reordered: entry {a} follows entry {b}, which now comes after it"


def test_concurrent_writers_leave_one_chain(svc: Any, db_url: str) -> None:
    other = colleague(svc, db_url, "colleague", Role.ADMIN)  # themes are an administrator's
    errors: list[BaseException] = []

    def write(s: Any, name: str) -> None:  # new themes: writes that share no row, so only the chain orders them
        try:
            for i in range(25):
                s.themes.add(f"{name} theme {i}")
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            errors.append(e)
    threads = [threading.Thread(target=write, args=(s, n)) for s, n in ((svc, "Mine"), (other, "Theirs"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert errors == []
    chain = _chain(svc)
    assert chain.ok and chain.entries == len(_ids(svc))


def test_a_bulk_import_joins_the_chain(svc: Any, tmp_path: Path) -> None:
    from tests.conftest import write_workbook

    _work(svc, 2)
    book = write_workbook(tmp_path / "in.xlsx", ["Pseudonym", "Harm", "Became aware"],
                          [[f"Child {i}", "died", D(2026, 10, 1)] for i in range(30)])
    svc.incident_import.apply(svc.incident_import.check(book))
    _work(svc, 1)
    chain = _chain(svc)
    assert chain.ok and chain.entries >= 33


@pytest.mark.plain_only
def test_the_migration_seals_the_entries_already_there(db_path: Path) -> None:
    db = Database(resolve_url(db_path))
    upgrade(db, target="0005")
    with db.engine.begin() as conn:
        for i in range(1, 4):
            conn.execute(text("INSERT INTO audit_log (id, at, \"user\", action, entity, entity_id, summary, before, "
                              "after) VALUES (:i, '2026-01-0' || :i || ' 10:00:00.000000', 'sam', 'create', "
                              "'incident', :i, 'Recorded', NULL, '{\"pseudonym\": \"Child A\"}')"), {"i": i})
    db.dispose()
    svc = Services.open(db_path, user="sam")  # the register's administrator since the upgrade (its first writer)
    chain = _chain(svc)
    assert chain.ok and chain.entries == 4  # and 0013's entry sealing them in the current form
    assert [r["summary"] for r in (_row(svc, i) for i in (1, 2, 3))] == ["Recorded"] * 3
    svc.incidents.register(IncidentInput("Child B", "died", D(2026, 11, 2)))
    assert _chain(svc).ok and _chain(svc).entries == 5
    svc.close()


@pytest.mark.parametrize("kind", ["deadlines", "status"])
def test_the_deadlines_and_status_reports_end_with_the_logs_head(svc: Any, tmp_path: Path, kind: str) -> None:
    """The last page carries the log's size and head, so a paper copy anchors the chain: a rewrite after it
    shows when ``check`` no longer finds that head among the log's entries."""
    from pypdf import PdfReader

    from bscp_desktop.reports import ReportOptions, render

    svc.incidents.register(IncidentInput("Child A", "died", D(2026, 11, 2)))
    entries, head = svc.audit_log.head()
    assert svc.audit_log.verify().head == head
    out = render(svc, kind, tmp_path / f"{kind}.pdf", ReportOptions(D(2026, 11, 20)))
    last = "".join(PdfReader(out).pages[-1].extract_text().split())
    assert f"{entries:,}entries,head{head}" in last
