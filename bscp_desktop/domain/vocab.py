"""The fixed vocabularies of the register: the stored codes as ``StrEnum`` members (each equal to the text
stored, so no migration follows from using them) and the labels shown for them. Every status and kind in the
program is written through these, never as a literal."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

HARMS = {"died": "Died", "seriously harmed": "Seriously harmed"}

CATEGORIES = {"physical": "Physical abuse", "emotional": "Emotional abuse", "sexual": "Sexual abuse",
              "neglect": "Neglect"}

AGE_BANDS = ("under 1", "1-4", "5-9", "10-15", "16-17", "18-20", "21-24", "not known")
ADULT_AGE_BANDS = ("18-20", "21-24")  # a care leaver's, up to and including 24: never a child's
CHILD_AGE_BANDS = ("under 1", "1-4", "5-9", "10-15", "16-17")
UNDER_16_AGE_BANDS = ("under 1", "1-4", "5-9", "10-15")  # never a care leaver's

SEXES = ("female", "male", "not known")

# What the ethnicity field suggests (staff may type another description, as their register records it).
ETHNICITIES = ("White British", "White Other", "Asian or Asian British – Pakistani", "Asian or Asian British – Indian",
               "Asian or Asian British – Bangladeshi", "Black or Black British – Caribbean",
               "Black or Black British – African", "Mixed – White and Black Caribbean", "Other ethnic group",
               "Not known")


class Vocabulary(StrEnum):
    """A vocabulary: each member is the text stored (``NAME = "stored", "Label shown"``) and carries its label."""

    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def of(cls, stored: str) -> Self:
        """The member whose stored text is ``stored`` (``ValueError`` for text that is none of them)."""
        try:
            return cls._value2member_map_[str(stored)]  # type: ignore[return-value]
        except KeyError:
            raise ValueError(f"{stored!r} is not a {cls.__name__}") from None

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Stored text → label, in the vocabulary's order (what combo boxes and reports list)."""
        return {member: member.label for member in cls}


class Stage(Vocabulary):
    """An incident's lifecycle stage, in order; the services keep ``Incident.stage`` to one of these."""

    NOTIFICATION = "notification", "Awaiting notification"
    RAPID_REVIEW = "rapid-review", "Rapid Review"
    DECISION = "decision", "Awaiting decision"
    COMMISSIONING = "commissioning", "Review to commission"
    REVIEW = "review", "Review in progress"
    NO_REVIEW = "no-review", "No review"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed"


STAGES = Stage.labels()


class Decision(Vocabulary):
    """The partnership's decision after a Rapid Review."""

    LCSPR = "lcspr", "Undertake an LCSPR"
    OTHER_REVIEW = "other-review", "Another review (single-agency, thematic, DHR)"
    NO_REVIEW = "no-review", "No local review"


DECISIONS = Decision.labels()


class ReviewKind(Vocabulary):
    """What kind of review a review is."""

    LCSPR = "lcspr", "LCSPR"
    SCR = "scr", "Serious Case Review"
    DHR = "dhr", "Domestic Homicide Review"
    THEMATIC = "thematic", "Thematic review"
    OTHER = "other", "Other review"


REVIEW_KINDS = ReviewKind.labels()

# Kinds to which the six-month LCSPR publication target applies.
PUBLICATION_TARGET_KINDS = (ReviewKind.LCSPR, ReviewKind.THEMATIC)


class ReviewStatus(Vocabulary):
    """Where a review is between commissioning and publication."""

    COMMISSIONED = "commissioned", "Commissioned"
    FINAL_REPORT = "final-report", "Final report received"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Not published"
    CLOSED = "closed", "Closed"

    @property
    def has_clocks(self) -> bool:
        """False for a review not to be published or closed: none of its clocks runs any more."""
        return self not in (ReviewStatus.UNPUBLISHED, ReviewStatus.CLOSED)


REVIEW_STATUSES = ReviewStatus.labels()


class CatalogueStatus(StrEnum):
    """Where a review stands in the public catalogue: on the website, archived (off it, available on request),
    or not published."""

    PUBLISHED = "published"
    ARCHIVED = "archived"
    UNPUBLISHED = "unpublished"


class DocumentKind(Vocabulary):
    """What a stored document is."""

    REPORT = "report", "Report"
    BRIEFING_NOTE = "briefing-note", "Briefing note"
    PRESENTATION = "presentation", "Presentation"
    PRESS_STATEMENT = "press-statement", "Press statement"
    EVIDENCE = "evidence", "Evidence"
    OTHER = "other", "Other"


DOCUMENT_KINDS = DocumentKind.labels()

REQUEST_CHANNELS = ("e-mail", "letter", "telephone", "in person", "website form")


class RequestStatus(Vocabulary):
    """Where an archive request is; fulfilled, declined and withdrawn are final."""

    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    CONSIDERING = "considering", "Under consideration"
    FULFILLED = "fulfilled", "Fulfilled"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"

    @property
    def finished(self) -> bool:
        """True once the request is answered or withdrawn: its clock has stopped."""
        return self in FINISHED_REQUESTS


FINISHED_REQUESTS = (RequestStatus.FULFILLED, RequestStatus.DECLINED, RequestStatus.WITHDRAWN)

REQUEST_STATUSES = RequestStatus.labels()

# Allowed moves between request statuses.
REQUEST_TRANSITIONS: dict[str, tuple[RequestStatus, ...]] = {
    RequestStatus.RECEIVED: (RequestStatus.ACKNOWLEDGED, RequestStatus.CONSIDERING, *FINISHED_REQUESTS),
    RequestStatus.ACKNOWLEDGED: (RequestStatus.CONSIDERING, *FINISHED_REQUESTS),
    RequestStatus.CONSIDERING: FINISHED_REQUESTS,
    RequestStatus.FULFILLED: (),
    RequestStatus.DECLINED: (),
    RequestStatus.WITHDRAWN: (),
}


class ActionStatus(Vocabulary):
    """Where an agency action is; completed, assured and not accepted are finished."""

    NOT_STARTED = "not started", "Not started"
    IN_PROGRESS = "in progress", "In progress"
    COMPLETED = "completed", "Completed"
    ASSURED = "assured", "Assured"
    NOT_ACCEPTED = "not accepted", "Not accepted"

    @property
    def finished(self) -> bool:
        """True once the action is done or declined: it can no longer be overdue."""
        return self in ACTION_DONE


ACTION_STATUSES = ActionStatus.labels()
# An action is finished (no longer overdue) once completed, assured, or not accepted.
ACTION_DONE = (ActionStatus.COMPLETED, ActionStatus.ASSURED, ActionStatus.NOT_ACCEPTED)
RECOMMENDATION_SCOPES = {"local": "Local", "national": "National"}


class Role(Vocabulary):
    """What a user may do in a register, from least to most: each role can do everything the one before can."""

    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"
    ADMIN = "admin", "Administrator"

    @property
    def rank(self) -> int:
        """0 for a viewer, 1 for an editor, 2 for an administrator."""
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """True when this role may do what ``needed`` may."""
        return self.rank >= needed.rank

    @property
    def article(self) -> str:
        """"a viewer", "an editor", "an administrator"."""
        return f"{'an' if self.label[0] in 'AEIOU' else 'a'} {self.label.lower()}"


ROLES = Role.labels()


class RecordClass(Vocabulary):
    """A class of record the retention schedule covers, as the disposal log names it."""

    INCIDENT = "incident", "Incident with no review"
    REQUEST = "request", "Archive request and its correspondence"


class PublicationHoldKind(Vocabulary):
    """Why a review's publication is held: parallel proceedings must finish first."""

    CRIMINAL = "criminal", "Criminal proceedings"
    INQUEST = "inquest", "Inquest"
    FAMILY = "family", "Family proceedings"
    OTHER = "other", "Other"


class ChecklistStep(Vocabulary):
    """A step of the pre-publication checklist, in the order the unit works through it."""

    FAMILY = "family", "Family informed and offered a say"
    ANONYMISED = "anonymised", "Report anonymised and checked"
    PARTNERS = "partners", "The three safeguarding partners agreed to publish"
    ADVANCE_COPY = "advance-copy", "Advance copy sent to the Panel and the Secretary of State"
    DOCUMENTS = "documents", "Briefing note and presentation stored"
    ACCESSIBILITY = "accessibility", "Published PDF checked for accessibility"
    PRESS = "press", "Press statement ready"
    REPOSITORY = "repository", "Sent to the NSPCC National Case Review Repository"

    @property
    def recorded(self) -> bool:
        """True for a step staff record (with its date); the others are read from the review and its files."""
        return self in (ChecklistStep.FAMILY, ChecklistStep.ANONYMISED, ChecklistStep.PARTNERS,
                        ChecklistStep.PRESS, ChecklistStep.REPOSITORY)

    @property
    def before_publication(self) -> bool:
        """True for a step that must be done before publication is recorded (the repository comes after)."""
        return self is not ChecklistStep.REPOSITORY


class HoldReason(Vocabulary):
    """Why a record is under legal hold (disposal is blocked while it is)."""

    INQUIRY = "inquiry", "Public inquiry"
    LITIGATION = "litigation", "Litigation"
    POLICE = "police", "Police request"
    OTHER = "other", "Other"


HOLD_REASONS = HoldReason.labels()


class NotificationReason(Vocabulary):
    """Why the local authority notified the National Panel of an incident."""

    SERIOUS_INCIDENT = "serious-incident", "Serious incident (abuse or neglect known or suspected)"
    LOOKED_AFTER_DEATH = "looked-after-death", "Death of a looked-after child"
    CARE_LEAVER_DEATH = "care-leaver-death", "Death of a care leaver (up to and including 24)"


class IncidentLocation(Vocabulary):
    """Where the incident happened, as the notification asks: the duty covers a child normally resident in the
    area who dies or is seriously harmed outside England too."""

    IN_AREA = "in-area", "In the local authority's area"
    ELSEWHERE_IN_ENGLAND = "elsewhere-in-england", "Elsewhere in England"
    OUTSIDE_ENGLAND = "outside-england", "Outside England"


class LocationType(Vocabulary):
    """The kind of place where the incident happened, as the Panel's notification form asks."""

    FAMILY_HOME = "family-home", "The child's or family's home"
    OTHER_HOME = "other-home", "Another home (a relative's, a friend's, a carer's)"
    RESIDENTIAL = "residential", "Children's home or other residential setting"
    HOSPITAL = "hospital", "Hospital or health setting"
    SCHOOL = "school", "School, college or early years setting"
    PUBLIC = "public", "Public place"
    CUSTODY = "custody", "Custody or secure setting"
    OTHER = "other", "Other"
    NOT_KNOWN = "not-known", "Not known"


class Answer(Vocabulary):
    """A yes / no answer that may not be known (disability, looked after, known to services)."""

    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not known", "Not known"


class PlanStatus(Vocabulary):
    """Whether a child had a child protection plan (or a child in need plan) when the incident happened."""

    CURRENT = "current", "Current"
    PREVIOUS = "previous", "Previous"
    NEVER = "never", "Never"
    NOT_KNOWN = "not known", "Not known"


class Partner(Vocabulary):
    """The three statutory safeguarding partners who agree a Rapid Review before it is sent, in the order the
    sign-off table lists them."""

    LOCAL_AUTHORITY = "local-authority", "Local authority"
    ICB = "icb", "Integrated care board"
    POLICE = "police", "Chief officer of police"


class PanelReply(Vocabulary):
    """What the National Panel said about a Rapid Review."""

    AGREES = "agrees", "Agrees with the decision"
    DISAGREES = "disagrees", "Disagrees with the decision"
    MORE_INFORMATION = "more-information", "Asks for more information"


class NationalImportance(Vocabulary):
    """The partners' view of whether a case may raise issues of national importance (a national review)."""

    NOT_DECIDED = "", "Not yet decided"
    YES = "yes", "May raise issues of national importance"
    NO = "no", "Does not raise issues of national importance"
