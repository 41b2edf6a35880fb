"""Who may do what in a register, and what the retention schedule has done to it: the register's users (a
SQLite register; a server's users are its logins and their role memberships), legal holds and the disposal log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bscp_desktop.models.base import Base, Versioned, utcnow


class RegisterUser(Versioned, Base):
    """A login this SQLite register knows, and its role. A login not listed opens the register as a viewer."""

    __tablename__ = "register_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    added_by: Mapped[str] = mapped_column(String(100), default="")
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LegalHold(Versioned, Base):
    """A hold on one record (an incident, an archive request, a review) for a public inquiry, litigation or a
    police request: while it is not lifted, the record cannot be disposed of."""

    __tablename__ = "legal_holds"
    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int]
    reason: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text, default="")
    placed_by: Mapped[str] = mapped_column(String(100))
    placed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    lifted_by: Mapped[str] = mapped_column(String(100), default="")
    lifted_at: Mapped[dt.datetime | None]
    lift_reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_legal_holds_entity", "entity", "entity_id"),)


class Disposal(Base):
    """One record whose personal content was disposed of under the retention schedule: what class of record, its
    reference, the rule applied, who approved it and when. Never edited."""

    __tablename__ = "disposal_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_class: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int]
    reference: Mapped[str] = mapped_column(String(60))
    rule: Mapped[str] = mapped_column(String(200))
    approved_by: Mapped[str] = mapped_column(String(100))
    disposed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_disposal_log_record", "record_class", "entity_id", unique=True),)
