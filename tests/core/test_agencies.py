"""The partner agencies list: add, rename, stop using; names unique ignoring case; audited; versioned."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bscp_desktop.models import AuditEntry
from bscp_desktop.services import ConflictError, ValidationError
from bscp_desktop.services.reviews.actions import ActionInput
from tests.conftest import fingerprint


def test_add_rename_and_stop_using_an_agency(svc: Any) -> None:
    before = len(svc.reference_lists.agencies())
    a = svc.reference_lists.save_agency(None, None, "  Anytown   Youth Service ", "AYS").value
    assert (a.name, a.short_name, a.active) == ("Anytown Youth Service", "AYS", True)
    assert len(svc.reference_lists.agencies()) == before + 1
    a = svc.reference_lists.save_agency(a.id, a.version, "Anytown Youth and Family Service", "AYFS").value
    a = svc.reference_lists.save_agency(a.id, a.version, a.name, a.short_name, active=False).value
    assert a.id not in {x.id for x in svc.reference_lists.agencies()}  # no longer offered for new records
    assert a.id in {x.id for x in svc.reference_lists.agencies(active_only=False)}
    with svc.db.read() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "reference",
                                                            AuditEntry.entity_id == str(a.id))).all()
    assert sorted(actions) == ["add agency", "edit agency", "edit agency"]


def test_agency_names_are_checked(svc: Any) -> None:
    police = next(x for x in svc.reference_lists.agencies() if x.name == "West Midlands Police")
    before = fingerprint(svc)
    with pytest.raises(ValidationError, match="already on the list"):
        svc.reference_lists.save_agency(None, None, "west midlands police")
    with pytest.raises(ValidationError) as e:
        svc.reference_lists.save_agency(None, None, "   ", "x" * 41)
    assert {p.field for p in e.value.problems} == {"Name", "Short name"}
    with pytest.raises(ConflictError):
        svc.reference_lists.save_agency(police.id, police.version + 1, "West Midlands Police Force")
    assert fingerprint(svc) == before


def test_an_agency_keeps_its_actions_when_renamed(svc: Any) -> None:
    rid, _ = svc.actions.review_choices()[0]
    rec = svc.actions.add_recommendation(rid, "Share information sooner.").value
    police = next(x for x in svc.reference_lists.agencies() if x.name == "West Midlands Police")
    act = svc.actions.add(rec.id, ActionInput("Audit sharing", police.id)).value
    svc.reference_lists.save_agency(police.id, police.version, "West Midlands Police (renamed)", "WMP")
    assert svc.actions.get(act.id).agency == "West Midlands Police (renamed)"
