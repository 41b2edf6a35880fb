"""Long writes in progress: an import holding the register's write lock says so here, in a row committed before
it starts and removed when it ends, so a colleague whose save has to wait can be told who is doing what."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Mapped

from bscp_desktop.models.base import Base
from bscp_desktop.schema import long_writes


class LongWrite(Base):
    """One long change in progress (normally none; a row left by a killed program is ignored once old)."""

    __table__ = long_writes
    id: Mapped[int]
    user: Mapped[str]
    what: Mapped[str]
    started_at: Mapped[dt.datetime]
