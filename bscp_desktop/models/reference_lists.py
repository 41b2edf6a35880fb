"""The reference lists: the partner agencies and the learning themes (and which incidents and reviews carry
each theme)."""

from __future__ import annotations

from sqlalchemy.orm import Mapped

from bscp_desktop.models.base import Base, Versioned
from bscp_desktop.schema import agencies, themes


class Agency(Versioned, Base):
    """A partner agency: contributes to Rapid Reviews, owns actions."""

    __table__ = agencies
    id: Mapped[int]
    name: Mapped[str]
    short_name: Mapped[str]
    active: Mapped[bool]


class Theme(Versioned, Base):
    """A learning theme (domestic abuse, safe sleep / SUDI, neglect…) tagged on incidents and reviews."""

    __table__ = themes
    id: Mapped[int]
    name: Mapped[str]
    active: Mapped[bool]



