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

from bscp_desktop.domain.vocab import Role
from bscp_desktop.services import Services
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.services.trust.users import UserManager
from bscp_desktop.store.errors import RegisterUnusable
from bscp_desktop.store.server_roles import setup_server_roles
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
    """An editor's own login changes a record with plain SQL, bypassing the program: allowed by the role, and
    recorded by the server in the audit log as a direct write, sealed into the chain."""
    login = login_as(svc, "eddie", Role.EDITOR)
    editor = connect(login)
    before = fingerprint(svc)
    assert not refused(editor, f"UPDATE incidents SET notes = 'Seen' WHERE id = {incident.id}")
    assert refused(editor, "UPDATE settings SET value = '1'")
    for table in ("closure_days", "agencies", "themes", "register_users", "legal_holds", "disposal_log"):
        assert refused(editor, f"DELETE FROM {table}"), table
    after = fingerprint(svc)
    assert [t for t in before if before[t] != after[t]] == ["audit_log", "incidents"]
    with svc.db.engine.connect() as conn:
        last = conn.exec_driver_sql('SELECT "user", action, entity, entity_id, summary FROM audit_log '
                                    "ORDER BY id DESC LIMIT 1").one()
    assert tuple(last[:4]) == (login, "direct write", "incidents", "UPDATE") and "outside bscp-desktop" in last[4]
    assert svc.audit_log.verify().ok  # sealed by the server in the chain's own form


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

    from bscp_desktop.store.engine import Database, resolve_url
    from bscp_desktop.store.migrate import upgrade
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


def _head(conn: Any) -> str:
    return str(conn.execute("SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0])


def _forge(conn: Any, user: str, at: str, prev: str) -> str:
    """An INSERT of a 'dispose' entry with a hash computed as the program would (the scheme is public)."""
    from bscp_desktop.store.audit_chain import entry_hash, values_digest

    moment = dt.datetime.fromisoformat(at)
    digest = values_digest("forged", None, None)
    sealed = entry_hash(user, moment, "dispose", "disposal", "SI2015-16/001", digest, prev)
    return (f"INSERT INTO audit_log (at, \"user\", action, entity, entity_id, summary, prev_hash, entry_hash, "
            f"values_digest, values_removed) VALUES ('{at}', '{user}', 'dispose', 'disposal', 'SI2015-16/001', "
            f"'forged', '{prev}', '{sealed}', '{digest}', false)")


def test_no_login_can_forge_an_audit_entry(svc: Any, connect: Any, incident: Any) -> None:
    """A viewer cannot insert into the log at all; an editor cannot back-date an entry, sign it with another
    login or leave it unsealed; the chain stays intact and every later check passes."""
    viewer = connect(login_as(svc, "vera", Role.VIEWER))
    editor_login = login_as(svc, "ed", Role.EDITOR)
    editor = connect(editor_login)
    admin = svc.users.me().login
    before = svc.audit_log.verify()
    head = _head(editor)
    assert refused(viewer, _forge(viewer, admin, "2020-01-01 09:00:00", head))
    assert refused(editor, _forge(editor, admin, "2020-01-01 09:00:00", head))  # back-dated, another's name
    now = editor.execute("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')").fetchone()[0]
    assert refused(editor, _forge(editor, admin, now, head))  # another login's name
    assert refused(editor, _forge(editor, editor_login, "2020-01-01 09:00:00", head))  # back-dated
    assert refused(editor, "INSERT INTO audit_log (at, \"user\", action, entity, entity_id, summary) VALUES "
                           "(now() AT TIME ZONE 'UTC', session_user, 'dispose', 'disposal', 'x', 'unsealed')")
    after = svc.audit_log.verify()
    assert after.ok and (after.entries, after.head) == (before.entries, before.head)


def test_a_viewers_refused_attempt_is_recorded_through_the_servers_function(svc: Any, db_url: str,
                                                                          incident: Any) -> None:
    from bscp_desktop.services.core.errors import PermissionDenied

    login = login_as(svc, "vince", Role.VIEWER)
    viewer = Services.open(url_for(db_url, login), today=lambda: TODAY)
    try:
        with pytest.raises(PermissionDenied):
            viewer.incidents.register(IncidentInput("Child B", "died", dt.date(2026, 11, 2)))
    finally:
        viewer.close()
    with svc.db.engine.connect() as conn:
        last = conn.exec_driver_sql('SELECT "user", action, summary FROM audit_log ORDER BY id DESC LIMIT 1').one()
    assert (last[0], last[1]) == (login, "refused") and "tried to record an incident" in last[2]
    assert svc.audit_log.verify().ok


def test_a_head_printed_before_a_lawful_disposal_still_verifies(svc: Any, connect: Any) -> None:
    from bscp_desktop.domain.vocab import RecordClass
    from tests.core.test_retention import closed_incident

    inc = closed_incident(svc, "Child Zebracanary", dt.date(2015, 12, 1), dt.date(2016, 3, 1), notes="Canary")
    printed = svc.audit_log.verify().head  # as the deadlines report's last page prints it
    svc.retention.dispose(RecordClass.INCIDENT, inc.id)
    chain = svc.audit_log.verify()
    with svc.db.engine.connect() as conn:
        heads = {h for h, in conn.exec_driver_sql("SELECT entry_hash FROM audit_log")}
        text_left = conn.exec_driver_sql("SELECT count(*) FROM audit_log WHERE strpos(summary || "
                                         "coalesce(CAST(before AS text), '') || coalesce(CAST(after AS text), ''), "
                                         "'Zebracanary') > 0").scalar()
    assert chain.ok and printed in heads and text_left == 0
    admin = connect(login_as(svc, "adam", Role.ADMIN))
    assert refused(admin, "DELETE FROM disposal_log")  # the disposal log is insert-only, administrators included
    assert refused(admin, "UPDATE audit_log SET summary = '' WHERE id = 1")


def test_two_registers_on_one_server_share_no_users(svc: Any, connect: Any) -> None:
    """Each register has group roles of its own: a role given in one gives nothing in another, and its
    administrators' function cannot reach another register's groups."""
    from bscp_desktop.store.server_roles import group_names
    from tests.conftest import scratch_pg_database

    login = login_as(svc, "tess", Role.ADMIN)
    with scratch_pg_database() as other_url:
        other = Services.open(other_url)
        try:
            with other.db.write() as s:
                setup_server_roles(s.connection())
            u = make_url(other_url)
            with psycopg.connect(host=u.host, port=u.port or 5432, dbname=u.database, user=login,
                                 password=PASSWORD, autocommit=True) as conn:
                assert refused(conn, "UPDATE settings SET value = '1'")  # an administrator there, nothing here
            with svc.db.engine.connect() as conn:
                mine = conn.exec_driver_sql("SELECT current_database()").scalar()
            theirs = group_names(u.database)[Role.ADMIN]
            mine_admin = connect(login)
            with pytest.raises(psycopg.errors.RaiseException, match="not a role of this register"):
                mine_admin.execute(f"SELECT bscp_set_role('{login}', '{theirs}')")
            assert group_names(mine)[Role.ADMIN] != theirs
        finally:
            other.close()
