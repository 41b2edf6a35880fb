"""Time ``bscp-desktop report deadlines`` on a 10 000-case demo database beside the time LibreOffice takes to print
the same rows from a CSV (``soffice --headless --convert-to pdf``), in one run. Target: ours at most 0.5× theirs.

    python benchmarks/report_vs_libreoffice.py [--incidents N] [--runs R]

Needs Debian's libreoffice-calc-nogui (``apt-get install libreoffice-calc-nogui``). Both are timed as whole
commands, start-up included: R runs of each, interleaved (ours, theirs, ours, …) so both meet the same load,
and the medians compared.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

import bscp_desktop
from bscp_desktop.domain.clock_words import clock_state
from bscp_desktop.domain.rules import RULES
from bscp_desktop.services import Services
from bscp_desktop.util.dates import uk

AS_OF = dt.date(2026, 11, 20)


def timed(cmd: list[str]) -> float:
    """Seconds the whole command takes, start-up included."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("LibreOffice is not installed: apt-get install libreoffice-calc-nogui")
    work = Path(tempfile.mkdtemp(prefix="bscp-bench-"))
    db = work / "bench.db"
    svc = Services.open(db, today=lambda: AS_OF)
    svc.demo.build(args.incidents, 1, AS_OF)
    clocks = svc.clocks.all_clocks(AS_OF)
    actions = svc.actions.overdue_clocks(AS_OF)
    svc.close()
    # Both tools print exactly the same rows: every open clock, then the agency actions overdue or due.
    csv_path = work / "deadlines.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Case", "Pseudonym", "Clock", "Started", "Due", "Working days", "RAG"])
        for c in clocks:
            w.writerow([c.reference, c.pseudonym or "—", RULES[c.rule_id].short_label, uk(c.start), uk(c.due),
                        clock_state(c.rag, c.days), c.rag.value])
        w.writerow([])
        w.writerow(["Review", "Rec.", "Agency", "Action", "Owner", "Due", "RAG"])
        for a in actions:  # the report's second table: agency actions overdue or due
            w.writerow([a.review_reference, f"R{a.recommendation_number}", a.agency or "—", a.description,
                        a.owner or "—", uk(a.due_date), a.rag.value if a.rag else "—"])
    # An installed copy runs from compiled bytecode (pip and PyInstaller compile it); a source checkout under
    # PYTHONDONTWRITEBYTECODE would compile every module on every run, so compile it once, as an install does.
    compileall.compile_dir(Path(bscp_desktop.__file__).parent, quiet=1)
    ours_cmd = [sys.executable, "-m", "bscp_desktop", "report", "deadlines", "--db", str(db), "--out",
                str(work / "ours.pdf"), "--as-of", AS_OF.isoformat()]
    theirs_cmd = [soffice, "--headless", f"-env:UserInstallation=file://{work}/lo-profile", "--convert-to", "pdf",
                  "--outdir", str(work / "lo"), str(csv_path)]
    subprocess.run(theirs_cmd, check=True, capture_output=True)  # LibreOffice's first start builds its profile
    ours_runs, theirs_runs = [], []
    for _ in range(args.runs):
        ours_runs.append(timed(ours_cmd))
        theirs_runs.append(timed(theirs_cmd))
    ours, theirs = statistics.median(ours_runs), statistics.median(theirs_runs)
    pages_ours = len(PdfReader(work / "ours.pdf").pages)
    pages_theirs = len(PdfReader(work / "lo" / "deadlines.pdf").pages)
    print(f"demo database: {args.incidents:,} incidents; rows printed: {len(clocks):,} clocks and "
          f"{len(actions):,} agency actions")
    print(f"medians of {args.runs} runs each, interleaved")
    print(f"bscp-desktop report deadlines: {ours:.2f} s ({pages_ours} pages)")
    print(f"LibreOffice CSV → PDF:        {theirs:.2f} s ({pages_theirs} pages)")
    print(f"ratio: {ours / theirs:.2f}× LibreOffice's time   (target ≤ 0.5×)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
