"""Text as it may arrive from a keyboard, a pasted document or a file: made safe to store."""

from __future__ import annotations


def clean_text(text: str) -> str:
    """``text`` with lone surrogate code points (which cannot be encoded, and come from broken pastes or files)
    replaced by U+FFFD, a surrogate pair made the character it encodes, and NUL characters (which PostgreSQL
    cannot store, and which no form means) removed. Other text is returned as it is."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def needs_cleaning(text: str) -> bool:
    """True when ``clean_text`` may change ``text`` (cheap: nearly all text is plain ASCII without NUL)."""
    return not text.isascii() or "\x00" in text
