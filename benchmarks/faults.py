"""Fault figures: what the register survives, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/faults.py [--quick] [--sqlite-only]

Each probe prints its figures; every "lost", "corrupt", "traceback", "two-line", "hang", "unexpected",
"half-written" and "formula" figure must be 0, and the script exits 1 when one is not.

- kills during writes: a process registers and updates incidents and is killed (SIGKILL) at a random moment;
  every write it reported committed must be there, and the register must pass its integrity check.
- simultaneous stale saves: two colleagues save the same loaded case at the same instant; exactly one wins and
  the other is refused, and the stored case is the winner's.
- concurrent writers: two processes register cases as fast as they can; every reported save is stored once.
- CLI fuzz: every command with hostile arguments, on a good, a damaged and a missing register; each must end
  within the time limit with one line and no traceback.
- service fuzz: every write the forms use, with each field replaced in turn by a well-typed hostile value
  (formulas, lone surrogates, 100 000 characters, control characters, impossible dates, unknown ids, stale
  versions); a refusal must be a typed error with nothing written.
- export injection: cases whose text starts with each formula character, exported to CSV and to Excel; no
  cell may reach the file as a formula.
- security (``benchmarks/security_probes.py``): temporary files after a self-test on an encrypted register,
  two registers of one name, kills during rekey, file modes, disposal, 40+ hostile imports, the command line's
  edge cases, and on PostgreSQL forged audit entries; each has figures that must be 0.

A probe that committed or made nothing proves nothing, and says so ("proved nothing" must be 0).

PostgreSQL comes from BSCP_TEST_DATABASE_URL or, run as root, from ``scripts/postgres-test-db.sh``.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from benchmarks.security_probes import MUST_BE_ZERO as SECURITY_ZERO  # noqa: E402
from benchmarks.security_probes import security_probes  # noqa: E402
from benchmarks.service_fuzz import TODAY, service_fuzz  # noqa: E402
from bscp_desktop.domain.vocab import Role  # noqa: E402
from bscp_desktop.services import ConflictError, Services  # noqa: E402
from bscp_desktop.services.incidents.input import IncidentInput  # noqa: E402
from bscp_desktop.util.formulas import looks_like_formula  # noqa: E402

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CLI_TIMEOUT_S = 30
Figures = dict[str, int]
# The figures that must be 0.
MUST_BE_ZERO = ("lost", "corrupt", "tracebacks", "two-line errors", "hangs", "unexpected errors", "half-written",
                "silent failures", "both saved", "neither saved", "formulas written", "errors", "proved nothing",
                *SECURITY_ZERO)


# -- databases -------------------------------------------------------------------------------------------------
@contextmanager
def fresh_database(backend: str, folder: Path, name: str, pg_url: str) -> Iterator[str]:
    """The URL of a new, empty database: a SQLite file in ``folder``, or a new PostgreSQL database."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'{name}.db'}"
        return
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    db_name = f"bscp_faults_{name}"
    with admin.connect() as c:
        c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        c.exec_driver_sql(f'CREATE DATABASE "{db_name}"')
    try:
        yield make_url(pg_url).set(database=db_name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        admin.dispose()


def open_register(url: str, user: str = "faults", initialise: bool = False) -> Services:
    """Services over ``url`` as of ``TODAY``; ``initialise`` fills a new register with its starting lists."""
    svc = Services.open(url, user=user, today=lambda: TODAY)
    if initialise:
        svc.initialise_new()
    return svc


def open_colleague(svc: Services, url: str, user: str) -> Services:
    """A second program on ``svc``'s register, used by ``user``, whom ``svc``'s user has made an editor (on
    PostgreSQL both are the server login the address names, so the server's roles apply as they are)."""
    if svc.db.is_sqlite and user not in {u.login for u in svc.users.list()}:
        svc.users.add(user, Role.EDITOR)
    return open_register(url, user)


def integrity_faults(svc: Services) -> int:
    """How many integrity faults the register has: SQLite's own check and foreign keys, and on either backend
    cases whose stored earliest clock is not what their dates give, and a break in the audit log's hash chain."""
    faults = 0 if svc.audit_log.verify().ok else 1
    if svc.db.is_sqlite:
        with svc.db.engine.connect() as c:
            faults += 0 if c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok" else 1
            faults += len(c.exec_driver_sql("PRAGMA foreign_key_check").fetchall())
    faults += svc.due_keeper.recompute_all()
    return faults


def postgres_url() -> str:
    """A PostgreSQL URL whose role may create databases, or "" when none can be had here."""
    if url := os.environ.get("BSCP_TEST_DATABASE_URL", ""):
        return url
    if os.geteuid() != 0:
        return ""
    done = subprocess.run(["sh", str(ROOT / "scripts" / "postgres-test-db.sh")], capture_output=True, text=True,
                          check=False)
    return done.stdout.strip().splitlines()[-1] if done.returncode == 0 and done.stdout.strip() else ""


# -- kills during writes ---------------------------------------------------------------------------------------
WRITER = """
import datetime as dt, sys
sys.path.insert(0, {root!r})
from bscp_desktop.services import Services
from bscp_desktop.services.incidents.input import IncidentInput
svc = Services.open({url!r}, user="writer", today=lambda: dt.date(2026, 11, 20))
n = 0
while True:
    n += 1
    op = svc.incidents.register(IncidentInput(f"Child K{{{tag}}}-{{n}}", "died", dt.date(2026, 11, 2)))
    print("ref", op.value.local_ref, flush=True)
    view = op.value
    op = svc.incidents.record_notification(view.id, view.version, dt.date(2026, 11, 3), "NP-{{n}}")
    print("notified", view.local_ref, flush=True)
"""


def add_editors(svc: Services, *logins: str) -> None:
    """Make ``logins`` editors of a SQLite register (its creator administers it; a login it does not know is
    a viewer, whose every write is refused). On PostgreSQL the writers are the server login itself."""
    if svc.db.is_sqlite:
        known = {u.login for u in svc.users.list()}
        for login in logins:
            if login not in known:
                svc.users.add(login, Role.EDITOR)


def kills_during_writes(url: str, kills: int) -> Figures:
    """Kill a writing process ``kills`` times at random moments; count committed writes lost and corruption."""
    svc = open_register(url, initialise=True)
    add_editors(svc, "writer")
    rng = random.Random(11)
    registered: set[str] = set()
    notified: set[str] = set()
    for k in range(kills):
        code = WRITER.format(root=str(ROOT), url=url, tag=k)
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                text=True)
        lines: list[str] = []
        reader = threading.Thread(target=lambda p=proc, out=lines: out.extend(p.stdout or ()), daemon=True)
        reader.start()
        deadline = time.monotonic() + 30
        while not lines and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reader.join()
        for line in lines:
            if line.endswith("\n"):  # a line cut short by the kill says nothing
                what, ref = line.split()
                (registered if what == "ref" else notified).add(ref)
    with svc.db.engine.connect() as c:
        stored = dict(c.execute(sa.text("SELECT local_ref, notified_date FROM incidents")).all())
    lost = sum(1 for ref in registered if ref not in stored) + sum(1 for ref in notified if not stored.get(ref))
    committed = len(registered) + len(notified)
    figures = {"kills": kills, "committed writes": committed, "lost": lost, "corrupt": integrity_faults(svc),
               "proved nothing": int(committed == 0)}  # a probe that wrote nothing proves nothing
    svc.close()
    return figures


# -- simultaneous stale saves ----------------------------------------------------------------------------------
def stale_saves(url: str, rounds: int, initialise: bool = True) -> tuple[Figures, list[str]]:
    """Two colleagues save the same loaded case at once, ``rounds`` times; returns the figures and the first
    unexpected errors."""
    faults: list[str] = []
    first = open_register(url, "first", initialise=initialise)
    second = open_colleague(first, url, "second")
    figures = {"rounds": rounds, "one winner": 0, "both saved": 0, "neither saved": 0, "lost": 0,
               "unexpected errors": 0}
    for n in range(rounds):
        view = first.incidents.register(IncidentInput(f"Child S{n}", "died", dt.date(2026, 11, 2))).value
        barrier = threading.Barrier(2)
        outcome: dict[str, str] = {}

        def save(svc: Services, who: str, view: Any = view, barrier: threading.Barrier = barrier,
                 outcome: dict[str, str] = outcome) -> None:
            data = dataclasses.replace(IncidentInput(view.pseudonym, view.harm, view.became_aware), notes=who)
            barrier.wait()
            try:
                svc.incidents.update(view.id, view.version, data)
                outcome[who] = "saved"
            except ConflictError:
                outcome[who] = "refused"
            except Exception as e:  # noqa: BLE001 - counted: a fault figure
                outcome[who] = f"error {type(e).__name__}: {e!s:.200}"
        threads = [threading.Thread(target=save, args=(svc, who)) for svc, who in ((first, "first"),
                                                                                      (second, "second"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        saved = [who for who, what in outcome.items() if what == "saved"]
        errors = [what for what in outcome.values() if what.startswith("error")]
        figures["unexpected errors"] += len(errors)
        faults += errors[:1] if len(faults) < 5 else []
        if len(saved) == 2:
            figures["both saved"] += 1
        elif not saved:
            figures["neither saved"] += 1
        else:
            figures["one winner"] += 1
            figures["lost"] += first.incidents.get(view.id).notes != saved[0]
    first.close()
    second.close()
    return figures, faults


# -- concurrent writers ----------------------------------------------------------------------------------------
COUNTER = """
import datetime as dt, sys
sys.path.insert(0, {root!r})
from bscp_desktop.services import Services
from bscp_desktop.services.incidents.input import IncidentInput
svc = Services.open({url!r}, user="{who}", today=lambda: dt.date(2026, 11, 20))
saved = errors = 0
for n in range({writes}):
    try:
        svc.incidents.register(IncidentInput(f"Child {who}-{{n}}", "died", dt.date(2026, 11, 2)))
        saved += 1
    except Exception as e:
        errors += 1
        print("error", type(e).__name__, str(e)[:200], file=sys.stderr, flush=True)
print(saved, errors)
"""


def concurrent_writers(url: str, writes: int) -> Figures:
    """Two processes register ``writes`` cases each at the same time."""
    svc = open_register(url, initialise=True)
    add_editors(svc, "A", "B")
    procs = [subprocess.Popen([sys.executable, "-c", COUNTER.format(root=str(ROOT), url=url, who=who,
                                                                   writes=writes)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for who in ("A", "B")]
    saved = errors = 0
    for p in procs:
        out, _err = p.communicate(timeout=600)
        s, e = (int(x) for x in out.split()[-2:])
        saved, errors = saved + s, errors + e
    with svc.db.engine.connect() as c:
        stored = c.execute(sa.text("SELECT count(*), count(DISTINCT local_ref) FROM incidents")).one()
    figures = {"writes": 2 * writes, "saved": saved, "errors": errors,
               "lost": saved - stored[0] + (stored[0] - stored[1]), "corrupt": integrity_faults(svc),
               "proved nothing": int(saved == 0)}
    svc.close()
    return figures


# -- CLI fuzz --------------------------------------------------------------------------------------------------
def cli_cases(good: str, damaged: str, missing: str, folder: Path) -> list[list[str]]:
    """Every command with hostile arguments, on each kind of register."""
    out = str(folder / "out")
    hostile = ["", " ", "=1+1", "\udcff", "x" * 5000, "../../../../etc/passwd", "-1", "0", "9" * 40,
               "2025-02-30", "0001-01-01", "31/12/9999", "２０２５-０１-０１", "NaN"]
    cases: list[list[str]] = []
    for db in (good, damaged, missing):
        cases += [["due", "notification", "2026-11-02", "--db", db], ["check", "--db", db],
                  ["report", "deadlines", "--db", db, "--out", f"{out}.pdf"],
                  ["report", "case", "--case", "SI2026-27/999", "--db", db, "--out", f"{out}.pdf"],
                  ["calendar", "--db", db, "--out", f"{out}.ics"], ["backup", "--db", db, "--out", f"{out}.db"],
                  ["import", str(folder / "nothing.csv"), "--db", db], ["copy", "--from", db, "--to", db]]
    for value in hostile:
        cases += [["due", value, "2026-11-02"], ["due", "notification", value],
                  ["report", value, "--db", good, "--out", f"{out}.pdf"],
                  ["report", "status", "--db", good, "--out", f"{out}.pdf", "--as-of", value],
                  ["report", "case", "--case", value, "--db", good, "--out", f"{out}.pdf"],
                  ["demo", "--db", str(folder / "demo.db"), "--incidents", value],
                  ["template", value, "--out", f"{out}.xlsx"], ["import", value, "--db", good],
                  ["--db", value, "check"]]
    return cases


def run_cli(args: list[str]) -> tuple[str, list[str], int]:
    """Run one command; returns how it ended ("ok", "traceback", "two-line", "silent", "hang"), its stderr
    lines and its exit status."""
    try:  # an argument holding "\udcff" reaches the program as the byte 0xFF, as a file name that is not UTF-8
        done = subprocess.run([sys.executable, "-m", "bscp_desktop", *args], capture_output=True, text=True,
                              timeout=CLI_TIMEOUT_S, check=False, cwd=ROOT, env={**os.environ, "BSCP_FAULTS": "1"})
    except subprocess.TimeoutExpired:
        return "hang", [], -1
    err = [line for line in done.stderr.splitlines() if line.strip()]
    if "Traceback (most recent call last)" in done.stderr:
        return "traceback", err, done.returncode
    if len(err) > 1:
        return "two-line", err, done.returncode
    if done.returncode != 0 and not err and not done.stdout.strip():  # ``check`` reports on stdout
        return "silent", err, done.returncode
    return "ok", err, done.returncode


def cli_fuzz(folder: Path, quick: bool) -> tuple[Figures, list[str]]:
    """Run the hostile commands (on SQLite: the command line's own register files)."""
    good = folder / "cli-good.db"
    open_register(str(good), initialise=True).close()
    damaged = folder / "cli-damaged.db"
    damaged.write_bytes(good.read_bytes()[:4096] + os.urandom(20_000))
    cases = cli_cases(str(good), str(damaged), str(folder / "missing" / "none.db"), folder)
    if quick:
        cases = cases[::4]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run_cli, cases))
    figures = {"commands": len(cases), "tracebacks": 0, "two-line errors": 0, "silent failures": 0, "hangs": 0}
    names = {"traceback": "tracebacks", "two-line": "two-line errors", "silent": "silent failures", "hang": "hangs"}
    faults = []
    for args, (how, err, code) in zip(cases, results, strict=True):
        if how != "ok":
            figures[names[how]] += 1
            faults.append(f"{how} (exit {code}): {args!r}: {' | '.join(err)[:300]}")
    return figures, faults


# -- service fuzz ----------------------------------------------------------------------------------------------
def export_injection(svc: Services, folder: Path) -> Figures:
    """Cases whose pseudonym and lead officer start with each formula character, exported from the register's
    rows to CSV and to Excel: how many cells reach either file as a formula."""
    import openpyxl

    from bscp_desktop.services.registers.columns import Column
    from bscp_desktop.services.registers.export import export_view

    made = [svc.incidents.register(IncidentInput(f"{start}cmd|' /C calc'!A0", "died", dt.date(2026, 11, 2),
                                                 lead_officer=f"{start}HYPERLINK(\"http://example.invalid\")")).value.id
            for start in FORMULA_STARTS]
    columns = [Column("ref", "Reference", lambda r: r.local_ref), Column("pseudonym", "Pseudonym",
                                                                       lambda r: r.pseudonym),
               Column("officer", "Lead officer", lambda r: r.lead_officer)]
    figures = {"dangerous cells": 2 * 2 * len(made), "formulas written": 0}
    for suffix in (".csv", ".xlsx"):
        path = folder / f"export{suffix}"
        export_view(path, "Incidents", columns, made, svc.registers.incident_rows, lambda *_: None)
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as fh:
                cells = [c for row in list(csv.reader(fh))[1:] for c in row]
            figures["formulas written"] += sum(1 for c in cells if c[:1] in FORMULA_STARTS or looks_like_formula(c))
        else:
            book = openpyxl.load_workbook(path)
            figures["formulas written"] += sum(1 for row in book.active.iter_rows(min_row=2) for c in row
                                               if c.data_type == "f")
    return figures


# -- the run ---------------------------------------------------------------------------------------------------
def show(title: str, figures: Figures, faults: list[str] = ()) -> bool:  # type: ignore[assignment]
    """Print one probe's figures (and what went wrong); True when every must-be-zero figure is 0."""
    print(f"  {title}: " + ", ".join(f"{k} {v:,}" for k, v in figures.items()), flush=True)
    for f in list(faults)[:10]:
        print(f"      {f}")
    return all(figures.get(k, 0) == 0 for k in MUST_BE_ZERO)


def main() -> int:
    """Run every probe on each backend; exit 1 when a must-be-zero figure is not 0."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="fewer kills, rounds and calls")
    p.add_argument("--sqlite-only", action="store_true")
    args = p.parse_args()
    pg = "" if args.sqlite_only else postgres_url()
    backends = ["sqlite"] + (["postgresql"] if pg else [])
    if not pg and not args.sqlite_only:
        print("PostgreSQL: none to be had here (set BSCP_TEST_DATABASE_URL); SQLite only")
    good = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for backend in backends:
            print(f"{backend}:", flush=True)
            kills, rounds, writes = (8, 10, 40) if args.quick else (60 if backend == "sqlite" else 30, 100, 300)
            with fresh_database(backend, folder, "kills", pg) as url:
                good &= show("kills during writes", kills_during_writes(url, kills))
            with fresh_database(backend, folder, "stale", pg) as url:
                good &= show("simultaneous stale saves", *stale_saves(url, rounds))
            with fresh_database(backend, folder, "writers", pg) as url:
                good &= show("concurrent writers", concurrent_writers(url, writes))
            with fresh_database(backend, folder, "fuzz", pg) as url:
                svc = open_register(url, initialise=True)
                good &= show("service fuzz", *service_fuzz(svc, 6 if args.quick else None))
                good &= show("export injection", export_injection(svc, folder))
                svc.close()
        print("command line:", flush=True)
        good &= show("CLI fuzz", *cli_fuzz(folder, args.quick))
        print("security:", flush=True)
        for title, figures in security_probes(folder / "security", args.quick, pg):
            good &= show(title, figures)
    print("every fault figure is 0" if good else "FAULTS FOUND: a figure above that must be 0 is not")
    return 0 if good else 1


if __name__ == "__main__":
    raise SystemExit(main())
