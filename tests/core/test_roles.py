"""Every write × every role, found from the facade: a write declares the role it needs; a user whose role is
below it is refused with ``PermissionDenied`` and every table stays as it was but for one "refused" audit entry;
a user who has just the role needed can make it (on PostgreSQL through the server's own grants, as a login that
is not the owner). On SQLite files and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from bscp_desktop.domain.vocab import Role
from bscp_desktop.services import PermissionDenied, Services
from bscp_desktop.services.core.permissions import required_role
from tests.conftest import TODAY, fingerprint, new_login
from tests.core.test_every_write import WRITES, build_world, op_methods, prepare

PASSWORD = "fictional-Pw9"


def needs(name: str) -> Role | None:
    """The role the write ``area.method`` was declared to need."""
    area, method = name.split(".")
    return required_role(getattr(Services.manager_classes()[area], method))


def as_user(svc: Any, db_url: str, name: str, role: Role) -> Services:
    """A second program on ``svc``'s register, used by a person the administrator gave ``role``: on SQLite a
    register user; on PostgreSQL a server login of its own (not the owner), so the server's grants apply."""
    login = new_login(svc, name)
    svc.users.add(login, role, password=PASSWORD)
    if svc.db.is_sqlite:
        return Services.open(db_url, today=lambda: TODAY, user=login)
    url = make_url(db_url).set(username=login, password=PASSWORD).render_as_string(hide_password=False)
    return Services.open(url, today=lambda: TODAY)


def added_rows(before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]
               ) -> dict[str, list[tuple[Any, ...]]]:
    """Rows in ``after`` that ``before`` did not have, by table; a table that lost or changed rows fails."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    assert set(before) == set(after)
    for table in before:
        old, new = before[table], list(after[table])
        for row in old:
            assert row in new, f"{table} lost or changed {row}"
            new.remove(row)
        if new:
            out[table] = new
    return out


def _sealed(svc: Any) -> dict[int, str]:
    """Each audit entry's id and hash."""
    with svc.db.engine.connect() as conn:
        return dict(conn.exec_driver_sql("SELECT id, entry_hash FROM audit_log").fetchall())


def test_every_write_declares_the_role_it_needs() -> None:
    undeclared = sorted(name for name in op_methods() if needs(name) is None)
    assert undeclared == []
    assert {needs(n) for n in op_methods()} == {Role.EDITOR, Role.ADMIN}


def test_the_settings_and_users_and_retention_are_for_administrators() -> None:
    for name in ("settings.update", "settings.add_closure", "settings.remove_closure", "reference_lists.save_agency",
                 "themes.add", "themes.update", "users.add", "users.set_role", "users.remove",
                 "retention.place_legal_hold", "retention.lift_legal_hold", "retention.dispose",
                 "incidents.record_rapid_review_without_sign_off", "reviews.record_publication_over_checklist"):
        assert needs(name) is Role.ADMIN, name
    for name in ("incidents.register", "reviews.commission", "requests.log", "actions.add", "documents.add",
                 "fulfilment.fulfil", "themes.tag", "rapid_reviews.ask_agency", "rapid_reviews.record_agreement",
                 "incidents.record_rapid_review"):
        assert needs(name) is Role.EDITOR, name


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_a_role_below_the_one_a_write_needs_is_refused_and_changes_nothing(
        svc: Any, db_url: str, tmp_path: Path, role: Role) -> None:
    w = build_world(svc, tmp_path)
    user = as_user(svc, db_url, "rory", role)
    refused = sorted(n for n in WRITES if not role.allows(needs(n) or Role.VIEWER))
    assert refused  # a viewer may make none of them, an editor none of the administrators'
    try:
        for name in refused:
            call, version = WRITES[name]
            prepare(name, svc, w)
            current = version(svc, w) if version else 0
            before = fingerprint(svc)
            with pytest.raises(PermissionDenied) as refusal:
                call(user, w, current)
            assert refusal.value.needed is needs(name) and refusal.value.role is role, name
            assert role.article in str(refusal.value) and refusal.value.action in str(refusal.value)
            added = added_rows(before, fingerprint(svc))
            assert list(added) == ["audit_log"] and len(added["audit_log"]) == 1, name
            entry = added["audit_log"][0]
            assert "refused" in entry and user.user in entry, name
            assert any(refusal.value.action in str(c) for c in entry), name
    finally:
        user.close()


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_user_with_the_role_a_write_needs_can_make_it(svc: Any, db_url: str, tmp_path: Path, name: str) -> None:
    call, version = WRITES[name]
    w = build_world(svc, tmp_path)
    role = needs(name)
    assert role is not None
    user = as_user(svc, db_url, "sky", role)
    try:
        prepare(name, svc, w)
        current = version(svc, w) if version else 0
        before = fingerprint(svc)
        sealed = _sealed(svc)
        call(user, w, current)
        after = fingerprint(svc)
        assert after != before
        # Every entry there before is there still, its hash unchanged (a disposal removes only what the disposed
        # record's entries said about it, which their hashes cover by digest); the new ones are the user's own.
        assert {k: v for k, v in _sealed(svc).items() if k in sealed} == sealed, name
        audited = [row for row in after["audit_log"] if row[0] not in sealed]
        assert audited and all(user.user in row and "refused" not in row for row in audited), name
    finally:
        user.close()
