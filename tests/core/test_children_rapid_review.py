"""Several children per notification, clocks by the notification reason, agency returns and the partners'
sign-off of the Rapid Review (on every backend the suite runs)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.domain.rules import Rag
from bscp_desktop.domain.vocab import NotificationReason, Partner
from bscp_desktop.services import ValidationError
from bscp_desktop.services.incidents.children import ChildInput
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.incidents.rapid_reviews import LocalReviewGrounds, RapidReviewReport
from bscp_desktop.services.registers.registers import RegisterFilter
from tests.conftest import agree_rapid_review, answer_criteria, fingerprint

D = dt.date
SIBLINGS = (ChildInput("Child A", "seriously harmed", "under 1", "female", looked_after="no", cp_plan="current"),
            ChildInput("Child B", "died", "1-4", "male", disability="yes"),
            ChildInput("Child C", "seriously harmed", "5-9", "female", home_local_authority="Walsall Council"))


def notified(svc: Any, aware: dt.date = D(2026, 11, 2), **kw: Any) -> Any:
    v = svc.incidents.register(IncidentInput(became_aware=aware, **kw)).value
    return svc.incidents.record_notification(v.id, v.version, aware + dt.timedelta(days=1)).value


def test_an_incident_holds_several_children_in_order(svc: Any) -> None:
    v = svc.incidents.register(IncidentInput(became_aware=D(2026, 11, 2), children=SIBLINGS)).value
    assert [(c.position, c.pseudonym, c.harm) for c in v.children] == [
        (1, "Child A", "seriously harmed"), (2, "Child B", "died"), (3, "Child C", "seriously harmed")]
    assert (v.pseudonym, v.harm) == ("Child A", "died")  # the first child; died when any child died
    assert (v.children[0].cp_plan, v.children[1].disability, v.children[2].home_local_authority) == (
        "current", "yes", "Walsall Council")
    row = svc.registers.incident_rows([v.id])[v.id]
    assert row.children == "Child A +2" and row.age_band == "under 1"
    assert svc.registers.incident_ids(RegisterFilter(text="Child C")) == [v.id]  # any child's pseudonym
    v = svc.incidents.update(v.id, v.version, IncidentInput(became_aware=D(2026, 11, 2), children=SIBLINGS[1:])).value
    assert [c.pseudonym for c in v.children] == ["Child B", "Child C"] and v.pseudonym == "Child B"
    assert svc.registers.incident_ids(RegisterFilter(text="Child A")) == []


@pytest.mark.parametrize(("children", "field", "message"), [
    ((), "Children", "record at least one child"),
    ((ChildInput("Child A", "died"), ChildInput("child a", "died")), "Child 2 pseudonym", "already used"),
    ((ChildInput("Child A", "died"), ChildInput("", "died")), "Child 2 pseudonym", "is required"),
    ((ChildInput("Child A", "died", looked_after="perhaps"),), "Looked after", "must be one of: Yes, No, Not known"),
    ((ChildInput("Child A", "died", cp_plan="soon"),), "Child protection plan", "Current, Previous, Never"),
    ((ChildInput("Child A", "hurt"),), "Harm", "must be one of"),
])
def test_each_childs_details_are_checked_and_nothing_is_saved(svc: Any, children: tuple[ChildInput, ...],
                                                             field: str, message: str) -> None:
    before = fingerprint(svc)
    with pytest.raises(ValidationError) as e:
        svc.incidents.register(IncidentInput(became_aware=D(2026, 11, 2), children=children))
    assert any(p.field == field and message in p.message for p in e.value.problems), e.value.problems
    assert fingerprint(svc) == before


def test_a_care_leavers_death_without_suspicion_has_no_rapid_review_clock(svc: Any, tmp_path: Path) -> None:
    leaver = notified(svc, pseudonym="Child L", harm="died", notification_reason=NotificationReason.CARE_LEAVER_DEATH,
                      abuse_suspected=False)
    assert not leaver.rapid_review_required and leaver.stage == "no-review"
    assert [c.rule_id for c in svc.clocks.for_incident(leaver.id)] == ["notification"]
    assert leaver.available_actions() == ["choose-rapid-review", "close"]
    assert [c for c in svc.clocks.all_clocks() if c.case_id == leaver.id and c.case_kind == "incident"] == []
    row = svc.registers.incident_rows([leaver.id])[leaver.id]  # the register: no next clock, and why
    assert (row.next_rule, row.next_due, row.rapid_review_required) == ("", None, False)
    events = svc.ics_export.write(tmp_path / "d.ics").path.read_text(encoding="utf-8")
    assert f"incident-{leaver.id}-rapid-review" not in events
    with pytest.raises(ValidationError, match="needs no Rapid Review; choose to hold one first"):
        svc.rapid_reviews.ask_agency(leaver.id, svc.reference_lists.agencies()[0].id, D(2026, 11, 3))
    chosen = svc.incidents.choose_rapid_review(leaver.id, leaver.version, True).value
    assert chosen.rapid_review_required and chosen.stage == "rapid-review" and f"incident-{leaver.id}-rapid-review" in svc.ics_export.write(
        tmp_path / "d2.ics").path.read_text(encoding="utf-8")
    assert [c.rule_id for c in svc.clocks.for_incident(chosen.id)] == ["notification", "rapid-review"]
    # the same case with abuse or neglect suspected, and a looked-after child's death with it, have the clock
    for kw in ({"notification_reason": NotificationReason.CARE_LEAVER_DEATH, "abuse_suspected": True},
               {"notification_reason": NotificationReason.LOOKED_AFTER_DEATH, "abuse_suspected": True}):
        v = notified(svc, pseudonym=f"Child {kw['notification_reason'][:4]}", harm="died", **kw)
        assert "rapid-review" in [c.rule_id for c in svc.clocks.for_incident(v.id)]
    with pytest.raises(ValidationError, match="a serious incident is notified because abuse or neglect"):
        svc.incidents.register(IncidentInput("Child S", "died", D(2026, 11, 2), abuse_suspected=False))


def test_agency_returns_fall_due_by_the_rule_and_have_a_rag(svc: Any) -> None:
    v = notified(svc, D(2026, 11, 2), pseudonym="Child R", harm="died")
    police, trust = svc.reference_lists.agencies()[:2]
    svc.rapid_reviews.ask_agency(v.id, police.id, D(2026, 11, 3))  # Tuesday: due Tuesday 10/11
    v = svc.rapid_reviews.ask_agency(v.id, trust.id, D(2026, 11, 18)).value  # due 25/11
    states = svc.rapid_reviews.returns(v, D(2026, 11, 20))
    assert [(s.ret.agency, s.due, s.rag) for s in states] == [
        (police.name, D(2026, 11, 10), Rag.OVERDUE), (trust.name, D(2026, 11, 25), Rag.ON_TRACK)]
    clocks = [c for c in svc.clocks.all_clocks(D(2026, 11, 20)) if c.rule_id == "agency-return"]
    shown = [a.short_name or a.name for a in (police, trust)]  # tight lists name the agency short
    assert [(c.note, c.due, c.rag) for c in clocks] == [(shown[0], D(2026, 11, 10), Rag.OVERDUE),
                                                        (shown[1], D(2026, 11, 25), Rag.ON_TRACK)]
    assert clocks[0].label == f"Agency return ({shown[0]})"
    assert svc.incidents.get(v.id).rapid_review.returns[0].agency == police.name
    with svc.db.read() as s:  # the earliest open clock is the overdue return: the dashboard's query finds it
        from bscp_desktop.models import Incident

        assert (s.get(Incident, v.id).next_rule, s.get(Incident, v.id).next_due) == ("agency-return", D(2026, 11, 10))
    ret = v.rapid_review.returns[0]
    with pytest.raises(ValidationError, match="Answered on: cannot be before the date the agency was asked"):
        svc.rapid_reviews.record_return(ret.id, ret.version, D(2026, 11, 2))
    v = svc.rapid_reviews.record_return(ret.id, ret.version, D(2026, 11, 12), "Chronology received").value
    assert svc.rapid_reviews.returns(v, D(2026, 11, 20))[0].rag is Rag.MET_LATE
    with pytest.raises(ValidationError, match="has already been asked"):
        svc.rapid_reviews.ask_agency(v.id, police.id, D(2026, 11, 4))
    amounts = svc.settings.get().rule_amounts
    import dataclasses

    svc.settings.update(dataclasses.replace(svc.settings.get(), rule_amounts=amounts | {"agency-return": 10}))
    assert svc.rapid_reviews.returns(svc.incidents.get(v.id), D(2026, 11, 20))[1].due == D(2026, 12, 2)


def test_the_rapid_review_is_sent_only_once_the_three_partners_agree(svc: Any) -> None:
    v = notified(svc, D(2026, 10, 1), pseudonym="Child P", harm="died")
    svc.rapid_reviews.record_agreement(v.id, Partner.POLICE, "Superintendent 1", "Head of Public Protection",
                                       D(2026, 10, 19))
    before = fingerprint(svc)
    with pytest.raises(ValidationError) as e:
        svc.incidents.record_rapid_review(v.id, svc.incidents.get(v.id).version, D(2026, 10, 20))
    assert e.value.field == "Sent to the Panel"
    assert "still to agree: local authority, integrated care board" in str(e.value)
    assert fingerprint(svc) == before
    with pytest.raises(ValidationError, match="Agreed by: name who agreed"):
        svc.rapid_reviews.record_agreement(v.id, Partner.ICB, " ", "", D(2026, 10, 19))
    with pytest.raises(ValidationError, match="Agreed on: cannot be before the notification"):
        svc.rapid_reviews.record_agreement(v.id, Partner.ICB, "Chief Nurse 1", "", D(2026, 9, 1))
    # an administrator can send it without the sign-off, saying why (audited; test_roles refuses it to editors)
    current = svc.incidents.get(v.id).version
    with pytest.raises(ValidationError, match="Reason: say why"):
        svc.incidents.record_rapid_review_without_sign_off(v.id, current, D(2026, 10, 20), " ")
    sent = svc.incidents.record_rapid_review_without_sign_off(v.id, current, D(2026, 10, 20),
                                                              "The director was on leave").value
    assert sent.rapid_review.sent_without_sign_off == "The director was on leave" and sent.stage == "decision"
    assert svc.audit_log.find(text=sent.local_ref).entries[0].action == "record rapid review without sign-off"
    with pytest.raises(ValidationError, match="agency returns and sign-off are final"):
        svc.rapid_reviews.record_agreement(v.id, Partner.ICB, "Chief Nurse 1", "", D(2026, 10, 21))
    # with all three agreed, an editor sends it
    w = notified(svc, D(2026, 10, 1), pseudonym="Child Q", harm="died")
    w = agree_rapid_review(svc, w.id, D(2026, 10, 19))
    assert w.rapid_review.partners_to_agree == ()
    w = svc.incidents.record_rapid_review(w.id, w.version, D(2026, 10, 20)).value
    assert w.rapid_review.sent_date == D(2026, 10, 20) and w.rapid_review.sent_without_sign_off == ""


def test_the_report_sections_and_the_panels_reply_are_kept(svc: Any) -> None:
    v = notified(svc, D(2026, 10, 1), pseudonym="Child N", harm="died")
    report = RapidReviewReport(D(2026, 10, 15), "Facts.", "Safety plan.", "Information sharing.", "Poverty.",
                               "Met the mother at home.", "")
    v = svc.rapid_reviews.save_report(v.id, None, report).value
    rr = v.rapid_review
    assert (rr.meeting_date, rr.facts, rr.immediate_action, rr.improvements, rr.lived_experience,
            rr.views_sought) == (
        D(2026, 10, 15), "Facts.", "Safety plan.", "Information sharing.", "Poverty.", "Met the mother at home.")
    with pytest.raises(ValidationError, match="Views sought: must be at most 20,000 characters"):
        svc.rapid_reviews.save_report(v.id, rr.version, RapidReviewReport(views_sought="x" * 20001))
    v = svc.rapid_reviews.save_grounds(v.id, rr.version, LocalReviewGrounds(national_importance="no",
                                                                            national_importance_reasons="Local.")).value
    assert (v.rapid_review.national_importance, v.rapid_review.national_importance_reasons) == ("no", "Local.")
    with pytest.raises(ValidationError, match="National importance: must be one of"):
        svc.rapid_reviews.save_grounds(v.id, v.rapid_review.version, LocalReviewGrounds(national_importance="maybe"))
    v = agree_rapid_review(svc, v.id, D(2026, 10, 19))
    v = svc.incidents.record_rapid_review(v.id, v.version, D(2026, 10, 20), D(2026, 10, 15)).value
    v = answer_criteria(svc, v.id)
    v = svc.incidents.record_decision(v.id, v.version, "no-review", D(2026, 10, 15), "Single-agency learning").value
    with pytest.raises(ValidationError, match="Panel reply: must be one of"):
        svc.incidents.record_panel_response(v.id, v.version, D(2026, 11, 2), "Noted", "shrug")
    v = svc.incidents.record_panel_response(v.id, v.version, D(2026, 11, 2), "Please send the chronology.",
                                            "more-information").value
    assert (v.rapid_review.panel_reply, v.rapid_review.panel_view) == ("more-information",
                                                                       "Please send the chronology.")


def test_statistics_count_notifications_and_children_by_characteristic(svc: Any) -> None:
    notified(svc, D(2026, 5, 1), children=SIBLINGS)  # 2026-27: one notification, three children
    notified(svc, D(2026, 6, 1), pseudonym="Child D", harm="died")
    notified(svc, D(2025, 6, 2), pseudonym="Child E", harm="seriously harmed")  # 2025-26
    svc.incidents.register(IncidentInput("Child F", "died", D(2026, 7, 1)))  # not notified: not counted
    got = svc.characteristics.children_notified(2026)
    assert got.years[-2:] == (2025, 2026) and got.labels[-1] == "2026-27"
    assert (got.notifications[-2:], got.children[-2:]) == ((1, 2), (1, 4))
    by = {b.characteristic: dict(b.values) for b in got.breakdowns}
    assert by["Harm"]["Died"][-1] == 2 and by["Harm"]["Seriously harmed"][-2:] == (1, 2)
    assert by["Sex"]["Female"][-1] == 2 and by["Sex"]["Not recorded"][-1] == 1
    assert by["Age group"]["under 1"][-1] == 1 and by["Age group"]["5-9"][-1] == 1
    assert by["Looked after"]["No"][-1] == 1 and by["Looked after"]["Not known"][-1] == 3
    assert by["Child protection plan"]["Current"][-1] == 1
    assert sum(counts[-1] for counts in by["Ethnicity"].values()) == 4
