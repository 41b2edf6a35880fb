"""The audit log as staff read it: newest first, searched by text, person and dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bscp_desktop.services.incidents.input import IncidentInput

D = dt.date


def test_find_newest_first_with_filters(svc: Any) -> None:
    v = svc.incidents.register(IncidentInput("Child A", "died", D(2026, 11, 2))).value
    v = svc.incidents.update(v.id, v.version, IncidentInput("Child B", "died", D(2026, 11, 2))).value
    svc.incidents.record_notification(v.id, v.version, D(2026, 11, 3))
    page = svc.audit_log.find(text=v.local_ref)
    assert [e.action for e in page.entries] == ["record notification", "edit incident", "register incident"]
    assert page.total == 3 and all(e.user == svc.user for e in page.entries)
    edit = page.entries[1]
    assert ("pseudonym", "Child A", "Child B") in edit.changes()
    assert svc.audit_log.find(text="EDIT INCIDENT").total == 1  # ignoring case
    assert svc.audit_log.find(user="someone else").total == 0
    assert svc.user in svc.audit_log.users()
    today = dt.datetime.now(dt.UTC).date()
    assert svc.audit_log.find(text=v.local_ref, start=today, end=today).total == 3
    assert svc.audit_log.find(text=v.local_ref, start=today + dt.timedelta(days=1)).total == 0
    assert svc.audit_log.find(text=v.local_ref, end=today - dt.timedelta(days=1)).total == 0


def test_a_long_log_shows_the_newest_and_says_how_many(svc: Any) -> None:
    for i in range(5):
        svc.incidents.register(IncidentInput(f"Child {i}", "died", D(2026, 11, 2)))
    page = svc.audit_log.find(text="register incident", limit=2)
    assert page.total == 5 and len(page.entries) == 2
    assert page.entries[0].summary.endswith("/005") and page.entries[1].summary.endswith("/004")
