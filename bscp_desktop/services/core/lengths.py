"""Text longer than its column may hold is refused, naming the field, before it reaches the database (SQLite
would store it; PostgreSQL refuses it with its own words). ``check_session`` runs in every write transaction's
flush, so no write path can forget it; ``too_long`` serves the writes that insert rows directly (an import)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import String, inspect
from sqlalchemy.orm import Session

from bscp_desktop.services.core.errors import Problem, ValidationError

_LIMITS: dict[type[Any], dict[str, int]] = {}


def limits(model: type[Any]) -> dict[str, int]:
    """Each text attribute of ``model`` that has a length limit, and the limit (worked out once per model)."""
    if (out := _LIMITS.get(model)) is None:
        out = {}
        for attr in inspect(model).column_attrs:
            column_type = attr.columns[0].type
            if isinstance(column_type, String) and column_type.length:
                out[attr.key] = column_type.length
        _LIMITS[model] = out
    return out


def label(attribute: str) -> str:
    """A field's name as a sentence starts it: ``local_authority`` → "Local authority"."""
    return attribute.replace("_", " ").capitalize()


def too_long(model: type[Any], values: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> list[Problem]:
    """A problem for each value longer than its column may hold, named by ``labels`` (or the attribute)."""
    problems = []
    for key, limit in limits(model).items():
        value = values.get(key)
        if isinstance(value, str) and len(value) > limit:
            name = (labels or {}).get(key) or label(key)
            problems.append(Problem(name, f"must be at most {limit:,} characters (it is {len(value):,})"))
    return problems


def check_session(session: Session, objects: Iterable[Any] | None = None) -> None:
    """Session hook: ``ValidationError`` for any new or changed row with text longer than its column allows."""
    problems: list[Problem] = []
    for obj in objects if objects is not None else (*session.new, *session.dirty):
        model = type(obj)
        if limits(model):
            loaded = inspect(obj).dict  # the values set or loaded: reading them loads nothing
            problems += too_long(model, {key: loaded.get(key) for key in limits(model)})
    if problems:
        raise ValidationError(problems)
