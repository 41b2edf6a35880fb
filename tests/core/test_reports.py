"""PDF reports, read back with pypdf and checked against the database."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from bscp_desktop.domain.case_numbers import financial_year_bounds
from bscp_desktop.domain.rules import RULES, Rag
from bscp_desktop.models import ArchiveRequest, Incident, RapidReview, Review
from bscp_desktop.reports import CASE_REPORTS, REPORTS, ReportOptions, render
from bscp_desktop.services import Services

D = dt.date
AS_OF = D(2026, 11, 20)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    svc = Services.open(tmp_path_factory.mktemp("rep") / "r.db", today=lambda: AS_OF, user="reporter")
    svc.demo.build(600, 21, AS_OF)
    yield svc
    svc.close()


def pdf(svc: Any, kind: str, tmp_path: Path, **kw: Any) -> tuple[PdfReader, list[list[str]]]:
    out = render(svc, kind, tmp_path / f"{kind}.pdf", ReportOptions(kw.pop("as_of", AS_OF), **kw))
    reader = PdfReader(out)
    return reader, [p.extract_text().splitlines() for p in reader.pages]


@pytest.mark.parametrize("kind", [k for k in REPORTS if k not in CASE_REPORTS])
def test_every_page_has_its_furniture(demo: Any, tmp_path: Path, kind: str) -> None:
    reader, pages = pdf(demo, kind, tmp_path)
    total = len(pages)
    for n, lines in enumerate(pages, start=1):
        text = "\n".join(lines)
        assert text.count("OFFICIAL-SENSITIVE") >= 2, f"marking top and bottom on page {n}"
        assert f"Page {n} of {total}" in text
        assert "Birmingham Safeguarding Children Partnership" in text and "as of 20/11/2026" in text
        assert "by reporter" in text
    assert reader.metadata.title.endswith("— Birmingham Safeguarding Children Partnership")
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    fonts = {f.get_object()["/BaseFont"] for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert fonts and all("DejaVuSans" in f for f in fonts)  # embedded Unicode font only


def test_deadlines_lists_every_open_clock_overdue_first(demo: Any, tmp_path: Path) -> None:
    from bscp_desktop.domain.clock_words import clock_state

    _, pages = pdf(demo, "deadlines", tmp_path)
    clocks = demo.clocks.all_clocks(AS_OF)
    text_lines = [line for p in pages for line in p]
    clocks_part = text_lines[:text_lines.index("Agency actions overdue or due")]
    lines = [line for line in clocks_part if re.match(r"^(SI|BSCP|BSCB|BDHR|AR)[\d ]", line)]
    held = [c for c in clocks if c.rag is Rag.ON_HOLD]
    expected = [f"{c.reference} {c.pseudonym or '—'} {c.label} {c.start:%d/%m/%Y} "
                f"{c.due:%d/%m/%Y} {clock_state(c.rag, c.days)} {c.rag.value}" for c in clocks]
    assert lines[:len(expected)] == expected  # every open clock, in the service's order: overdue first, then by due
    joined = " ".join(clocks_part)
    assert held and "On hold for parallel proceedings" in joined  # the demo holds some: with kind and since when
    assert all(f"{c.reference} {RULES[c.rule_id].short_label} {c.note} {c.due:%d/%m/%Y}" in joined for c in held)
    overdue = [c for c in clocks if c.rag is Rag.OVERDUE]
    assert overdue and all(line.endswith(" Overdue") for line in lines[:len(overdue)])
    text = "\n".join("\n".join(p) for p in pages)
    assert f"Overdue\n{len(overdue)}\n" in text


def test_catalogue_status_as_of_a_date(demo: Any, tmp_path: Path) -> None:
    _, pages = pdf(demo, "catalogue", tmp_path)
    text = " ".join(" ".join(p) for p in pages)  # wrapped cells read as one line
    for ref in ("BSCP2021-22/02", "BSCP2025-26/01", "BSCP2022-23/03", "BSCP2022-23/04", "BSCP2020-21/01",
                "BSCP2021-22/01", "BSCP2019-20/01", "BSCP2022-23/02", "BSCP2018-19/01", "BSCP2020-21/02",
                "BDHR 2013 14/02", "BSCB 2016-17/1", "BSCB 2015-16/04", "BSCB 2015-16/01"):
        assert ref in text
    assert "Archived on 10/10/2026" in text  # BSCP2020-21/02, published 10/10/2023
    assert "Published (archive date 18/12/2028)" in text  # BSCP2021-22/02
    assert "Briefing note: Serious Youth Violence – Breaking the Cycle" in text
    assert "‘Will I be put to sleep safely tonight?’" in text  # curly quotes survive
    _, before = pdf(demo, "catalogue", tmp_path, as_of=D(2026, 10, 9))
    earlier = " ".join(" ".join(p) for p in before)
    assert "Published (archive date 10/10/2026)" in earlier and "Archived on 10/10/2026" not in earlier


def test_annual_counts_match_the_database(demo: Any, tmp_path: Path) -> None:
    _, pages = pdf(demo, "annual", tmp_path)
    table_part = [p[:p.index("Chart 1 — Reviews commissioned per year")] if "Chart 1 — Reviews commissioned per year" in p
                  else p for p in pages]  # the charts' axis labels would read as rows too
    rows = {r[0]: r for r in (line.split(" ") for p in table_part for line in p
                                  if re.match(r"^20\d\d-\d\d \d", line))}
    assert len(rows) == 10 and "2026-27" in rows and "2017-18" in rows
    lo, hi = financial_year_bounds(2025)
    with demo.db.read() as s:
        notified = s.scalar(select(func.count()).where(Incident.notified_date >= lo, Incident.notified_date <= hi))
        rapid = s.scalar(select(func.count()).select_from(RapidReview)
                         .where(RapidReview.sent_date >= lo, RapidReview.sent_date <= hi))
        commissioned = s.scalar(select(func.count()).where(Review.decision_date >= lo, Review.decision_date <= hi))
        published = s.scalar(select(func.count()).where(Review.publication_date >= lo, Review.publication_date <= hi))
    row = rows["2025-26"]
    assert (int(row[1]), int(row[3]), int(row[5]), int(row[6])) == (notified, rapid, commissioned, published)
    assert "Chart 1 — Reviews commissioned per year" in "\n".join(pages[0])
    _, old = pdf(demo, "annual", tmp_path, end=D(2010, 6, 1))  # years before the demo: no figures entered
    assert "No child death figures have been entered" in "\n".join("\n".join(p) for p in old)


def test_annual_draws_chart_2_with_child_deaths(demo: Any, tmp_path: Path) -> None:
    demo.annual.set_year(2024, 1234)
    _, pages = pdf(demo, "annual", tmp_path)
    text = "\n".join("\n".join(p) for p in pages)
    assert "Chart 2 — Child deaths compared with reviews commissioned" in text and "1234" in text
    assert "Child deaths not entered for 2026-27" in text  # the year still running has none in the demo


def test_status_and_closed_in_period(demo: Any, tmp_path: Path) -> None:
    _, pages = pdf(demo, "status", tmp_path, start=D(2026, 4, 1), end=AS_OF)
    text = "\n".join("\n".join(p) for p in pages)
    open_rows = demo.reporting.status(AS_OF)
    closed = demo.reporting.closed_between(D(2026, 4, 1), AS_OF)
    assert f"Open cases\n{len(open_rows):,}" in text and f"Closed in the period\n{len(closed):,}" in text
    for r in open_rows:
        assert r.reference in text


def test_requests_report_and_on_time_share(demo: Any, tmp_path: Path) -> None:
    _, pages = pdf(demo, "requests", tmp_path, start=D(2010, 4, 1), end=D(2011, 3, 31))
    assert "No archive requests were received in the period." in "\n".join(pages[0])
    with demo.db.write() as s:
        s.add_all([
            ArchiveRequest(reference="AR-T1", received_date=D(2026, 10, 1), requester_name="A Researcher",
                           organisation="A University", email="a@example.org", status="fulfilled",
                           responded_date=D(2026, 10, 20)),  # due 29/10: on time
            ArchiveRequest(reference="AR-T2", received_date=D(2026, 9, 1), requester_name="B Journalist",
                           organisation="A Newspaper", email="b@example.org", status="fulfilled",
                           responded_date=D(2026, 10, 5)),  # due 29/09: late
            ArchiveRequest(reference="AR-T3", received_date=D(2026, 11, 16), requester_name="C Student",
                           email="c@example.org", status="received"),  # open, not yet due
        ])
    rows = {r.reference: r for r in demo.reporting.requests(D(2026, 4, 1), AS_OF, AS_OF)}
    assert (rows["AR-T1"].due, rows["AR-T1"].on_time) == (D(2026, 10, 29), True)
    assert (rows["AR-T2"].on_time, rows["AR-T3"].on_time) == (False, None)
    answered = [r for r in rows.values() if r.responded is not None]
    on_time = sum(1 for r in answered if r.on_time)
    _, pages = pdf(demo, "requests", tmp_path)
    text = "\n".join("\n".join(p) for p in pages)
    assert f"Requests received\n{len(rows)}" in text and f"Answered on time\n{on_time}" in text
    assert f"Share answered on time\n{on_time / len(answered):.0%}" in text
    for ref in rows:
        assert ref in text
    with demo.db.write() as s:
        s.query(ArchiveRequest).filter(ArchiveRequest.reference.like("AR-T%")).delete(synchronize_session=False)


def test_case_report(demo: Any, tmp_path: Path) -> None:
    from bscp_desktop.services.incidents.input import IncidentInput

    v = demo.incidents.register(IncidentInput("Child Case", "died", D(2026, 11, 2))).value
    demo.incidents.record_notification(v.id, v.version, D(2026, 11, 4), "NP-9")
    _, pages = pdf(demo, "case", tmp_path, case=v.local_ref.lower())
    text = "\n".join("\n".join(p) for p in pages)
    assert f"{v.local_ref} — Child Case" in text
    assert "Notification" in text and "Met" in text and "Rapid Review" in text
    assert "register incident" in text and "record notification" in text and "reporter" in text
    from bscp_desktop.services import NotFound

    with pytest.raises(NotFound):
        pdf(demo, "case", tmp_path, case="SI1999-00/999")


def test_report_command_line(demo: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bscp_desktop.cli import main

    db = str(demo.db.path)
    assert main(["report", "deadlines", "--db", db, "--out", str(tmp_path / "d.pdf"), "--as-of", "20/11/2026"]) == 0
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")
    for argv, words in ((["report", "weekly"], "unknown report 'weekly'"),
                        (["report", "case"], "needs --case"),
                        (["report", "case", "--case", "XX1"], "no incident or review has the reference"),
                        (["report", "status", "--from", "2026-05-01", "--to", "2026-04-01"], "is after --to"),
                        (["report", "status", "--out", str(tmp_path / "s.txt")], "is written as .pdf: s.txt is not")):
        full = [*argv[:2], "--db", db, *argv[2:]]
        if "--out" not in full:
            full += ["--out", str(tmp_path / "x.pdf")]
        capsys.readouterr()
        assert main(full) == 2
        assert words in capsys.readouterr().err


def test_a_failed_report_leaves_no_file(demo: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "never.pdf"

    def broken(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("layout failed")

    monkeypatch.setattr("bscp_desktop.render.template.ReportDocument.build", broken)
    with pytest.raises(RuntimeError):
        render(demo, "deadlines", out, ReportOptions(AS_OF))
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_deadlines_lists_overdue_agency_actions(demo: Any, tmp_path: Path) -> None:
    _, pages = pdf(demo, "deadlines", tmp_path)
    text = " ".join(" ".join(p) for p in pages)
    actions = demo.actions.overdue_clocks(AS_OF)
    assert actions and "Agency actions overdue or due" in text
    for a in actions:
        assert f"{a.review_reference} R{a.recommendation_number}" in text


def test_learning_counts_and_lists_every_action(demo: Any, tmp_path: Path) -> None:
    _, pages = pdf(demo, "learning", tmp_path)
    lines = [line.strip() for p in pages for line in p]
    text = "\n".join(lines)
    actions = demo.actions.find(as_of=AS_OF)
    assert actions

    def figure(label: str) -> str:  # the summary table reads back as a label line, then its value
        return lines[lines.index(label) + 1]

    assert figure("Actions") == f"{len(actions):,}"
    assert figure("Overdue") == f"{sum(1 for a in actions if a.rag is Rag.OVERDUE):,}"
    done = sum(1 for a in actions if a.status in ("completed", "assured"))
    assert figure("Completed or assured") == f"{done / len(actions):.0%}"
    for ref in {a.review_reference for a in actions}:
        mine = [a for a in actions if a.review_reference == ref]
        late = sum(1 for a in mine if a.rag is Rag.OVERDUE)
        assert f"{ref} — " in text
        assert f"{len(mine)} action{'s' if len(mine) != 1 else ''}, " in text and f"{late} overdue." in text
    # one table row per action: each begins with its recommendation number on a line of its own
    assert sum(1 for line in lines if re.fullmatch(r"R\d+", line)) == len(actions)


def test_learning_says_when_there_are_no_actions(svc: Any, tmp_path: Path) -> None:
    _, pages = pdf(svc, "learning", tmp_path)
    assert "No agency actions have been recorded yet." in " ".join(pages[0])


@pytest.mark.parametrize("kind", ["learning", "deadlines", "catalogue"])
def test_a_report_in_a_fresh_process_registers_the_italic_face_it_uses(file_templates: dict, tmp_path: Path,
                                                                      kind: str) -> None:
    """The italic face is registered when first needed (``template.italic``), not with the others: a report that
    sets words in italics (an empty register's "No agency actions…", "There are no open clocks.", the
    catalogue's "none held") must still find it in a process that has printed nothing before."""
    import subprocess
    import sys

    register = file_templates["sqlite"].copy_to(tmp_path / "fresh.db")
    out = tmp_path / f"{kind}.pdf"
    code = (f"from bscp_desktop.cli import main\n"
            f"raise SystemExit(main(['report', '{kind}', '--db', r'{register}', '--out', r'{out}']))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    fonts = {str(f["/BaseFont"]) for page in PdfReader(out).pages
             for f in page["/Resources"]["/Font"].values()}  # type: ignore[index]
    assert any(name.endswith("DejaVuSans-Oblique") for name in fonts), fonts
