"""Incident services: happy paths, every validation rule, stale versions, and nothing saved on failure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from bscp_desktop.models import AuditEntry
from bscp_desktop.services import ConflictError, NotFound, ValidationError
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.incidents.views import IncidentView
from tests.conftest import TODAY, agree_rapid_review, answer_criteria, fingerprint

D = dt.date


def new(svc: Any, aware: dt.date = D(2026, 11, 2), **kw: Any) -> IncidentView:
    return svc.incidents.register(IncidentInput(kw.pop("pseudonym", "Child A"), kw.pop("harm", "died"), aware, **kw)).value


def through_rapid_review(svc: Any) -> IncidentView:
    v = new(svc, D(2026, 10, 1))
    v = svc.incidents.record_notification(v.id, v.version, D(2026, 10, 5), "NP-1").value
    v = agree_rapid_review(svc, v.id, D(2026, 10, 19))
    return svc.incidents.record_rapid_review(v.id, v.version, D(2026, 10, 20), D(2026, 10, 16)).value


def audit_actions(svc: Any) -> list[str]:
    with svc.db.read() as s:
        return list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "incident").order_by(AuditEntry.id)))


class TestRegister:
    def test_numbers_within_the_financial_year(self, svc: Any) -> None:
        a = new(svc, D(2026, 3, 31))
        b = new(svc, D(2026, 4, 1))
        c = new(svc, D(2026, 4, 2))
        assert (a.local_ref, b.local_ref, c.local_ref) == ("SI2025-26/001", "SI2026-27/001", "SI2026-27/002")
        assert a.stage == "notification" and a.available_actions() == ["notify", "close"]

    def test_keeps_what_was_entered_and_audits(self, svc: Any) -> None:
        v = new(svc, incident_date=D(2026, 10, 30), age_band="under 1", sex="female", categories=("neglect", "physical"),
                lead_officer="Review Officer 1")
        got = svc.incidents.get(v.id)
        assert got.categories == ("neglect", "physical") and got.incident_date == D(2026, 10, 30)
        assert got.local_authority == "Birmingham City Council"  # from settings when left empty
        assert audit_actions(svc) == ["register incident"]
        with svc.db.read() as s:
            entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "register incident")).one()
            assert entry.user == svc.user and entry.after["pseudonym"] == "Child A"

    @pytest.mark.parametrize(
        ("kw", "field", "words"),
        [
            ({"pseudonym": "  "}, "Pseudonym", "is required"),
            ({"harm": "injured"}, "Harm", "must be one of"),
            ({"age_band": "teen"}, "Age band", "must be one of"),
            ({"categories": ("financial",)}, "Categories of abuse", "unknown"),
            ({"aware": TODAY + dt.timedelta(days=1)}, "Became aware", "cannot be in the future"),
            ({"aware": None}, "Became aware", "is required"),
            ({"incident_date": D(2026, 11, 3)}, "Incident date", "cannot be after"),
        ],
    )
    def test_validation(self, svc: Any, kw: dict[str, Any], field: str, words: str) -> None:
        before = fingerprint(svc)
        kw = dict(kw)  # the parameter's dict is shared by every backend's run
        aware = kw.pop("aware", D(2026, 11, 2))
        with pytest.raises(ValidationError) as e:
            new(svc, aware, **kw)
        assert words in (e.value.for_field(field) or ""), e.value
        assert fingerprint(svc) == before

    def test_all_problems_reported_at_once(self, svc: Any) -> None:
        with pytest.raises(ValidationError) as e:
            svc.incidents.register(IncidentInput("", "x", None))
        assert {p.field for p in e.value.problems} == {"Pseudonym", "Harm", "Became aware"}


class TestLifecycle:
    def test_full_path_to_commissioning(self, svc: Any) -> None:
        v = new(svc, D(2025, 12, 19))
        v = svc.incidents.record_notification(v.id, v.version, D(2025, 12, 22), "NP-2025-1").value
        assert v.stage == "rapid-review" and v.available_actions() == ["rapid-review", "close"]
        agencies = [a.id for a in svc.reference_lists.agencies()[:3]]
        for a in agencies:
            svc.rapid_reviews.ask_agency(v.id, a, D(2025, 12, 22))
        v = agree_rapid_review(svc, v.id, D(2026, 1, 13))
        v = svc.incidents.record_rapid_review(v.id, v.version, D(2026, 1, 14), D(2026, 1, 12),
                                              "Immediate learning shared.").value
        assert v.stage == "decision" and v.rapid_review.agency_ids == tuple(sorted(agencies))
        assert v.rapid_review.immediate_learning == "Immediate learning shared."
        v = svc.incidents.record_decision(v.id, v.version, "lcspr", D(2026, 1, 12)).value
        assert v.stage == "commissioning" and "commission" in v.available_actions()
        v = svc.incidents.record_panel_response(v.id, v.version, D(2026, 2, 2), "The Panel agrees.").value
        assert v.rapid_review.panel_response_date == D(2026, 2, 2)
        assert audit_actions(svc) == ["register incident", "record notification", *["ask agency"] * 3,
                                      *["record partner agreement"] * 3, "record rapid review",
                                      "record decision", "record panel response"]

    def test_no_review_then_close(self, svc: Any) -> None:
        v = through_rapid_review(svc)
        with pytest.raises(ValidationError, match=r"Local review criteria: answer each criterion with its reasons "
                           "before deciding on no local review .*not yet answered: Improvements needed, Recurrent "
                           "themes, Agencies working together, Panel: better reviewed locally"):
            svc.incidents.record_decision(v.id, v.version, "no-review", D(2026, 10, 16), "Single-agency learning.")
        v = answer_criteria(svc, v.id)
        v = svc.incidents.record_decision(v.id, v.version, "no-review", D(2026, 10, 16), "Single-agency learning.").value
        assert v.stage == "no-review"
        v = svc.incidents.close(v.id, v.version, D(2026, 11, 1), "No local review.").value
        assert v.stage == "closed" and v.available_actions() == []
        # Every step refuses a closed case, the Panel's response as much as the others.
        steps = [lambda: svc.incidents.record_notification(v.id, v.version, D(2026, 11, 2)),
                 lambda: svc.incidents.record_rapid_review(v.id, v.version, D(2026, 11, 2)),
                 lambda: svc.incidents.record_decision(v.id, v.version, "lcspr", D(2026, 11, 2)),
                 lambda: svc.incidents.record_panel_response(v.id, v.version, D(2026, 11, 2), "Agreed."),
                 lambda: svc.incidents.close(v.id, v.version, D(2026, 11, 2), "Again")]
        for step in steps:
            with pytest.raises(ValidationError, match="is closed"):
                step()
        assert svc.incidents.get(v.id).rapid_review.panel_response_date is None

    def test_edit_details(self, svc: Any) -> None:
        v = new(svc)
        v2 = svc.incidents.update(v.id, v.version, IncidentInput("Child B", "seriously harmed", D(2026, 11, 3))).value
        assert (v2.pseudonym, v2.harm, v2.version) == ("Child B", "seriously harmed", v.version + 1)
        assert v2.local_ref == v.local_ref
        assert audit_actions(svc)[-1] == "edit incident"


class TestLifecycleValidation:
    def test_notification_before_became_aware(self, svc: Any) -> None:
        v = new(svc)
        before = fingerprint(svc)
        with pytest.raises(ValidationError) as e:
            svc.incidents.record_notification(v.id, v.version, D(2026, 11, 1))
        assert e.value.field == "Notification date" and "became aware" in str(e.value)
        assert fingerprint(svc) == before

    def test_notification_in_future(self, svc: Any) -> None:
        v = new(svc)
        with pytest.raises(ValidationError, match="cannot be in the future"):
            svc.incidents.record_notification(v.id, v.version, TODAY + dt.timedelta(days=1))

    def test_notification_required(self, svc: Any) -> None:
        v = new(svc)
        with pytest.raises(ValidationError, match="Notification date: is required"):
            svc.incidents.record_notification(v.id, v.version, None)

    def test_rapid_review_needs_notification(self, svc: Any) -> None:
        v = new(svc)
        with pytest.raises(ValidationError, match="record the notification to the Panel first"):
            svc.incidents.record_rapid_review(v.id, v.version, D(2026, 11, 10))

    def test_rapid_review_dates(self, svc: Any) -> None:
        v = new(svc, D(2026, 10, 1))
        v = svc.incidents.record_notification(v.id, v.version, D(2026, 10, 5)).value
        v = agree_rapid_review(svc, v.id, D(2026, 10, 9))
        before = fingerprint(svc)
        with pytest.raises(ValidationError) as e:
            svc.incidents.record_rapid_review(v.id, v.version, D(2026, 10, 2), D(2026, 10, 1))
        assert {p.field for p in e.value.problems} == {"Meeting date", "Sent to the Panel"}
        with pytest.raises(ValidationError, match="before the Rapid Review meeting"):
            svc.incidents.record_rapid_review(v.id, v.version, D(2026, 10, 10), D(2026, 10, 12))
        assert fingerprint(svc) == before

    def test_decision_rules(self, svc: Any) -> None:
        v = new(svc, D(2026, 10, 1))
        v = svc.incidents.record_notification(v.id, v.version, D(2026, 10, 5)).value
        with pytest.raises(ValidationError, match="record the Rapid Review first"):
            svc.incidents.record_decision(v.id, v.version, "lcspr", D(2026, 10, 10))
        v = agree_rapid_review(svc, v.id, D(2026, 10, 19))
        v = svc.incidents.record_rapid_review(v.id, v.version, D(2026, 10, 20)).value
        with pytest.raises(ValidationError, match="Decision: must be one of"):
            svc.incidents.record_decision(v.id, v.version, "maybe", D(2026, 10, 20))
        with pytest.raises(ValidationError, match="Reasons: are required"):
            svc.incidents.record_decision(v.id, v.version, "no-review", D(2026, 10, 20), " ")
        with pytest.raises(ValidationError, match="cannot be before the notification"):
            svc.incidents.record_decision(v.id, v.version, "lcspr", D(2026, 10, 1))

    def test_panel_response_rules(self, svc: Any) -> None:
        v = through_rapid_review(svc)
        with pytest.raises(ValidationError, match="before the Rapid Review was sent"):
            svc.incidents.record_panel_response(v.id, v.version, D(2026, 10, 19), "Agrees")
        with pytest.raises(ValidationError, match="Panel view"):
            svc.incidents.record_panel_response(v.id, v.version, D(2026, 10, 30), "")

    def test_close_rules(self, svc: Any) -> None:
        v = new(svc)
        with pytest.raises(ValidationError, match="Reason"):
            svc.incidents.close(v.id, v.version, D(2026, 11, 10), "")
        with pytest.raises(ValidationError, match="Closed on"):
            svc.incidents.close(v.id, v.version, D(2026, 10, 1), "Duplicate")

    def test_became_aware_cannot_move_after_notification(self, svc: Any) -> None:
        v = new(svc, D(2026, 10, 1))
        v = svc.incidents.record_notification(v.id, v.version, D(2026, 10, 5)).value
        with pytest.raises(ValidationError, match="cannot be after the notification"):
            svc.incidents.update(v.id, v.version, IncidentInput("Child A", "died", D(2026, 10, 6)))


class TestConcurrency:
    def test_stale_version_is_a_conflict_and_changes_nothing(self, svc: Any) -> None:
        v = new(svc)
        svc.incidents.update(v.id, v.version, IncidentInput("Child B", "died", v.became_aware))
        before = fingerprint(svc)
        with pytest.raises(ConflictError, match="changed by someone else"):
            svc.incidents.update(v.id, v.version, IncidentInput("Child C", "died", v.became_aware))
        with pytest.raises(ConflictError):
            svc.incidents.record_notification(v.id, v.version, D(2026, 11, 3))
        assert fingerprint(svc) == before
        assert svc.incidents.get(v.id).pseudonym == "Child B"

    def test_missing_incident(self, svc: Any) -> None:
        with pytest.raises(NotFound):
            svc.incidents.get(12345)
        with pytest.raises(NotFound):
            svc.incidents.close(12345, 1, D(2026, 11, 1), "x")

    def test_a_failure_half_way_rolls_back_the_number(self, svc: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        new(svc, D(2026, 11, 2))
        before = fingerprint(svc)

        def boom(*_a: Any, **_k: Any) -> None:
            raise RuntimeError("disk full")

        monkeypatch.setattr(type(svc.incidents), "audit", boom)
        with pytest.raises(RuntimeError):
            new(svc, D(2026, 11, 3))
        assert fingerprint(svc) == before  # neither the incident nor the counter moved
        monkeypatch.undo()
        assert new(svc, D(2026, 11, 3)).local_ref == "SI2026-27/002"  # gap-free
