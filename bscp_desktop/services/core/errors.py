"""Typed errors the services raise; the UI decides how to show them. None of them means data was changed:
every service method is one transaction and an error rolls it back."""

from __future__ import annotations

from dataclasses import dataclass

from bscp_desktop.domain.vocab import Role


@dataclass(frozen=True)
class Problem:
    """One broken rule: the field (as the form names it) and a sentence saying the rule."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ServiceError(Exception):
    """Base of the errors a user can be shown as they are."""


class ValidationError(ServiceError):
    """Input breaks one or more rules; ``problems`` names each field and rule."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))

    @classmethod
    def one(cls, field: str, message: str) -> ValidationError:
        """A ValidationError for a single field."""
        return cls([Problem(field, message)])

    @property
    def field(self) -> str:
        """The first field at fault."""
        return self.problems[0].field

    def for_field(self, field: str) -> str | None:
        """The message for ``field``, if it has one."""
        return next((p.message for p in self.problems if p.field == field), None)


class DuplicateDocument(ValidationError):
    """A file whose content is already stored (same SHA-256): adding it again needs ``allow_duplicate``."""

    def __init__(self, file_name: str, stored_as: str, owner: str) -> None:
        self.file_name, self.stored_as, self.owner = file_name, stored_as, owner
        super().__init__([Problem("File", f"{file_name} is already stored as “{stored_as}” on {owner}")])


class ConflictError(ServiceError):
    """Someone else saved this record since it was loaded: reload before saving again."""

    def __init__(self, entity: str, entity_id: int | str) -> None:
        self.entity = entity
        self.entity_id = entity_id
        super().__init__(
            f"This {entity} was changed by someone else since you opened it. Reload it to see their change, "
            "then make yours again."
        )


class NotFound(ServiceError):
    """No record with that id (it may have been deleted by someone else)."""

    def __init__(self, entity: str, entity_id: int | str) -> None:
        self.entity = entity
        self.entity_id = entity_id
        super().__init__(f"There is no {entity} {entity_id}: it may have been removed by someone else.")


class Checker:
    """Collects problems so a form can show every broken rule at once; ``raise_if_any`` at the end."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def require(self, ok: bool, field: str, message: str) -> bool:
        """Record ``message`` for ``field`` unless ``ok``; returns ``ok``."""
        if not ok and not any(p.field == field for p in self.problems):
            self.problems.append(Problem(field, message))
        return ok

    def at_most(self, text: str, limit: int, field: str) -> bool:
        """Record that ``field`` is too long when ``text`` (as it will be stored, trimmed) has more than ``limit``
        characters: too long is refused, never cut. Returns True when it fits."""
        return self.require(len(text.strip()) <= limit, field, f"must be at most {limit:,} characters")

    def raise_if_any(self) -> None:
        """Raise a ``ValidationError`` with every problem found, if any."""
        if self.problems:
            raise ValidationError(self.problems)


class PermissionDenied(ServiceError):
    """The user's role does not allow this action. Raised before anything is touched; the attempt is audited.

    ``action`` says what was tried ("record an incident"), ``needed`` the role it needs (a ``Role``), ``role`` the
    role the user has, ``ask`` whom to ask (administrators' logins, or the database owner)."""

    def __init__(self, action: str, needed: Role, user: str, role: Role, ask: str = "") -> None:
        self.action, self.needed, self.user, self.role, self.ask = action, needed, user, role, ask
        advice = f" Ask {ask} if you need to." if ask else ""
        who = " or ".join(r.article for r in Role if r.allows(self.needed))
        super().__init__(f"Only {who} can {action}; you ({user}) are {self.role.article} in this register."
                         f"{advice}")
