"""What the incident form collects (``IncidentInput``), the rules it must keep (``check_incident``) and the
incident table's values it gives (``incident_columns``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from bscp_desktop.domain.notification import is_adult, needs_rapid_review
from bscp_desktop.domain.vocab import ADULT_AGE_BANDS, CATEGORIES, UNDER_16_AGE_BANDS, NotificationReason
from bscp_desktop.models import Incident
from bscp_desktop.services.core.errors import Checker
from bscp_desktop.services.incidents.children import ChildInput, check_children
from bscp_desktop.services.incidents.panel_details import PanelDetails, check_panel_details, panel_columns


@dataclass(frozen=True)
class IncidentInput:
    """What the incident form collects. Children appear only by pseudonym: ``children`` lists them all; an
    incident of one child may give that child's pseudonym, harm, age band, sex and ethnicity inline instead
    (its other characteristics then "not known")."""

    pseudonym: str = ""
    harm: str = ""
    became_aware: dt.date | None = None
    incident_date: dt.date | None = None
    age_band: str = ""
    sex: str = ""
    ethnicity: str = ""
    categories: tuple[str, ...] = ()
    local_authority: str = ""
    lead_officer: str = ""
    notes: str = ""
    children: tuple[ChildInput, ...] = ()
    notification_reason: str = NotificationReason.SERIOUS_INCIDENT
    abuse_suspected: bool = True
    rapid_review_chosen: bool = False
    panel: PanelDetails = PanelDetails()  # where, when, the outline for the Panel and who notified

    def child_list(self) -> tuple[ChildInput, ...]:
        """Every child of the incident, in order."""
        if self.children or not (self.pseudonym or self.harm):
            return self.children
        return (ChildInput(self.pseudonym, self.harm, self.age_band, self.sex, self.ethnicity),)


def check_incident(d: IncidentInput, existing: Incident | None, not_future: Callable[[Checker, str, dt.date], None]) -> None:
    """Raise ``ValidationError`` with every rule the incident's details break (``existing``: the incident as
    stored, for an edit); ``not_future`` checks a date against today."""
    c = Checker()
    check_children(c, d.child_list())
    c.require(d.notification_reason in NotificationReason.labels(), "Notification reason",
              f"must be one of: {', '.join(r.label for r in NotificationReason)}")
    c.require(d.abuse_suspected or d.notification_reason != NotificationReason.SERIOUS_INCIDENT,
              "Abuse or neglect suspected", "a serious incident is notified because abuse or neglect is known "
              "or suspected; choose the death of a looked-after child or of a care leaver otherwise")
    _check_ages(c, d)
    if existing is not None and existing.rapid_review is not None and existing.rapid_review.sent_date:
        c.require(needs_rapid_review(d.notification_reason, d.abuse_suspected, d.rapid_review_chosen,
                                     is_adult(ch.age_band for ch in d.child_list())),
                  "Notification reason", "the Rapid Review has been sent; the reason must still need one")
    bad = [x for x in d.categories if x not in CATEGORIES]
    c.require(not bad, "Categories of abuse", f"unknown: {', '.join(bad)}")
    if c.require(d.became_aware is not None, "Became aware", "is required: the notification clock starts there"):
        assert d.became_aware is not None
        not_future(c, "Became aware", d.became_aware)
        if existing is not None and existing.notified_date is not None:
            c.require(d.became_aware <= existing.notified_date, "Became aware",
                      f"cannot be after the notification ({existing.notified_date:%d/%m/%Y})")
    if d.incident_date is not None:
        not_future(c, "Incident date", d.incident_date)
        c.require(d.became_aware is None or d.incident_date <= d.became_aware, "Incident date",
                  "cannot be after the date the local authority became aware")
    check_panel_details(c, d.panel.cleaned())
    c.raise_if_any()


def incident_columns(d: IncidentInput, exclude: tuple[str, ...] = ()) -> dict[str, object]:
    """The incident table's values from the form's (``exclude``: columns left as they are)."""
    cols: dict[str, object] = {
        "categories": sorted(set(d.categories)), "notification_reason": d.notification_reason,
        "abuse_suspected": d.abuse_suspected, "rapid_review_chosen": d.rapid_review_chosen,
        "rapid_review_required": needs_rapid_review(d.notification_reason, d.abuse_suspected,
                                                    d.rapid_review_chosen,
                                                    is_adult(ch.age_band for ch in d.child_list())),
        "incident_date": d.incident_date, "became_aware": d.became_aware,
        "local_authority": d.local_authority.strip(), "lead_officer": d.lead_officer.strip(),
        "notes": d.notes.strip(), **panel_columns(d.panel.cleaned()),
    }
    return {k: v for k, v in cols.items() if k not in exclude}


def _check_ages(c: Checker, d: IncidentInput) -> None:
    """A care leaver is 16 or older (up to and including 24); anyone else notified is a child, under 18."""
    children = d.child_list()
    for n, child in enumerate(children, start=1):
        field = f"Child {n} age band" if len(children) > 1 else "Age band"
        if d.notification_reason == NotificationReason.CARE_LEAVER_DEATH:
            c.require(child.age_band not in UNDER_16_AGE_BANDS, field,
                      f"{child.age_band} is under 16: a care leaver is 16 or older (choose another reason)")
        else:
            c.require(child.age_band not in ADULT_AGE_BANDS, field,
                      f"{child.age_band} is an adult's: only a care leaver's death is notified at 18 or over")


__all__ = ["IncidentInput", "check_incident", "incident_columns"]
