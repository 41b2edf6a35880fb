"""Every write the services offer, found by looking for the methods that return an ``Op``: each one, failing at
its commit, leaves every table as it was; each one that takes a version refuses a stale one and changes nothing.
A new write without an entry here fails the first test."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bscp_desktop.domain.rapid_review import ProceedingKind, ProceedingState
from bscp_desktop.domain.vocab import (
    ChecklistStep,
    HoldReason,
    NotificationReason,
    Partner,
    PublicationHoldKind,
    RecordClass,
    Role,
)
from bscp_desktop.services import ConflictError, Services
from bscp_desktop.services.catalogue.requests import RequestInput
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.incidents.proceedings import ProceedingInput
from bscp_desktop.services.incidents.rapid_reviews import LocalReviewGrounds, RapidReviewReport
from bscp_desktop.services.reviews.actions import ActionInput
from bscp_desktop.services.reviews.publication_holds import PublicationHoldInput
from bscp_desktop.services.reviews.reviews import ReviewInput
from tests.conftest import agree_rapid_review, complete_checklist, fingerprint, new_login, write_workbook

D = dt.date


def op_methods() -> set[str]:
    """``area.method`` for every public manager method that returns an ``Op`` (a write)."""
    found = set()
    for area, cls in Services.manager_classes().items():
        for method, fn in inspect.getmembers(cls, inspect.isfunction):
            annotation = inspect.signature(fn).return_annotation
            if not method.startswith("_") and str(annotation).startswith("Op["):
                found.add(f"{area}.{method}")
    return found


@dataclass
class World:
    """Records of every kind, each in a state where every write applies to it."""

    folder: Path
    incident: Any  # at the decision stage
    review: Any  # commissioned for another decided incident
    published: Any  # a catalogue review with a publication date
    request: Any  # received, for the published review
    document: Any  # a report of the published review
    theme: Any
    closure: Any
    recommendation: Any
    action: Any
    note_id: int
    old_request: Any  # declined long ago: due for disposal
    hold: Any  # a legal hold on the incident
    user: str  # an editor of the register (a server login on PostgreSQL)
    publication_hold: Any  # an inquest holding the commissioned review's publication
    gathering: Any  # notified, its Rapid Review gathering returns: one agency asked, the police agreed
    care_leaver: Any  # a care leaver's death with no suspicion of abuse or neglect, notified: no Rapid Review


def build_world(svc: Any, folder: Path) -> World:
    def decided(name: str) -> Any:
        v = svc.incidents.register(IncidentInput(name, "died", D(2026, 4, 1))).value
        v = svc.incidents.record_notification(v.id, v.version, D(2026, 4, 2)).value
        v = agree_rapid_review(svc, v.id, D(2026, 4, 17))
        v = svc.incidents.record_rapid_review(v.id, v.version, D(2026, 4, 20)).value
        return svc.incidents.record_decision(v.id, v.version, "lcspr", D(2026, 4, 20)).value

    inc = decided("Child A")
    inc = svc.proceedings.record(inc.id, ProceedingInput(ProceedingKind.POLICE, ProceedingState.UNDER_WAY,
                                                         D(2026, 4, 3), "Fictional: an arrest")).value
    review = svc.reviews.commission([decided("Child B").id], ReviewInput("lcspr", "Review", D(2026, 4, 20))).value
    published = next(r for r in svc.catalogue.entries() if r.publication_date is not None)
    report = folder / "report.pdf"
    report.write_bytes(b"%PDF fictional report")
    document = svc.documents.add(report, "report", review_id=published.id).value
    request = svc.requests.log(RequestInput(D(2026, 11, 2), "A Researcher", "r@example.org", (published.id,))).value
    recommendation = svc.actions.add_recommendation(review.id, "Share the learning").value
    action = svc.actions.add(recommendation.id, ActionInput("Train the teams", None)).value
    old = svc.requests.log(RequestInput(D(2020, 1, 6), "C Researcher", "c@example.org", (published.id,))).value
    old = svc.requests.decline(old.id, old.version, D(2020, 1, 20), "Not held").value
    hold = svc.retention.place_legal_hold("incident", inc.id, HoldReason.INQUIRY, "A fictional inquiry").value
    user = new_login(svc, "pat")
    svc.users.add(user, Role.EDITOR, password="fictional-Pw1")
    inquest = svc.publication_holds.add(review.id, svc.reviews.get(review.id).version,
                                        PublicationHoldInput(PublicationHoldKind.INQUEST, D(2026, 6, 1))).value
    svc.checklist.record(review.id, ChecklistStep.PARTNERS, D(2026, 8, 3))
    gathering = svc.incidents.register(IncidentInput("Child G", "died", D(2026, 10, 1))).value
    gathering = svc.incidents.record_notification(gathering.id, gathering.version, D(2026, 10, 2)).value
    agency = svc.reference_lists.agencies()[0]
    svc.rapid_reviews.ask_agency(gathering.id, agency.id, D(2026, 10, 2))
    gathering = svc.rapid_reviews.record_agreement(gathering.id, Partner.POLICE, "Superintendent 1", "Head of "
                                                   "Public Protection", D(2026, 10, 20)).value
    gathering = svc.proceedings.record(gathering.id, ProceedingInput(ProceedingKind.CORONER,
                                                                     ProceedingState.EXPECTED)).value
    leaver = svc.incidents.register(IncidentInput("Child L", "died", D(2026, 10, 5), notification_reason=(
        NotificationReason.CARE_LEAVER_DEATH), abuse_suspected=False)).value
    leaver = svc.incidents.record_notification(leaver.id, leaver.version, D(2026, 10, 6)).value
    return World(folder, inc, review, published, request, document, svc.themes.add("Fictional theme").value,
                 svc.settings.add_closure(D(2026, 12, 29), "Office closed").value, recommendation, action,
                 svc.catalogue.briefing_notes()[0][0], old, hold, user, inquest, gathering, leaver)


def sheet(w: World, name: str, header: list[str], row: list[Any]) -> Path:
    return write_workbook(w.folder / name, header, [row])


Call = Callable[[Any, World, int], Any]
Version = Callable[[Any, World], int]

# area.method → (the call, given the version to pass; how to read the current version, for versioned writes)
WRITES: dict[str, tuple[Call, Version | None]] = {
    "incidents.register": (lambda s, w, v: s.incidents.register(IncidentInput("Child C", "died", D(2026, 5, 1))), None),
    "incidents.update": (lambda s, w, v: s.incidents.update(w.incident.id, v, IncidentInput(
        "Child Z", "died", D(2026, 4, 1))), lambda s, w: s.incidents.get(w.incident.id).version),
    "incidents.record_notification": (lambda s, w, v: s.incidents.record_notification(
        w.incident.id, v, D(2026, 4, 3)), lambda s, w: s.incidents.get(w.incident.id).version),
    "incidents.record_rapid_review": (lambda s, w, v: s.incidents.record_rapid_review(
        w.incident.id, v, D(2026, 4, 21)), lambda s, w: s.incidents.get(w.incident.id).version),
    "incidents.record_rapid_review_without_sign_off": (lambda s, w, v: s.incidents.record_rapid_review_without_sign_off(
        w.gathering.id, v, D(2026, 10, 21), "The local authority's director was on leave; agreed by telephone"),
        lambda s, w: s.incidents.get(w.gathering.id).version),
    "incidents.choose_rapid_review": (lambda s, w, v: s.incidents.choose_rapid_review(w.care_leaver.id, v, True),
                                      lambda s, w: s.incidents.get(w.care_leaver.id).version),
    "rapid_reviews.ask_agency": (lambda s, w, v: s.rapid_reviews.ask_agency(
        w.gathering.id, s.reference_lists.agencies()[1].id, D(2026, 10, 5)), None),
    "rapid_reviews.record_return": (lambda s, w, v: s.rapid_reviews.record_return(
        _return(s, w).id, v, D(2026, 10, 8), "Chronology received"), lambda s, w: _return(s, w).version),
    "rapid_reviews.remove_return": (lambda s, w, v: s.rapid_reviews.remove_return(_return(s, w).id, v),
                                    lambda s, w: _return(s, w).version),
    "rapid_reviews.record_agreement": (lambda s, w, v: s.rapid_reviews.record_agreement(
        w.gathering.id, Partner.ICB, "Chief Nurse 1", "Chief Nursing Officer", D(2026, 10, 20)), None),
    "rapid_reviews.withdraw_agreement": (lambda s, w, v: s.rapid_reviews.withdraw_agreement(_agreement(s, w).id, v),
                                         lambda s, w: _agreement(s, w).version),
    "rapid_reviews.save_report": (lambda s, w, v: s.rapid_reviews.save_report(w.gathering.id, v, RapidReviewReport(
        D(2026, 10, 19), "Fictional facts of the case")), lambda s, w: s.incidents.get(w.gathering.id).rapid_review.version),
    "rapid_reviews.save_grounds": (lambda s, w, v: s.rapid_reviews.save_grounds(w.gathering.id, v, LocalReviewGrounds(
        national_importance="no", national_importance_reasons="Fictional")),
        lambda s, w: s.incidents.get(w.gathering.id).rapid_review.version),
    "proceedings.record": (lambda s, w, v: s.proceedings.record(w.gathering.id, ProceedingInput(
        ProceedingKind.CORONER, ProceedingState.UNDER_WAY, D(2026, 10, 20)), v),
        lambda s, w: s.incidents.get(w.gathering.id).proceedings[0].version),
    "proceedings.remove": (lambda s, w, v: s.proceedings.remove(s.incidents.get(w.gathering.id).proceedings[0].id, v),
                           lambda s, w: s.incidents.get(w.gathering.id).proceedings[0].version),
    "incidents.record_decision": (lambda s, w, v: s.incidents.record_decision(
        w.incident.id, v, "other-review", D(2026, 4, 21)), lambda s, w: s.incidents.get(w.incident.id).version),
    "incidents.record_panel_response": (lambda s, w, v: s.incidents.record_panel_response(
        w.incident.id, v, D(2026, 5, 1), "Agrees"), lambda s, w: s.incidents.get(w.incident.id).version),
    "incidents.close": (lambda s, w, v: s.incidents.close(w.incident.id, v, D(2026, 5, 1), "Done"),
                        lambda s, w: s.incidents.get(w.incident.id).version),
    "reviews.commission": (lambda s, w, v: s.reviews.commission([w.incident.id], ReviewInput(
        "lcspr", "Another review", D(2026, 4, 21)), (s.incidents.get(w.incident.id).proceedings[0].id,)), None),
    "reviews.update": (lambda s, w, v: s.reviews.update(w.review.id, v, ReviewInput("lcspr", "New", D(2026, 4, 20))),
                       lambda s, w: s.reviews.get(w.review.id).version),
    "reviews.record_final_report": (lambda s, w, v: s.reviews.record_final_report(w.review.id, v, D(2026, 9, 1)),
                                    lambda s, w: s.reviews.get(w.review.id).version),
    "reviews.record_advance_copy": (lambda s, w, v: s.reviews.record_advance_copy(w.review.id, v, D(2026, 9, 1)),
                                    lambda s, w: s.reviews.get(w.review.id).version),
    "reviews.record_publication": (lambda s, w, v: s.reviews.record_publication(w.review.id, v, D(2026, 10, 1)),
                                   lambda s, w: s.reviews.get(w.review.id).version),
    "reviews.record_publication_over_checklist": (lambda s, w, v: s.reviews.record_publication_over_checklist(
        w.review.id, v, D(2026, 10, 1), "Fictional: the partners directed it"),
        lambda s, w: s.reviews.get(w.review.id).version),
    "panel_notices.record_told": (lambda s, w, v: s.panel_notices.record_told(
        w.review.id, v, D(2026, 11, 3), "Fictional: the family asked for more time"),
        lambda s, w: s.reviews.get(w.review.id).version),
    "checklist.record": (lambda s, w, v: s.checklist.record(w.review.id, ChecklistStep.FAMILY, D(2026, 9, 1)),
                         None),
    "checklist.reopen": (lambda s, w, v: s.checklist.reopen(w.review.id, ChecklistStep.PARTNERS, v),
                         lambda s, w: next(x.entry_version for x in s.checklist.for_review(w.review.id).steps
                                           if x.step is ChecklistStep.PARTNERS)),
    "reviews.record_not_published": (lambda s, w, v: s.reviews.record_not_published(w.review.id, v, "Proceedings"),
                                     lambda s, w: s.reviews.get(w.review.id).version),
    "reviews.record_take_down": (lambda s, w, v: s.reviews.record_take_down(w.published.id, v, D(2026, 11, 2)),
                                 lambda s, w: s.reviews.get(w.published.id).version),
    "settings.update": (lambda s, w, v: s.settings.update(_changed_settings(s)), None),
    "settings.add_closure": (lambda s, w, v: s.settings.add_closure(D(2026, 12, 30), "Office closed"), None),
    "settings.remove_closure": (lambda s, w, v: s.settings.remove_closure(w.closure.id, v),
                                lambda s, w: w.closure.version),
    "reference_lists.ensure_defaults": (lambda s, w, v: s.reference_lists.ensure_defaults(), None),
    "reference_lists.save_agency": (lambda s, w, v: s.reference_lists.save_agency(None, None, "Fictional Agency"), None),
    "catalogue.import_starting_catalogue": (lambda s, w, v: s.catalogue.import_starting_catalogue(), None),
    "catalogue.link_briefing_note": (lambda s, w, v: s.catalogue.link_briefing_note(w.note_id, w.review.id), None),
    "documents.add": (lambda s, w, v: s.documents.add(_file(w, "notes.pdf"), "report", review_id=w.review.id), None),
    "documents.add_files": (lambda s, w, v: s.documents.add_files([_file(w, "slides.pptx")], None,
                                                                  review_id=w.review.id), None),
    "documents.remove": (lambda s, w, v: s.documents.remove(w.document.id, v), lambda s, w: w.document.version),
    "requests.log": (lambda s, w, v: s.requests.log(RequestInput(D(2026, 11, 3), "B Researcher", "b@example.org",
                                                                 (w.published.id,))), None),
    "requests.acknowledge": (lambda s, w, v: s.requests.acknowledge(w.request.id, v, D(2026, 11, 3)),
                             lambda s, w: s.requests.get(w.request.id).version),
    "requests.consider": (lambda s, w, v: s.requests.consider(w.request.id, v),
                          lambda s, w: s.requests.get(w.request.id).version),
    "requests.decline": (lambda s, w, v: s.requests.decline(w.request.id, v, D(2026, 11, 3), "Not held"),
                         lambda s, w: s.requests.get(w.request.id).version),
    "requests.withdraw": (lambda s, w, v: s.requests.withdraw(w.request.id, v, D(2026, 11, 3)),
                          lambda s, w: s.requests.get(w.request.id).version),
    "fulfilment.fulfil": (lambda s, w, v: s.fulfilment.fulfil(w.request.id, v, [w.document.id], w.folder / "out",
                                                              D(2026, 11, 3)),
                          lambda s, w: s.requests.get(w.request.id).version),
    "actions.add_recommendation": (lambda s, w, v: s.actions.add_recommendation(w.review.id, "More learning"), None),
    "actions.add": (lambda s, w, v: s.actions.add(w.recommendation.id, ActionInput("Audit it", None)), None),
    "actions.update": (lambda s, w, v: s.actions.update(w.action.id, v, ActionInput("Audit it again", None)),
                       lambda s, w: s.actions.get(w.action.id).version),
    "actions.bulk_status": (lambda s, w, v: s.actions.bulk_status([(w.action.id, v)], "in progress"),
                            lambda s, w: s.actions.get(w.action.id).version),
    "themes.add": (lambda s, w, v: s.themes.add("Another fictional theme"), None),
    "themes.update": (lambda s, w, v: s.themes.update(w.theme.id, v, "Renamed theme"), lambda s, w: 1),
    "themes.tag": (lambda s, w, v: s.themes.tag("incident", w.incident.id, [w.theme.id]), None),
    "annual.set_year": (lambda s, w, v: s.annual.set_year(2025, 12, 40, 2.0), None),
    "demo.build": (lambda s, w, v: s.demo.build(5, 2, D(2026, 11, 20)), None),
    "incident_import.apply": (lambda s, w, v: s.incident_import.apply(s.incident_import.check(sheet(
        w, "incidents.xlsx", ["Pseudonym", "Harm", "Became aware"], ["Child I", "Died", "02/11/2026"]))), None),
    "action_plan_import.apply": (lambda s, w, v: s.action_plan_import.apply(s.action_plan_import.check(sheet(
        w, "plan.xlsx", ["Number", "Recommendation", "Action"], [5, "Learn", "Do it"]), w.review.id)), None),
    "users.add": (lambda s, w, v: s.users.add(new_login(s, "kim"), Role.VIEWER, password="fictional-Pw2"), None),
    "users.set_role": (lambda s, w, v: s.users.set_role(w.user, Role.VIEWER), None),
    "users.remove": (lambda s, w, v: s.users.remove(w.user), None),
    "retention.place_legal_hold": (lambda s, w, v: s.retention.place_legal_hold("request", w.request.id, HoldReason.LITIGATION),
                             None),
    "retention.lift_legal_hold": (lambda s, w, v: s.retention.lift_legal_hold(w.hold.id, v, "The inquiry reported"),
                            lambda s, w: w.hold.version),
    "retention.dispose": (lambda s, w, v: s.retention.dispose(RecordClass.REQUEST, w.old_request.id), None),
    "publication_holds.add": (lambda s, w, v: s.publication_holds.add(w.review.id, v, PublicationHoldInput(
        PublicationHoldKind.CRIMINAL, D(2026, 7, 1), D(2027, 1, 31), "A fictional trial")),
        lambda s, w: s.reviews.get(w.review.id).version),
    "publication_holds.lift": (lambda s, w, v: s.publication_holds.lift(w.publication_hold.id, v, D(2026, 9, 1)),
                               lambda s, w: w.publication_hold.version),
    "catalogue_import.apply": (lambda s, w, v: s.catalogue_import.apply(s.catalogue_import.check(sheet(
        w, "catalogue.xlsx", ["Case reference", "Kind", "Title", "Published"],
        ["BSCP2024-25/09", "LCSPR", "Fictional review", "01/06/2025"]))), None),
}


def _return(svc: Any, w: World) -> Any:
    return svc.incidents.get(w.gathering.id).rapid_review.returns[0]


def _agreement(svc: Any, w: World) -> Any:
    return svc.incidents.get(w.gathering.id).rapid_review.agreements[0]


def _changed_settings(svc: Any) -> Any:
    import dataclasses

    s = svc.settings.get()
    return dataclasses.replace(s, rule_amounts=s.rule_amounts | {"notification": 6})


def _file(w: World, name: str) -> Path:
    path = w.folder / name
    path.write_bytes(f"fictional {name}".encode())
    return path


def _without_an_agency(svc: Any) -> None:
    """The reference lists with one starting agency missing, so ensuring the defaults writes."""
    from bscp_desktop.models import Agency

    with svc.db.write() as s:
        s.delete(s.query(Agency).filter_by(short_name="WMP").one())


def _without_a_note(svc: Any) -> None:
    """The catalogue with one starting briefing note missing, so importing the starting catalogue writes."""
    from bscp_desktop.models import BriefingNote

    with svc.db.write() as s:
        s.delete(s.query(BriefingNote).order_by(BriefingNote.id.desc()).first())


def _checklist_done(svc: Any, w: World) -> None:
    """The commissioned review's pre-publication checklist complete, so that publication may be recorded."""
    complete_checklist(svc, w.review.id, w.folder / "checklist", D(2026, 9, 1))


# Writes that only write when something is missing, or only once something is done: made so before the test.
PREPARE: dict[str, Callable[[Any, World], None]] = {
    "reference_lists.ensure_defaults": lambda svc, _w: _without_an_agency(svc),
    "catalogue.import_starting_catalogue": lambda svc, _w: _without_a_note(svc),
    "reviews.record_publication": _checklist_done,
}


def prepare(name: str, svc: Any, w: World) -> None:
    """Make the world ready for write ``name`` (``PREPARE``)."""
    PREPARE.get(name, lambda _s, _w: None)(svc, w)


@pytest.fixture
def failing_commits(svc: Any) -> Iterator[None]:
    """Every transaction that wrote to the audit log (every change does) fails as it commits: after all its
    changes were made, before any is saved."""
    def note_audit(conn: Any, _cursor: Any, statement: str, *_a: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_LOG"):
            conn.info["audited"] = True

    def fail(session: Any) -> None:
        session.flush()  # the event comes before the commit's own flush: write what is pending first
        if session.connection().info.pop("audited", False):
            raise OSError("disk full")

    event.listen(svc.db.engine, "before_cursor_execute", note_audit)
    event.listen(svc.db.write_sessions, "before_commit", fail)
    yield
    event.remove(svc.db.write_sessions, "before_commit", fail)
    event.remove(svc.db.engine, "before_cursor_execute", note_audit)


def test_every_write_is_checked_here() -> None:
    assert op_methods() == set(WRITES)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_failing_at_its_commit_changes_nothing(svc: Any, tmp_path: Path, name: str,
                                                      request: pytest.FixtureRequest) -> None:
    call, version = WRITES[name]
    w = build_world(svc, tmp_path)
    prepare(name, svc, w)
    current = version(svc, w) if version else 0
    before = fingerprint(svc)
    request.getfixturevalue("failing_commits")
    with pytest.raises(OSError, match="disk full"):
        call(svc, w, current)
    assert fingerprint(svc) == before


@pytest.mark.parametrize("name", sorted(n for n, (_, version) in WRITES.items() if version is not None))
def test_a_stale_version_is_refused_and_changes_nothing(svc: Any, tmp_path: Path, name: str) -> None:
    call, version = WRITES[name]
    w = build_world(svc, tmp_path)
    assert version is not None
    prepare(name, svc, w)
    current = version(svc, w)
    before = fingerprint(svc)
    with pytest.raises(ConflictError):
        call(svc, w, current + 1)  # a version nobody loaded: someone else saved since
    assert fingerprint(svc) == before
    call(svc, w, current)  # the same call with the version as saved works
    assert fingerprint(svc) != before
