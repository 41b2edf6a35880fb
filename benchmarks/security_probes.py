"""The security probes of ``benchmarks/faults.py``: what an information-governance officer's penetration tester
tried on the register, each run as an outsider would (separate processes, a usual umask, the files themselves),
each returning figures of which the "must be 0" ones are listed in ``MUST_BE_ZERO``.

    temporary files      a self-test on an encrypted register leaves no file with plaintext outside it
    same-named registers two bscp.db in two folders: no copy found for the wrong one
    kills during rekey   after each kill and the next opening, no copy on a key the register no longer has
    forged audit entries a viewer's and an editor's forged INSERTs on PostgreSQL are refused
    file modes           nothing the program writes is readable by other accounts
    disposal             a disposed canary is nowhere in the register or its WAL; the program's copies only until
                         their own retention passes
    hostile imports      40+ hostile files: none takes 10 s, none lists over 201 lines of problems
    command line         the edge cases the probe listed: no "unexpected error"
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
Figures = dict[str, int]
MUST_BE_ZERO = ("with plaintext", "crossed copies", "stale copies", "leftovers", "forged accepted",
                "readable by others", "canary in the register", "canary in copies past their retention",
                "over 10 s", "over 201 lines", "unexpected errors", "proved nothing")
CANARY = "Zebracanary"
PASSPHRASE = "a fictional passphrase of length"


def _env(folder: Path, **more: str) -> dict[str, str]:
    """The environment of a program run by the probe: its own data, log, cache and temporary folders."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "BSCP_DATA_DIR": str(folder / "data"), "BSCP_LOG_DIR": str(folder / "logs"),
           "BSCP_CACHE_DIR": str(folder / "cache"), "TMPDIR": str(folder / "tmp"), **more}
    (folder / "tmp").mkdir(parents=True, exist_ok=True)
    return env


def run(folder: Path, *argv: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess[str]:
    """``bscp-desktop ARGV`` as a separate process started with the usual umask (022)."""
    return subprocess.run([sys.executable, "-m", "bscp_desktop", *argv], env=_env(folder, **env), text=True,
                          capture_output=True, timeout=timeout, preexec_fn=lambda: os.umask(0o022), check=False)


def _files_with(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()] if root.exists() else []


def _register(folder: Path, path: Path, pseudonym: str, encrypted: bool = False) -> None:
    """A small register at ``path`` holding one incident of ``pseudonym`` (made through the command line)."""
    code = "\n".join([
        f"import datetime as dt, sys; sys.path.insert(0, {str(ROOT)!r})",
        "from bscp_desktop.services import Services",
        "from bscp_desktop.services.incidents.input import IncidentInput",
        f"s = Services.open({str(path)!r}); s.initialise_new(); s.demo.build(20, 3, dt.date(2026, 11, 20))",
        f"s.incidents.register(IncidentInput({pseudonym!r}, 'died', dt.date(2026, 11, 2), "
        f"notes={'Notes on ' + pseudonym!r})); s.close()"])
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-c", code], env=_env(folder), check=True, capture_output=True)
    if encrypted:
        run(folder, "encrypt", "--db", str(path), "--passphrase", BSCP_DB_PASSPHRASE=PASSPHRASE)


# -- temporary files ---------------------------------------------------------------------------------------------
def temporary_files(folder: Path) -> Figures:
    """A self-test (every page, a report generated and previewed, forms opened) on an encrypted register: what
    is left in the system's temporary folder and the program's private one once it has exited."""
    register = folder / "enc" / "bscp.db"
    _register(folder, register, f"Child {CANARY}", encrypted=True)
    before = set((folder / "tmp").rglob("*"))
    done = run(folder, "--self-test", "--db", str(register), BSCP_DB_PASSPHRASE=PASSPHRASE, timeout=600)
    left = [p for p in set((folder / "tmp").rglob("*")) - before if p.is_file()]
    private = [p for p in (folder / "cache" / "temporary").rglob("*") if p.is_file()]
    plaintext = [p for p in left + private if CANARY.encode() in p.read_bytes() or b"SI20" in p.read_bytes()]
    return {"self-test exit": done.returncode, "files left": len(left) + len(private),
            "with plaintext": len(plaintext), "proved nothing": int(done.returncode != 0)}


# -- two registers of one name ----------------------------------------------------------------------------------
def same_named_registers(folder: Path) -> Figures:
    """bscp.db in two folders, a daily copy of each on the same day: each register's copies hold its own data."""
    sys.path.insert(0, str(ROOT))
    from bscp_desktop.store.copies import copies_of_database, daily_backup
    from bscp_desktop.store.engine import Database, resolve_url

    os.environ.update({k: v for k, v in _env(folder).items() if k.startswith("BSCP_")})
    paths = {name: folder / name / "bscp.db" for name in ("east", "west")}
    for name, path in paths.items():
        _register(folder, path, f"Child {name.title()}{CANARY}")
    copies = crossed = 0
    for name, path in paths.items():
        db = Database(resolve_url(path))
        daily_backup(db, dt.date(2026, 11, 19))
        found = copies_of_database(db)
        db.dispose()
        copies += len(found)
        crossed += sum(1 for c in found if f"{name.title()}{CANARY}".encode() not in c.path.read_bytes())
    return {"registers": 2, "copies": copies, "crossed copies": crossed, "proved nothing": int(copies < 2)}


# -- kills during rekey -------------------------------------------------------------------------------------------
def rekey_kills(folder: Path, kills: int) -> Figures:
    """``rekey`` killed ``kills`` times across its run; after each, the next opening: copies the register's key
    does not open, and what the interrupted runs left beside them."""
    import random

    from bscp_desktop.services import Services
    from bscp_desktop.store.copies import daily_backup
    from bscp_desktop.store.encryption import copies_on_another_key, opens_with
    from bscp_desktop.store.engine import Database, resolve_url
    from bscp_desktop.store.keys import RegisterKey

    os.environ.update({k: v for k, v in _env(folder).items() if k.startswith("BSCP_")})
    path = folder / "rekey" / "bscp.db"
    _register(folder, path, f"Child {CANARY}", encrypted=True)
    keys = [RegisterKey.passphrase(PASSPHRASE), RegisterKey.passphrase("another fictional passphrase")]
    db = Database(resolve_url(path), key=keys[0])
    for day in range(3):
        daily_backup(db, dt.date(2026, 11, 10 + day))
    db.dispose()
    started = time.perf_counter()
    run(folder, "rekey", "--db", str(path), BSCP_DB_PASSPHRASE=keys[0].secret, BSCP_NEW_DB_PASSPHRASE=keys[1].secret)
    whole = time.perf_counter() - started
    rng, stale, leftovers = random.Random(5), 0, 0
    for _ in range(kills):
        now = next(k for k in keys if opens_with(path, k))
        new = keys[1 - keys.index(now)]
        proc = subprocess.Popen([sys.executable, "-m", "bscp_desktop", "rekey", "--db", str(path)],
                                env=_env(folder, BSCP_DB_PASSPHRASE=now.secret, BSCP_NEW_DB_PASSPHRASE=new.secret),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.02, 1.0) * whole)
        proc.kill()
        proc.wait()
        now = next(k for k in keys if opens_with(path, k))
        Services.open(path, key=now).close()  # the next opening
        stale += len(copies_on_another_key(path, now))
        leftovers += len([p for p in (folder / "data" / "backups").rglob(".*") if p.is_file()])
    return {"kills": kills, "stale copies": stale, "leftovers": leftovers}


# -- forged audit entries (PostgreSQL) ------------------------------------------------------------------------------
def forged_audit_entries(pg_url: str) -> Figures:
    """A viewer and an editor each try to append a back-dated 'dispose' entry in the administrator's name, and an
    unsealed one, with plain psycopg: how many the server took."""
    import uuid

    import psycopg
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from bscp_desktop.domain.vocab import Role
    from bscp_desktop.services import Services
    from bscp_desktop.store.audit_chain import entry_hash, values_digest
    from bscp_desktop.store.server_roles import group_names, setup_server_roles

    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    name = f"bscp_forge_{uuid.uuid4().hex[:8]}"
    logins = {role: f"bscp_forge_{uuid.uuid4().hex[:6]}_{role.value}" for role in (Role.VIEWER, Role.EDITOR)}
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(pg_url).set(database=name)
    accepted = attempts = 0
    try:
        owner = Services.open(url.render_as_string(hide_password=False))
        owner.initialise_new()
        with owner.db.write() as s:
            setup_server_roles(s.connection())
        for role, login in logins.items():
            owner.users.add(login, role, password="fictional-Pw7")
        owner_login = owner.users.me().login
        owner.close()
        for login in logins.values():
            with psycopg.connect(host=url.host, port=url.port or 5432, dbname=name, user=login,
                                 password="fictional-Pw7", autocommit=True) as conn:
                head = conn.execute("SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
                for who, at in ((owner_login, dt.datetime(2020, 1, 1, 9, tzinfo=dt.UTC)), (login, None)):
                    moment = at or conn.execute("SELECT now()").fetchone()[0]
                    digest = values_digest("forged", None, None)
                    sealed = entry_hash(who, moment, "dispose", "disposal", "SI2015-16/001", digest, head)
                    for seal in (sealed, ""):
                        attempts += 1
                        try:
                            conn.execute('INSERT INTO audit_log (at, "user", action, entity, entity_id, summary, '
                                         "prev_hash, entry_hash, values_digest, values_removed) VALUES (%s, %s, "
                                         "'dispose', 'disposal', 'SI2015-16/001', 'forged', %s, %s, %s, false)",
                                         (moment.astimezone(dt.UTC).replace(tzinfo=None), who, head, seal, digest))
                            accepted += 1 if (who != login or at is not None or not seal) else 0
                        except psycopg.Error:
                            pass
    finally:
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in (*logins.values(), *reversed(list(group_names(name).values()))):
                c.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        admin.dispose()
    return {"attempts": attempts, "forged accepted": accepted}


# -- file modes ------------------------------------------------------------------------------------------------------
def file_modes(folder: Path) -> Figures:
    """The commands that write files, started with umask 022: files and folders others can read."""
    if os.name != "posix":
        return {"files": 0, "readable by others": 0}
    work = folder / "modes"
    db = str(work / "bscp.db")
    for argv in (["demo", "--db", db, "--incidents", "20"], ["backup", "--db", db, "--out", str(work / "b" / "c.db")],
                 ["export", "incidents", "--db", db, "--out", str(work / "e" / "i.xlsx")],
                 ["report", "deadlines", "--db", db, "--out", str(work / "r" / "d.pdf")],
                 ["calendar", "--db", db, "--out", str(work / "c.ics")],
                 ["template", "incidents", "--out", str(work / "t.xlsx")],
                 ["encrypt", "--db", db, "--passphrase"], ["decrypt", "--db", db, "--out", str(work / "p" / "p.db")],
                 ["restore", "--db", db]):
        run(folder, *argv, BSCP_DB_PASSPHRASE=PASSPHRASE)
    found = [p for root in (work, folder / "data", folder / "logs") for p in root.rglob("*")]
    exposed = [p for p in found if p.stat().st_mode & (stat.S_IRGRP | stat.S_IROTH)]
    return {"files": len(found), "readable by others": len(exposed), "proved nothing": int(len(found) < 8)}


# -- disposal ---------------------------------------------------------------------------------------------------------
def disposal(folder: Path) -> Figures:
    """A canary incident and archive request disposed of on a plain register: where the canary survives."""
    from bscp_desktop.domain.vocab import RecordClass
    from bscp_desktop.services import Services
    from bscp_desktop.services.catalogue.requests import RequestInput
    from bscp_desktop.services.incidents.input import IncidentInput
    from bscp_desktop.store.copies import copies_of_database, daily_backup, prune, register_id

    os.environ.update({k: v for k, v in _env(folder).items() if k.startswith("BSCP_")})
    path = folder / "dispose" / "bscp.db"
    path.parent.mkdir(parents=True)
    svc = Services.open(path, today=lambda: dt.date(2026, 11, 20))
    svc.initialise_new()
    v = svc.incidents.register(IncidentInput(f"Child {CANARY}", "died", dt.date(2015, 12, 1),
                                             notes=f"Notes on {CANARY}")).value
    v = svc.incidents.record_notification(v.id, v.version, dt.date(2015, 12, 2)).value
    published = next(r for r in svc.catalogue.entries() if r.publication_date is not None)
    req = svc.requests.log(RequestInput(dt.date(2023, 10, 20), f"A {CANARY}", f"{CANARY.lower()}@example.org",
                                        (published.id,))).value
    svc.requests.decline(req.id, req.version, dt.date(2023, 10, 30), "Not held")
    daily_backup(svc.db, dt.date(2026, 11, 19))  # a copy made before the disposal holds the canary
    svc.retention.dispose(RecordClass.REQUEST, req.id)
    _close_incident_and_dispose(svc, v.id)
    with svc.db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    needle = CANARY.encode()
    in_register = sum(f.read_bytes().count(needle) for f in (path, Path(f"{path}-wal")) if f.exists())
    copies = copies_of_database(svc.db)
    in_copies = sum(1 for c in copies if needle in c.path.read_bytes())
    register = register_id(svc.db)
    svc.close()
    assert register is not None
    prune(register, dt.date(2026, 11, 19) + dt.timedelta(days=91), keep_daily=0)  # past their retention
    past = sum(1 for c in copies if c.path.exists() and needle in c.path.read_bytes())
    return {"canary in the register": in_register, "copies holding it before their retention": in_copies,
            "canary in copies past their retention": past, "proved nothing": int(in_copies == 0)}


def _answer_criteria(svc: Any, incident_id: int) -> Any:
    from bscp_desktop.domain.rapid_review import CriterionAnswer, LocalReviewCriterion
    from bscp_desktop.services.incidents.local_review_criteria import CriterionView
    from bscp_desktop.services.incidents.rapid_reviews import LocalReviewGrounds

    rr = svc.incidents.get(incident_id).rapid_review
    answers = tuple(CriterionView(c, CriterionAnswer.NOT_MET, "Fictional reasons") for c in LocalReviewCriterion)
    return svc.rapid_reviews.save_grounds(incident_id, rr.version, LocalReviewGrounds(answers)).value


def _close_incident_and_dispose(svc: Any, incident_id: int) -> None:
    from bscp_desktop.domain.vocab import Partner, RecordClass

    for n, partner in enumerate(Partner, start=1):
        v = svc.rapid_reviews.record_agreement(incident_id, partner, f"Fictional Signatory {n}", "Fictional role",
                                               dt.date(2015, 12, 15)).value
    v = svc.incidents.record_rapid_review(v.id, v.version, dt.date(2015, 12, 15)).value
    v = _answer_criteria(svc, v.id)
    v = svc.incidents.record_decision(v.id, v.version, "no-review", dt.date(2015, 12, 15), "Fictional reasons").value
    svc.incidents.close(v.id, v.version, dt.date(2016, 3, 1), "No local review")
    svc.retention.dispose(RecordClass.INCIDENT, incident_id)


# -- hostile imports ----------------------------------------------------------------------------------------------
def hostile_files(folder: Path, quick: bool) -> list[Path]:
    """40 and more files an import should refuse (or read) at once."""
    import xlsxwriter

    out = folder / "hostile"
    out.mkdir()
    files: list[Path] = []

    def add(name: str, data: bytes | str) -> None:
        p = out / name
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        files.append(p)

    header = "Pseudonym,Harm,Became aware\n"
    rows = 120_000 if quick else 200_000
    book = xlsxwriter.Workbook(str(out / "rows.xlsx"), {"constant_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["Pseudonym", "Harm", "Became aware", *(f"x{i}" for i in range(3 if quick else 47))])
    for r in range(1, rows + 1):
        ws.write_row(r, 0, [f"Child {r}", "died", "01/11/2026", *("x" for _ in range(3 if quick else 47))])
    book.close()
    files.append(out / "rows.xlsx")
    add("many-problems.csv", header + "".join(",no such harm,not a date\n" for _ in range(20_000)))
    add("utf16.csv", codecs.BOM_UTF16_LE + (header + "Child A,died,01/11/2026\n").encode("utf-16-le"))
    add("utf16-nobom.csv", (header + "Child A,died,01/11/2026\n").encode("utf-16-le"))
    add("utf16be.csv", codecs.BOM_UTF16_BE + (header + "Child A,died,01/11/2026\n").encode("utf-16-be"))
    add("empty.csv", b"")
    add("bom-only.csv", codecs.BOM_UTF8)
    add("nul.csv", b"\0" * 10_000)
    add("binary.xlsx", os.urandom(50_000))
    add("text.xlsx", "not a workbook")
    add("wide.csv", ",".join(["Pseudonym", *(f"c{i}" for i in range(5_000))]) + "\n")
    add("long-cell.csv", header + "Child A,died,01/11/2026," + "x" * 5_000_000 + "\n")
    add("blank-lines.csv", header + "\n" * 500_000)
    add("formulas.csv", header + "".join(f"=HYPERLINK(\"x{i}\"),died,01/11/2026\n" for i in range(300)))
    add("zero-width.csv", header + "\u200b\u200b,died,01/11/2026\n")
    add("rlo.csv", header + "Child \u202eA,died,01/11/2026\n")
    add("quotes.csv", header + '"' * 100_000 + "\n")
    add("semicolons.csv", "Pseudonym;Harm;Became aware\nChild A;died;01/11/2026\n")
    add("dates.csv", header + "".join(f"Child {i},died,{d}\n" for i, d in enumerate(
        ("31/02/2026", "9999-12-31", "0001-01-01", "01/13/2026", "", "tomorrow", "1e9", "-1"))))
    for n in range(22):  # one row each with a different hostile value in each column
        value = ["", " ", "=1+1", "\udcff".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
                 "x" * 200, "../../etc/passwd", "-1", "9" * 40, "\t", "NaN", "null", "<script>", "' OR 1=1 --",
                 "Child A\r\n", "\x1b[31m", "😀" * 30, "ｆｕｌｌ", "Ⅻ", "٣", "\ufeff", "\u2028", "%s%s"][n]
        add(f"value-{n:02d}.csv", f"{header}{value},{value},{value}\n")
    files.append(out)  # a folder
    if Path("/dev/zero").exists():
        files.append(Path("/dev/zero"))
    return files


def hostile_imports(folder: Path, quick: bool) -> Figures:
    """Each hostile file checked as ``import --check`` would: the slowest, and the lines of problems listed."""
    from bscp_desktop.services import Services
    from bscp_desktop.services.exchange.sheet import SheetError

    os.environ.update({k: v for k, v in _env(folder).items() if k.startswith("BSCP_")})
    svc = Services.open(folder / "imports.db")
    svc.initialise_new()
    slow = long = errors = 0
    files = hostile_files(folder, quick)
    for f in files:
        started = time.perf_counter()
        lines = 1
        try:
            plan = svc.incident_import.check(f)
            lines = len(plan.problems) + (1 if plan.problems_not_listed else 0)
        except (SheetError, OSError):
            pass
        except Exception:  # noqa: BLE001 - counted: an unexpected error is a fault
            errors += 1
        slow += int(time.perf_counter() - started > 10)
        long += int(lines > 201)
    svc.close()
    return {"files": len(files), "over 10 s": slow, "over 201 lines": long, "unexpected errors": errors}


# -- the command line's edges -----------------------------------------------------------------------------------
def command_line_edges(folder: Path) -> Figures:
    """The cases the probe listed: each must end in one line, never "unexpected error"."""
    work = folder / "edges"
    work.mkdir()
    db = str(work / "r.db")
    run(folder, "demo", "--db", db, "--incidents", "10")
    (work / "text.db").write_text("Minutes of the meeting\n")
    cases = [
        ["export", "incidents", "--db", db, "--out", str(work / "missing" / "x.xlsx")],
        ["template", "incidents", "--out", "/proc/x.xlsx"],
        ["calendar", "--db", db, "--out", str(work / "c.ics"), "--as-of", "9999-12-31"],
        ["demo", "--db", str(work / "d1.db"), "--incidents", "5", "--as-of", "9999-12-31"],
        ["demo", "--db", str(work / "d2.db"), "--incidents", "5", "--as-of", "1990-01-02"],
        ["check", "--db", str(work)], ["check", "--db", "mysql://a:b@localhost/x"],
        ["backup", "--db", db, "--out", "/proc/b.db"],
        ["import", str(work), "--db", db], ["import", "/dev/zero", "--db", db],
        ["check", "--db", str(work / "text.db")],
    ]
    unexpected = half = 0
    for argv in cases:
        done = run(folder, *argv)
        unexpected += int("unexpected error" in done.stderr or "Traceback" in done.stderr)
        half += int(done.returncode not in (0, 1, 2))
    leftovers = [p.name for p in work.iterdir() if p.name.startswith((".d1", ".d2", "d1", "d2"))]
    return {"cases": len(cases), "unexpected errors": unexpected + half, "leftovers": len(leftovers)}


def security_probes(folder: Path, quick: bool, pg_url: str) -> list[tuple[str, Figures]]:
    """Every probe above, with its title."""
    results = []
    for title, probe in (("temporary files after a self-test", lambda f: temporary_files(f)),
                         ("two registers of one name", same_named_registers),
                         ("kills during rekey", lambda f: rekey_kills(f, 6 if quick else 20)),
                         ("file modes", file_modes), ("disposal", disposal),
                         ("hostile imports", lambda f: hostile_imports(f, quick)),
                         ("command line edges", command_line_edges)):
        sub = folder / title.replace(" ", "-")
        sub.mkdir(parents=True)
        results.append((title, probe(sub)))
        shutil.rmtree(sub, ignore_errors=True)
    if pg_url:
        results.append(("forged audit entries (PostgreSQL)", forged_audit_entries(pg_url)))
    return results
