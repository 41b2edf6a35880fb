"""Roles enforced by a PostgreSQL server, so that no client (this program, psql, a spreadsheet's ODBC link) can
step round them.

``setup_server_roles`` (``bscp-desktop server-setup``, run by the database owner; safe to run again) creates
three group roles of the register's own (named after its database, ``bscp_<database>_viewer`` and so on: two
registers on one cluster share no users), each a member of the one before so it inherits its rights:

* viewer: connect, read every table; record their own refused attempts through ``bscp_audit_refused``, and
  nothing else;
* editor: also add, change and remove the register's records, and add audit entries in their own name;
* admin: also the settings, rule amounts, closure days, agencies, themes, retention and legal holds, adding to the
  disposal log, managing users through ``bscp_set_role`` and removing a disposed record's values from its audit
  entries through ``bscp_remove_audit_values``.

No application role may UPDATE, DELETE or TRUNCATE the audit log or the disposal log. The SECURITY DEFINER
functions are owned by the database owner and do one thing each, so nobody needs rights beyond their role.
``store.server_audit`` adds what guards the audit log itself: an entry's user and time are the server's, and it
must follow the head, sealed; a write made outside the program is recorded in the log.

A user's role is read from the server (``server_identity``: role membership, ownership, superuser), never from a
table a client could write.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from bscp_desktop.domain.vocab import Role

LEGACY_GROUPS = ("bscp_viewer", "bscp_editor", "bscp_admin")  # cluster-wide, before groups were per register

# Tables only administrators change; every other table of the register editors change too.
ADMIN_TABLES = ("settings", "closure_days", "agencies", "themes", "register_users", "legal_holds")
# Tables no application role changes once written: the audit log (viewers reach it only through
# bscp_audit_refused), and the disposal log (administrators add to it); the schema version is the owner's.
APPEND_ONLY = ("audit_log",)
ADMIN_APPEND_ONLY = ("disposal_log",)
OWNER_ONLY = ("alembic_version",)

LOGIN = re.compile(r"^[a-z_][a-z0-9_.@-]{0,62}$")


def group_names(database: str) -> dict[Role, str]:
    """The register's own group roles, named after its database (shortened, with a hash to keep them apart, when
    the name is long or holds other characters)."""
    base = re.sub(r"[^a-z0-9_]", "_", database.lower())
    if base != database or len(base) > 40:
        base = f"{base[:33]}_{hashlib.sha256(database.encode()).hexdigest()[:6]}"
    return {role: f"bscp_{base}_{role.value}" for role in Role}


def groups(conn: Connection) -> dict[Role, str]:
    """The group roles of the register ``conn`` is connected to."""
    return group_names(conn.execute(text("SELECT current_database()")).scalar_one())


def _set_role_function(names: dict[Role, str]) -> str:
    viewer, editor, admin = (names[r] for r in Role)
    mine = f"ARRAY['{viewer}', '{editor}', '{admin}']"
    return f"""
CREATE OR REPLACE FUNCTION bscp_set_role(login text, new_role text, new_password text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    g text;
BEGIN
    IF new_role IS NOT NULL AND new_role <> ALL({mine}) THEN
        RAISE EXCEPTION 'not a role of this register: %', new_role;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login AND NOT rolcanlogin) THEN
        RAISE EXCEPTION '% is a group role, not a login', login;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
        IF new_role IS NULL THEN
            RETURN;
        END IF;
        IF new_password IS NULL OR new_password = '' THEN
            RAISE EXCEPTION 'there is no login %: give a password to create it', login;
        END IF;
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', login, new_password);
    ELSIF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login AND rolsuper) THEN
        RAISE EXCEPTION '% is a superuser: its rights are set by the server''s administrator', login;
    END IF;
    FOREACH g IN ARRAY {mine} LOOP
        IF EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles gr ON gr.oid = m.roleid
                   JOIN pg_roles u ON u.oid = m.member WHERE gr.rolname = g AND u.rolname = login) THEN
            EXECUTE format('REVOKE %I FROM %I', g, login);
        END IF;
    END LOOP;
    IF new_role IS NOT NULL THEN
        EXECUTE format('GRANT %I TO %I', new_role, login);
    END IF;
END
$$
"""


@dataclass(frozen=True)
class ServerIdentity:
    """Who the connection's login is and the role the server gives it. ``owner``: the login owns the register's
    tables (or is a superuser), so it is an administrator whatever its memberships; ``set_up``: server-setup
    has been run (the group roles exist)."""

    login: str
    role: Role | None
    owner: bool
    set_up: bool


@dataclass(frozen=True)
class ServerUser:
    """A login that holds one of the three roles."""

    login: str
    role: Role


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def server_identity(conn: Connection) -> ServerIdentity:
    """The connection's login and its role, as the server's catalogue says."""
    login = conn.execute(text("SELECT session_user")).scalar_one()
    owner = bool(conn.execute(text(
        "SELECT r.rolsuper OR coalesce((SELECT pg_has_role(session_user, c.relowner, 'MEMBER') FROM pg_class c "
        "WHERE c.oid = to_regclass('audit_log')), false) FROM pg_roles r WHERE r.rolname = session_user"))
        .scalar())
    names = groups(conn)
    held = {name for name, in conn.execute(text(
        "SELECT g.rolname FROM pg_roles g WHERE g.rolname = ANY(:groups) "
        "AND pg_has_role(session_user, g.oid, 'MEMBER')"), {"groups": list(names.values())})}
    exists = conn.execute(text("SELECT count(*) FROM pg_roles WHERE rolname = ANY(:groups)"),
                          {"groups": list(names.values())}).scalar_one()
    role = Role.ADMIN if owner else next((r for r in reversed(Role) if names[r] in held), None)
    return ServerIdentity(login, role, owner, exists == len(names))


def server_users(conn: Connection) -> list[ServerUser]:
    """Every login given one of the three roles directly, with the highest it holds, by login."""
    names = groups(conn)
    rows = conn.execute(text(
        "SELECT u.rolname, g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = ANY(:groups) AND u.rolcanlogin"),
        {"groups": list(names.values())}).all()
    by_group = {g: r for r, g in names.items()}
    best: dict[str, Role] = {}
    for login, group in rows:
        role = by_group[group]
        if login not in best or role.rank > best[login].rank:
            best[login] = role
    return [ServerUser(login, best[login]) for login in sorted(best)]


def table_owner(conn: Connection) -> str:
    """The login that owns the register's tables (whom to ask when nobody else is an administrator)."""
    return str(conn.execute(text("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass('audit_log')"))
               .scalar() or "the database owner")


def set_server_role(conn: Connection, login: str, role: Role | None, password: str | None = None) -> None:
    """Give ``login`` ``role`` (None: take every bscp-desktop role away), creating the login with ``password``
    when there is none, through ``bscp_set_role`` (administrators may call it; it can do nothing else)."""
    conn.execute(text("SELECT bscp_set_role(:login, :role, :password)"),
                 {"login": login, "role": groups(conn)[role] if role else None, "password": password})


def regrant_after_upgrade(conn: Connection) -> bool:
    """After an upgrade by the register's owner, grant the three roles their rights again, so tables the upgrade
    added are covered at once; True when done. Nothing when the server's roles were never set up (server-setup
    does that) or when this login does not own the tables (it could not have upgraded them)."""
    names = groups(conn)
    found = conn.execute(text("SELECT count(*) FROM pg_roles WHERE rolname = ANY(:g)"),
                         {"g": list(names.values())}).scalar_one()
    if found < len(names) or table_owner(conn) != conn.execute(text("SELECT session_user")).scalar_one():
        return False
    setup_server_roles(conn)
    return True


def setup_server_roles(conn: Connection) -> list[str]:
    """Create the register's group roles (when missing) and grant each its rights on every table of the register;
    safe to run again (it grants afresh, so tables added by a later upgrade are covered). Members of the old
    cluster-wide groups keep their role here. Returns what it did, a line each. Needs the database owner with the
    CREATEROLE right (or a superuser)."""
    from bscp_desktop.store.server_audit import install_audit_guards

    done: list[str] = []
    names = groups(conn)
    existing = {name for name, in conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:g)"),
                                               {"g": list(names.values())})}
    previous: str | None = None
    for role in Role:
        group = names[role]
        if group not in existing:
            conn.execute(text(f"CREATE ROLE {_ident(group)} NOLOGIN" + (f" IN ROLE {_ident(previous)}" if previous
                                                                         else "")))
            done.append(f"created group role {group}")
        elif previous:
            conn.execute(text(f"GRANT {_ident(previous)} TO {_ident(group)}"))
        previous = group
    done += _move_legacy_members(conn, names)
    database = conn.execute(text("SELECT current_database()")).scalar_one()
    tables = [t for t, in conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"))]
    for statement in _grants(conn, names, database, tables):
        conn.execute(text(statement))
    done.append(f"granted the three roles their rights on {len(tables)} tables of {database}")
    done += install_audit_guards(conn, names, tables)
    done.append("the audit log and the disposal log are insert-only for every role; bscp_set_role lets "
                "administrators manage users")
    return done


def _move_legacy_members(conn: Connection, names: dict[Role, str]) -> list[str]:
    """Logins in the old cluster-wide groups get the same role in this register's own groups; the old groups lose
    every right here (other registers on the cluster keep theirs until their owner runs server-setup)."""
    legacy = dict(zip(LEGACY_GROUPS, Role, strict=True))
    rows = conn.execute(text(
        "SELECT u.rolname, g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = ANY(:g) AND u.rolcanlogin"),
        {"g": list(LEGACY_GROUPS)}).all()
    for login, group in rows:
        conn.execute(text(f"GRANT {_ident(names[legacy[group]])} TO {_ident(login)}"))
    database = conn.execute(text("SELECT current_database()")).scalar_one()
    present = [g for g, in conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:g)"),
                                        {"g": list(LEGACY_GROUPS)})]
    for group in present:
        conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {_ident(group)}"))
        conn.execute(text(f"REVOKE ALL ON DATABASE {_ident(database)} FROM {_ident(group)}"))
    return [f"{len(rows)} logins of the old cluster-wide groups moved to this register's own"] if rows else []


def _grants(conn: Connection, names: dict[Role, str], database: str, tables: list[str]) -> list[str]:
    """The statements that give the three groups their rights on ``tables``."""
    viewer, editor, admin = (_ident(names[r]) for r in Role)
    everyone = f"PUBLIC, {viewer}, {editor}, {admin}"
    statements = [
        f"GRANT CONNECT ON DATABASE {_ident(database)} TO {viewer}",
        f"GRANT USAGE ON SCHEMA public TO {viewer}",
        f"REVOKE CREATE ON SCHEMA public FROM {everyone}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {everyone}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {viewer}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {viewer}",
    ]
    for table in tables:
        if table in OWNER_ONLY:
            continue
        if table in APPEND_ONLY or table in ADMIN_APPEND_ONLY:
            statements.append(f"GRANT INSERT ON {_ident(table)} TO {editor if table in APPEND_ONLY else admin}")
        else:
            group = admin if table in ADMIN_TABLES else editor
            statements.append(f"GRANT INSERT, UPDATE, DELETE ON {_ident(table)} TO {group}")
        sequence = conn.execute(text(
            "SELECT pg_get_serial_sequence(quote_ident(table_name), 'id') FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = :t AND column_name = 'id'"), {"t": table}).scalar()
        if sequence and table not in APPEND_ONLY and table not in ADMIN_APPEND_ONLY:
            # rows written with their ids (the demo, a copy) move the sequence past them
            statements.append(f"GRANT UPDATE ON SEQUENCE {sequence} TO {admin if table in ADMIN_TABLES else editor}")
    statements += [_set_role_function(names),
                   "REVOKE ALL ON FUNCTION bscp_set_role(text, text, text) FROM PUBLIC",
                   f"GRANT EXECUTE ON FUNCTION bscp_set_role(text, text, text) TO {admin}"]
    return statements
