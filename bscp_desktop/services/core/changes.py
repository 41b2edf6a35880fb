"""What a write changed: the UI broadcasts it on one signal and each page decides whether to refresh."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

ENTITIES = ("incident", "review", "settings", "catalogue", "request", "action", "reference")


@dataclass
class Changes:
    """Entity name → ids changed. An empty set for an entity means "some of them, reload all"."""

    ids: dict[str, set[int]] = field(default_factory=dict)

    def add(self, entity: str, *ids: int) -> Changes:
        """Record ids of ``entity`` as changed; returns self for chaining."""
        self.ids.setdefault(entity, set()).update(ids)
        return self

    def add_all(self, entity: str, ids: Iterable[int]) -> Changes:
        """Record many ids of ``entity``."""
        return self.add(entity, *ids)

    def touches(self, *entities: str) -> bool:
        """True when any of ``entities`` changed."""
        return any(e in self.ids for e in entities)

    def __bool__(self) -> bool:
        return bool(self.ids)


@dataclass(frozen=True)
class Op[T]:
    """A write's result: the value it returns and what it changed."""

    value: T
    changes: Changes
