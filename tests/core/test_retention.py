"""Retention: when a record falls due for disposal review, legal holds that block disposal, and disposal that
deletes a record's personal content while the statistics stay as they were and the disposal log keeps the
record of it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.domain.vocab import HoldReason, RecordClass
from bscp_desktop.services import ValidationError
from bscp_desktop.services.catalogue.requests import RequestInput
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.registers.registers import RegisterFilter
from bscp_desktop.services.reviews.reviews import ReviewInput
from bscp_desktop.services.trust.retention_schedule import DISPOSED, OnLegalHold, add_years
from bscp_desktop.store.audit_chain import verify_chain
from tests.conftest import TODAY, agree_rapid_review, answer_criteria, fingerprint

D = dt.date


def closed_incident(svc: Any, name: str, aware: dt.date, closed: dt.date, notes: str = "") -> Any:
    """An incident with no review, closed on ``closed``."""
    v = svc.incidents.register(IncidentInput(name, "seriously harmed", aware, age_band="1-4", sex="female",
                                             lead_officer="A Fictional Officer", notes=notes)).value
    v = svc.incidents.record_notification(v.id, v.version, aware + dt.timedelta(days=1)).value
    v = agree_rapid_review(svc, v.id, aware + dt.timedelta(days=14))
    v = svc.incidents.record_rapid_review(v.id, v.version, aware + dt.timedelta(days=14)).value
    v = answer_criteria(svc, v.id)
    v = svc.incidents.record_decision(v.id, v.version, "no-review", aware + dt.timedelta(days=14),
                                      "Single-agency learning only").value
    return svc.incidents.close(v.id, v.version, closed, "No local review").value


def answered_request(svc: Any, received: dt.date, name: str, email: str) -> Any:
    published = next(r for r in svc.catalogue.entries() if r.publication_date is not None)
    v = svc.requests.log(RequestInput(received, name, email, (published.id,), purpose="Fictional research")).value
    return svc.requests.decline(v.id, v.version, received + dt.timedelta(days=10), "Not held").value


def test_add_years_keeps_the_day_or_ends_february() -> None:
    assert add_years(D(2016, 3, 1), 10) == D(2026, 3, 1)
    assert add_years(D(2024, 2, 29), 3) == D(2027, 2, 28)


def test_due_dates_follow_the_rule_for_each_class(svc: Any) -> None:
    due = closed_incident(svc, "Child A", D(2015, 12, 1), D(2016, 3, 1))
    closed_incident(svc, "Child B", D(2016, 12, 1), D(2017, 1, 2))  # closed under ten years ago
    reviewed = svc.incidents.register(IncidentInput("Child C", "died", D(2015, 1, 5))).value
    reviewed = svc.incidents.record_notification(reviewed.id, reviewed.version, D(2015, 1, 6)).value
    reviewed = agree_rapid_review(svc, reviewed.id, D(2015, 1, 20))
    reviewed = svc.incidents.record_rapid_review(reviewed.id, reviewed.version, D(2015, 1, 20)).value
    reviewed = svc.incidents.record_decision(reviewed.id, reviewed.version, "lcspr", D(2015, 1, 20)).value
    svc.reviews.commission([reviewed.id], ReviewInput("lcspr", "A kept review", D(2015, 1, 20)))
    old = answered_request(svc, D(2023, 10, 20), "A Researcher", "a@example.org")  # answered 30/10/2023
    answered_request(svc, D(2024, 1, 10), "B Researcher", "b@example.org")  # answered 20/01/2024: not yet

    listed = svc.retention.due()
    assert [(r.record_class, r.reference, r.since, r.due) for r in listed] == [
        (RecordClass.INCIDENT, due.local_ref, D(2016, 3, 1), D(2026, 3, 1)),
        (RecordClass.REQUEST, old.reference, D(2023, 10, 30), D(2026, 10, 30)),
    ]
    assert listed[0].rule == "Incident with no review: 10 years after closure"
    assert listed[1].rule == "Archive request and its correspondence: 3 years after the answer"
    assert [r.reference for r in svc.retention.due(as_of=D(2026, 10, 29))] == [due.local_ref]
    assert svc.retention.due(as_of=D(2026, 2, 28)) == []

    s = svc.settings.get()  # the records manager keeps incidents twelve years
    svc.settings.update(dataclasses.replace(s, retention_years=s.retention_years | {"incident": 12}))
    assert [r.record_class for r in svc.retention.due()] == [RecordClass.REQUEST]
    assert [r.due for r in svc.retention.due(as_of=D(2028, 3, 1)) if r.record_class is RecordClass.INCIDENT] == [
        D(2028, 3, 1)]


def test_a_retention_period_must_be_a_sensible_number_of_years(svc: Any) -> None:
    s = svc.settings.get()
    with pytest.raises(ValidationError) as e:
        svc.settings.update(dataclasses.replace(s, retention_years=s.retention_years | {"request": 0}))
    assert "etention" in str(e.value) and "year" in str(e.value)
    assert svc.settings.get().retention_years == s.retention_years


def test_a_legal_hold_blocks_disposal_and_the_refusal_is_audited(svc: Any) -> None:
    inc = closed_incident(svc, "Child A", D(2015, 12, 1), D(2016, 3, 1))
    hold = svc.retention.place_legal_hold("incident", inc.id, HoldReason.INQUIRY, "Fictional public inquiry").value
    assert hold.active and hold.placed_by == svc.user and hold.reference == inc.local_ref
    listed = svc.retention.due()
    assert listed[0].held and "Public inquiry: Fictional public inquiry" in listed[0].hold
    before = fingerprint(svc, skip_columns=("id", "at", "prev_hash", "entry_hash"))
    with pytest.raises(OnLegalHold) as refusal:
        svc.retention.dispose(RecordClass.INCIDENT, inc.id)
    assert inc.local_ref in str(refusal.value) and "legal hold" in str(refusal.value)
    after = fingerprint(svc, skip_columns=("id", "at", "prev_hash", "entry_hash"))
    assert {t for t in before if before[t] != after[t]} == {"audit_log"}
    refusals = [e for e in svc.audit_log.find(inc.local_ref).entries if e.action == "disposal refused"]
    assert len(refusals) == 1 and refusals[0].user == svc.user
    assert svc.incidents.get(inc.id).pseudonym == "Child A"

    with pytest.raises(ValidationError, match="Reason for lifting"):
        svc.retention.lift_legal_hold(hold.id, hold.version, " ")
    lifted = svc.retention.lift_legal_hold(hold.id, hold.version, "The inquiry reported").value
    assert not lifted.active and lifted.lifted_by == svc.user
    assert not svc.retention.due()[0].held
    svc.retention.dispose(RecordClass.INCIDENT, inc.id)
    assert svc.incidents.get(inc.id).pseudonym == DISPOSED


def test_a_hold_needs_a_reason_and_a_record(svc: Any) -> None:
    inc = closed_incident(svc, "Child A", D(2015, 12, 1), D(2016, 3, 1))
    with pytest.raises(ValidationError, match="Details"):
        svc.retention.place_legal_hold("incident", inc.id, HoldReason.OTHER, "")
    with pytest.raises(ValidationError, match="Reason"):
        svc.retention.place_legal_hold("incident", inc.id, "whim")  # type: ignore[arg-type]
    assert svc.retention.holds() == []


def test_disposal_deletes_personal_content_and_keeps_the_statistics(svc: Any) -> None:
    inc = closed_incident(svc, "Child Fictional", D(2015, 12, 1), D(2016, 3, 1), notes="Lived with an aunt")
    req = answered_request(svc, D(2023, 10, 20), "A Researcher", "a.researcher@example.org")
    annual, requests = svc.reporting.annual(2026), svc.reporting.requests(D(2023, 4, 1), D(2024, 3, 31))

    done = svc.retention.dispose(RecordClass.INCIDENT, inc.id).value
    svc.retention.dispose(RecordClass.REQUEST, req.id)

    kept = svc.incidents.get(inc.id)
    assert (kept.pseudonym, kept.notes, kept.lead_officer, kept.closed_reason) == (DISPOSED, "", "", "")
    assert kept.rapid_review is not None and kept.rapid_review.decision_reasons == ""
    assert (kept.local_ref, kept.harm, kept.became_aware, kept.closed_date) == (
        inc.local_ref, inc.harm, inc.became_aware, inc.closed_date)
    assert [c.pseudonym for c in kept.children] == [DISPOSED]
    assert [(c.harm, c.age_band, c.sex, c.looked_after) for c in kept.children] == [
        (c.harm, c.age_band, c.sex, c.looked_after) for c in inc.children]
    assert svc.registers.incident_ids(RegisterFilter(text="Fictional")) == []
    gone = svc.requests.get(req.id)
    assert (gone.requester_name, gone.email, gone.purpose) == (DISPOSED, "", "")
    assert (gone.received_date, gone.status) == (req.received_date, req.status)
    assert svc.reporting.annual(2026) == annual
    assert [(r.reference, r.received, r.status) for r in svc.reporting.requests(D(2023, 4, 1), D(2024, 3, 31))] == [
        (r.reference, r.received, r.status) for r in requests]

    log = svc.retention.disposals()
    assert [(d.record_class, d.reference, d.approved_by) for d in log] == [
        (RecordClass.REQUEST, req.reference, svc.user), (RecordClass.INCIDENT, inc.local_ref, svc.user)]
    assert done.rule == "Incident with no review: 10 years after closure"
    assert svc.retention.due() == []
    with pytest.raises(ValidationError, match="was disposed of on"):
        svc.retention.dispose(RecordClass.INCIDENT, inc.id)
    assert svc.audit_log.verify().ok


def test_a_record_not_yet_due_is_not_disposed_of(svc: Any) -> None:
    inc = closed_incident(svc, "Child B", D(2016, 12, 1), D(2017, 1, 2))
    before = fingerprint(svc)
    with pytest.raises(ValidationError, match="not due for disposal yet"):
        svc.retention.dispose(RecordClass.INCIDENT, inc.id)
    assert fingerprint(svc) == before
    assert TODAY < add_years(D(2017, 1, 2), 10)


CANARY = "Zebracanary"


@pytest.mark.plain_only
def test_a_disposed_record_leaves_no_trace_in_the_register_its_log_or_its_release(svc: Any, tmp_path: Path) -> None:
    """The canary pseudonym, notes, requester and e-mail of disposed records are nowhere in the register file
    or its WAL after a checkpoint (audit entries included, SQLite's secure_delete on), nor in a release folder;
    and the audit chain, and a head printed before, still verify."""
    from bscp_desktop.services.catalogue.requests import RequestInput

    inc = closed_incident(svc, f"Child {CANARY}", D(2015, 12, 1), D(2016, 3, 1), notes=f"Notes on {CANARY}")
    edited = svc.incidents.get(inc.id)
    published = next(r for r in svc.catalogue.entries() if r.publication_date is not None)
    doc = tmp_path / "report.pdf"
    doc.write_bytes(b"%PDF fictional")
    stored = svc.documents.add(doc, "report", review_id=published.id).value
    req = svc.requests.log(RequestInput(D(2023, 10, 20), f"A {CANARY}", f"{CANARY.lower()}@example.org",
                                        (published.id,))).value
    release = svc.fulfilment.fulfil(req.id, req.version, [stored.id], tmp_path / "releases", D(2023, 10, 30)).value
    assert CANARY.encode() in (release.draft.read_bytes())
    with svc.db.engine.connect() as conn:
        printed_head = verify_chain(conn).head  # as a report printed before the disposal shows it
    svc.retention.dispose(RecordClass.INCIDENT, edited.id)
    svc.retention.dispose(RecordClass.REQUEST, req.id)
    assert not release.folder.exists()
    with svc.db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        chain = verify_chain(conn)
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM audit_log ORDER BY id")]
        hashes = dict(conn.exec_driver_sql("SELECT id, entry_hash FROM audit_log").fetchall())
    assert chain.ok
    assert printed_head in hashes.values()  # the head printed before still is an entry of the chain
    assert ids == sorted(ids)
    register = Path(svc.db.path)
    for f in (register, Path(f"{register}-wal")):
        if f.exists():
            data = f.read_bytes()
            assert CANARY.encode() not in data and CANARY.lower().encode() not in data, f
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes()]
