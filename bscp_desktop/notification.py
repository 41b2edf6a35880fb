"""Which clocks a notification starts, by its reason (Working Together 2023, chapter 5; the Panel's guidance).

Every notification has the notification clock. A serious incident and the death of a looked-after child also
need a Rapid Review; the death of a care leaver under 25 with no suspicion that abuse or neglect played a part
does not (the partnership may still choose to hold one). Pure functions: the services keep
``Incident.rapid_review_required`` to ``needs_rapid_review`` on every write, so clocks and registers read it
in SQL.
"""

from __future__ import annotations

from bscp_desktop.vocab import NotificationReason

NO_RAPID_REVIEW_WHY = ("The death of a care leaver under 25 with no suspicion of abuse or neglect is notified to "
                       "the Panel, but needs no Rapid Review: only the notification clock runs.")


def needs_rapid_review(reason: str, abuse_suspected: bool, chosen: bool = False) -> bool:
    """True when the Rapid Review clock runs for a notification of ``reason``: always, except the death of a
    care leaver with no suspicion of abuse or neglect, unless the partnership ``chose`` to hold one."""
    if chosen:
        return True
    return not (reason == NotificationReason.CARE_LEAVER_DEATH and not abuse_suspected)


def rapid_review_note(reason: str, abuse_suspected: bool, chosen: bool) -> str:
    """What the form says about the Rapid Review clock when the reason changes it ("" when it runs as usual)."""
    if reason != NotificationReason.CARE_LEAVER_DEATH or abuse_suspected:
        return ""
    if chosen:
        return ("The partnership chose to hold a Rapid Review that this care leaver's death does not need: "
                "its clock runs as usual.")
    return NO_RAPID_REVIEW_WHY
