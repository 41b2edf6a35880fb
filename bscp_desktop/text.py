"""Text as it may arrive from a keyboard, a pasted document or a file: made safe to store."""

from __future__ import annotations


def clean_text(text: str) -> str:
    """``text`` with lone surrogate code points (which cannot be encoded, and come from broken pastes or files)
    replaced by U+FFFD; a surrogate pair becomes the character it encodes. Other text is returned as it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text
