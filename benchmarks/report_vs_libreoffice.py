"""Time ``bscp-desktop report deadlines`` on a 10 000-case demo database beside the time LibreOffice takes to print
the same rows from a CSV (``soffice --headless --convert-to pdf``), in one run. Target: ours at most 0.7× theirs.

    python benchmarks/report_vs_libreoffice.py [--incidents N] [--runs R]

Needs Debian's libreoffice-calc-nogui (``apt-get install libreoffice-calc-nogui``). Both are timed as whole
commands, start-up included, best of R runs.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

import bscp_desktop
from bscp_desktop.domain.rules import RULES
from bscp_desktop.reports.deadlines import days
from bscp_desktop.services import Services
from bscp_desktop.util.dates import uk

AS_OF = dt.date(2026, 11, 20)


def timed(cmd: list[str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
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
                        days(c.days), c.rag.value])
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
    ours = timed(ours_cmd, args.runs)
    theirs = timed(theirs_cmd, args.runs)
    pages_ours = len(PdfReader(work / "ours.pdf").pages)
    pages_theirs = len(PdfReader(work / "lo" / "deadlines.pdf").pages)
    print(f"demo database: {args.incidents:,} incidents; rows printed: {len(clocks):,} clocks and "
          f"{len(actions):,} agency actions")
    print(f"bscp-desktop report deadlines: {ours:.2f} s ({pages_ours} pages)")
    print(f"LibreOffice CSV → PDF:        {theirs:.2f} s ({pages_theirs} pages)")
    print(f"ratio: {ours / theirs:.2f}× LibreOffice's time   (target ≤ 0.7×)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
