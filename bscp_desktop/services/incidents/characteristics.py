"""The children notified, by the characteristics the DfE's statistics on serious incident notifications
publish: harm, sex, age group, ethnicity, looked after and child protection plan, per financial year of the
notification (1 April to 31 March), beside the number of notifications. One notification can cover several
children, so the two counts differ: both are given."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from bscp_desktop.domain.case_numbers import financial_year_bounds, financial_year_label, financial_year_start
from bscp_desktop.domain.vocab import AGE_BANDS, HARMS, SEXES, Answer, PlanStatus
from bscp_desktop.services.core.base import Manager

NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class Breakdown:
    """One characteristic: each value's label and its count of children per year (in ``years``' order)."""

    characteristic: str
    values: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class ChildrenNotified:
    """Notifications and children per financial year, and the children by characteristic."""

    years: tuple[int, ...]  # first calendar year of each financial year, oldest first
    notifications: tuple[int, ...]
    children: tuple[int, ...]
    breakdowns: tuple[Breakdown, ...] = field(default=())

    @property
    def labels(self) -> list[str]:
        """The years as "2025-26"."""
        return [financial_year_label(y) for y in self.years]


def _label(vocabulary: dict[str, str], value: str) -> str:
    return vocabulary.get(value, value) if value else NOT_RECORDED


# characteristic → (the child's column, how its stored value reads, the values in the order listed)
_CHARACTERISTICS: dict[str, tuple[str, Callable[[str], str], tuple[str, ...]]] = {
    "Harm": ("harm", lambda v: _label(HARMS, v), tuple(HARMS.values())),
    "Sex": ("sex", lambda v: v.capitalize() if v else NOT_RECORDED, tuple(s.capitalize() for s in SEXES)),
    "Age group": ("age_band", lambda v: v or NOT_RECORDED, AGE_BANDS),
    "Ethnicity": ("ethnicity", lambda v: v or NOT_RECORDED, ()),
    "Looked after": ("looked_after", lambda v: _label(Answer.labels(), v), tuple(a.label for a in Answer)),
    "Child protection plan": ("cp_plan", lambda v: _label(PlanStatus.labels(), v), tuple(p.label for p in PlanStatus)),
}


class CharacteristicsManager(Manager):
    """Counts of children notified, by characteristic and year."""

    def children_notified(self, last_year: int, years: int = 10) -> ChildrenNotified:
        """The ``years`` financial years ending with the one that starts in ``last_year``."""
        from bscp_desktop.models import Incident, IncidentChild

        span = tuple(range(last_year - years + 1, last_year + 1))
        lo, hi = financial_year_bounds(span[0])[0], financial_year_bounds(span[-1])[1]
        columns = [getattr(IncidentChild, col) for col, _, _ in _CHARACTERISTICS.values()]
        notifications: Counter[int] = Counter()
        children: Counter[int] = Counter()
        counts: dict[str, Counter[tuple[str, int]]] = {name: Counter() for name in _CHARACTERISTICS}
        with self.db.read() as s:
            for (notified,) in s.execute(select(Incident.notified_date).where(Incident.notified_date.between(lo, hi))):
                assert notified is not None  # the WHERE clause compares it
                notifications[financial_year_start(notified)] += 1
            for notified, *values in s.execute(
                select(Incident.notified_date, *columns).join(IncidentChild, IncidentChild.incident_id == Incident.id)
                .where(Incident.notified_date.between(lo, hi))
            ):
                assert notified is not None
                fy = financial_year_start(notified)
                children[fy] += 1
                for (name, (_, read, _)), value in zip(_CHARACTERISTICS.items(), values, strict=True):
                    counts[name][(read(value or ""), fy)] += 1
        breakdowns = []
        for name, (_, _, order) in _CHARACTERISTICS.items():
            seen = {label for label, _ in counts[name]}
            labels = [v for v in order if v in seen] + sorted(seen - set(order) - {NOT_RECORDED}) + (
                [NOT_RECORDED] if NOT_RECORDED in seen and NOT_RECORDED not in order else [])
            breakdowns.append(Breakdown(name, tuple((label, tuple(counts[name][(label, y)] for y in span))
                                                    for label in labels)))
        return ChildrenNotified(span, tuple(notifications[y] for y in span), tuple(children[y] for y in span),
                                tuple(breakdowns))


__all__ = ["NOT_RECORDED", "Breakdown", "CharacteristicsManager", "ChildrenNotified"]
