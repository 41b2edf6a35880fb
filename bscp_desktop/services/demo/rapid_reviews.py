"""The demo's children, notification reasons and Rapid Review workflow: two to four siblings on some
notifications, a looked-after child's death and care leavers' deaths, agency returns at every state (some
overdue), the partners' sign-off, the Panel's replies and each Rapid Review report's narrative. Every case and
child is fictional; each narrative sentence names its own case, so no sentence repeats across cases."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from bscp_desktop.domain.notification import CARE_LEAVER_DUTY_FROM, is_adult, needs_rapid_review
from bscp_desktop.domain.vocab import (
    CHILD_AGE_BANDS,
    ETHNICITIES,
    Answer,
    IncidentLocation,
    LocationType,
    NationalImportance,
    NotificationReason,
    PanelReply,
    Partner,
    PlanStatus,
)
from bscp_desktop.domain.working_days import WorkingCalendar
from bscp_desktop.services.demo.narrative import consistent, extras, involvement, names, proceedings

_SIGNATORIES = {
    Partner.LOCAL_AUTHORITY: (("Director of Children's Services 1", "Director of Children's Services"),
                              ("Assistant Director 2", "Assistant Director, Safeguarding")),
    Partner.ICB: (("Chief Nurse 1", "Chief Nursing Officer"), ("Designated Nurse 2", "Designated Nurse")),
    Partner.POLICE: (("Superintendent 1", "Head of Public Protection"), ("Chief Inspector 2", "Detective Chief Inspector")),
}
_ELSEWHERE = ("Fictional Town, Devon", "Fictional Village, Cumbria")
_ABROAD = ("Fictional Town, Wales", "a fictional resort, Spain")


def _panel_details(row: dict[str, Any]) -> dict[str, Any]:
    """Where and when it happened and the notifier (a generator of the case's own, so
    the main draws, and the cases a seed gives, stay as they were)."""
    rng = random.Random(row["id"] * 7919 + 13)
    roll = rng.random()
    location, place = IncidentLocation.IN_AREA, ""
    if roll < 0.03:
        location, place = IncidentLocation.OUTSIDE_ENGLAND, rng.choice(_ABROAD)
    elif roll < 0.08:
        location, place = IncidentLocation.ELSEWHERE_IN_ENGLAND, rng.choice(_ELSEWHERE)
    return {"location": location, "place": place, "location_type": rng.choice(list(LocationType)[:6]),
            "incident_time": f"{rng.randint(0, 23):02d}:{rng.choice((0, 15, 30, 45)):02d}" if roll > 0.5 else "",
            "case_outline": "",  # written once the children are drawn, naming each (``DemoRapidReviews.incident``)
            "notifier_name": "Fictional Duty Manager", "notifier_role": "Safeguarding lead",
            "notifier_phone": "0121 000 0000", "notifier_email": "notifications@example.org"}


_HOME_AUTHORITIES = ("Sandwell Metropolitan Borough Council", "Solihull Metropolitan Borough Council",
                     "Walsall Council", "Coventry City Council")
_EPISODES = ("the weeks after the birth", "a move between temporary addresses", "a referral that was closed after an "
             "initial assessment", "missed health appointments", "a period when the family was not registered with "
             "a GP", "a child protection conference that was postponed", "contact with the emergency department",
             "the start of the school year", "a police call-out to the home")
_ACTIONS = ("a strategy discussion was held the same day", "the siblings were placed with extended family",
            "a safety plan was agreed with the remaining parent", "health visiting contact was increased to weekly",
            "a child protection medical was arranged", "the family's housing was reviewed with the landlord")
_IMPROVEMENTS = ("information sharing between health and children's social care", "the recording of fathers and "
                 "other adults in the household", "the escalation of concerns when a referral is closed",
                 "safe sleep advice at every contact", "the use of interpreters in assessments",
                 "professional curiosity about injuries in non-mobile babies")
_NOTIFIED_FOR = {NotificationReason.SERIOUS_INCIDENT: "notified after a serious incident",
                 NotificationReason.LOOKED_AFTER_DEATH: "notified after the death of a looked-after child",
                 NotificationReason.CARE_LEAVER_DEATH: "notified after the death of a care leaver"}
_SETTINGS = ("at home", "at a relative's home", "in temporary accommodation", "in a foster placement",
             "in a supported lodging", "in a public place")
_LIVED = ("the family's experience of racism from neighbours", "poverty and insecure housing",
          "the mother's own experience of care", "language barriers with services",
          "the isolation of a family new to the city")


@dataclass
class DemoRapidReviews:
    """Rows for the demo's children, agency returns and partner agreements, and the Rapid Review fields each
    case adds, drawn from the demo's own random stream."""

    rng: random.Random
    cal: WorkingCalendar
    as_of: dt.date
    agency_ids: list[int]
    child_rows: list[dict[str, Any]] = field(default_factory=list)
    return_rows: list[dict[str, Any]] = field(default_factory=list)
    agreement_rows: list[dict[str, Any]] = field(default_factory=list)
    proceeding_rows: list[dict[str, Any]] = field(default_factory=list)
    children_of: dict[int, list[dict[str, Any]]] = field(default_factory=dict)

    def incident(self, row: dict[str, Any], k: int) -> None:
        """The reason for ``row``'s notification and its children (siblings on about one in twelve)."""
        rng = self.rng
        roll = rng.random()
        reason, suspected, leaver_age = NotificationReason.SERIOUS_INCIDENT, True, "16-17"
        if roll < 0.04:
            reason, suspected = NotificationReason.LOOKED_AFTER_DEATH, rng.random() < 0.5
        elif roll < 0.08:
            reason, suspected = NotificationReason.CARE_LEAVER_DEATH, rng.random() < 0.25
            leaver_age = rng.choice(("16-17", "18-20", "21-24", "21-24"))
            if row["became_aware"] < CARE_LEAVER_DUTY_FROM:  # not notifiable then: a looked-after child's death
                reason = NotificationReason.LOOKED_AFTER_DEATH
        count = 1 if reason != NotificationReason.SERIOUS_INCIDENT or rng.random() > 0.08 else rng.choice((2, 2, 3, 4))
        adult = reason == NotificationReason.CARE_LEAVER_DEATH and is_adult([leaver_age])
        row.update(notification_reason=reason, abuse_suspected=suspected, rapid_review_chosen=False,
                   rapid_review_required=needs_rapid_review(reason, suspected, False, adult), child_count=count)
        row.update(_panel_details(row))
        first_harm = "died" if reason != NotificationReason.SERIOUS_INCIDENT else row["harm"]
        row["harm"] = first_harm
        home = rng.choice(_HOME_AUTHORITIES) if rng.random() < 0.1 else ""
        ethnicity = rng.choice(ETHNICITIES)  # siblings share it
        for n in range(1, count + 1):
            looked_after = Answer.YES if reason != NotificationReason.SERIOUS_INCIDENT else rng.choices(
                (Answer.NO, Answer.YES, Answer.NOT_KNOWN), weights=(80, 12, 8))[0]
            age = (leaver_age if reason == NotificationReason.CARE_LEAVER_DEATH else
                   rng.choices(CHILD_AGE_BANDS, weights=(45, 20, 10, 15, 10))[0])
            self.child_rows.append({
                "incident_id": row["id"], "position": n,
                "pseudonym": row["pseudonym"] if n == 1 else f"{row['pseudonym']}{n}",
                "harm": first_harm if n == 1 else rng.choice(("seriously harmed", "seriously harmed", "died")),
                "age_band": age, "sex": rng.choice(("female", "male")), "ethnicity": ethnicity,
                "disability": rng.choices((Answer.NO, Answer.YES, Answer.NOT_KNOWN), weights=(75, 15, 10))[0],
                "looked_after": looked_after,
                "cp_plan": rng.choices(list(PlanStatus), weights=(20, 25, 45, 10))[0],
                "cin_plan": rng.choices(list(PlanStatus), weights=(15, 25, 50, 10))[0],
                "known_to_services": rng.choices((Answer.YES, Answer.NO, Answer.NOT_KNOWN), weights=(70, 20, 10))[0],
                "home_local_authority": home, "version": 1,
            })
            consistent(self.child_rows[-1], bool(row["rapid_review_required"]))
        children = self.children_of[row["id"]] = self.child_rows[-count:]
        row["case_outline"] = (f"{row['local_ref']}: a fictional outline of what happened to {names(children)}, for "
                               "the Panel (every demo case is fictional).")
        if count > 1:
            row["harm"] = "died" if any(c["harm"] == "died" for c in children) else "seriously harmed"
        who = names(children) + ("" if count == 1 else ", siblings")
        row["notes"] = (f"Fictional demo case {row['local_ref']}: {who}, "
                        f"{_NOTIFIED_FOR[reason]} {rng.choice(_SETTINGS)}.")

    def workflow(self, rr: dict[str, Any], ref: str, notified: dt.date, sent: dt.date | None,
                 meeting: dt.date | None) -> None:
        """Agency returns, sign-off and narrative of Rapid Review ``rr`` (``sent`` None: still being gathered
        as of the demo's date, so some returns are outstanding and some partners have yet to agree). The
        narrative names each child of the case and says nothing its children's table contradicts."""
        rng, cal = self.rng, self.cal
        children = self.children_of[rr["incident_id"]]
        name, were = names(children), "was" if len(children) == 1 else "were"
        own = random.Random(rr["incident_id"] * 7907 + 3)  # the case's own: the draws above stay as they were
        agencies = self._returns(rr, ref, notified, sent, meeting, own)
        self._sign_off(rr, notified, sent)
        episode, action = rng.choice(_EPISODES), rng.choice(_ACTIONS)
        rr["national_importance"] = NationalImportance.NOT_DECIDED if sent is None else (
            NationalImportance.NO if rng.random() < 0.9 else NationalImportance.YES)
        lived = rng.choice(_LIVED)
        disabled = [c for c in children if c["disability"] == Answer.YES]
        if disabled and own.random() < 0.6:  # only a child the table records as disabled
            lived = f"{names(disabled)}'s disability and the care it needed"
        rr.update(
            facts=(f"{name} ({ref}) {were} known to {len(agencies)} agencies. The key practice episode for {name} "
                   f"was {episode}, analysed at the meeting{f' on {meeting:%d/%m/%Y}' if meeting else ''}."),
            immediate_action=f"For {name} ({ref}), {action} once the local authority became aware.",
            improvements=f"{ref} shows scope to improve {rng.choice(_IMPROVEMENTS)}.",
            lived_experience=(f"In {ref}, {name}'s daily {'life was' if len(children) == 1 else 'lives were'} shaped "
                              f"by {lived}."),
            national_importance_reasons="" if sent is None else (
                f"The partners saw no national issue in {ref} beyond local learning." if rr_national_no(rr) else
                f"{ref} echoes {episode} seen in other areas' reviews; the partners ask the Panel to consider it."),
            panel_reply=(rng.choices(list(PanelReply), weights=(85, 5, 10))[0]
                         if rr.get("panel_response_date") else ""),
        )
        rr.update(extras(own, rr, children, ref, notified, sent, cal))
        self.proceeding_rows += proceedings(own, rr["incident_id"], children, notified, self.as_of)
        self._panel_view(rr, ref, episode)

    def _returns(self, rr: dict[str, Any], ref: str, notified: dt.date, sent: dt.date | None,
                 meeting: dt.date | None, own: random.Random) -> list[int]:
        """The agencies asked for their returns, each answered (with what it did) or still awaited."""
        rng, cal, children = self.rng, self.cal, self.children_of[rr["incident_id"]]
        agencies = rng.sample(self.agency_ids, k=min(len(self.agency_ids), rng.randint(3, 6)))
        for a in agencies:
            asked = cal.add(notified, rng.randint(0, 2))
            if asked > self.as_of:
                asked = notified
            due = cal.add(asked, rng.randint(2, 5) if rng.random() < 0.8 else rng.randint(6, 9))
            answered: dt.date | None = due
            if sent is not None:
                answered = min(due, meeting or sent)
            elif due > self.as_of or rng.random() < 0.3:
                answered = None
            self.return_rows.append({"rapid_review_id": rr["id"], "agency_id": a, "asked_on": asked,
                                     "answered_on": answered, "note": "", "version": 1,
                                     "involvement": involvement(own, children, ref) if answered else ""})
        return agencies

    def _sign_off(self, rr: dict[str, Any], notified: dt.date, sent: dt.date | None) -> None:
        """The partners who have agreed: all three once it was sent, up to two while it is gathered."""
        rng = self.rng
        partners = list(Partner) if sent is not None else list(Partner)[:rng.randint(0, 2)]
        for p in partners:
            who, role = rng.choice(_SIGNATORIES[p])
            agreed = max(notified, self.cal.add(sent or self.as_of, -rng.randint(0, 2)))
            self.agreement_rows.append({"rapid_review_id": rr["id"], "partner": p, "name": who, "role_title": role,
                                        "agreed_on": min(agreed, self.as_of), "version": 1})

    @staticmethod
    def _panel_view(rr: dict[str, Any], ref: str, episode: str) -> None:
        """What the Panel said, in words that fit its reply."""
        if rr.get("panel_reply") == PanelReply.AGREES:
            rr["panel_view"] = f"The Panel agrees with the partnership's decision on {ref}."
        elif rr.get("panel_reply") == PanelReply.MORE_INFORMATION:
            rr["panel_view"] = f"The Panel asks for more on {episode} in {ref}."
        elif rr.get("panel_reply") == PanelReply.DISAGREES:
            rr["panel_view"] = f"The Panel considers {ref} should be reviewed locally."


def rr_national_no(rr: dict[str, Any]) -> bool:
    """True when the demo Rapid Review's partners found no issue of national importance."""
    return rr.get("national_importance") != NationalImportance.YES
