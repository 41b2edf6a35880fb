"""PDF reports (reportlab): one shared page template, one module per report. Reports read through the
services and never import Qt.

``render(svc, kind, out, options, progress)`` writes one report; ``REPORTS`` lists them and ``TITLES`` names them.
A report in ``WORD_REPORTS`` can also be written as a Word document (``.docx``): the output type follows the
file's extension (``WORD_SUFFIX``, ``PDF_SUFFIX``); its module's ``blocks`` and ``subtitle`` give both writers the
same content. This package's own module loads no reportlab: the Reports page lists the reports without it, and a
report's module (and reportlab with it) loads when that report is first written.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from bscp_desktop.util.whole_files import write_file_whole

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from bscp_desktop.render.blocks import Block
    from bscp_desktop.render.template import ReportMeta
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

    LANDSCAPE: bool

    def build(self, svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Flowable]: ...


class WordReportModule(ReportModule, Protocol):
    """What the module of a report written as Word too (in ``WORD_REPORTS``) also provides: its content as blocks
    both writers lay out, and the line under its title."""

    def blocks(self, svc: Services, opts: ReportOptions, meta: ReportMeta) -> list[Block]: ...

    def subtitle(self, svc: Services, opts: ReportOptions) -> str: ...


# Each report's kind (as typed on the command line) and title, in the order the Reports page lists them.
TITLES = {
    "deadlines": "Deadlines", "status": "Case status", "catalogue": "Publication catalogue",
    "requests": "Archive requests", "learning": "Learning into practice", "annual": "Annual figures",
    "case": "Case record", "retention": "Retention and disposal", "rapid-review": "Rapid Review report",
    "notification": "Notification to the National Panel",
}
REPORTS = tuple(TITLES)
WORD_REPORTS = frozenset({"annual", "learning", "rapid-review"})  # also written as Word documents
CASE_REPORTS = ("case", "rapid-review", "notification")  # reports of one case: they need its reference
PDF_SUFFIX, WORD_SUFFIX = ".pdf", ".docx"


def writes_word(kind: str) -> bool:
    """True when report ``kind`` can be written as a Word document too."""
    _known(kind)
    return kind in WORD_REPORTS


def suffixes(kind: str) -> tuple[str, ...]:
    """The file types report ``kind`` can be written as."""
    return (PDF_SUFFIX, WORD_SUFFIX) if writes_word(kind) else (PDF_SUFFIX,)


def _module(kind: str) -> ReportModule:
    """The module that builds report ``kind`` (imported when first needed: the charts library is only loaded
    for the annual report)."""
    _known(kind)
    return importlib.import_module(f"bscp_desktop.reports.{kind.replace('-', '_')}")


def _known(kind: str) -> None:
    """``KeyError`` naming the known reports, for a kind that is not one."""
    if kind not in TITLES:
        raise KeyError(f"unknown report '{kind}' (known: {', '.join(REPORTS)})")


def title_of(kind: str) -> str:
    """The report's title."""
    _known(kind)
    return TITLES[kind]


def _meta(svc: Services, kind: str, module: ReportModule, opts: ReportOptions) -> ReportMeta:
    from bscp_desktop.render.template import ReportMeta

    settings = svc.cached_settings()
    return ReportMeta(settings.partnership_name, TITLES[kind], settings.protective_marking, opts.as_of,
                      dt.datetime.now(), svc.user, module.LANDSCAPE)


def render_pdf(svc: Services, kind: str, opts: ReportOptions, progress: Progress | None = None) -> bytes:
    """Report ``kind`` as the bytes of a PDF, built in memory (the Reports page previews it from there, so no
    copy of an OFFICIAL-SENSITIVE report is left in a temporary folder)."""
    from bscp_desktop.render.template import ReportDocument

    say = progress or (lambda _f, _m: None)
    module = _module(kind)
    meta = _meta(svc, kind, module, opts)
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
        meta = _meta(svc, kind, module, opts)
        written = write_docx(word.blocks(svc, opts, meta), meta, word.subtitle(svc, opts), Path(out))
        say(1.0, "Done")
        return written
    return write_whole(Path(out), render_pdf(svc, kind, opts, progress))


def write_whole(out: Path, data: bytes) -> Path:
    """Write ``data`` to ``out`` (its folder created) through a temporary file renamed into place, so ``out`` is
    whole or untouched."""
    write_file_whole(out, lambda part: part.write_bytes(data))
    return out
