"""PDF reports (reportlab): one shared page template, one module per report. Reports read through the
services and never import Qt.

``render(svc, kind, out, options, progress)`` writes one report; ``REPORTS`` lists them. A report whose module
has ``WORD = True`` can also be written as a Word document (``.docx``): the output type follows the file's
extension (``WORD_SUFFIX``, ``PDF_SUFFIX``); its ``blocks`` and ``subtitle`` give both writers the same content.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from reportlab.platypus import Flowable

from bscp_desktop.render.blocks import Block
from bscp_desktop.render.template import ReportDocument, ReportMeta
from bscp_desktop.util.whole_files import write_file_whole

if TYPE_CHECKING:
    from bscp_desktop.services import Services

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class ReportOptions:
    """What a report covers: the date its clocks are as of, a period (for closed cases, requests and the annual
    report's financial year), and a case reference for the case report."""

    as_of: dt.date
    start: dt.date | None = None
    end: dt.date | None = None
    case: str = ""

    def period(self) -> tuple[dt.date, dt.date]:
        """The period, defaulting to the financial year to date of ``as_of``."""
        from bscp_desktop.domain.case_numbers import financial_year_start

        start = self.start or dt.date(financial_year_start(self.as_of), 4, 1)
        return start, self.end or self.as_of


class ReportModule(Protocol):
    """What each report module provides."""

    TITLE: str
    LANDSCAPE: bool

    def build(self, svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Flowable]: ...


class WordReportModule(ReportModule, Protocol):
    """What a report module written as Word too (``WORD = True``) also provides: its content as blocks both
    writers lay out, and the line under its title."""

    WORD: bool

    def blocks(self, svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Block]: ...

    def subtitle(self, svc: Services, opts: ReportOptions) -> str: ...


REPORTS = ("deadlines", "status", "catalogue", "requests", "learning", "annual", "case", "retention", "rapid-review",
           "notification")
CASE_REPORTS = ("case", "rapid-review", "notification")  # reports of one case: they need its reference
PDF_SUFFIX, WORD_SUFFIX = ".pdf", ".docx"


def writes_word(kind: str) -> bool:
    """True when report ``kind`` can be written as a Word document too."""
    return bool(getattr(_module(kind), "WORD", False))


def suffixes(kind: str) -> tuple[str, ...]:
    """The file types report ``kind`` can be written as."""
    return (PDF_SUFFIX, WORD_SUFFIX) if writes_word(kind) else (PDF_SUFFIX,)


def _module(kind: str) -> ReportModule:
    """The module that builds report ``kind`` (imported when first needed: the charts library is only loaded
    for the annual report)."""
    if kind not in REPORTS:
        raise KeyError(f"unknown report '{kind}' (known: {', '.join(REPORTS)})")
    return importlib.import_module(f"bscp_desktop.reports.{kind.replace('-', '_')}")


def title_of(kind: str) -> str:
    """The report's title."""
    return _module(kind).TITLE


def _meta(svc: Services, module: ReportModule, opts: ReportOptions) -> ReportMeta:
    settings = svc.cached_settings()
    return ReportMeta(settings.partnership_name, module.TITLE, settings.protective_marking, opts.as_of,
                      dt.datetime.now(), svc.user, module.LANDSCAPE)


def render_pdf(svc: Services, kind: str, opts: ReportOptions, progress: Progress | None = None) -> bytes:
    """Report ``kind`` as the bytes of a PDF, built in memory (the Reports page previews it from there, so no
    copy of an OFFICIAL-SENSITIVE report is left in a temporary folder)."""
    say = progress or (lambda _f, _m: None)
    module = _module(kind)
    meta = _meta(svc, module, opts)
    say(0.05, "Reading the data")
    story = module.build(svc, opts, meta)
    say(0.35, "Laying out the pages")
    buffer = io.BytesIO()
    ReportDocument(buffer, meta).build_story(story, lambda f: say(0.35 + 0.6 * f, "Laying out the pages"))
    say(1.0, "Done")
    return buffer.getvalue()


def render(svc: Services, kind: str, out: Path, opts: ReportOptions, progress: Progress | None = None) -> Path:
    """Write report ``kind`` to ``out`` (whole or not at all) and return the path: a PDF, or for a report that
    has one, a Word document when ``out`` ends in ``.docx``. ``ValueError`` for any other extension."""
    module = _module(kind)
    suffix = Path(out).suffix.lower()
    if suffix not in suffixes(kind):
        raise ValueError(f"the {kind} report is written as {' or '.join(suffixes(kind))}, not '{suffix or 'no extension'}'")
    if suffix == WORD_SUFFIX:
        from bscp_desktop.render.word import write_docx

        say = progress or (lambda _f, _m: None)
        say(0.05, "Reading the data")
        word = cast(WordReportModule, module)  # suffixes() offered .docx: the module writes Word
        meta = _meta(svc, module, opts)
        written = write_docx(word.blocks(svc, opts, meta), meta, word.subtitle(svc, opts), Path(out))
        say(1.0, "Done")
        return written
    return write_whole(Path(out), render_pdf(svc, kind, opts, progress))


def write_whole(out: Path, data: bytes) -> Path:
    """Write ``data`` to ``out`` (its folder created) through a temporary file renamed into place, so ``out`` is
    whole or untouched."""
    write_file_whole(out, lambda part: part.write_bytes(data))
    return out
