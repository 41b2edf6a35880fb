"""What a published PDF lacks that the Public Sector Bodies Accessibility Regulations expect of it, read from
the file with pypdf: a document title, the language, and tagged structure (so that a screen reader can follow
headings, lists and tables). Pure: bytes in, the gaps in words out. pypdf loads on the first check."""

from __future__ import annotations

import io
from typing import Any


def accessibility_gaps(data: bytes) -> list[str]:
    """What the PDF in ``data`` is missing, in words ("no document title"); empty when nothing is."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        root: Any = reader.trailer["/Root"]
        metadata = reader.metadata
    except (PdfReadError, KeyError, ValueError, OSError) as e:
        return [f"cannot be read as a PDF ({e.__class__.__name__})"]
    gaps = []
    if metadata is None or not str(metadata.get("/Title") or "").strip():
        gaps.append("no document title")
    if not str(root.get("/Lang") or "").strip():
        gaps.append("no language set")
    mark_info = root.get("/MarkInfo")
    marked = bool(mark_info.get_object().get("/Marked")) if mark_info is not None else False
    if not marked or root.get("/StructTreeRoot") is None:
        gaps.append("not tagged (no structure for screen readers)")
    return gaps
