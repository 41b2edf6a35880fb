"""Counting words in messages: "1 incident", "3 incidents", "1,200 actions"."""

from __future__ import annotations


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` (with thousands separators) and the noun in the right number; ``plural`` for nouns that do not
    just add an "s"."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"
