"""Importing a large incident register: how long the check and the import take, and how long the import holds
the database's write lock (what a colleague saving at the same moment waits for).

    .venv/bin/python benchmarks/import_speed.py [--rows 100000]

Prints the figures beside the target (100 000 rows imported in under 20 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bscp_desktop.services import Services

TARGET_S = 20.0


def write_register(path: Path, rows: int) -> None:
    """A CSV register of ``rows`` fictional incidents, as a unit keeps it."""
    start = dt.date(2016, 4, 1)
    harms = ("Died", "Seriously harmed")
    with path.open("w", encoding="utf-8") as fh:
        fh.write("Pseudonym,Harm,Became aware,Notified to the Panel,Notes\n")
        for i in range(rows):
            aware = start + dt.timedelta(days=(i * 37) % 3500)
            notified = aware + dt.timedelta(days=3)
            fh.write(f"Child {i:06d},{harms[i % 2]},{aware:%d/%m/%Y},{notified:%d/%m/%Y},Fictional case {i}\n")


def lock_probe(db_path: Path, stop: threading.Event, waits: list[float]) -> None:
    """A colleague saving every 0.5 s while the import runs: how long each save waited for the lock."""
    conn = sqlite3.connect(db_path, timeout=60, isolation_level=None)
    while not stop.is_set():
        t = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        waits.append(time.perf_counter() - t)
        stop.wait(0.5)
    conn.close()


def main() -> int:
    """Build the file, check it, import it; print the figures."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, default=100_000)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sheet, db = folder / "register.csv", folder / "register.db"
        write_register(sheet, args.rows)
        svc = Services.open(db, user="benchmark", today=lambda: dt.date(2026, 11, 20))
        svc.initialise_new()
        t0 = time.perf_counter()
        plan = svc.incident_import.check(sheet)
        checked = time.perf_counter() - t0
        assert not plan.problems, plan.problems[:3]
        waits: list[float] = []
        stop = threading.Event()
        probe = threading.Thread(target=lock_probe, args=(db, stop, waits))
        probe.start()
        t1 = time.perf_counter()
        done = svc.incident_import.apply(plan)
        applied = time.perf_counter() - t1
        stop.set()
        probe.join()
        svc.close()
        print(f"rows: {done.value:,}")
        print(f"check: {checked:.1f} s")
        print(f"import (write lock held): {applied:.1f} s (target < {TARGET_S:.0f} s for 100 000 rows)")
        print(f"a colleague's save during the import: longest wait {max(waits):.1f} s over {len(waits)} tries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
