"""Long writes in progress: an import holding the register's write lock says so here, in a row committed before
it starts and removed when it ends, so a colleague whose save has to wait can be told who is doing what."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bscp_desktop.models.base import Base, utcnow


class LongWrite(Base):
    """One long change in progress (normally none; a row left by a killed program is ignored once old)."""

    __tablename__ = "long_writes"
    id: Mapped[int] = mapped_column(primary_key=True)
    user: Mapped[str] = mapped_column(String(100))
    what: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
