"""The command line's access and retention commands: ``server-setup`` (a PostgreSQL server's roles), ``users``
(who may do what, on both databases) and ``retention`` (the records due for disposal review).

Every change goes through the services, which check that the user is an administrator; on PostgreSQL the server
checks again."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from bscp_desktop.domain.vocab import Role

NEW_USER_PASSWORD = "BSCP_NEW_USER_PASSWORD"


def _role(text: str) -> Role:
    try:
        return Role.of(text.strip().lower())
    except (KeyError, ValueError):
        raise argparse.ArgumentTypeError(f"'{text}' is not a role (one of: viewer, editor, admin)") from None


def add_access_commands(sub: Any, date_type: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add ``server-setup``, ``users`` and ``retention`` to the sub-command parsers ``sub`` (``date_type``
    parses a date argument; ``parser_class`` is the command line's parser, which reports errors its way)."""
    s = sub.add_parser("server-setup", help="set up a PostgreSQL server's roles (run once by the database owner)")
    s.add_argument("--db", required=True, default=argparse.SUPPRESS, help="the register's PostgreSQL URL")

    u = sub.add_parser("users", help="list the register's users, add one, change a role, or remove one")
    u.add_argument("--db", default=argparse.SUPPRESS)
    actions = u.add_subparsers(dest="users_action", metavar="ACTION", parser_class=parser_class)
    actions.required = True
    actions.add_parser("list", help="every user and their role")
    a = actions.add_parser("add", help="add a user (on PostgreSQL a new login is created, with a password)")
    a.add_argument("login")
    a.add_argument("--role", required=True, type=_role, help="viewer, editor or admin")
    r = actions.add_parser("set-role", help="give a user another role")
    r.add_argument("login")
    r.add_argument("role", type=_role, help="viewer, editor or admin")
    d = actions.add_parser("remove", help="take a user off the register (a server login itself stays)")
    d.add_argument("login")

    t = sub.add_parser("retention", help="list the records due for disposal review, and the legal holds")
    t.add_argument("--db", default=argparse.SUPPRESS)
    t.add_argument("--as-of", type=date_type, help="the date to list them as of (default today)")


def server_setup(args: argparse.Namespace) -> int:
    """``server-setup --db URL``: the group roles and their grants, safe to run again."""
    from sqlalchemy.exc import DBAPIError

    from bscp_desktop.cli.common import UsageError, fail, open_register
    from bscp_desktop.store.server_roles import setup_server_roles

    svc = open_register(args.db)
    try:
        if svc.db.is_sqlite:
            raise UsageError("server-setup is for a PostgreSQL server: a SQLite register keeps its own users "
                             "(bscp-desktop users)")
        try:
            with svc.db.write() as s:
                done = setup_server_roles(s.connection())
        except DBAPIError as e:
            detail = str(getattr(e, "orig", e)).strip().splitlines()[0]
            return fail(f"server-setup must be run by the database's owner with the CREATEROLE right, or by a "
                         f"superuser ({detail}); nothing was changed")
    finally:
        svc.close()
    for line in done:
        print(line)
    print("Next: bscp-desktop users --db URL add LOGIN --role viewer|editor|admin, for each person")
    return 0


def users(args: argparse.Namespace) -> int:
    """``users --db … list | add LOGIN --role R | set-role LOGIN R | remove LOGIN``."""
    from bscp_desktop.cli.common import open_register

    svc = open_register(getattr(args, "db", None))
    try:
        if args.users_action == "list":
            return _list_users(svc)
        if args.users_action == "add":
            return _add_user(svc, args.login, args.role)
        if args.users_action == "set-role":
            view = svc.users.set_role(args.login, args.role).value
            print(f"{view.login} is now {view.role.article}")
            return 0
        svc.users.remove(args.login)
        print(f"{args.login} is no longer a user of {svc.db.describe()}")
        return 0
    finally:
        svc.close()


def _list_users(svc: Any) -> int:
    me = svc.users.me()
    rows = svc.users.list()
    width = max([len(u.login) for u in rows] + [5])
    print(f"{'Login':<{width}}  Role           Added by")
    for u in rows:
        added = f"{u.added_by} on {u.added_at.astimezone():%d/%m/%Y}" if u.added_at else "—"
        print(f"{u.login:<{width}}  {u.role.label:<13}  {added}")
    if not rows:
        print("(no users yet: whoever first changes the register becomes its administrator)")
    print(f"You are {me.login}: {me.role.article}" + (f". {me.note}" if me.note else ""))
    return 0


def _add_user(svc: Any, login: str, role: Role) -> int:
    """Add a user; on PostgreSQL a login that does not exist yet is created with a password typed twice (or
    BSCP_NEW_USER_PASSWORD), which is given to the server and never kept."""
    from bscp_desktop.cli.common import fail
    from bscp_desktop.services import ValidationError

    password = os.environ.get(NEW_USER_PASSWORD) or None
    try:
        view = svc.users.add(login, role, password=password).value
    except ValidationError as e:
        if svc.db.is_sqlite or password or not any(p.field == "Password" for p in e.problems):
            raise
        if not sys.stdin.isatty():
            return fail(f"{login} has no login on the server yet: set {NEW_USER_PASSWORD} to the password to "
                         "create it with")
        password = getpass.getpass(f"New password for {login}: ")
        if getpass.getpass("The same again: ") != password:
            return fail("the two passwords differ; nothing was changed")
        view = svc.users.add(login, role, password=password).value
    print(f"Added {view.login} as {view.role.article}")
    return 0


def retention(args: argparse.Namespace) -> int:
    """``retention --db … [--as-of DATE]``: the records due for disposal review, and any legal holds."""
    import datetime as dt

    from bscp_desktop.cli.common import open_register
    from bscp_desktop.services.trust.retention_schedule import RETENTION_RULES

    svc = open_register(getattr(args, "db", None))
    try:
        as_of = args.as_of or dt.date.today()
        due = svc.retention.due(as_of)
        holds = svc.retention.holds(active_only=True)
        rules = [svc.retention.rule_text(c) for c in RETENTION_RULES]
    finally:
        svc.close()
    print("Rules: " + "; ".join(rules))
    if not due:
        print(f"No record is due for disposal review as of {as_of:%d/%m/%Y}")
    else:
        print(f"Due for disposal review as of {as_of:%d/%m/%Y}: {len(due)}")
        width = max(len(r.reference) for r in due)
        for r in due:
            held = f"  LEGAL HOLD: {r.hold}" if r.held else ""
            print(f"  {r.reference:<{width}}  {r.record_class.label}, due {r.due:%d/%m/%Y} "
                  f"(from {r.since:%d/%m/%Y}){held}")
    for h in holds:
        print(f"Legal hold on {h.reference}: {h.reason.label}{' (' + h.details + ')' if h.details else ''}, "
              f"placed by {h.placed_by} on {h.placed_at.astimezone():%d/%m/%Y}")
    return 0
