"""Shared use: two real connections (two programs), gap-free numbering under concurrency, copying a unit's data
between databases (all or nothing, verified), and a server that cannot be reached. Runs on SQLite and, when
BSCP_TEST_DATABASE_URL is set, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bscp_desktop.domain.vocab import Role
from bscp_desktop.models import AuditEntry, DocumentContent, Incident
from bscp_desktop.services import ConflictError, Services
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.store.copy import CopyRefused, copy_database
from bscp_desktop.store.engine import Database, resolve_url
from bscp_desktop.store.errors import StoreUnavailable
from tests.conftest import PG_URL, TODAY, colleague, fingerprint

D = dt.date


def second(svc: Services, db_url: str, user: str, role: Role = Role.EDITOR) -> Services:
    """Another program on the same database, its own engine and connections, used by a colleague ``svc``'s
    administrator has given ``role``."""
    return colleague(svc, db_url, user, role, today=lambda: TODAY)


def test_stale_save_between_two_programs(svc: Any, db_url: str) -> None:
    other = second(svc, db_url, "colleague")
    try:
        v = svc.incidents.register(IncidentInput("Child A", "died", D(2026, 11, 2))).value
        mine, theirs = svc.incidents.get(v.id), other.incidents.get(v.id)
        other.incidents.update(theirs.id, theirs.version, IncidentInput("Child A", "died", D(2026, 11, 2),
                                                                        lead_officer="Review Officer 2"))
        before = fingerprint(svc)
        with pytest.raises(ConflictError, match="changed by someone else"):
            svc.incidents.update(mine.id, mine.version, IncidentInput("Child B", "died", D(2026, 11, 2)))
        assert fingerprint(svc) == before  # no silent overwrite
        assert svc.incidents.get(v.id).lead_officer == "Review Officer 2"
    finally:
        other.close()


def test_a_colleagues_closure_day_reaches_the_due_dates_after_the_poll(svc: Any, db_url: str) -> None:
    from bscp_desktop.models import Incident

    other = second(svc, db_url, "colleague", Role.ADMIN)  # closure days are an administrator's
    try:
        v = svc.incidents.register(IncidentInput("Child C", "died", D(2026, 11, 2))).value  # a Monday
        [notification] = svc.clocks.for_incident(v.id)
        assert notification.due == D(2026, 11, 9)  # five working days; the calendar is now cached here
        seen, _ = svc.others_changes(None)
        other.settings.add_closure(D(2026, 11, 4), "Office move")
        with svc.db.read() as s:  # the colleague's change carried the new due date with it, in its transaction
            assert s.scalar(select(Incident.next_due).where(Incident.id == v.id)) == D(2026, 11, 10)
        _, changes = svc.others_changes(seen)  # the poll a few seconds later
        assert changes.touches("settings")
        [notification] = svc.clocks.for_incident(v.id)
        assert notification.due == D(2026, 11, 10)  # without a restart
        w = svc.incidents.register(IncidentInput("Child D", "died", D(2026, 11, 2))).value
        with svc.db.read() as s:
            assert s.scalar(select(Incident.next_due).where(Incident.id == w.id)) == D(2026, 11, 10)
    finally:
        other.close()


def test_a_rule_change_and_its_due_dates_are_one_transaction(svc: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    svc.incidents.register(IncidentInput("Child E", "died", D(2026, 11, 2)))
    before = fingerprint(svc)

    def fail(*_a: Any, **_k: Any) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(svc.due_keeper, "recompute_all", fail)
    settings = svc.settings.get()
    changes = [lambda: svc.settings.add_closure(D(2026, 11, 4), "Office move"),
               lambda: svc.settings.update(dataclasses.replace(
                   settings, rule_amounts=settings.rule_amounts | {"notification": 6}))]
    for change in changes:
        with pytest.raises(OSError, match="disk full"):
            change()
        assert fingerprint(svc) == before  # neither the change nor any due date was saved


def test_concurrent_registrations_get_gap_free_references(svc: Any, db_url: str) -> None:
    programs = [second(svc, db_url, f"user{i}") for i in range(4)]
    refs: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def work(p: Services) -> None:
        try:
            for _ in range(10):
                ref = p.incidents.register(IncidentInput("Child C", "died", D(2026, 11, 2))).value.local_ref
                with lock:
                    refs.append(ref)
        except BaseException as e:  # noqa: BLE001 - reported below
            failures.append(e)

    threads = [threading.Thread(target=work, args=(p,)) for p in programs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for p in programs:
        p.close()
    assert not failures, failures
    numbers = sorted(int(r.rsplit("/", 1)[1]) for r in refs)
    assert numbers == list(range(1, 41))  # distinct and gap-free
    with svc.db.read() as s:
        audited = s.scalars(select(AuditEntry.entity_id).where(AuditEntry.action == "register incident")).all()
        stored = s.scalars(select(Incident.local_ref)).all()
    assert sorted(stored) == sorted(refs) and len(audited) == 40  # the audit log is complete


def demo_with_documents(path: Path, incidents: int) -> Services:
    s = Services.open(path, today=lambda: TODAY, user="unit")
    s.demo.build(incidents, 3, TODAY)
    rid = s.reviews.by_reference("BSCP2020-21/02").id
    for n in range(3):
        f = path.parent / f"doc{n}.pdf"
        f.write_bytes(b"%PDF fictional " + bytes([n]) * 5000)
        s.documents.add(f, "report", review_id=rid)
    return s


def test_copy_round_trip_with_documents(tmp_path: Path, db_url: str, backend: str) -> None:
    source = demo_with_documents(tmp_path / "unit.db", 10_000)
    target = Database(resolve_url(db_url)) if backend == "postgresql" else Database(resolve_url(tmp_path / "t.db"))
    if backend == "postgresql":  # the cloned template holds the catalogue: start from an empty schema
        _empty(target)
    report = copy_database(source.db, target)
    with source.db.read() as s:  # the three added, and the demo's stand-ins for the publications it was asked for
        stored = s.scalar(select(func.count(DocumentContent.document_id)))
    assert report.rows["incidents"] == 10_000 and report.documents_checked == stored > 3
    back = Database(resolve_url(tmp_path / "back.db"))
    copy_database(target, back)
    finish = Services(back)
    copied, original = fingerprint(finish), fingerprint(source)
    ids = [next(r[1] for r in rows["settings"] if r[0] == "register.id") for rows in (copied, original)]
    assert ids[0] != ids[1]  # a copy is a register of its own, with its own copies
    for rows in (copied, original):
        rows["settings"] = [r for r in rows["settings"] if r[0] != "register.id"]
    assert copied == original  # every other row, ids and bytes included
    # the copy is a working database: numbering continues from the copied rows
    s2 = Services(target, today=lambda: TODAY, user="unit")
    v = s2.incidents.register(IncidentInput("Child Z", "died", D(2026, 11, 19))).value
    assert v.id == 10_001
    for d in (target, back, source.db):
        d.dispose()


def _empty(db: Database) -> None:
    from bscp_desktop.models import Base

    with db.engine.begin() as c:
        for t in reversed(Base.metadata.sorted_tables):
            c.execute(t.delete())


def test_interrupted_copy_leaves_the_target_unchanged(tmp_path: Path, db_url: str, backend: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    source = demo_with_documents(tmp_path / "unit.db", 300)
    target = Database(resolve_url(db_url)) if backend == "postgresql" else Database(resolve_url(tmp_path / "t.db"))
    if backend == "postgresql":
        _empty(target)
    Services.open(target.url).close()
    before = fingerprint(Services(target))
    calls = {"n": 0}
    import bscp_desktop.store.copy as copy_module

    real = copy_module._verify_table

    def interrupt(src: Any, dst: Any, table: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 6:
            raise KeyboardInterrupt  # the user stops it half-way
        real(src, dst, table)

    monkeypatch.setattr(copy_module, "_verify_table", interrupt)
    with pytest.raises(KeyboardInterrupt):
        copy_database(source.db, target)
    assert fingerprint(Services(target)) == before
    monkeypatch.undo()
    copy_database(source.db, target)  # and it can be run again
    with pytest.raises(CopyRefused, match="already holds data"):
        copy_database(source.db, target)
    target.dispose()
    source.close()


@pytest.mark.sqlite_only
def test_unreachable_server_is_a_clear_message(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from bscp_desktop.cli import main

    url = "postgresql+psycopg://nobody:wrong@127.0.0.1:9/none?connect_timeout=2"
    with pytest.raises(StoreUnavailable, match="cannot be reached"):
        Services.open(url)
    Services.open(tmp_path / "s.db").close()
    code = main(["copy", "--from", str(tmp_path / "s.db"), "--to", url])
    err = capsys.readouterr().err
    assert code == 1 and "cannot be reached" in err and "Traceback" not in err
    if PG_URL:  # a real server refusing a wrong password says so too
        wrong = make_url(PG_URL).set(password="not-the-password").render_as_string(hide_password=False)
        with pytest.raises(StoreUnavailable, match="The server refused the password for bscp"):
            Services.open(wrong)
