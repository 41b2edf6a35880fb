"""Hostile values through every service method that takes them: empty and blank text, spreadsheet formulas,
broken Unicode, dates at the ends of the calendar, numbers too big for a column. Each call is refused with a
typed error or accepted whole; anything else (a crash, a half-written change) is a fault. Used by
``benchmarks/faults.py`` and its tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa

from bscp_desktop.domain.vocab import ChecklistStep, HoldReason, PublicationHoldKind
from bscp_desktop.services import ConflictError, NotFound, Services, ValidationError
from bscp_desktop.services.catalogue.requests import RequestInput
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.reviews.actions import ActionInput
from bscp_desktop.services.reviews.publication_holds import PublicationHoldInput
from bscp_desktop.services.reviews.reviews import ReviewInput
from bscp_desktop.store.errors import ValueRefused

TODAY = dt.date(2026, 11, 20)
REFUSALS = (ValidationError, NotFound, ConflictError, ValueRefused)
Figures = dict[str, int]


HOSTILE_TEXT = ("", "   ", "=HYPERLINK(\"http://example.invalid\",\"x\")", "+1", "@SUM(A1)", "\udc80 broken",
                "x" * 100_000, "nul\x00byte", "line\r\nbreak", "Robert'); DROP TABLE incidents;--", "\u202eright",
                "日本語 ✓")
HOSTILE_DATES = (dt.date.min, dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(1989, 12, 31), dt.date.max,
                 TODAY + dt.timedelta(days=1), None)
HOSTILE_INTS = (0, -1, 2**31, 2**63 - 1, -(2**63))


def hostile_values(hint: Any) -> tuple[Any, ...]:
    """Values of type ``hint`` that a form, a file or a careless caller could pass."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return (*(v for a in args if a is not type(None) for v in hostile_values(a)), None)
    if hint is str:
        return HOSTILE_TEXT
    if hint is dt.date:
        return tuple(d for d in HOSTILE_DATES if d is not None)
    if hint is bool:
        return (True, False)
    if hint is int:
        return HOSTILE_INTS
    if origin in (tuple, list):
        item = args[0] if args else int
        made = tuple(hostile_values(item)[:3])
        return (origin(), origin(made), origin((made[0],) * 200)) if made else (origin(),)
    return ()


def variants(value: Any, hint: Any) -> Iterator[Any]:
    """``value`` with one part replaced by a hostile value: each field in turn of a dataclass."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        hints = typing.get_type_hints(type(value))
        for f in dataclasses.fields(value):
            for bad in hostile_values(hints[f.name]):
                yield dataclasses.replace(value, **{f.name: bad})
    else:
        yield from hostile_values(hint)


def fingerprint(svc: Services) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: a refused write must leave it unchanged."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with svc.db.engine.connect() as c:
        for table in sa.inspect(c).get_table_names():
            out[table] = sorted(tuple(map(repr, r)) for r in c.execute(sa.text(f'SELECT * FROM "{table}"')))
    return out


def fuzz_targets(svc: Services, tag: str = "") -> list[tuple[str, Callable[..., Any], tuple[Any, ...]]]:
    """The writes the forms make, each with arguments that succeed (fresh records made for them; ``tag`` tells
    apart the names of a second set made in the same register)."""
    inc = svc.incidents.register(IncidentInput("Child F", "died", dt.date(2026, 11, 2))).value
    agency = svc.reference_lists.agencies()[0]
    review = svc.reviews.commission([inc.id], ReviewInput("lcspr", "Child F review", dt.date(2026, 11, 10))).value
    rec = svc.actions.add_recommendation(review.id, "Share the learning").value
    action = svc.actions.add(rec.id, ActionInput("Train the teams", agency.id, due_date=dt.date(2027, 3, 1))).value
    published = [r.id for r in svc.catalogue.entries()[:1]]
    request = svc.requests.log(RequestInput(dt.date(2026, 11, 12), "A Researcher", "a@example.org",
                                            tuple(published))).value
    theme = svc.themes.add(f"Fuzzed theme{tag}").value
    inc = svc.incidents.get(inc.id)  # as it stands once the review covers it (its stage, so its version, moved)
    return [
        ("incidents.register", svc.incidents.register, (IncidentInput("Child G", "died", dt.date(2026, 11, 2)),)),
        ("incidents.update", svc.incidents.update, (inc.id, inc.version, IncidentInput("Child F", "died",
                                                                                      dt.date(2026, 11, 2)))),
        ("incidents.record_notification", svc.incidents.record_notification,
         (inc.id, inc.version, dt.date(2026, 11, 3), "NP-1")),
        ("incidents.close", svc.incidents.close, (inc.id, inc.version, dt.date(2026, 11, 4), "Duplicate")),
        ("reviews.commission", svc.reviews.commission, ([inc.id], ReviewInput("lcspr", "T", dt.date(2026, 11, 10)))),
        ("reviews.update", svc.reviews.update, (review.id, review.version, ReviewInput("lcspr", "T",
                                                                                      dt.date(2026, 11, 10)))),
        ("reviews.record_not_published", svc.reviews.record_not_published, (review.id, review.version, "Reason")),
        ("actions.add_recommendation", svc.actions.add_recommendation, (review.id, "Learning")),
        ("actions.add", svc.actions.add, (rec.id, ActionInput("Do it", agency.id))),
        ("actions.update", svc.actions.update, (action.id, action.version, ActionInput("Do it", agency.id))),
        ("requests.log", svc.requests.log, (RequestInput(dt.date(2026, 11, 12), "R", "r@example.org",
                                                         tuple(published)),)),
        ("requests.decline", svc.requests.decline, (request.id, request.version, dt.date(2026, 11, 13), "No")),
        ("themes.add", svc.themes.add, (f"Another theme{tag}",)),
        ("themes.update", svc.themes.update, (theme.id, 1, f"Renamed theme{tag}")),  # a new theme is version 1
        ("reference.save_agency", svc.reference_lists.save_agency, (None, None, f"New agency{tag}")),
        ("settings.add_closure", svc.settings.add_closure, (dt.date(2026, 12, 29), "Office closed")),
        ("publication_holds.add", svc.publication_holds.add,
         (review.id, review.version, PublicationHoldInput(PublicationHoldKind.INQUEST, dt.date(2026, 11, 12), None, "Inquest"))),
        ("checklist.record", svc.checklist.record, (review.id, ChecklistStep.FAMILY, dt.date(2026, 11, 12), "Met")),
        ("panel_notices.record_told", svc.panel_notices.record_told,
         (review.id, review.version, dt.date(2026, 11, 12), "The family asked for time")),
        ("retention.place_legal_hold", svc.retention.place_legal_hold, ("incident", inc.id, HoldReason.INQUIRY, "An inquiry")),
    ]


def service_fuzz(svc: Services, limit: int | None = None) -> tuple[Figures, list[str]]:
    """Call every target with one argument (or one field of it) hostile at a time."""
    figures = {"calls": 0, "accepted": 0, "refused": 0, "unexpected errors": 0, "half-written": 0}
    faults: list[str] = []
    for name, method, good in fuzz_targets(svc):
        hints = typing.get_type_hints(method)
        params = list(hints)[:len(good)]
        calls = [(i, bad) for i, (param, value) in enumerate(zip(params, good, strict=True))
                 for bad in variants(value, hints[param])]
        for i, bad in calls[:limit]:
            args = (*good[:i], bad, *good[i + 1:])
            before = fingerprint(svc)
            figures["calls"] += 1
            try:
                method(*args)
                figures["accepted"] += 1
            except REFUSALS:
                figures["refused"] += 1
                if fingerprint(svc) != before:
                    figures["half-written"] += 1
                    faults.append(f"half-written: {name} with argument {i} = {bad!r:.80}")
            except Exception as e:  # noqa: BLE001 - counted: the fault this probe looks for
                figures["unexpected errors"] += 1
                faults.append(f"{type(e).__name__} from {name} with argument {i} = {bad!r:.80}: {e!s:.200}")
    return figures, faults


# -- export injection ------------------------------------------------------------------------------------------
