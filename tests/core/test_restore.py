"""``restore``: a register put back as one of its own copies was, verified first, the register as it was kept,
in one atomic step, audited; anything else refused with nothing changed."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.cli import main
from bscp_desktop.domain.vocab import Role
from bscp_desktop.services import Services
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.store.audit_chain import verify_chain
from bscp_desktop.store.copies import daily_backup
from bscp_desktop.store.keys import RegisterKey
from bscp_desktop.store.restore import RestoreRefused, restorable_copies, restore_register
from tests.conftest import TODAY

D = dt.date
pytestmark = pytest.mark.sqlite_only


def pseudonyms(svc: Services) -> list[str]:
    with svc.db.engine.connect() as conn:
        return sorted(r[0] for r in conn.exec_driver_sql("SELECT pseudonym FROM incidents"))


def test_a_register_is_put_back_as_its_copy_was(svc: Any, db_url: str, backend: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path, key = Path(db_url), svc.db.key
    svc.incidents.register(IncidentInput("Child Before", "died", D(2026, 11, 2)))
    copy = daily_backup(svc.db, D(2026, 11, 19))
    svc.incidents.register(IncidentInput("Child After", "died", D(2026, 11, 3)))
    with svc.db.engine.connect() as conn:
        head_now = verify_chain(conn).head
    svc.close()
    assert copy is not None and [c.path for c in restorable_copies(path, key)] == [copy]
    done = restore_register(path, key, copy, "restorer")
    assert done.replaced_head == head_now and done.copy.path == copy
    back = Services.open(path, key=key, today=lambda: TODAY)
    try:
        assert pseudonyms(back) == ["Child Before"]
        with back.db.engine.connect() as conn:
            chain = verify_chain(conn)
            last = conn.exec_driver_sql('SELECT "user", action, summary, before FROM audit_log ORDER BY id DESC '
                                        "LIMIT 1").one()
        assert chain.ok and chain.entries == done.entries
        assert (last[0], last[1]) == ("restorer", "restore register") and "copy of 19/11/2026" in last[2]
        assert head_now in last[3]
    finally:
        back.close()
    kept = Services.open(done.kept, key=key)  # the register as it was: kept, whole, with the later case
    try:
        assert pseudonyms(kept) == ["Child After", "Child Before"]
    finally:
        kept.close()
    assert {c.kind for c in restorable_copies(path, key)} == {"daily", "pre-restore"}
    if backend == "sqlite":  # the command line: the list, then a copy put back
        assert main(["restore", "--db", str(path)]) == 0
        listed = capsys.readouterr().out
        assert "daily" in listed and "pre-restore" in listed and str(copy) in listed
        assert main(["restore", "--db", str(path), "--from", str(done.kept)]) == 0
        assert "Restored" in capsys.readouterr().out
        again = Services.open(path)
        assert pseudonyms(again) == ["Child After", "Child Before"]
        again.close()


@pytest.mark.plain_only
def test_anything_but_this_registers_whole_copy_is_refused(tmp_path: Path, svc: Any, db_url: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(db_url)
    svc.incidents.register(IncidentInput("Child A", "died", D(2026, 11, 2)))
    copy = daily_backup(svc.db, D(2026, 11, 19))
    assert copy is not None
    (tmp_path / "elsewhere").mkdir()
    other = Services.open(tmp_path / "elsewhere" / "test.db")  # another register of the same name
    other.initialise_new()
    other_copy = daily_backup(other.db, D(2026, 11, 19))
    other.close()
    from tests.conftest import fingerprint

    kept = fingerprint(svc)
    with pytest.raises(RestoreRefused, match="is not one of the copies the program made of"):
        restore_register(path, None, other_copy, "x")  # type: ignore[arg-type]
    loose = tmp_path / "loose.db"
    shutil.copyfile(copy, loose)
    with pytest.raises(RestoreRefused, match="is not one of the copies"):
        restore_register(path, None, loose, "x")
    with pytest.raises(RestoreRefused, match="is in use"):  # this test's own program has it open
        restore_register(path, None, copy, "x")
    assert fingerprint(svc) == kept
    svc.close()
    before = path.read_bytes()
    damaged = bytearray(copy.read_bytes())
    damaged[4096 * 2:] = b"\xa5" * (len(damaged) - 4096 * 2)
    copy.write_bytes(bytes(damaged))
    with pytest.raises(RestoreRefused, match="choose another copy"):
        restore_register(path, None, copy, "x")
    assert path.read_bytes() == before  # nothing changed by any refusal
    code = main(["restore", "--db", str(path), "--from", str(loose)])
    assert code == 2 and "is not one of the copies" in capsys.readouterr().err


@pytest.mark.plain_only
def test_restoring_is_for_administrators(svc: Any, db_url: str, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from bscp_desktop.util import os_identity

    copy = daily_backup(svc.db, D(2026, 11, 19))
    svc.users.add("eve", Role.EDITOR)
    svc.close()
    monkeypatch.setattr(os_identity, "current_login", lambda: "eve")
    code = main(["restore", "--db", db_url, "--from", str(copy)])
    assert code == 1 and "Only an administrator can restore the register from a copy" in capsys.readouterr().err


def test_an_encrypted_register_restores_with_its_passphrase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = RegisterKey.passphrase("a long enough passphrase")
    path = tmp_path / "enc.db"
    svc = Services.open(path, key=key)
    svc.initialise_new()
    svc.incidents.register(IncidentInput("Child Kept", "died", D(2026, 11, 2)))
    copy = daily_backup(svc.db, D(2026, 11, 19))
    svc.incidents.register(IncidentInput("Child Later", "died", D(2026, 11, 2)))
    svc.close()
    assert copy is not None
    restore_register(path, key, copy, "restorer")
    back = Services.open(path, key=key)
    assert pseudonyms(back) == ["Child Kept"]
    back.close()
