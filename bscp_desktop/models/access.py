"""Who may do what in a register, and what the retention schedule has done to it: the register's users (a
SQLite register; a server's users are its logins and their role memberships), legal holds and the disposal log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Mapped

from bscp_desktop.models.base import Base, Versioned
from bscp_desktop.schema import disposal_log, legal_holds, register_users


class RegisterUser(Versioned, Base):
    """A login this SQLite register knows, and its role. A login not listed opens the register as a viewer."""

    __table__ = register_users
    id: Mapped[int]
    login: Mapped[str]
    role: Mapped[str]
    added_by: Mapped[str]
    added_at: Mapped[dt.datetime]


class LegalHold(Versioned, Base):
    """A hold on one record (an incident, an archive request, a review) for a public inquiry, litigation or a
    police request: while it is not lifted, the record cannot be disposed of."""

    __table__ = legal_holds
    id: Mapped[int]
    entity: Mapped[str]
    entity_id: Mapped[int]
    reason: Mapped[str]
    details: Mapped[str]
    placed_by: Mapped[str]
    placed_at: Mapped[dt.datetime]
    lifted_by: Mapped[str]
    lifted_at: Mapped[dt.datetime | None]
    lift_reason: Mapped[str]



class Disposal(Base):
    """One record whose personal content was disposed of under the retention schedule: what class of record, its
    reference, the rule applied, who approved it and when. Never edited."""

    __table__ = disposal_log
    id: Mapped[int]
    record_class: Mapped[str]
    entity_id: Mapped[int]
    reference: Mapped[str]
    rule: Mapped[str]
    approved_by: Mapped[str]
    disposed_at: Mapped[dt.datetime]

