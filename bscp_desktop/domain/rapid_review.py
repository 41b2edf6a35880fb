"""The Rapid Review as data: the narrative sections of its report in Working Together 2023's order (each with the
field that holds it, the short name a form gives it, the heading the report prints and what it asks), the
criteria for a local review and their answers, and the parallel proceedings beside a case with their states.
The form, the service, the report and disposal all read these; none writes them again."""

from __future__ import annotations

from dataclasses import dataclass

from bscp_desktop.domain.vocab import PublicationHoldKind, Vocabulary


@dataclass(frozen=True)
class ReportSection:
    """A narrative section of the Rapid Review report."""

    field: str  # the RapidReview column
    label: str  # what the form calls it
    heading: str  # what the report prints above it
    asks: str  # what it should say (the form's placeholder)


SECTIONS = (
    ReportSection("facts", "Facts", "The facts, including agency involvement and an analysis of key practice episodes",
                  "the facts, including agency involvement and an analysis of key practice episodes"),
    ReportSection("immediate_action", "Immediate action", "Immediate action taken to keep children safe",
                  "any immediate action taken to keep children safe"),
    ReportSection("improvements", "Improvements to practice", "The potential for improvements to practice",
                  "the potential for improvements to practice"),
    ReportSection("lived_experience", "Lived experience",
                  "The child's lived experience, including racism and other inequalities such as disability",
                  "the child's lived experience, including racism and other inequalities such as disability"),
    ReportSection("views_sought", "Views sought", "How the child's and the family's views were sought",
                  "how the child's and the family's views were sought"),
)
LATE_REASON = ReportSection("late_reason", "Why late", "Why it was late", "if the report went after its due date: why")
# Every free text of a Rapid Review that names people or says what happened to them: disposal blanks these.
PERSONAL_TEXT = (*(s.field for s in SECTIONS), LATE_REASON.field, "decision_reasons", "immediate_learning",
                 "panel_view", "national_importance_reasons", "sent_without_sign_off")
MAX_SECTION = 20000


class ProceedingKind(Vocabulary):
    """A parallel proceeding the Rapid Review records once for the incident (Working Together 2023: the review
    runs beside them, and a published review may wait for them)."""

    POLICE = "police", "Police investigation"
    CORONER = "coroner", "Coroner and inquest"
    CHILD_DEATH_REVIEW = "child-death-review", "Child death review"
    FAMILY = "family", "Family proceedings"

    @property
    def hold_kind(self) -> PublicationHoldKind:
        """The publication hold the proceeding starts while it runs."""
        return {ProceedingKind.POLICE: PublicationHoldKind.CRIMINAL, ProceedingKind.CORONER: PublicationHoldKind.INQUEST,
                ProceedingKind.FAMILY: PublicationHoldKind.FAMILY}.get(self, PublicationHoldKind.OTHER)


class ProceedingState(Vocabulary):
    """Where a parallel proceeding stands, with the date that goes with it."""

    EXPECTED = "expected", "Expected"
    UNDER_WAY = "under-way", "Under way"
    CONCLUDED = "concluded", "Concluded"
    NONE = "none", "Not taking place"

    @property
    def date_label(self) -> str:
        """What the proceeding's date means in this state."""
        return {ProceedingState.EXPECTED: "Expected from", ProceedingState.UNDER_WAY: "Since",
                ProceedingState.CONCLUDED: "Concluded on"}.get(self, "Decided on")

    @property
    def running(self) -> bool:
        """True while the proceeding may still hold a review's publication."""
        return self in (ProceedingState.EXPECTED, ProceedingState.UNDER_WAY)


class LocalReviewCriterion(Vocabulary):
    """The criteria for a local child safeguarding practice review (Working Together 2023, chapter 5): the
    partners answer each, with reasons, so a decision of no local review is justified criterion by criterion."""

    IMPROVEMENTS = "improvements", ("Highlights improvements needed to safeguard and promote the welfare of "
                                    "children")
    RECURRENT_THEMES = "recurrent-themes", "Highlights recurrent themes in safeguarding and promoting welfare"
    AGENCIES_TOGETHER = "agencies-together", ("Highlights concerns about two or more organisations or agencies "
                                              "working together effectively")
    PANEL_LOCAL = "panel-local", "The Panel considered it and concluded a local review may be more appropriate"

    @property
    def short_label(self) -> str:
        """The criterion as a form's field names it."""
        return {LocalReviewCriterion.IMPROVEMENTS: "Improvements needed",
                LocalReviewCriterion.RECURRENT_THEMES: "Recurrent themes",
                LocalReviewCriterion.AGENCIES_TOGETHER: "Agencies working together",
                LocalReviewCriterion.PANEL_LOCAL: "Panel: better reviewed locally"}[self]


class CriterionAnswer(Vocabulary):
    """The partners' answer to one local-review criterion."""

    NOT_ANSWERED = "", "Not yet answered"
    MET = "met", "Met"
    NOT_MET = "not-met", "Not met"
