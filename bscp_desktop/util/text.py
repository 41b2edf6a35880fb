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


# Bidirectional controls: they reorder how text is shown (a right-to-left override makes "exe.doc" read as
# "cod.exe") and no register text needs them.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def without_bidi_controls(text: str) -> str:
    """Narrative text as stored: every character kept (line breaks, typography, any script) but the
    bidirectional controls."""
    return text.translate(_BIDI_CONTROLS) if not text.isascii() else text


def identifier(text: str) -> str:
    """An identifier as stored and compared (a pseudonym, a reference, a login, an agency's or a theme's name):
    cleaned (``clean_text``), in Unicode's compatibility form NFKC (full-width letters, ligatures and no-break
    spaces become their plain forms), without invisible format characters (zero-width spaces and joiners, soft
    hyphens, bidirectional controls), every run of white space one space, and trimmed. So "Child\\u200bA" and
    "Child\\u00a0A" are "Child A" (and a duplicate of it), and a name of only invisible characters is empty."""
    if text.isascii():
        return " ".join(clean_text(text).split())
    import unicodedata

    text = unicodedata.normalize("NFKC", clean_text(text))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def abbreviated(text: str, width: int) -> str:
    """``text`` as a note shows it in ``width`` characters: whole when it fits, else its start and its end around
    an ellipsis (a file name keeps its extension). For what the program writes about itself, never for what a
    user typed, which is refused when too long."""
    if len(text) <= width:
        return text
    head = (width - 1) * 2 // 3
    return text[:head] + "…" + text[len(text) - (width - 1 - head):]
