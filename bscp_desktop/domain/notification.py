"""Which clocks a notification starts, by its reason, the suspicion of abuse or neglect and the age of whom it
is about (Working Together 2023, chapter 5; GOV.UK, "Report a serious child safeguarding incident").

Every notification has the notification clock. A serious incident (abuse or neglect known or suspected) needs a
Rapid Review. The local authority notifies the deaths of looked-after children and of care leavers under 25
whether or not abuse or neglect is known or suspected; the Panel shares them with the Secretary of State (DfE)
and Ofsted, and "will not consider the deaths of looked-after children where abuse or neglect is not known or
suspected": such a death has no Rapid Review clock, nor has a care leaver's death without suspicion. A care
leaver aged 18 or over is not a child, so their death is never a serious child safeguarding incident: no Rapid
Review clock even with abuse suspected. In every case the partnership may choose to hold one. Pure functions: the
services keep ``Incident.rapid_review_required`` to ``needs_rapid_review`` on every write, so clocks and
registers read it in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from bscp_desktop.domain.vocab import ADULT_AGE_BANDS, Answer, NotificationReason, PlanStatus

# Care leavers' deaths are notifiable under Working Together 2023, in force from 15 December 2023.
CARE_LEAVER_DUTY_FROM = dt.date(2023, 12, 15)

TOLD = ("notified through the Panel's notification system to the Secretary of State and Ofsted (the Panel shares "
        "every notification with the DfE and Ofsted)")
NO_SUSPICION = {
    NotificationReason.LOOKED_AFTER_DEATH: (
        f"The death of a looked-after child is {TOLD}. With no abuse or neglect known or suspected, the Panel does "
        "not consider it and no Rapid Review is needed: only the notification clock runs."),
    NotificationReason.CARE_LEAVER_DEATH: (
        f"The death of a care leaver under 25 is {TOLD}. With no abuse or neglect known or suspected, no Rapid "
        "Review is needed: only the notification clock runs."),
}
ADULT_WHY = (f"The death of a care leaver aged 18 or over is {TOLD}. A care leaver of that age is not a child, so "
             "the death is not a serious child safeguarding incident and needs no Rapid Review, even with abuse or "
             "neglect suspected: only the notification clock runs.")
NO_RAPID_REVIEW_WHY = NO_SUSPICION[NotificationReason.CARE_LEAVER_DEATH]

# Working Together 2023, chapter 5: what "serious harm" means for a notification and a review.
SERIOUS_HARM = ("Serious harm includes, but is not limited to, serious and/or long-term impairment of a child's "
                "mental health or intellectual, emotional, social or behavioural development, and impairment of "
                "physical health. It is judged case by case: even if a child recovers, including from a one-off "
                "incident, serious harm may still have occurred (Working Together 2023).")


def told(reason: str) -> str:
    """Whom a notification of ``reason`` goes to, in words for the notification sheet."""
    if reason == NotificationReason.SERIOUS_INCIDENT:
        return "The National Child Safeguarding Practice Review Panel (it shares every notification with the DfE " \
               "and Ofsted)"
    return "The Secretary of State (DfE) and Ofsted, through the Panel's notification system"


def is_adult(age_bands: Iterable[str]) -> bool:
    """True when any of ``age_bands`` is an adult's (a care leaver aged 18 to 24)."""
    return any(band in ADULT_AGE_BANDS for band in age_bands)


def needs_rapid_review(reason: str, abuse_suspected: bool, chosen: bool = False, adult: bool = False) -> bool:
    """True when the Rapid Review clock runs for a notification of ``reason`` (see the module's docstring):
    ``adult``: a care leaver aged 18 or over; ``chosen``: the partnership chose to hold one anyway."""
    if chosen:
        return True
    if reason == NotificationReason.SERIOUS_INCIDENT:
        return True
    if reason == NotificationReason.CARE_LEAVER_DEATH and adult:
        return False
    return abuse_suspected


def rapid_review_note(reason: str, abuse_suspected: bool, chosen: bool, adult: bool = False) -> str:
    """What the form says about the Rapid Review clock when the reason changes it ("" when it runs as usual)."""
    if needs_rapid_review(reason, abuse_suspected, False, adult):
        return ""
    if chosen:
        return "The partnership chose to hold a Rapid Review that this notification does not need: its clock runs."
    if reason == NotificationReason.CARE_LEAVER_DEATH and adult:
        return ADULT_WHY
    return NO_SUSPICION.get(NotificationReason.of(reason), "")


def notification_warnings(reason: str, became_aware: dt.date | None) -> list[str]:
    """What the form warns of (never refuses): a care leaver's death known before the duty to notify it."""
    if reason == NotificationReason.CARE_LEAVER_DEATH and became_aware is not None \
            and became_aware < CARE_LEAVER_DUTY_FROM:
        return [f"Care leavers' deaths are notifiable from {CARE_LEAVER_DUTY_FROM:%d/%m/%Y} (Working Together "
                f"2023); this one became known on {became_aware:%d/%m/%Y}. Check the date and the reason."]
    return []


def child_warnings(children: Iterable[Any], returns: int = 0) -> list[str]:
    """Combinations that are rarely right, warned of (never refused): a looked-after child on a current child
    protection plan; a child known to no agency while agencies have returned what they knew."""
    out: list[str] = []
    for n, c in enumerate(children, start=1):
        who = c.pseudonym or f"Child {n}"
        if c.looked_after == Answer.YES and c.cp_plan == PlanStatus.CURRENT:
            out.append(f"{who} is recorded as looked after and on a current child protection plan, which is rarely "
                       "right: check both.")
        if c.known_to_services == Answer.NO and returns:
            out.append(f"{who} is recorded as known to no agency, yet {returns} agencies have returned what they "
                       "knew: check “Known to services”.")
    return out
