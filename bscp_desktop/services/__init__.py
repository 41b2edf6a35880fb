"""The use cases, one module per area, behind one facade (``Services``). Services never show a dialog: they
raise ``ValidationError``, ``ConflictError``, ``NotFound`` or ``PermissionDenied`` and the caller decides how to
show them."""

from bscp_desktop.services.core.changes import Changes, Op
from bscp_desktop.services.core.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    Problem,
    ServiceError,
    ValidationError,
)
from bscp_desktop.services.facade import Services

__all__ = ["Changes", "ConflictError", "NotFound", "Op", "PermissionDenied", "Problem", "ServiceError", "Services",
           "ValidationError"]
