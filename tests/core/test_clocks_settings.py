"""Clocks of a case and of the register, as of a date; settings and closure days change them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from bscp_desktop.domain.rules import Rag
from bscp_desktop.services import ConflictError, ValidationError
from bscp_desktop.services.incidents.input import IncidentInput
from tests.conftest import fingerprint

D = dt.date


def test_incident_clocks_as_of(svc: Any) -> None:
    v = svc.incidents.register(IncidentInput("Child A", "died", D(2025, 12, 19))).value
    [c] = svc.clocks.for_incident(v.id, as_of=D(2025, 12, 24))
    assert (c.rule_id, c.start, c.due, c.rag, c.days) == ("notification", D(2025, 12, 19), D(2025, 12, 30), Rag.DUE, 2)
    [c] = svc.clocks.for_incident(v.id, as_of=D(2026, 1, 2))
    assert (c.rag, c.days) == (Rag.OVERDUE, -2)
    v = svc.incidents.record_notification(v.id, v.version, D(2026, 1, 2)).value
    n, rr = svc.clocks.for_incident(v.id, as_of=D(2026, 1, 5))
    assert (n.rag, n.met_on) == (Rag.MET_LATE, D(2026, 1, 2))
    assert (rr.rule_id, rr.due, rr.rag) == ("rapid-review", D(2026, 1, 23), Rag.ON_TRACK)


def test_register_open_clocks_overdue_first(svc: Any) -> None:
    a = svc.incidents.register(IncidentInput("Child A", "died", D(2026, 11, 2))).value  # due 9/11: overdue
    b = svc.incidents.register(IncidentInput("Child B", "died", D(2026, 11, 13))).value  # due 20/11: due today
    c = svc.incidents.register(IncidentInput("Child C", "died", D(2026, 11, 19))).value  # due 26/11: on track
    clocks = [x for x in svc.clocks.all_clocks() if x.case_kind == "incident"]
    assert [(x.case_id, x.rag) for x in clocks] == [(a.id, Rag.OVERDUE), (b.id, Rag.DUE), (c.id, Rag.ON_TRACK)]
    svc.incidents.close(a.id, a.version, D(2026, 11, 20), "Did not meet the criteria")
    assert a.id not in {x.case_id for x in svc.clocks.all_clocks() if x.case_kind == "incident"}


def test_catalogue_archive_clocks(svc: Any) -> None:
    archive = {x.reference: x for x in svc.clocks.all_clocks(as_of=D(2026, 11, 20)) if x.rule_id == "archive"}
    assert archive["BSCP2020-21/02"].due == D(2026, 10, 10)
    assert archive["BSCP2020-21/02"].rag is Rag.OVERDUE  # published 10/10/2023: should be off the website
    assert archive["BSCP2021-22/02"].due == D(2028, 12, 18) and archive["BSCP2021-22/02"].rag is Rag.ON_TRACK


def test_settings_round_trip_and_audit(svc: Any) -> None:
    s = svc.settings.get()
    assert s.amount("notification") == 5 and s.protective_marking == "OFFICIAL-SENSITIVE"
    new = dataclasses.replace(s, partnership_name="Test Partnership", rule_amounts={**s.rule_amounts, "notification": 4})
    svc.settings.update(new)
    got = svc.settings.get()
    assert got.partnership_name == "Test Partnership" and got.amount("notification") == 4
    v = svc.incidents.register(IncidentInput("Child A", "died", D(2025, 12, 19))).value
    assert svc.clocks.for_incident(v.id)[0].due == D(2025, 12, 29)


@pytest.mark.parametrize(
    ("change", "field"),
    [({"partnership_name": ""}, "Partnership name"), ({"review_prefix": "B1"}, "Review reference prefix"),
     ({"amber_days": 99}, "Amber window"), ({"rule_amounts": {"notification": 0}}, "Rule notification")],
)
def test_settings_validation(svc: Any, change: dict[str, Any], field: str) -> None:
    before = fingerprint(svc)
    with pytest.raises(ValidationError) as e:
        svc.settings.update(dataclasses.replace(svc.settings.get(), **change))
    assert e.value.field == field
    assert fingerprint(svc) == before


def test_closure_days_move_due_dates(svc: Any) -> None:
    v = svc.incidents.register(IncidentInput("Child A", "died", D(2025, 12, 19))).value
    assert svc.clocks.for_incident(v.id)[0].due == D(2025, 12, 30)
    op = svc.settings.add_closure(D(2025, 12, 29), "Office closed")
    assert svc.clocks.for_incident(v.id)[0].due == D(2025, 12, 31)
    with pytest.raises(ValidationError, match="already a closure day"):
        svc.settings.add_closure(D(2025, 12, 29), "again")
    with pytest.raises(ValidationError, match="weekends are already skipped"):
        svc.settings.add_closure(D(2025, 12, 27), "Saturday")
    with pytest.raises(ValidationError, match="already a bank holiday"):
        svc.settings.add_closure(D(2025, 12, 25), "Christmas")
    with pytest.raises(ConflictError):
        svc.settings.remove_closure(op.value.id, op.value.version + 1)
    svc.settings.remove_closure(op.value.id, op.value.version)
    assert svc.clocks.for_incident(v.id)[0].due == D(2025, 12, 30)


def test_urgent_and_open_clocks_match_the_full_computation(tmp_path: Any) -> None:
    from bscp_desktop.services import Services

    svc = Services.open(tmp_path / "u.db", today=lambda: D(2026, 11, 20))
    svc.demo.build(800, 5, D(2026, 11, 20))
    full = [c for c in svc.clocks.all_clocks() if c.rag in (Rag.OVERDUE, Rag.DUE)]
    assert full and svc.clocks.urgent() == full
    # Open clocks are read only for cases with a next due date: the same list as filtering every clock.
    every = svc.clocks.all_clocks(open_only=False)
    assert any(c.met_on is not None for c in every)
    assert svc.clocks.all_clocks() == [c for c in every if c.met_on is None]
    svc.close()


def test_next_due_is_kept_by_every_write(svc: Any) -> None:
    from bscp_desktop.services.registers.registers import RegisterFilter

    v = svc.incidents.register(IncidentInput("Child A", "died", D(2026, 11, 2))).value
    overdue = RegisterFilter(rag="overdue")
    assert v.id in svc.registers.incident_ids(overdue)
    v = svc.incidents.record_notification(v.id, v.version, D(2026, 11, 13)).value  # RR due 4/12: on track
    assert v.id not in svc.registers.incident_ids(overdue)
    assert v.id in svc.registers.incident_ids(RegisterFilter(rag="on track"))
    row = svc.registers.incident_rows([v.id])[v.id]
    assert (row.next_rule, row.next_due, row.rag, row.days) == ("rapid-review", D(2026, 12, 4), Rag.ON_TRACK, 10)
    svc.settings.update(dataclasses.replace(svc.settings.get(),
                                            rule_amounts={**svc.settings.get().rule_amounts, "rapid-review": 4}))
    row = svc.registers.incident_rows([v.id])[v.id]
    assert (row.next_due, row.rag) == (D(2026, 11, 19), Rag.OVERDUE)
