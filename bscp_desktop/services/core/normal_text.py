"""Text is stored in one form, whichever way it came in (a form, an import, the command line): identifiers
(pseudonyms, references, logins, agencies' and themes' names) normalised by ``text.identifier``, every other text
without bidirectional controls (``text.without_bidi_controls``). ``normalise_session`` runs in every write
transaction's flush, before the audit entries of the flush are sealed, so what an entry's hash covers is what is
stored (existing entries are never touched). The services also compare their input in that form (a duplicate
pseudonym is found however it was typed); writes that insert rows directly (the import) normalise their input
themselves."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, inspect
from sqlalchemy.orm import Session

from bscp_desktop.models import (
    Agency,
    ArchiveRequest,
    Disposal,
    Incident,
    IncidentChild,
    PartnerAgreement,
    RegisterUser,
    Review,
    Theme,
)
from bscp_desktop.util.text import identifier, without_bidi_controls

IDENTIFIERS: dict[type[Any], tuple[str, ...]] = {
    Incident: ("pseudonym", "local_ref", "panel_reference"),
    IncidentChild: ("pseudonym",),
    Review: ("case_reference",),
    ArchiveRequest: ("reference",),
    Agency: ("name", "short_name"),
    Theme: ("name",),
    RegisterUser: ("login",),
    PartnerAgreement: ("name",),
    Disposal: ("reference",),
}

_TEXT: dict[type[Any], tuple[str, ...]] = {}


def text_attributes(model: type[Any]) -> tuple[str, ...]:
    """The attributes of ``model`` that hold text (worked out once per model)."""
    if (found := _TEXT.get(model)) is None:
        found = tuple(a.key for a in inspect(model).column_attrs if isinstance(a.columns[0].type, String))
        _TEXT[model] = found
    return found


def normalised(model: type[Any], key: str, value: str) -> str:
    """``value`` of ``model.key`` in the form it is stored in."""
    return identifier(value) if key in IDENTIFIERS.get(model, ()) else without_bidi_controls(value)


def normalise_session(session: Session, objects: Iterable[Any] | None = None) -> None:
    """Session hook: put the text of every new or changed row in its stored form (only values that change are
    set, so a row is not made dirty by it)."""
    for obj in objects if objects is not None else (*session.new, *session.dirty):
        model = type(obj)
        ids = IDENTIFIERS.get(model, ())
        loaded = inspect(obj).dict  # the values set or loaded: reading them loads nothing
        for key in text_attributes(model):
            value = loaded.get(key)
            if not isinstance(value, str) or (value.isascii() and key not in ids):
                continue  # plain ASCII narrative: nothing to change (nearly every value)
            stored = normalised(model, key, value)
            if stored != value:
                setattr(obj, key, stored)
