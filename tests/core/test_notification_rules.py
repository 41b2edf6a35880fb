"""Which clocks a notification starts, as the national guidance has it: by reason, suspicion of abuse or neglect,
age and the partnership's choice, every combination written out; the age rules refused naming the field; and the
upgrade that takes the Rapid Review clock off looked-after children's deaths with no suspicion."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.domain.notification import needs_rapid_review, notification_warnings, rapid_review_note
from bscp_desktop.domain.vocab import NotificationReason
from bscp_desktop.services import Services, ValidationError
from bscp_desktop.services.incidents.children import ChildInput
from bscp_desktop.services.incidents.input import IncidentInput

D = dt.date
SI, LAC, CL = (NotificationReason.SERIOUS_INCIDENT, NotificationReason.LOOKED_AFTER_DEATH,
               NotificationReason.CARE_LEAVER_DEATH)
CHILD, ADULT = "16-17", "21-24"
BOTH = ("notification", "rapid-review")
ONLY = ("notification",)

# (reason, abuse or neglect suspected, age band, chosen) → the clocks the notified incident has. A serious
# incident without suspicion, a care leaver under 16 and an adult for any other reason are refused (below).
EXPECTED = {
    (SI, True, CHILD, False): BOTH, (SI, True, CHILD, True): BOTH,
    (LAC, True, CHILD, False): BOTH, (LAC, True, CHILD, True): BOTH,
    (LAC, False, CHILD, False): ONLY, (LAC, False, CHILD, True): BOTH,
    (CL, True, CHILD, False): BOTH, (CL, True, CHILD, True): BOTH,
    (CL, False, CHILD, False): ONLY, (CL, False, CHILD, True): BOTH,
    (CL, True, ADULT, False): ONLY, (CL, True, ADULT, True): BOTH,
    (CL, False, ADULT, False): ONLY, (CL, False, ADULT, True): BOTH,
    (CL, True, "18-20", False): ONLY, (CL, False, "not known", False): ONLY,
    (CL, True, "not known", False): BOTH,
}


def test_the_rule_itself_for_every_combination() -> None:
    for (reason, suspected, band, chosen), clocks in EXPECTED.items():
        adult = band in ("18-20", "21-24")
        assert needs_rapid_review(reason, suspected, chosen, adult) == ("rapid-review" in clocks), (
            reason, suspected, band, chosen)


@pytest.mark.parametrize(("reason", "suspected", "band", "chosen"), list(EXPECTED))
def test_each_combination_gives_its_clocks(svc: Any, reason: str, suspected: bool, band: str,
                                           chosen: bool) -> None:
    v = svc.incidents.register(IncidentInput("Child N", "died", D(2026, 11, 2), age_band=band,
                                             notification_reason=reason, abuse_suspected=suspected)).value
    v = svc.incidents.record_notification(v.id, v.version, D(2026, 11, 3)).value
    if chosen:
        v = svc.incidents.choose_rapid_review(v.id, v.version, True).value
    assert tuple(c.rule_id for c in svc.clocks.for_incident(v.id)) == EXPECTED[(reason, suspected, band, chosen)]
    assert v.stage == ("rapid-review" if "rapid-review" in EXPECTED[(reason, suspected, band, chosen)]
                       else "no-review")


@pytest.mark.parametrize(("reason", "band", "field", "words"), [
    (CL, "10-15", "Age band", "10-15 is under 16: a care leaver is 16 or older"),
    (CL, "under 1", "Age band", "under 1 is under 16"),
    (SI, "18-20", "Age band", "18-20 is an adult's: only a care leaver's death is notified at 18 or over"),
    (LAC, "21-24", "Age band", "21-24 is an adult's"),
])
def test_ages_that_do_not_fit_the_reason_are_refused(svc: Any, reason: str, band: str, field: str,
                                                     words: str) -> None:
    with pytest.raises(ValidationError) as e:
        svc.incidents.register(IncidentInput("Child N", "died", D(2026, 11, 2), age_band=band,
                                             notification_reason=reason))
    assert words in e.value.for_field(field)
    with pytest.raises(ValidationError) as e:  # the child who breaks it is named when there are several
        svc.incidents.register(IncidentInput(became_aware=D(2026, 11, 2), notification_reason=reason, children=(
            ChildInput("Child A", "died", "16-17"), ChildInput("Child B", "died", band))))
    assert words in e.value.for_field(f"Child 2 {field.lower()}")


def test_what_the_form_says_and_warns() -> None:
    assert "Secretary of State and Ofsted" in rapid_review_note(LAC, False, False)
    assert "Panel does not consider it" in rapid_review_note(LAC, False, False)
    assert "not a child" in rapid_review_note(CL, True, False, adult=True)
    assert rapid_review_note(SI, True, False) == "" and rapid_review_note(LAC, True, False) == ""
    assert "chose to hold a Rapid Review" in rapid_review_note(CL, False, True)
    assert notification_warnings(CL, D(2023, 12, 14))[0].startswith("Care leavers' deaths are notifiable from 15/12")
    assert notification_warnings(CL, D(2023, 12, 15)) == [] and notification_warnings(LAC, D(2020, 1, 1)) == []


@pytest.mark.plain_only
def test_0014_takes_the_clock_off_looked_after_deaths_without_suspicion(tmp_path: Path) -> None:
    """A register at 0013 holding a looked-after child's death with no suspicion and no Rapid Review (its clock
    goes, it waits for nothing), and one whose Rapid Review was already sent (marked as chosen: its record,
    stage and clocks as they were). 0014 changes no table, so the register is written by this program and then
    given back the state an older one left: no suspicion recorded, the clock running, later revisions' columns
    taken off and the revision 0013."""
    from tests.conftest import agree_rapid_review, downgrade_to

    path = tmp_path / "old.db"
    svc = Services.open(path, today=lambda: D(2026, 11, 20))
    svc.initialise_new()
    pending = svc.incidents.register(IncidentInput("Child P", "died", D(2026, 11, 2), notification_reason=LAC,
                                                   abuse_suspected=True)).value
    pending = svc.incidents.record_notification(pending.id, pending.version, D(2026, 11, 3)).value
    sent = svc.incidents.register(IncidentInput("Child S", "died", D(2026, 10, 1), notification_reason=LAC,
                                                abuse_suspected=True)).value
    sent = svc.incidents.record_notification(sent.id, sent.version, D(2026, 10, 2)).value
    sent = agree_rapid_review(svc, sent.id, D(2026, 10, 16))
    sent = svc.incidents.record_rapid_review(sent.id, sent.version, D(2026, 10, 16)).value
    svc.close()
    downgrade_to(path, "0014")  # what later revisions added, taken off again by their own downgrades
    con = sqlite3.connect(path)
    con.execute("UPDATE incidents SET abuse_suspected = 0, rapid_review_required = 1")
    con.execute("UPDATE alembic_version SET version_num = '0013'")
    con.commit()
    con.close()
    svc = Services.open(path, today=lambda: D(2026, 11, 20))
    try:
        assert svc.migration is not None and svc.migration.before == "0013"
        p, s = svc.incidents.get(pending.id), svc.incidents.get(sent.id)
        assert (p.rapid_review_required, p.rapid_review_chosen, p.stage) == (False, False, "no-review")
        assert [c.rule_id for c in svc.clocks.for_incident(p.id)] == ["notification"]
        assert (s.rapid_review_required, s.rapid_review_chosen, s.stage) == (True, True, sent.stage)
        assert s.rapid_review is not None and s.rapid_review.sent_date == D(2026, 10, 16)
        assert [c.rule_id for c in svc.clocks.for_incident(s.id)] == ["notification", "rapid-review"]
        assert svc.audit_log.verify().ok
    finally:
        svc.close()


def test_the_notification_sheet_says_who_is_told(svc: Any, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from bscp_desktop.reports import ReportOptions, render

    for reason, words in ((SI, "The National Child Safeguarding Practice Review Panel"),
                          (LAC, "The Secretary of State (DfE) and Ofsted, through the Panel's notification system")):
        v = svc.incidents.register(IncidentInput(f"Child {reason[:3]}", "died", D(2026, 11, 2),
                                                 notification_reason=reason)).value
        out = render(svc, "notification", tmp_path / f"{reason}.pdf", ReportOptions(D(2026, 11, 20), case=v.local_ref))
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
        assert f"Notified to {words}" in text, text[:400]


def test_rarely_right_combinations_are_warned_of() -> None:
    from bscp_desktop.domain.notification import child_warnings
    from bscp_desktop.domain.vocab import Answer, PlanStatus

    looked_after = ChildInput("Child A", "died", "5-9", looked_after=Answer.YES, cp_plan=PlanStatus.CURRENT)
    unknown = ChildInput("Child B", "died", "5-9", known_to_services=Answer.NO)
    warned = child_warnings([looked_after, unknown], returns=3)
    assert warned[0].startswith("Child A is recorded as looked after and on a current child protection plan")
    assert warned[1].startswith("Child B is recorded as known to no agency, yet 3 agencies have returned")
    assert child_warnings([unknown], returns=0) == [] and child_warnings([ChildInput("Child C", "died")]) == []


def test_the_demo_follows_the_rules(tmp_path: Path) -> None:
    """The demo builds its cases through the same rule: looked-after deaths without suspicion and care leavers of
    18 or over with no Rapid Review clock, none of a care leaver before the duty, incidents outside England."""
    from bscp_desktop.domain.notification import CARE_LEAVER_DUTY_FROM, is_adult

    svc = Services.open(tmp_path / "demo.db", today=lambda: D(2026, 11, 20))
    svc.demo.build(1500, 1, D(2026, 11, 20))
    with svc.db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT i.id, notification_reason, abuse_suspected, rapid_review_chosen, rapid_review_required, "
            "became_aware, location, c.age_band FROM incidents i JOIN incident_children c ON c.incident_id = i.id "
            "AND c.position = 1").fetchall()
    svc.close()
    seen = {"looked after, no suspicion": 0, "adult care leaver": 0, "outside England": 0}
    for _id, reason, suspected, chosen, required, aware, location, band in rows:
        assert bool(required) == needs_rapid_review(reason, bool(suspected), bool(chosen), is_adult([band]))
        assert reason != CL or dt.date.fromisoformat(str(aware)) >= CARE_LEAVER_DUTY_FROM
        seen["looked after, no suspicion"] += reason == LAC and not suspected and not required
        seen["adult care leaver"] += reason == CL and is_adult([band]) and not required
        seen["outside England"] += location == "outside-england"
    assert all(seen.values()), seen
