"""The audit log in words: each entry names its record as the user knows it, and its values read as the window
shows them (labels, UK dates, lists and codes as text), while the values as recorded stay on the entry."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from bscp_desktop.services.catalogue.requests import RequestInput
from bscp_desktop.services.trust.audit_log import field_label, in_words


def test_an_archive_request_is_named_by_its_reference(svc: Any) -> None:
    published = next(r for r in svc.catalogue.entries() if r.publication_date is not None)
    v = svc.requests.log(RequestInput(dt.date(2026, 11, 2), "A Fictional Researcher", "researcher@example.org",
                                      (published.id,), purpose="Fictional research")).value
    [entry] = svc.audit_log.find("log archive request").entries
    assert entry.record == f"archive request {v.reference}" and v.reference.startswith("AR2026-27/")
    assert entry.entity_id == str(v.id)  # the number as recorded is kept


def test_a_setting_and_a_review_are_named_as_the_window_names_them(svc: Any) -> None:
    before = svc.settings.get()
    svc.settings.update(dataclasses.replace(before, amber_days=before.amber_days + 1))
    [entry] = svc.audit_log.find("change setting").entries
    assert (entry.entity_id, entry.record) == ("amber_days", "setting Amber days")
    imported = [e for e in svc.audit_log.find("import catalogue").entries if e.entity == "review"]
    assert imported
    for e in imported:
        assert e.record == f"review {svc.reviews.get(int(e.entity_id)).case_reference}"


def test_values_read_in_words() -> None:
    assert field_label("became_aware") == "Became aware"
    assert field_label("notified_date") == "Notified to the Panel"
    assert field_label("child 2 pseudonym") == "Child 2 pseudonym"
    assert in_words("became_aware", "2026-11-03") == "03/11/2026"
    assert in_words("at", "2026-11-03T14:05:00") == "03/11/2026 14:05"
    assert in_words("categories", ["neglect", "physical"]) == "Neglect, Physical abuse"
    assert in_words("harm", "died") == "Died"
    assert in_words("abuse_suspected", True) == "Yes" and in_words("abuse_suspected", False) == "No"
    assert in_words("notes", None) == "—" and in_words("notes", "") == "—"
    assert in_words("notes", "2026-13-45 is not a date") == "2026-13-45 is not a date"
    assert in_words("panel", {"incident_date": "2026-11-01", "location": "home"}) == \
        "Incident date: 01/11/2026; Location: home"
