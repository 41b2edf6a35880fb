"""Who is who on a SQLite register: the login that creates it administers it; a login it does not know reads
it as a viewer and is told whom to ask; administrators add users, change roles and remove them, and the last
administrator stays one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.domain.vocab import Role
from bscp_desktop.services import PermissionDenied, Services, ValidationError
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.store.errors import ReadOnlyStore
from tests.bad_registers import read_only_copy
from tests.conftest import TODAY

pytestmark = pytest.mark.sqlite_only

CHILD = IncidentInput("Child A", "died", dt.date(2026, 11, 2))


def open_as(db_url: str, login: str) -> Services:
    return Services.open(db_url, today=lambda: TODAY, user=login)


def test_the_login_that_creates_a_register_administers_it(tmp_path: Path) -> None:
    svc = open_as(str(tmp_path / "new.db"), "ash")
    try:
        assert svc.users.list() == []  # opening alone claims nothing
        assert svc.users.me().role is Role.ADMIN and svc.users.me().unowned
        svc.initialise_new()
        assert [(u.login, u.role) for u in svc.users.list()] == [("ash", Role.ADMIN)]
        assert not svc.users.me().unowned
    finally:
        svc.close()
    other = open_as(str(tmp_path / "new.db"), "bo")
    try:
        assert other.users.role() is Role.VIEWER
    finally:
        other.close()


def test_a_login_the_register_does_not_know_reads_and_is_told_whom_to_ask(svc: Any, db_url: str) -> None:
    svc.users.add("cam", Role.ADMIN)
    stranger = open_as(db_url, "zed")
    try:
        me = stranger.users.me()
        assert (me.role, me.known) == (Role.VIEWER, False)
        assert "zed" in me.note and svc.user in me.note and "cam" in me.note
        assert stranger.settings.get().partnership_name == svc.settings.get().partnership_name
        with pytest.raises(PermissionDenied) as refusal:
            stranger.incidents.register(CHILD)
        assert str(refusal.value).startswith("Only an editor or an administrator can record an incident; you (zed) "
                                             "are a viewer in this register. Ask an administrator (")
        assert "cam" in str(refusal.value)
    finally:
        stranger.close()
    last = svc.audit_log.find().entries[0]
    assert (last.user, last.action) == ("zed", "refused") and "record an incident" in last.summary


def test_an_administrator_adds_changes_and_removes_users(svc: Any, db_url: str) -> None:
    svc.users.add("dee", Role.VIEWER)
    with pytest.raises(ValidationError, match=r"Login.*already a user"):
        svc.users.add("DEE", Role.EDITOR)  # logins are matched ignoring case, as Windows does
    with pytest.raises(ValidationError, match=r"Login.*required"):
        svc.users.add("  ", Role.EDITOR)
    dee = open_as(db_url, "Dee")
    try:
        assert dee.users.role() is Role.VIEWER
        svc.users.set_role("dee", Role.EDITOR)
        assert dee.users.role() is Role.EDITOR  # read afresh: no need to reopen
        dee.incidents.register(CHILD)
        with pytest.raises(PermissionDenied, match="Only an administrator can add a user"):
            dee.users.add("eve", Role.ADMIN)
        svc.users.remove("dee")
        assert dee.users.me().known is False
        with pytest.raises(PermissionDenied):
            dee.incidents.register(CHILD)
    finally:
        dee.close()
    assert [u.login for u in svc.users.list()] == [svc.user]
    changes = [(e.action, e.entity_id) for e in svc.audit_log.find().entries if e.entity == "user"]
    assert ("add user", "dee") in changes and ("change role", "dee") in changes and ("remove user", "dee") in changes


def test_the_last_administrator_stays_one(svc: Any) -> None:
    me = svc.user
    with pytest.raises(ValidationError, match="only administrator"):
        svc.users.set_role(me, Role.EDITOR)
    with pytest.raises(ValidationError, match="only administrator"):
        svc.users.remove(me)
    svc.users.add("fay", Role.ADMIN)
    svc.users.set_role(me, Role.EDITOR)
    assert {u.login: u.role for u in svc.users.list()} == {me: Role.EDITOR, "fay": Role.ADMIN}
    with pytest.raises(PermissionDenied):
        svc.users.set_role(me, Role.ADMIN)  # an editor cannot make themselves an administrator again


@pytest.mark.plain_only
def test_a_read_only_register_refuses_as_read_only_whatever_the_role(svc: Any, db_url: str, tmp_path: Path) -> None:
    svc.users.add("gus", Role.EDITOR)
    svc.close()
    with read_only_copy(Path(db_url), tmp_path) as copy:
        for login in (svc.user, "gus", "hal"):
            user = open_as(str(copy), login)
            try:
                with pytest.raises(ReadOnlyStore, match="open read-only"):
                    user.incidents.register(CHILD)
            finally:
                user.close()
