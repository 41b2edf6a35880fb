"""What the National Panel's notification form asks beyond the children and the dates: where and when the
incident happened, an outline of the case for the Panel, and who notified. Kept on the incident (migration
0015), edited in the incident form, printed on the notification sheet; the partnership's default notifier is a
setting, taken by a new incident that names none."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

from bscp_desktop.domain.vocab import IncidentLocation, LocationType
from bscp_desktop.services.core.errors import Checker

_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
LIMITS = {"place": 200, "notifier_name": 100, "notifier_role": 100, "notifier_phone": 40, "notifier_email": 200,
          "case_outline": 20_000}
LABELS = {"location": "Where it happened", "location_type": "Kind of place", "place": "Place",
          "incident_time": "Time of the incident", "case_outline": "Case outline for the Panel",
          "notifier_name": "Notifier's name", "notifier_role": "Notifier's role",
          "notifier_phone": "Notifier's telephone", "notifier_email": "Notifier's e-mail"}
PERSONAL = ("place", "case_outline", "notifier_name", "notifier_role", "notifier_phone", "notifier_email")


@dataclass(frozen=True)
class PanelDetails:
    """Where and when it happened, the outline for the Panel, and who notified ("" when not recorded)."""

    location: str = ""
    location_type: str = ""
    place: str = ""
    incident_time: str = ""  # HH:MM, when known
    case_outline: str = ""
    notifier_name: str = ""
    notifier_role: str = ""
    notifier_phone: str = ""
    notifier_email: str = ""

    def cleaned(self) -> PanelDetails:
        """The same details with their text trimmed."""
        return replace(self, **{f.name: getattr(self, f.name).strip() for f in fields(self)})

    @property
    def notifier(self) -> str:
        """Who notified, in one line ("" when nobody is recorded)."""
        return ", ".join(x for x in (self.notifier_name, self.notifier_role, self.notifier_phone,
                                     self.notifier_email) if x)


COLUMNS = tuple(f.name for f in fields(PanelDetails))
NOTIFIER = ("notifier_name", "notifier_role", "notifier_phone", "notifier_email")


def check_panel_details(c: Checker, p: PanelDetails) -> None:
    """Add to ``c`` every rule the details break, each naming its field."""
    c.require(p.location in ("", *IncidentLocation.labels()), LABELS["location"],
              f"must be one of: {', '.join(x.label for x in IncidentLocation)}")
    c.require(p.location_type in ("", *LocationType.labels()), LABELS["location_type"],
              f"must be one of: {', '.join(x.label for x in LocationType)}")
    c.require(p.location != IncidentLocation.OUTSIDE_ENGLAND or bool(p.place.strip()), LABELS["place"],
              "is required for an incident outside England: say where (the town and country)")
    c.require(not p.incident_time or bool(_TIME.fullmatch(p.incident_time)), LABELS["incident_time"],
              f"'{p.incident_time}' is not a time: use HH:MM on the 24-hour clock, such as 14:30")
    c.require(not p.notifier_email or bool(_EMAIL.fullmatch(p.notifier_email)), LABELS["notifier_email"],
              f"'{p.notifier_email}' is not an e-mail address")
    for key, limit in LIMITS.items():
        value = getattr(p, key)
        c.require(len(value) <= limit, LABELS[key], f"must be at most {limit:,} characters (it is {len(value):,})")


def panel_columns(p: PanelDetails) -> dict[str, str]:
    """The incident's columns for ``p``."""
    return {name: getattr(p, name) for name in COLUMNS}


def panel_details_of(row: Any) -> PanelDetails:
    """The details an incident row holds."""
    return PanelDetails(**{name: getattr(row, name) or "" for name in COLUMNS})


def with_default_notifier(p: PanelDetails, default: PanelDetails) -> PanelDetails:
    """``p`` with the partnership's default notifier when it names none."""
    if any(getattr(p, k) for k in NOTIFIER):
        return p
    return replace(p, **{k: getattr(default, k) for k in NOTIFIER})
