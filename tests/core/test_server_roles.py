"""Roles the PostgreSQL server enforces: each person's own login, connecting with plain psycopg (as psql or a
spreadsheet's ODBC link would, not through the program), can do only what their role allows, and the program
reads the role from the server's role membership."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from bscp_desktop.services import Services
from bscp_desktop.services.incidents import IncidentInput
from bscp_desktop.services.users import UserManager
from bscp_desktop.store.engine import RegisterUnusable
from bscp_desktop.store.server_roles import setup_server_roles
from bscp_desktop.vocab import Role
from tests.conftest import TODAY, fingerprint, new_login

pytestmark = pytest.mark.postgresql_only

PASSWORD = "fictional-Pw7"


def login_as(svc: Any, name: str, role: Role | None) -> str:
    """A new server login given ``role`` by the register's administrator (None: a login with no role)."""
    login = new_login(svc, name)
    svc.users.add(login, role or Role.VIEWER, password=PASSWORD)
    if role is None:
        svc.users.remove(login)
    return login


def url_for(db_url: str, login: str) -> str:
    return make_url(db_url).set(username=login, password=PASSWORD).render_as_string(hide_password=False)


@pytest.fixture
def connect(db_url: str) -> Iterator[Any]:
    """``connect(login)``: a plain psycopg connection to the test database as ``login``, autocommit."""
    url = make_url(db_url)
    opened: list[psycopg.Connection[Any]] = []

    def open_as(login: str) -> psycopg.Connection[Any]:
        conn = psycopg.connect(host=url.host, port=url.port or 5432, dbname=url.database, user=login,
                               password=PASSWORD, autocommit=True)
        opened.append(conn)
        return conn

    yield open_as
    for conn in opened:
        conn.close()


@pytest.fixture
def incident(svc: Any) -> Any:
    return svc.incidents.register(IncidentInput("Child A", "died", dt.date(2026, 11, 2))).value


def refused(conn: Any, sql: str) -> bool:
    """True when the server refuses ``sql`` for want of a privilege."""
    try:
        conn.execute(sql)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def test_a_viewer_login_can_read_but_change_nothing(svc: Any, connect: Any, incident: Any) -> None:
    viewer = connect(login_as(svc, "vic", Role.VIEWER))
    assert viewer.execute("SELECT pseudonym FROM incidents WHERE id = %s", (incident.id,)).fetchone() == ("Child A",)
    assert refused(viewer, f"UPDATE incidents SET pseudonym = 'Child Z' WHERE id = {incident.id}")
    assert refused(viewer, f"DELETE FROM incidents WHERE id = {incident.id}")
    assert refused(viewer, "INSERT INTO themes (name, version) VALUES ('Forged', 1)")
    assert refused(viewer, "UPDATE settings SET value = '1'")
    assert refused(viewer, "CREATE TABLE side_door (x int)")
    assert svc.incidents.get(incident.id).pseudonym == "Child A"


def test_an_editor_login_changes_records_but_not_the_settings(svc: Any, connect: Any, incident: Any) -> None:
    editor = connect(login_as(svc, "eddie", Role.EDITOR))
    before = fingerprint(svc)
    assert not refused(editor, f"UPDATE incidents SET notes = 'Seen' WHERE id = {incident.id}")
    assert refused(editor, "UPDATE settings SET value = '1'")
    for table in ("closure_days", "agencies", "themes", "register_users", "legal_holds", "disposal_log"):
        assert refused(editor, f"DELETE FROM {table}"), table
    after = fingerprint(svc)
    assert [t for t in before if before[t] != after[t]] == ["incidents"]


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_no_role_can_rewrite_or_delete_an_audit_entry(svc: Any, connect: Any, incident: Any, role: Role) -> None:
    conn = connect(login_as(svc, "audra", role))
    before = svc.audit_log.verify()
    assert refused(conn, "UPDATE audit_log SET summary = 'nothing happened' WHERE id = (SELECT max(id) FROM audit_log)")
    assert refused(conn, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    assert refused(conn, "TRUNCATE audit_log")
    after = svc.audit_log.verify()
    assert after.ok and (after.entries, after.head) == (before.entries, before.head)


def test_the_server_refuses_even_when_the_program_does_not_check(svc: Any, db_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    viewer = Services.open(url_for(db_url, login_as(svc, "val", Role.VIEWER)), today=lambda: TODAY)
    monkeypatch.setattr(UserManager, "check", lambda *_a: None)  # a client with no checks of its own
    try:
        with pytest.raises(Exception, match="permission denied for table"):
            viewer.incidents.register(IncidentInput("Child B", "died", dt.date(2026, 11, 2)))
    finally:
        viewer.close()
    assert fingerprint(svc)["incidents"] == []


def test_the_role_is_read_from_the_server_not_from_a_table(svc: Any, db_url: str) -> None:
    login = login_as(svc, "rob", Role.VIEWER)
    user = Services.open(url_for(db_url, login), today=lambda: TODAY)
    try:
        assert (user.users.me().login, user.users.role()) == (login, Role.VIEWER)
        with svc.db.write() as s:  # a row claiming otherwise changes nothing
            s.connection().exec_driver_sql(
                f"INSERT INTO register_users (login, role, added_by, added_at, version) VALUES ('{login}', 'admin', 'x', now(), 1)")
        assert user.users.role() is Role.VIEWER
        svc.users.set_role(login, Role.EDITOR)
        assert user.users.role() is Role.EDITOR  # read afresh: no need to reopen
        assert {u.login: u.role for u in svc.users.list()}[login] is Role.EDITOR
    finally:
        user.close()


def test_a_login_with_no_role_is_told_whom_to_ask(svc: Any, db_url: str) -> None:
    login = login_as(svc, "nora", None)
    with pytest.raises(RegisterUnusable) as refusal:
        Services.open(url_for(db_url, login), today=lambda: TODAY)
    assert f"Your login ({login}) has no bscp-desktop role" in str(refusal.value)
    assert svc.users.me().login in str(refusal.value)  # the owner, the only administrator


def test_server_setup_is_safe_to_run_again(svc: Any, connect: Any, incident: Any) -> None:
    login = login_as(svc, "sam", Role.EDITOR)
    with svc.db.write() as s:
        done = setup_server_roles(s.connection())
    assert not any(line.startswith("created") for line in done)  # the group roles were there already
    editor = connect(login)
    assert not refused(editor, f"UPDATE incidents SET notes = 'Again' WHERE id = {incident.id}")
    assert refused(editor, "UPDATE settings SET value = '1'")


def test_an_upgrade_by_the_owner_grants_the_roles_the_tables_it_adds() -> None:
    """A server register set up at 0009 and upgraded by its owner: the tables 0010 adds (the children, agency
    returns, partners' agreements) are an editor's to write at once, with no server-setup run again."""
    import uuid

    from bscp_desktop.store import Database, upgrade
    from bscp_desktop.store.engine import resolve_url
    from bscp_desktop.store.server_roles import set_server_role
    from tests.conftest import _CREATED_LOGINS, TEST_LOGIN_PREFIX, scratch_pg_database

    with scratch_pg_database() as url:
        db = Database(resolve_url(url))
        upgrade(db, target="0009")
        editor = f"{TEST_LOGIN_PREFIX}{uuid.uuid4().hex[:8]}_upg"
        _CREATED_LOGINS.add(editor)
        with db.write() as s:
            setup_server_roles(s.connection())
            set_server_role(s.connection(), editor, Role.EDITOR, PASSWORD)
        db.dispose()
        owner = Services.open(url, user="tester")  # the owner's program upgrades the register
        try:
            assert owner.migration is not None and owner.migration.before == "0009"
            owner.initialise_new()
            v = owner.incidents.register(IncidentInput("Child A", "died", dt.date(2026, 11, 2))).value
        finally:
            owner.close()
        u = make_url(url)
        with psycopg.connect(host=u.host, port=u.port or 5432, dbname=u.database, user=editor, password=PASSWORD,
                             autocommit=True) as conn:
            assert not refused(conn, f"UPDATE incident_children SET ethnicity = 'Not known' WHERE incident_id = {v.id}")
            assert conn.execute("SELECT count(*) FROM agency_returns").fetchone() == (0,)
            assert refused(conn, "DELETE FROM audit_log")
