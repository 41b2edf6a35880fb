"""Blank spreadsheets for the importers: the columns each understands, one fictional example row that imports
as it is (replace it with your own rows), and a second sheet saying what each column takes (XlsxWriter)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from bscp_desktop.domain.vocab import LocationType
from bscp_desktop.services.exchange import action_plan_import, catalogue_import, incident_import
from bscp_desktop.services.registers.export import close_workbook

# kind → (the importer's columns, the columns it needs, what each column takes, an example row by field)
_DATE = "A date: DD/MM/YYYY or an Excel date"
_ANSWER = "Yes, No or Not known (Not known when empty)"
_PLAN = "Current, Previous, Never or Not known (Not known when empty)"
_CHARACTERISTICS = {
    "disability": f"Whether the child is disabled: {_ANSWER}",
    "looked_after": f"Whether the child was looked after: {_ANSWER}",
    "cp_plan": f"A child protection plan: {_PLAN}",
    "cin_plan": f"A child in need plan: {_PLAN}",
    "known_to_services": f"Known to children's social care or other agencies: {_ANSWER}",
    "home_local_authority": "The child's home local authority when the incident happened elsewhere (empty: the "
                            "same)",
}
_FIRST_CHILD = {
    "pseudonym": "Never a real name: Child A, Child B…",
    "harm": "Died, or Seriously harmed",
    "age_band": "under 1, 1-4, 5-9, 10-15, 16-17, not known; 18-20 and 21-24 for a care leaver only",
    "sex": "female, male, not known",
    "ethnicity": "As your register records it",
}


def _more_children() -> dict[str, str]:
    """What the "Child 2 …" columns take: a notification of several children gives each further child in its
    own group of columns on the same row (one row per incident)."""
    out = {}
    for n in range(2, incident_import.EXTRA_CHILDREN + 2):
        for field in incident_import.CHILD_COLUMNS:
            what = (_FIRST_CHILD | _CHARACTERISTICS)[field]
            out[f"child{n}_{field}"] = (f"Child {n} of the notification, on the same row as the first (leave the "
                                        f"group empty for fewer children): {what}")
    return out

TEMPLATES: dict[str, tuple[dict[str, tuple[str, ...]], tuple[str, ...], dict[str, str], dict[str, Any]]] = {
    "incidents": (incident_import.COLUMNS, incident_import.REQUIRED, {
        "reference": "Your reference, such as SI2024-25/007 (numbered within its financial year: a number already "
                     "used that year is refused); leave empty to number the case on import",
        "pseudonym": "Never a real name: Child A, Child B…",
        "harm": "Died, or Seriously harmed",
        "became_aware": f"The date the local authority became aware; the notification clock starts there. {_DATE}",
        "incident_date": f"When the incident happened, if known. {_DATE}",
        "age_band": "under 1, 1-4, 5-9, 10-15, 16-17, not known; 18-20 and 21-24 for a care leaver only",
        "sex": "female, male, not known",
        "ethnicity": "As your register records it",
        "categories": "Physical abuse, Emotional abuse, Sexual abuse, Neglect (separate several with ;)",
        "local_authority": "Empty: the partnership's own (Settings)",
        "lead_officer": "The officer leading the case",
        "notes": "Anything else (never a real name)",
        "notified": f"The notification to the National Panel; the Rapid Review clock starts there. {_DATE}",
        "panel_reference": "The Panel's reference for the notification",
        "rr_meeting": f"The Rapid Review meeting. {_DATE}",
        "rr_sent": f"The Rapid Review sent to the Panel (needs the notification). {_DATE}",
        "decision": "Undertake an LCSPR, Another review, No local review (needs the Rapid Review sent)",
        "decision_date": f"Required with a decision. {_DATE}",
        "decision_reasons": "Required with 'No local review'",
        "closed": f"The date the case was closed. {_DATE}",
        "closed_reason": "Required with a closing date",
        "notification_reason": "Serious incident, Death of a looked-after child, Death of a care leaver (up to and "
                               "including 24) (Serious incident when empty)",
        "abuse_suspected": "Whether abuse or neglect is known or suspected: Yes or No (Yes when empty). A "
                           "looked-after child's or a care leaver's death with No needs no Rapid Review, nor does "
                           "a care leaver's of 18 or over",
        "location": "In the local authority's area, Elsewhere in England, Outside England",
        "location_type": ", ".join(t.label for t in LocationType),
        "place": "Where it happened: the town (and country, outside England), never an address; required outside "
                 "England",
        "incident_time": "When it happened, if known: HH:MM on the 24-hour clock",
        "case_outline": "What the Panel reads about the case (the notes stay internal; never a real name)",
        "notifier_name": "Who notified (empty: the partnership's notifier in Settings)",
        "notifier_role": "The notifier's role",
        "notifier_phone": "The notifier's telephone",
        "notifier_email": "The notifier's e-mail",
        **_CHARACTERISTICS, **_more_children(),
    }, {"pseudonym": "Child A", "harm": "Died", "looked_after": "No", "cp_plan": "Previous",
        "child2_pseudonym": "Child B", "child2_harm": "Seriously harmed", "child2_age_band": "1-4",
        "became_aware": dt.date(2025, 2, 3), "notified": dt.date(2025, 2, 7), "rr_sent": dt.date(2025, 2, 21),
        "decision": "No local review", "decision_date": dt.date(2025, 3, 10),
        "decision_reasons": "Learning captured in the Rapid Review", "lead_officer": "Review Officer 1"}),
    "action-plan": (action_plan_import.COLUMNS, action_plan_import.REQUIRED, {
        "number": "The recommendation's number: 1 or R1; rows with the same number share the recommendation",
        "recommendation": "The recommendation's text: needed once for a number the review does not have yet",
        "scope": "Local or National (Local when empty)",
        "action": "What the agency will do: one action per row",
        "agency": "An agency on the list in Settings (its name or short name)",
        "owner": "Who answers for the action",
        "due": f"When it is due. {_DATE}",
        "status": "Not started, In progress, Completed, Assured, Not accepted (Not started when empty)",
        "completed": f"Required once an action is completed. {_DATE}",
        "evidence": "What shows it was done (required before an action is assured)",
        "not_accepted_reason": "Required when an action is not accepted",
        "assured_by": "Who signed off the assurance (required for Assured)",
        "assured_date": f"When it was assured (required for Assured). {_DATE}",
    }, {"number": "R1", "recommendation": "Agencies share chronologies within five working days.",
        "action": "Audit information sharing and report to the board", "agency": "West Midlands Police",
        "owner": "Safeguarding lead", "due": dt.date(2026, 12, 31), "status": "In progress"}),
    "catalogue": (catalogue_import.COLUMNS, catalogue_import.REQUIRED, {
        "reference": "The review's case reference, such as BSCP2021-22/02 or BSCB 2015-16/04",
        "title": "The review's published title",
        "kind": "LCSPR, Serious Case Review, Domestic Homicide Review, Thematic review, Other review "
                "(from the reference's prefix when empty)",
        "published": f"The publication date: the three-year archive date follows from it. {_DATE}",
        "removed": f"When the report came off the website, if it has. {_DATE}",
        "summary": "A short summary, as on the website",
        "themes": "Themes on the list (separate several with ;)",
        "repository": "The review's entry in the National Case Review Repository (a web address)",
        "notes": "Anything else",
    }, {"reference": "EXAMPLE2019-20/09", "title": "Child Z: a fictional example review", "kind": "LCSPR",
        "published": dt.date(2021, 5, 20), "summary": "A fictional example."}),
}


def write_template(kind: str, path: Path) -> Path:
    """Write the template for importer ``kind`` (``incidents``, ``action-plan`` or ``catalogue``) to ``path``."""
    import xlsxwriter

    columns, required, notes, example = TEMPLATES[kind]
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True, "bg_color": "#DFE6EE", "bottom": 1})
    need = book.add_format({"bold": True, "bg_color": "#FFF0C2", "bottom": 1})
    date = book.add_format({"num_format": "dd/mm/yyyy", "align": "left"})
    sheet = book.add_worksheet("Import")
    guide = book.add_worksheet("Columns")
    guide.write_row(0, 0, ["Column", "Needed", "What it takes"], bold)
    for col, (field, aliases) in enumerate(columns.items()):
        sheet.write_string(0, col, aliases[0], need if field in required else bold)
        sheet.set_column(col, col, max(14, len(aliases[0]) + 4))
        value = example.get(field)
        if isinstance(value, dt.date):
            sheet.write_datetime(1, col, dt.datetime.combine(value, dt.time()), date)
        elif value is not None:
            sheet.write_string(1, col, str(value))
        guide.write_row(col + 1, 0, [aliases[0], "yes" if field in required else "", notes[field]])
    sheet.freeze_panes(1, 0)
    guide.set_column(0, 0, 28)
    guide.set_column(2, 2, 100)
    close_workbook(book)
    return path
