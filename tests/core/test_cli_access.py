"""The command line's access and retention commands: ``users``, ``server-setup``, ``retention``, ``report
retention``, the server password asked for and never kept, ``copy`` into a server ending with its roles set up,
and the key commands kept to administrators."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sys
from pathlib import Path

import psycopg
import pytest
from pypdf import PdfReader
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bscp_desktop.cli import main
from bscp_desktop.domain.vocab import HoldReason, Role
from bscp_desktop.services import Services
from tests.conftest import CLI_LOGINS, PG_URL
from tests.core.test_retention import closed_incident

AS_OF = dt.date(2026, 11, 20)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as e:  # a database that cannot be reached ends the command at once
        status = int(e.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


from bscp_desktop.util import os_identity  # noqa: E402 - beside the helper that stands in for it

REAL_LOGIN = os_identity.current_login


def as_login(monkeypatch: pytest.MonkeyPatch, login: str) -> None:
    """Run what follows as the operating-system account ``login`` (the program reads the account, not LOGNAME)."""
    monkeypatch.setattr(os_identity, "current_login", lambda: login)


@pytest.fixture
def register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A register that ``ash`` created (so administers), with one incident closed long ago and a hold on it."""
    as_login(monkeypatch, "ash")
    path = tmp_path / "r.db"
    svc = Services.open(path, today=lambda: AS_OF)
    svc.initialise_new()
    inc = closed_incident(svc, "Child A", dt.date(2015, 12, 1), dt.date(2016, 3, 1))
    closed_incident(svc, "Child B", dt.date(2015, 6, 1), dt.date(2015, 9, 1))
    svc.retention.place_legal_hold("incident", inc.id, HoldReason.POLICE, "Fictional operation")
    svc.close()
    return path


def test_an_administrator_manages_users_from_the_command_line(capsys: pytest.CaptureFixture[str], register: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(register)
    assert run(capsys, "users", "--db", db, "add", "bo", "--role", "editor")[:2] == (0, "Added bo as an editor\n")
    status, out, _ = run(capsys, "users", "--db", db, "list")
    assert status == 0
    assert [line.split()[:2] for line in out.splitlines()[1:3]] == [["ash", "Administrator"], ["bo", "Editor"]]
    assert "You are ash: an administrator" in out

    as_login(monkeypatch, "bo")
    status, _, err = run(capsys, "users", "--db", db, "add", "cy", "--role", "viewer")
    assert status == 1
    assert err.startswith("bscp-desktop: Only an administrator can add a user; you (bo) are an editor")
    assert "Ask an administrator (ash)" in err

    as_login(monkeypatch, "ash")
    assert run(capsys, "users", "--db", db, "set-role", "bo", "viewer")[:2] == (0, "bo is now a viewer\n")
    status, _, err = run(capsys, "users", "--db", db, "remove", "ash")
    assert status == 1 and "only administrator" in err
    assert run(capsys, "users", "--db", db, "remove", "bo")[0] == 0
    assert [u.login for u in Services.open(register, user="ash").users.list()] == ["ash"]


@pytest.mark.parametrize(("argv", "words"), [
    (["users", "add", "bo", "--role", "boss"], "'boss' is not a role (one of: viewer, editor, admin)"),
    (["users"], "the following arguments are required: ACTION"),
    (["users", "set-role", "bo"], "the following arguments are required: role"),
])
def test_bad_user_commands_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], register: Path,
                                               argv: list[str], words: str) -> None:
    status, _, err = run(capsys, argv[0], "--db", str(register), *argv[1:])
    assert status == 2 and words in err and len(err.strip().splitlines()) == 1


def test_retention_lists_what_is_due_and_the_holds(capsys: pytest.CaptureFixture[str], register: Path) -> None:
    status, out, _ = run(capsys, "retention", "--db", str(register), "--as-of", "2026-11-20")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == ("Rules: Incident with no review: 10 years after closure; Archive request and its "
                        "correspondence: 3 years after the answer")
    assert lines[1] == "Due for disposal review as of 20/11/2026: 2"
    assert "due 01/09/2025" in lines[2] and "LEGAL HOLD" not in lines[2]
    assert "due 01/03/2026" in lines[3] and "LEGAL HOLD: Police request: Fictional operation" in lines[3]
    assert lines[4].startswith("Legal hold on SI2015-16/") and "placed by ash" in lines[4]
    status, out, _ = run(capsys, "retention", "--db", str(register), "--as-of", "2025-08-01")
    assert "No record is due for disposal review as of 01/08/2025" in out


def test_the_retention_report(capsys: pytest.CaptureFixture[str], register: Path, tmp_path: Path) -> None:
    out = tmp_path / "retention.pdf"
    assert run(capsys, "report", "retention", "--db", str(register), "--out", str(out), "--as-of", "2026-11-20")[0] == 0
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Retention and disposal" in text and "Due for disposal review as of 20/11/2026" in text
    assert "Police request" in text and "Fictional operation" in text
    assert "No record has been disposed of." in text
    assert "Child A" not in text  # references only: no pseudonyms in a list of what is to be destroyed


def test_a_plain_copy_or_a_new_key_is_for_administrators(capsys: pytest.CaptureFixture[str], register: Path,
                                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    Services.open(register, user="ash").users.add("bo", Role.EDITOR)
    as_login(monkeypatch, "bo")
    monkeypatch.setenv("BSCP_DB_PASSPHRASE", "a fictional passphrase of length")
    status, _, err = run(capsys, "encrypt", "--db", str(register), "--passphrase")
    assert status == 1 and "Only an administrator can encrypt the register; you (bo) are an editor" in err
    assert register.read_bytes().startswith(b"SQLite format 3")


def test_who_you_are_comes_from_the_account_not_the_environment(capsys: pytest.CaptureFixture[str], register: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A viewer who sets LOGNAME or USER to the administrator's name is still themselves: refused, and the
    refusal is signed with their own account."""
    import pwd

    me = pwd.getpwuid(os.getuid()).pw_name
    Services.open(register, user="ash").users.add(me, Role.VIEWER)
    monkeypatch.setattr(os_identity, "current_login", REAL_LOGIN)  # from here on, the account this test runs as
    for variable in ("LOGNAME", "USER", "USERNAME", "LNAME"):
        monkeypatch.setenv(variable, "ash")
    status, _, err = run(capsys, "users", "--db", str(register), "set-role", me, "admin")
    assert status == 1 and f"you ({me}) are a viewer" in err
    with Services.open(register, user="ash").db.read() as s:
        last = s.execute(text('SELECT "user", action FROM audit_log ORDER BY id DESC LIMIT 1')).one()
    assert tuple(last) == (me, "refused")
    assert [u.role for u in Services.open(register, user="ash").users.list() if u.login == me] == [Role.VIEWER]


def test_server_setup_is_for_a_server(capsys: pytest.CaptureFixture[str], register: Path) -> None:
    status, _, err = run(capsys, "server-setup", "--db", str(register))
    assert status == 2 and "server-setup is for a PostgreSQL server" in err


needs_server = pytest.mark.skipif(not PG_URL, reason="needs BSCP_TEST_DATABASE_URL (CI starts a server)")


@needs_server
def test_server_setup_then_users_on_a_server(capsys: pytest.CaptureFixture[str], empty_pg_url: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    Services.open(empty_pg_url).close()  # the owner creates the register
    status, out, _ = run(capsys, "server-setup", "--db", empty_pg_url)
    assert status == 0 and "granted the three roles their rights" in out
    assert run(capsys, "server-setup", "--db", empty_pg_url)[0] == 0  # safe to run again
    login = CLI_LOGINS[0]
    monkeypatch.setenv("BSCP_NEW_USER_PASSWORD", "fictional-Pw5")
    assert run(capsys, "users", "--db", empty_pg_url, "add", login, "--role", "editor")[:2] == (
        0, f"Added {login} as an editor\n")
    url = make_url(empty_pg_url)
    with psycopg.connect(host=url.host, dbname=url.database, user=login, password="fictional-Pw5") as conn:
        assert conn.execute("SELECT count(*) FROM incidents").fetchone() == (0,)
    status, out, _ = run(capsys, "users", "--db", empty_pg_url, "list")
    assert f"{login}" in out and "Editor" in out


@needs_server
def test_a_server_password_is_asked_for_and_never_kept(capsys: pytest.CaptureFixture[str], empty_pg_url: str,
                                                      monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    Services.open(empty_pg_url).close()
    url = make_url(empty_pg_url)
    address = f"{url.drivername}://{url.username}@{url.host}/{url.database}"  # no password in the address
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    status, _, err = run(capsys, "users", "--db", address, "list")
    assert status == 1 and "needs the password of bscp" in err and "never saved" in err
    typed: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda prompt: typed.append(prompt) or ("wrong" if len(typed) == 1
                                                                                    else "bscp"))
    status, out, err = run(capsys, "users", "--db", address, "list")
    assert status == 0 and "You are bscp: an administrator" in out
    assert len(typed) == 2 and "That password was refused." in err


@needs_server
def test_a_copy_into_a_server_ends_with_its_roles_set_up(capsys: pytest.CaptureFixture[str], register: Path,
                                                         empty_pg_url: str) -> None:
    status, out, _ = run(capsys, "copy", "--from", str(register), "--to", empty_pg_url)
    assert status == 0
    assert "Server roles: granted the three roles their rights" in out
    assert "needs a server login of their own" in out and "  ash (admin)" in out
    svc = Services.open(empty_pg_url)
    try:
        login = CLI_LOGINS[1]
        svc.users.add(login, Role.VIEWER, password="fictional-Pw6")
    finally:
        svc.close()
    url = make_url(empty_pg_url)
    with psycopg.connect(host=url.host, dbname=url.database, user=login, password="fictional-Pw6") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE incidents SET notes = 'x'")
