"""The use cases, one module per area, behind one facade (``Services``). Services never show a dialog: they
raise ``ValidationError``, ``ConflictError``, ``NotFound`` or ``PermissionDenied`` and the caller decides how to
show them.

The facade (and with it SQLAlchemy and the models) is imported when ``Services`` is first asked for, not when a
module of an area is: the command line parses its arguments, and a command that needs no register runs, without
loading the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    Problem,
    ServiceError,
    ValidationError,
)

if TYPE_CHECKING:
    from bscp_desktop.services.facade import Services


def __getattr__(name: str) -> Any:
    """``Services``, imported on first use."""
    if name == "Services":
        from bscp_desktop.services import facade

        return facade.Services
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Changes", "ConflictError", "NotFound", "Op", "PermissionDenied", "Problem", "ServiceError", "Services",
           "ValidationError"]
