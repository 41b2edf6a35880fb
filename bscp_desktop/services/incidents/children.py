"""The children an incident's notification covers: what the form and the import collect for each, what the
incident shows, and the rules each child's details must keep (each message names the child and the field)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bscp_desktop.domain.vocab import AGE_BANDS, HARMS, SEXES, Answer, PlanStatus
from bscp_desktop.services.core.errors import Checker
from bscp_desktop.util.text import identifier

if TYPE_CHECKING:
    from bscp_desktop.models import Incident, IncidentChild

# The most children one notification may list (the Panel's online form takes four; more go on as a list).
MAX_CHILDREN = 20
CHARACTERISTICS = ("disability", "looked_after", "cp_plan", "cin_plan", "known_to_services")
_ANSWER_FIELDS = {"disability": "Disability", "looked_after": "Looked after", "known_to_services": "Known to services"}
_PLAN_FIELDS = {"cp_plan": "Child protection plan", "cin_plan": "Child in need plan"}
CHILD_FIELDS = ["pseudonym", "harm", "age_band", "sex", "ethnicity", *CHARACTERISTICS, "home_local_authority"]


@dataclass(frozen=True)
class ChildInput:
    """One child as the form collects it: a pseudonym, never a name, and the characteristics the Panel and the
    DfE's statistics describe ("not known" where the unit does not know)."""

    pseudonym: str
    harm: str
    age_band: str = ""
    sex: str = ""
    ethnicity: str = ""
    disability: str = Answer.NOT_KNOWN
    looked_after: str = Answer.NOT_KNOWN
    cp_plan: str = PlanStatus.NOT_KNOWN
    cin_plan: str = PlanStatus.NOT_KNOWN
    known_to_services: str = Answer.NOT_KNOWN
    home_local_authority: str = ""  # "" when it is the authority where the incident happened

    def cleaned(self) -> ChildInput:
        """The same child with its pseudonym in the form it is stored and compared in (``text.identifier``) and
        its free text trimmed."""
        return replace(self, pseudonym=identifier(self.pseudonym), ethnicity=self.ethnicity.strip(),
                       home_local_authority=self.home_local_authority.strip())


@dataclass(frozen=True)
class ChildView:
    """A child of an incident, detached from the database."""

    id: int
    position: int
    pseudonym: str
    harm: str
    age_band: str
    sex: str
    ethnicity: str
    disability: str
    looked_after: str
    cp_plan: str
    cin_plan: str
    known_to_services: str
    home_local_authority: str

    def as_input(self) -> ChildInput:
        """The child as the form edits it."""
        return ChildInput(self.pseudonym, self.harm, self.age_band, self.sex, self.ethnicity, self.disability,
                          self.looked_after, self.cp_plan, self.cin_plan, self.known_to_services,
                          self.home_local_authority)


def check_children(c: Checker, children: tuple[ChildInput, ...]) -> None:
    """Add to ``c`` every rule the children break: at least one, at most ``MAX_CHILDREN``, pseudonyms unique
    within the incident, and each child's fields from their vocabularies. Messages name the child
    ("Child 2 pseudonym") when there is more than one."""
    if not c.require(bool(children), "Children", "record at least one child"):
        return
    c.require(len(children) <= MAX_CHILDREN, "Children", f"at most {MAX_CHILDREN} children on one notification")
    seen: set[str] = set()
    for n, child in enumerate(children, start=1):
        label = f"Child {n} " if len(children) > 1 else ""
        name = identifier(child.pseudonym)  # "Child\u200bA" is "Child A": a duplicate, however typed
        c.require(bool(name), f"{label}pseudonym".capitalize(),
                  "is required: use a pseudonym such as 'Child A', never a real name")
        c.require(len(name) <= 100, f"{label}pseudonym".capitalize(), "must be at most 100 characters")
        if name:
            key = name.casefold().replace(" ", "")  # "Child A", "child a", "ChildA": one child, however typed
            c.require(key not in seen, f"{label}pseudonym".capitalize(),
                      f"'{name}' is already used for another child of this incident")
            seen.add(key)
        c.require(child.harm in HARMS, f"{label}harm".capitalize(), f"must be one of: {', '.join(HARMS.values())}")
        c.require(child.age_band in ("", *AGE_BANDS), f"{label}age band".capitalize(),
                  f"must be one of: {', '.join(AGE_BANDS)}")
        c.require(child.sex in ("", *SEXES), f"{label}sex".capitalize(), f"must be one of: {', '.join(SEXES)}")
        c.require(len(child.ethnicity.strip()) <= 100, f"{label}ethnicity".capitalize(),
                  "must be at most 100 characters")
        c.require(len(child.home_local_authority.strip()) <= 100, f"{label}home local authority".capitalize(),
                  "must be at most 100 characters")
        for field, shown in _ANSWER_FIELDS.items():
            c.require(getattr(child, field) in Answer.labels(), f"{label}{shown.lower()}".capitalize(),
                      f"must be one of: {', '.join(a.label for a in Answer)}")
        for field, shown in _PLAN_FIELDS.items():
            c.require(getattr(child, field) in PlanStatus.labels(), f"{label}{shown.lower()}".capitalize(),
                      f"must be one of: {', '.join(p.label for p in PlanStatus)}")


def set_children(inc: Incident, children: tuple[ChildInput, ...]) -> None:
    """Make ``inc``'s children exactly ``children`` in that order (rows kept by position, so a child edited in
    place keeps its id), and its pseudonym, harm and count their summary."""
    from bscp_desktop.models import IncidentChild

    existing = {ch.position: ch for ch in inc.children}
    kept: list[IncidentChild] = []
    for n, data in enumerate(children, start=1):
        row = existing.get(n) or IncidentChild(position=n)
        for field in CHILD_FIELDS:
            setattr(row, field, getattr(data.cleaned(), field))
        kept.append(row)
    inc.children = kept
    inc.pseudonym = kept[0].pseudonym
    inc.harm = "died" if any(ch.harm == "died" for ch in kept) else "seriously harmed"
    inc.child_count = len(kept)


def child_view(ch: IncidentChild) -> ChildView:
    """``ch`` detached."""
    return ChildView(ch.id, ch.position, ch.pseudonym, ch.harm, ch.age_band, ch.sex, ch.ethnicity, ch.disability,
                     ch.looked_after, ch.cp_plan, ch.cin_plan, ch.known_to_services, ch.home_local_authority)


def children_label(pseudonym: str, count: int) -> str:
    """How a register shows an incident's children: "Child A", or "Child A +2" when there are three."""
    return pseudonym if count <= 1 else f"{pseudonym} +{count - 1}"


__all__ = ["CHARACTERISTICS", "CHILD_FIELDS", "MAX_CHILDREN", "ChildInput", "ChildView", "check_children",
           "child_view", "children_label", "set_children"]
