"""The fixed vocabularies of the register: the stored codes as ``StrEnum`` members (each equal to the text
stored, so no migration follows from using them) and the labels shown for them. Every status and kind in the
program is written through these, never as a literal."""

from __future__ import annotations

from enum import StrEnum

HARMS = {"died": "Died", "seriously harmed": "Seriously harmed"}

CATEGORIES = {"physical": "Physical abuse", "emotional": "Emotional abuse", "sexual": "Sexual abuse",
              "neglect": "Neglect"}

AGE_BANDS = ("under 1", "1-4", "5-9", "10-15", "16-17", "not known")

SEXES = ("female", "male", "not known")


class Stage(StrEnum):
    """An incident's lifecycle stage, in order; the services keep ``Incident.stage`` to one of these."""

    NOTIFICATION = "notification"
    RAPID_REVIEW = "rapid-review"
    DECISION = "decision"
    COMMISSIONING = "commissioning"
    REVIEW = "review"
    NO_REVIEW = "no-review"
    PUBLISHED = "published"
    CLOSED = "closed"


STAGES: dict[str, str] = {
    Stage.NOTIFICATION: "Awaiting notification",
    Stage.RAPID_REVIEW: "Rapid Review",
    Stage.DECISION: "Awaiting decision",
    Stage.COMMISSIONING: "Review to commission",
    Stage.REVIEW: "Review in progress",
    Stage.NO_REVIEW: "No review",
    Stage.PUBLISHED: "Published",
    Stage.CLOSED: "Closed",
}


class Decision(StrEnum):
    """The partnership's decision after a Rapid Review."""

    LCSPR = "lcspr"
    OTHER_REVIEW = "other-review"
    NO_REVIEW = "no-review"


DECISIONS: dict[str, str] = {
    Decision.LCSPR: "Undertake an LCSPR",
    Decision.OTHER_REVIEW: "Another review (single-agency, thematic, DHR)",
    Decision.NO_REVIEW: "No local review",
}


class ReviewKind(StrEnum):
    """What kind of review a review is."""

    LCSPR = "lcspr"
    SCR = "scr"
    DHR = "dhr"
    THEMATIC = "thematic"
    OTHER = "other"


REVIEW_KINDS: dict[str, str] = {ReviewKind.LCSPR: "LCSPR", ReviewKind.SCR: "Serious Case Review",
                ReviewKind.DHR: "Domestic Homicide Review", ReviewKind.THEMATIC: "Thematic review",
                ReviewKind.OTHER: "Other review"}

# Kinds to which the six-month LCSPR publication target applies.
PUBLICATION_TARGET_KINDS = (ReviewKind.LCSPR, ReviewKind.THEMATIC)


class ReviewStatus(StrEnum):
    """Where a review is between commissioning and publication."""

    COMMISSIONED = "commissioned"
    FINAL_REPORT = "final-report"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    CLOSED = "closed"

    @property
    def has_clocks(self) -> bool:
        """False for a review not to be published or closed: none of its clocks runs any more."""
        return self not in (ReviewStatus.UNPUBLISHED, ReviewStatus.CLOSED)


REVIEW_STATUSES: dict[str, str] = {
    ReviewStatus.COMMISSIONED: "Commissioned",
    ReviewStatus.FINAL_REPORT: "Final report received",
    ReviewStatus.PUBLISHED: "Published",
    ReviewStatus.UNPUBLISHED: "Not published",
    ReviewStatus.CLOSED: "Closed",
}


class CatalogueStatus(StrEnum):
    """Where a review stands in the public catalogue: on the website, archived (off it, available on request),
    or not published."""

    PUBLISHED = "published"
    ARCHIVED = "archived"
    UNPUBLISHED = "unpublished"


class DocumentKind(StrEnum):
    """What a stored document is."""

    REPORT = "report"
    BRIEFING_NOTE = "briefing-note"
    PRESENTATION = "presentation"
    PRESS_STATEMENT = "press-statement"
    EVIDENCE = "evidence"
    OTHER = "other"


DOCUMENT_KINDS: dict[str, str] = {DocumentKind.REPORT: "Report", DocumentKind.BRIEFING_NOTE: "Briefing note",
                  DocumentKind.PRESENTATION: "Presentation", DocumentKind.PRESS_STATEMENT: "Press statement",
                  DocumentKind.EVIDENCE: "Evidence", DocumentKind.OTHER: "Other"}

REQUEST_CHANNELS = ("e-mail", "letter", "telephone", "in person", "website form")


class RequestStatus(StrEnum):
    """Where an archive request is; fulfilled, declined and withdrawn are final."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    CONSIDERING = "considering"
    FULFILLED = "fulfilled"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def finished(self) -> bool:
        """True once the request is answered or withdrawn: its clock has stopped."""
        return self in FINISHED_REQUESTS


FINISHED_REQUESTS = (RequestStatus.FULFILLED, RequestStatus.DECLINED, RequestStatus.WITHDRAWN)

REQUEST_STATUSES: dict[str, str] = {
    RequestStatus.RECEIVED: "Received",
    RequestStatus.ACKNOWLEDGED: "Acknowledged",
    RequestStatus.CONSIDERING: "Under consideration",
    RequestStatus.FULFILLED: "Fulfilled",
    RequestStatus.DECLINED: "Declined",
    RequestStatus.WITHDRAWN: "Withdrawn",
}

# Allowed moves between request statuses.
REQUEST_TRANSITIONS: dict[str, tuple[RequestStatus, ...]] = {
    RequestStatus.RECEIVED: (RequestStatus.ACKNOWLEDGED, RequestStatus.CONSIDERING, *FINISHED_REQUESTS),
    RequestStatus.ACKNOWLEDGED: (RequestStatus.CONSIDERING, *FINISHED_REQUESTS),
    RequestStatus.CONSIDERING: FINISHED_REQUESTS,
    RequestStatus.FULFILLED: (),
    RequestStatus.DECLINED: (),
    RequestStatus.WITHDRAWN: (),
}


class ActionStatus(StrEnum):
    """Where an agency action is; completed, assured and not accepted are finished."""

    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETED = "completed"
    ASSURED = "assured"
    NOT_ACCEPTED = "not accepted"

    @property
    def finished(self) -> bool:
        """True once the action is done or declined: it can no longer be overdue."""
        return self in ACTION_DONE


ACTION_STATUSES: dict[str, str] = {
    ActionStatus.NOT_STARTED: "Not started",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.COMPLETED: "Completed",
    ActionStatus.ASSURED: "Assured",
    ActionStatus.NOT_ACCEPTED: "Not accepted",
}
# An action is finished (no longer overdue) once completed, assured, or not accepted.
ACTION_DONE = (ActionStatus.COMPLETED, ActionStatus.ASSURED, ActionStatus.NOT_ACCEPTED)
RECOMMENDATION_SCOPES = {"local": "Local", "national": "National"}
