"""Every versioned write method: a stale version is a ConflictError and leaves the database exactly as it was;
a failure in the middle of any write leaves it unchanged too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from bscp_desktop.services import ConflictError
from bscp_desktop.services.incidents import IncidentInput
from bscp_desktop.services.reviews import ReviewInput
from tests.conftest import fingerprint

D = dt.date


def setup(svc: Any) -> tuple[Any, Any, Any]:
    """An incident at the decision stage, one with its review commissioned, and that review."""
    def decided() -> Any:
        v = svc.incidents.register(IncidentInput("Child A", "died", D(2026, 4, 1))).value
        v = svc.incidents.record_notification(v.id, v.version, D(2026, 4, 2)).value
        v = svc.incidents.record_rapid_review(v.id, v.version, D(2026, 4, 20)).value
        return svc.incidents.record_decision(v.id, v.version, "lcspr", D(2026, 4, 20)).value

    inc = decided()
    other = decided()
    review = svc.reviews.commission([other.id], ReviewInput("lcspr", "Review", D(2026, 4, 20))).value
    return inc, svc.incidents.get(other.id), review


WRITES: dict[str, Callable[[Any, Any, Any, Any, int], Any]] = {
    "incidents.update": lambda s, i, o, r, v: s.incidents.update(i.id, v, IncidentInput("Child B", "died", D(2026, 4, 1))),
    "incidents.record_notification": lambda s, i, o, r, v: s.incidents.record_notification(i.id, v, D(2026, 4, 3)),
    "incidents.record_rapid_review": lambda s, i, o, r, v: s.incidents.record_rapid_review(i.id, v, D(2026, 4, 21)),
    "incidents.record_decision": lambda s, i, o, r, v: s.incidents.record_decision(i.id, v, "lcspr", D(2026, 4, 21)),
    "incidents.record_panel_response": lambda s, i, o, r, v: s.incidents.record_panel_response(i.id, v, D(2026, 5, 1), "Agrees"),
    "incidents.close": lambda s, i, o, r, v: s.incidents.close(i.id, v, D(2026, 5, 1), "Done"),
    "reviews.update": lambda s, i, o, r, v: s.reviews.update(r.id, v, ReviewInput("lcspr", "New", D(2026, 4, 20))),
    "reviews.record_final_report": lambda s, i, o, r, v: s.reviews.record_final_report(r.id, v, D(2026, 9, 1)),
    "reviews.record_advance_copy": lambda s, i, o, r, v: s.reviews.record_advance_copy(r.id, v, D(2026, 9, 1)),
    "reviews.record_publication": lambda s, i, o, r, v: s.reviews.record_publication(r.id, v, D(2026, 10, 1)),
    "reviews.record_not_published": lambda s, i, o, r, v: s.reviews.record_not_published(r.id, v, "Proceedings"),
}


def _version(svc: Any, name: str, inc: Any, review: Any) -> int:
    return (svc.incidents.get(inc.id) if name.startswith("incidents") else svc.reviews.get(review.id)).version


@pytest.mark.parametrize("name", sorted(WRITES))
def test_stale_version_conflicts_and_changes_nothing(svc: Any, name: str) -> None:
    inc, other, review = setup(svc)
    current = _version(svc, name, inc, review)
    before = fingerprint(svc)
    with pytest.raises(ConflictError):
        WRITES[name](svc, inc, other, review, current - 1)
    assert fingerprint(svc) == before
    WRITES[name](svc, inc, other, review, current)  # the same call with the right version works
    assert fingerprint(svc) != before


@pytest.mark.parametrize("name", sorted(WRITES))
def test_failure_half_way_changes_nothing(svc: Any, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    inc, other, review = setup(svc)
    current = _version(svc, name, inc, review)
    before = fingerprint(svc)
    manager = svc.incidents if name.startswith("incidents") else svc.reviews

    def fail(*_a: Any, **_k: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(manager, "audit", fail)  # fails after the row is changed, before the commit
    with pytest.raises(OSError, match="disk full"):
        WRITES[name](svc, inc, other, review, current)
    assert fingerprint(svc) == before


def test_take_down_and_lookups(svc: Any) -> None:
    _, _, review = setup(svc)
    # Without a planned publication date (or a recorded advance copy) there is no advance-copy clock:
    # historical catalogue entries would otherwise all show it overdue.
    assert {c.rule_id for c in svc.clocks.for_review(review.id)} == {"lcspr-publication"}
    review = svc.reviews.update(review.id, review.version,
                                ReviewInput("lcspr", "Review", D(2026, 4, 20), planned_publication_date=D(2026, 10, 1))).value
    review = svc.reviews.record_publication(review.id, review.version, D(2026, 10, 1)).value
    with pytest.raises(ConflictError):
        svc.reviews.record_take_down(review.id, review.version - 1, D(2026, 10, 2))
    review = svc.reviews.record_take_down(review.id, review.version, D(2026, 10, 2)).value
    assert svc.reviews.by_reference(review.case_reference).website_removed_date == D(2026, 10, 2)
    assert svc.reviews.by_reference("BSCP1999-00/99") is None
    clocks = {c.rule_id: c for c in svc.clocks.for_review(review.id)}
    assert set(clocks) == {"lcspr-publication", "advance-copy", "archive"}
    assert clocks["archive"].met_on == D(2026, 10, 2)


def test_reference_lists(svc: Any) -> None:
    names = [t.name for t in svc.reference.themes()]
    assert "Safe sleep / SUDI" in names and names == sorted(names)
    assert any(a.short_name == "WMP" for a in svc.reference.agencies())
    assert svc.reference.ensure_defaults().value == 0  # already there
