"""Which role each write needs. Every public manager method that writes (returns an ``Op``) is declared with
``@requires(Role.…, "what it does")``: the role is checked before the method runs (``UserManager.check``), so a
refused call touches nothing but the audit log, where the refusal is recorded."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from bscp_desktop.domain.vocab import Role

if TYPE_CHECKING:
    from bscp_desktop.services.facade import Services


class _HasServices(Protocol):
    svc: Services


def requires[F: Callable[..., Any]](role: Role, action: str) -> Callable[[F], F]:
    """Declare that a write needs ``role``; ``action`` says what it does, as a refusal names it ("record an
    incident"). The wrapped method keeps its signature; ``required_role`` and ``action`` are set on it."""
    def declare(method: F) -> F:
        @functools.wraps(method)
        def checked(self: _HasServices, *args: Any, **kwargs: Any) -> Any:
            self.svc.users.check(role, action)
            return method(self, *args, **kwargs)

        checked.required_role = role  # type: ignore[attr-defined]
        checked.action = action  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]
    return declare


def required_role(method: Callable[..., Any]) -> Role | None:
    """The role a manager method was declared to need, or None for one that does not write."""
    return getattr(method, "required_role", None)
