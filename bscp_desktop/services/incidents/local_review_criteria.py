"""The criteria for a local child safeguarding practice review, answered one by one on the Rapid Review
(Working Together 2023, chapter 5): whether the case highlights improvements needed, recurrent themes, concerns
about two or more agencies working together, or is one the Panel thought better reviewed locally. Each answer
carries its reasons, so a decision of "no local review" is justified criterion by criterion: the decision is
refused until every criterion is answered with reasons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bscp_desktop.domain.rapid_review import CriterionAnswer, LocalReviewCriterion
from bscp_desktop.services.core.errors import Checker

MAX_REASONS = 4000


@dataclass(frozen=True)
class CriterionView:
    """One criterion with the partners' answer and reasons (``NOT_ANSWERED`` and "" until answered)."""

    criterion: LocalReviewCriterion
    answer: CriterionAnswer = CriterionAnswer.NOT_ANSWERED
    reasons: str = ""

    @property
    def answered(self) -> bool:
        """True when the criterion has an answer and its reasons."""
        return self.answer != CriterionAnswer.NOT_ANSWERED and bool(self.reasons.strip())


def criteria_of(stored: Mapping[str, Mapping[str, str]] | None) -> tuple[CriterionView, ...]:
    """Every criterion in the guidance's order, with what ``stored`` (the Rapid Review's column) answers."""
    stored = stored or {}
    out = []
    for criterion in LocalReviewCriterion:
        got = stored.get(criterion.value) or {}
        try:
            answer = CriterionAnswer.of(got.get("answer", ""))
        except ValueError:
            answer = CriterionAnswer.NOT_ANSWERED
        out.append(CriterionView(criterion, answer, str(got.get("reasons", ""))))
    return tuple(out)


def stored_criteria(answers: tuple[CriterionView, ...]) -> dict[str, dict[str, str]]:
    """What the column keeps of ``answers``: a criterion neither answered nor reasoned is left out."""
    return {str(a.criterion): {"answer": str(a.answer), "reasons": a.reasons.strip()}
            for a in answers if a.answer != CriterionAnswer.NOT_ANSWERED or a.reasons.strip()}


def check_answers(c: Checker, answers: tuple[CriterionView, ...]) -> None:
    """Each answer names a known criterion once, a known answer, reasons within the limit and, when answered,
    the reasons for it."""
    seen: set[str] = set()
    for a in answers:
        c.require(a.criterion in LocalReviewCriterion.labels(), "Local review criteria",
                  f"{a.criterion!r} is not one of the criteria")
        c.require(a.criterion not in seen, "Local review criteria", f"{a.criterion} is answered twice")
        seen.add(a.criterion)
        field = LocalReviewCriterion.of(a.criterion).short_label if a.criterion in LocalReviewCriterion.labels() \
            else "Local review criteria"
        c.require(a.answer in CriterionAnswer.labels(), field,
                  f"must be one of: {', '.join(x.label for x in CriterionAnswer)}")
        c.require(len(a.reasons.strip()) <= MAX_REASONS, f"{field} reasons", f"must be at most {MAX_REASONS:,} characters")
        if a.answer != CriterionAnswer.NOT_ANSWERED:
            c.require(bool(a.reasons.strip()), f"{field} reasons", "give the reasons for the answer")


def unanswered(stored: Mapping[str, Mapping[str, str]] | None) -> list[LocalReviewCriterion]:
    """The criteria not yet answered with reasons, in the guidance's order."""
    return [a.criterion for a in criteria_of(stored) if not a.answered]


__all__ = ["CriterionView", "check_answers", "criteria_of", "stored_criteria", "unanswered"]
