"""The declarative base every mapped class shares (its ``metadata`` is the schema's: ``bscp_desktop.schema``) and
the optimistic-locking mixin of every editable table. ``UTCDateTime`` and ``utcnow`` are the schema's, named here
too because the migrations written before the schema had its own package import them from here."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Table
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr

from bscp_desktop.schema.base import NAMING, UTCDateTime, metadata, utcnow

__all__ = ["NAMING", "Base", "UTCDateTime", "Versioned", "utcnow"]


class Base(DeclarativeBase):
    """Base of every mapped class; its ``metadata`` is what the migrations must match."""

    metadata = metadata
    __table__: ClassVar[Table]  # every mapped class here maps one table of ``bscp_desktop.schema``


class Versioned:
    """A ``version`` column used for optimistic locking: every UPDATE checks and bumps it, and the services
    compare it with the version the user loaded, raising ``ConflictError`` when someone saved in between."""

    version: Mapped[int]

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - declarative directive
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
