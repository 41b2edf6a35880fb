"""Encryption at rest: a register encrypted with ``encrypt`` (and every copy the program makes of it) shows no
child's pseudonym, no case reference and no SQLite header; keys found, missing and wrong; re-keying and
decrypting; a register in use refused; ``encrypt`` killed at every step leaves a whole register in place."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bscp_desktop.services import Services
from bscp_desktop.services.registers.registers import RegisterFilter
from bscp_desktop.store.backup import backup_sqlite
from bscp_desktop.store.copies import copies_of_database, daily_backup
from bscp_desktop.store.encryption import (
    STEPS,
    EncryptionRefused,
    decrypt_register,
    encrypt_register,
    rekey_register,
)
from bscp_desktop.store.engine import Database, resolve_url
from bscp_desktop.store.keys import (
    SQLITE_HEADER,
    KeyNeeded,
    RegisterKey,
    WrongKey,
    file_state,
    is_encrypted,
)
from bscp_desktop.store.migrate import upgrade
from tests.memory_keyring import memory_keyring

PASSPHRASE = "a long enough passphrase"
KEY = RegisterKey.passphrase(PASSPHRASE)


def _demo(path: Path, incidents: int = 40) -> tuple[list[str], list[str]]:
    """A plain demo register at ``path``; its pseudonyms and case references."""
    svc = Services.open(path)
    svc.demo.build(incidents, 3, dt.date(2026, 11, 20))
    with svc.db.engine.connect() as conn:
        names = [r[0] for r in conn.exec_driver_sql("SELECT pseudonym FROM incidents")]
        refs = [r[0] for r in conn.exec_driver_sql("SELECT local_ref FROM incidents")]
        refs += [r[0] for r in conn.exec_driver_sql("SELECT case_reference FROM reviews")]
    svc.close()
    return names, refs


def _counts(path: Path, key: RegisterKey | None) -> dict[str, int]:
    db = Database(resolve_url(path), key=key)
    try:
        with db.engine.connect() as conn:
            tables = [r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            return {t: conn.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar_one() for t in tables}
    finally:
        db.dispose()


def _readable(data: bytes, words: list[str]) -> list[str]:
    return [w for w in words if w.encode() in data]


def test_an_encrypted_register_and_its_copies_show_nothing_readable(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    names, refs = _demo(path)
    plain = path.read_bytes()
    assert plain.startswith(SQLITE_HEADER) and _readable(plain, names[:5])  # the check can see them when there
    # The plain copies the program made before: one before an upgrade, one daily copy.
    old = tmp_path / "old.db"
    older = Database(resolve_url(old))
    upgrade(older, target="0004")
    older.dispose()
    Services.open(old).close()  # the upgrade to the newest schema copies the old file aside first
    register = Database(resolve_url(path))
    daily = daily_backup(register, dt.date(2026, 11, 19))
    assert daily is not None and [c.path for c in copies_of_database(register)] == [daily]
    register.dispose()
    older = Database(resolve_url(old))
    [before_upgrade] = [c.path for c in copies_of_database(older)]
    older.dispose()

    report = encrypt_register(path, KEY)
    assert report.rows > 0 and report.copies == [daily]
    encrypt_register(old, KEY)
    svc = Services.open(path, key=KEY)  # a copy made from now on is encrypted too
    later = daily_backup(svc.db, dt.date(2026, 11, 20))
    out = backup_sqlite(svc.db, tmp_path / "elsewhere" / "copy.db")
    files = [path, before_upgrade, *(c.path for c in copies_of_database(svc.db)), out]
    svc.close()
    assert later in files and len(files) == 5
    for f in files:
        data = f.read_bytes()
        assert b"SQLite format 3" not in data, f
        assert _readable(data, names) == [] and _readable(data, refs) == [], f
    assert not list(tmp_path.glob(".*encrypting"))


def test_encrypted_register_opens_with_its_passphrase_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "register.db"
    _demo(path, 10)
    before = _counts(path, None)
    encrypt_register(path, KEY)
    assert file_state(path) == "encrypted" and _counts(path, KEY) == before
    with pytest.raises(KeyNeeded, match="is encrypted"):
        Services.open(path)
    with pytest.raises(WrongKey, match="passphrase does not open"):
        Services.open(path, key=RegisterKey.passphrase("not the passphrase"))
    monkeypatch.setenv("BSCP_DB_PASSPHRASE", PASSPHRASE)
    svc = Services.open(path)
    assert svc.db.encrypted and svc.incidents.get(1).pseudonym
    svc.close()


def test_a_new_register_keeps_its_random_key_in_the_credential_store(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with memory_keyring() as store:
        svc = Services.open(path, key=RegisterKey.new_random())
        svc.initialise_new()
        svc.close()
        assert is_encrypted(path) and len(store.entries) == 1
        moved = path.rename(tmp_path / "moved.db")  # renamed on the same PC: its salt still names its key
        svc = Services.open(moved)
        assert svc.db.encrypted and svc.catalogue.entries()
        svc.close()
    with pytest.raises(KeyNeeded):  # on another PC (another credential store) it does not open
        Services.open(moved)


def test_rekey_moves_between_passphrase_and_credential_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "register.db"
    _demo(path, 10)
    before = _counts(path, None)
    encrypt_register(path, KEY)
    monkeypatch.setenv("BSCP_DB_PASSPHRASE", PASSPHRASE)
    new = RegisterKey.passphrase("a different long passphrase")
    rekey_register(path, new)
    with pytest.raises(WrongKey):
        Database(resolve_url(path), key=KEY)
    assert _counts(path, new) == before
    monkeypatch.setenv("BSCP_DB_PASSPHRASE", new.secret)
    with memory_keyring() as store:
        rekey_register(path, RegisterKey.new_random())
        monkeypatch.delenv("BSCP_DB_PASSPHRASE")
        assert len(store.entries) == 1 and _counts(path, None) == before  # found in the credential store
        rekey_register(path, KEY)  # and back to a passphrase: the store's entry goes with the old key
        assert store.entries == {}
    assert _counts(path, KEY) == before


def test_decrypt_writes_a_plain_verified_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "register.db"
    _demo(path, 10)
    before = _counts(path, None)
    encrypt_register(path, KEY)
    with pytest.raises(KeyNeeded):
        decrypt_register(path, tmp_path / "plain.db")
    monkeypatch.setenv("BSCP_DB_PASSPHRASE", PASSPHRASE)
    decrypt_register(path, tmp_path / "plain.db")
    assert file_state(tmp_path / "plain.db") == "plain" and _counts(tmp_path / "plain.db", None) == before
    assert is_encrypted(path)
    with pytest.raises(EncryptionRefused, match="already exists"):
        decrypt_register(path, tmp_path / "plain.db")


_HOLD_OPEN = """
import sys
from bscp_desktop.services import Services
from bscp_desktop.services.registers.registers import RegisterFilter
svc = Services.open(sys.argv[1])
svc.incidents.get(1)
print("open", flush=True)
sys.stdin.readline()
svc.close()
"""


def test_a_register_in_use_is_not_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    _demo(path, 5)
    other = subprocess.Popen([sys.executable, "-c", _HOLD_OPEN, str(path)], env=_env(), stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)  # another window, in another process, has it open
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "open"
        plain = path.read_bytes()
        with pytest.raises(EncryptionRefused, match="in use"):
            encrypt_register(path, KEY)
        assert path.read_bytes() == plain and not list(tmp_path.glob(".*encrypting"))
    finally:
        other.communicate("\n", timeout=30)
    encrypt_register(path, KEY)  # closed everywhere: now it can be
    assert is_encrypted(path)


_KILL_AT = """
import os, signal, sys
from pathlib import Path
from bscp_desktop.store.encryption import encrypt_register
from bscp_desktop.store.keys import RegisterKey
def step(name):
    if name == sys.argv[2]:
        os.kill(os.getpid(), signal.SIGKILL)
encrypt_register(Path(sys.argv[1]), RegisterKey.passphrase(sys.argv[3]), step)
"""


def _whole(path: Path, expected: dict[str, int]) -> str:
    """Which register is at ``path`` ("plain" or "encrypted"), having checked it holds every row."""
    state = file_state(path)
    assert state in ("plain", "encrypted")
    assert _counts(path, KEY if state == "encrypted" else None) == expected
    if state == "plain":
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.close()
    return state


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}


@pytest.mark.parametrize("stop_at", [*STEPS, "never"])
def test_encrypt_killed_at_each_step_leaves_a_whole_register(tmp_path: Path, stop_at: str) -> None:
    path = tmp_path / "register.db"
    _demo(path, 30)
    expected = _counts(path, None)
    run = subprocess.run([sys.executable, "-c", _KILL_AT, str(path), stop_at, PASSPHRASE], env=_env(),
                         capture_output=True, timeout=120)
    assert run.returncode == (-signal.SIGKILL if stop_at != "never" else 0), run.stderr
    state = _whole(path, expected)
    assert state == ("plain" if stop_at in ("export", "verify", "keep key", "swap") else "encrypted")
    rerun = encrypt_register(path, KEY)  # a second run completes it, whatever the first left beside it
    assert _whole(path, expected) == "encrypted" and rerun.path == path
    assert not list(tmp_path.glob(".*encrypting"))


def test_encrypt_killed_at_random_moments_leaves_a_whole_register(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    _demo(path, 400)
    expected = _counts(path, None)
    env = {**_env(), "BSCP_DB_PASSPHRASE": PASSPHRASE}
    seen: set[str] = set()
    for delay in (0.05, 0.2, 0.4, 0.6, 0.8, 1.0, 1.3, 1.6):
        proc = subprocess.Popen([sys.executable, "-m", "bscp_desktop", "encrypt", "--db", str(path), "--passphrase"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.kill()
        proc.wait(timeout=30)
        seen.add(_whole(path, expected))  # after every kill: one whole register in place, every row in it
        if "encrypted" in seen:
            break
    assert _whole(path, expected) in seen


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from bscp_desktop.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_command_line_on_an_encrypted_register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "register.db"
    _demo(path, 10)
    code, _out, err = _cli(capsys, "encrypt", "--db", str(path))  # no credential store here, no passphrase
    assert code == 2 and "--passphrase" in err and file_state(path) == "plain"
    monkeypatch.setenv("BSCP_DB_PASSPHRASE", PASSPHRASE)
    code, out, _err = _cli(capsys, "encrypt", "--db", str(path), "--passphrase")
    assert code == 0 and out.startswith(f"Encrypted {path} with SQLCipher (it opens with a passphrase)")
    code, out, _err = _cli(capsys, "check", "--db", str(path))
    assert code == 0 and "encryption: encrypted (SQLCipher 4." in out and "incidents: 10" in out
    code, out, _err = _cli(capsys, "report", "deadlines", "--db", str(path), "--out", str(tmp_path / "d.pdf"))
    assert code == 0 and (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")
    code, out, _err = _cli(capsys, "backup", "--db", str(path), "--out", str(tmp_path / "b.db"))
    assert code == 0 and is_encrypted(tmp_path / "b.db")
    for passphrase, words in ((None, "is encrypted and this PC's credential store does not hold its key"),
                              ("the wrong passphrase", "the passphrase does not open")):
        if passphrase is None:
            monkeypatch.delenv("BSCP_DB_PASSPHRASE")
        else:
            monkeypatch.setenv("BSCP_DB_PASSPHRASE", passphrase)
        for argv in (["check"], ["report", "deadlines", "--out", str(tmp_path / "x.pdf")],
                     ["backup", "--out", str(tmp_path / "x.db")], ["due", "notification", "2026-11-02"],
                     ["decrypt", "--out", str(tmp_path / "x.db")]):
            code, out, err = _cli(capsys, *argv, "--db", str(path))
            assert code == 2 and out == "", argv
            assert err.count("\n") == 1 and words in err and "not a database" not in err, (argv, err)
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.db").exists()


def test_command_line_run_as_a_process_says_one_line_without_the_key(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    _demo(path, 5)
    encrypt_register(path, KEY)
    env = {k: v for k, v in _env().items() if k != "BSCP_DB_PASSPHRASE"}
    run = subprocess.run([sys.executable, "-m", "bscp_desktop", "check", "--db", str(path)], env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.strip().count("\n") == 0 and "is encrypted" in run.stderr  # SQLCipher's own log silenced


def test_copy_from_an_encrypted_register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str,
                                         capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest) -> None:
    """``copy --from encrypted.db`` works; into a new SQLite file the copy is encrypted with the same key."""
    path = tmp_path / "register.db"
    _demo(path, 10)
    before = _counts(path, None)
    encrypt_register(path, KEY)
    monkeypatch.setenv("BSCP_DB_PASSPHRASE", PASSPHRASE)
    if backend == "postgresql":
        target = request.getfixturevalue("empty_pg_url")
    else:
        target = str(tmp_path / "copy.db")
    code, out, err = _cli(capsys, "copy", "--from", str(path), "--to", target)
    assert code == 0, err
    assert out.startswith("Copied ")
    if backend != "postgresql":
        assert is_encrypted(Path(target)) and _counts(Path(target), KEY) == before
    svc = Services.open(target)
    assert len(svc.registers.incident_ids(RegisterFilter())) == 10
    assert svc.audit_log.verify().ok  # the audit chain survives the copy, on either database
    svc.close()


def test_a_file_that_is_no_database_is_not_taken_for_an_encrypted_one(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    assert file_state(junk) == "other"
    with pytest.raises(EncryptionRefused, match="not a bscp-desktop register"):
        encrypt_register(junk, KEY)
    pages = tmp_path / "pages.db"
    pages.write_bytes(os.urandom(8192))  # whole pages of noise: what an encrypted file looks like without its key
    assert file_state(pages) == "encrypted"


def test_a_passphrase_is_derived_once_and_copies_still_open_with_it(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Every connection opens with the passphrase's derived key (no key derivation each time); a copy has its own
    salt, so it is encrypted with the passphrase itself and opens with it."""
    import hashlib

    path = tmp_path / "register.db"
    _demo(path, 5)
    encrypt_register(path, KEY)
    db = Database(resolve_url(path), key=KEY)
    assert db.key == KEY  # what the register opens with, as the user knows it
    raw = hashlib.pbkdf2_hmac("sha512", PASSPHRASE.encode(), path.read_bytes()[:16], 256_000, 32).hex()
    assert db.engine.url.password == f"x'{raw}'"
    copy = backup_sqlite(db, tmp_path / "copy.db")
    db.dispose()
    assert _counts(copy, KEY) == _counts(path, KEY)
    with pytest.raises(WrongKey):
        Database(resolve_url(copy), key=RegisterKey.passphrase("wrong passphrase!"))
    reader = Database(resolve_url(path), key=KEY, read_only=True)  # a read-only register opens the same way
    with reader.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM incidents").scalar() == 5
    reader.dispose()


NEW_PASSPHRASE = "another long enough passphrase"


def _register_with_copies(path: Path, days: int = 3) -> list[Path]:
    """An encrypted demo register at ``path`` with ``days`` daily copies (on its key)."""
    _demo(path, 30)
    encrypt_register(path, KEY)
    db = Database(resolve_url(path), key=KEY)
    try:
        return [c for day in range(days) if (c := daily_backup(db, dt.date(2026, 11, 10 + day))) is not None]
    finally:
        db.dispose()


def _key_that_opens(path: Path) -> RegisterKey:
    from bscp_desktop.store.encryption import opens_with

    return next(k for k in (KEY, RegisterKey.passphrase(NEW_PASSPHRASE)) if opens_with(path, k))


def test_rekey_killed_at_random_moments_never_leaves_a_copy_on_a_stale_key(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """rekey is killed at eight moments; after each, the next opening of the register leaves every copy opening
    with the register's key, and nothing of the interrupted run beside them; a rerun finishes and says so."""
    from bscp_desktop.store.encryption import copies_on_another_key, opens_with

    path = tmp_path / "register.db"
    copies = _register_with_copies(path)
    assert len(copies) == 3
    env = {**_env(), "BSCP_DB_PASSPHRASE": PASSPHRASE, "BSCP_NEW_DB_PASSPHRASE": NEW_PASSPHRASE}
    started = time.perf_counter()  # one whole run, to spread the kills over this machine's own timing
    subprocess.run([sys.executable, "-m", "bscp_desktop", "rekey", "--db", str(path)], env=env, check=True,
                   capture_output=True, timeout=300)
    whole = time.perf_counter() - started
    for delay in (whole * f for f in (0.05, 0.2, 0.35, 0.5, 0.65, 0.75, 0.85, 0.95)):
        key = _key_that_opens(path)
        env["BSCP_DB_PASSPHRASE"], env["BSCP_NEW_DB_PASSPHRASE"] = (
            (PASSPHRASE, NEW_PASSPHRASE) if key == KEY else (NEW_PASSPHRASE, PASSPHRASE))
        proc = subprocess.Popen([sys.executable, "-m", "bscp_desktop", "rekey", "--db", str(path)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.kill()
        proc.wait(timeout=30)
        key = _key_that_opens(path)
        Services.open(path, key=key).close()  # the next opening settles what the run left
        assert copies_on_another_key(path, key) == [], delay
        assert all(opens_with(c, key) for c in copies), delay
        leftovers = [p.name for p in copies[0].parent.parent.rglob(".*")]
        assert leftovers == [], (delay, leftovers)
    key = _key_that_opens(path)
    new = RegisterKey.passphrase(NEW_PASSPHRASE if key == KEY else PASSPHRASE)
    monkeypatch.setenv("BSCP_DB_PASSPHRASE", key.secret)
    report = rekey_register(path, new)
    assert sorted(report.copies) == sorted(copies) and report.removed == []
    assert all(opens_with(c, new) for c in [path, *copies])


def test_check_names_a_copy_on_another_key_and_rekey_removes_what_no_key_opens(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from bscp_desktop.cli import main
    from bscp_desktop.store.encryption import opens_with, rewrite_in_place

    path = tmp_path / "register.db"
    first, second, third = _register_with_copies(path)
    lost = RegisterKey.passphrase("a passphrase nobody remembers")
    earlier = RegisterKey.passphrase("a passphrase from last year")
    rewrite_in_place(second, KEY, lost)
    rewrite_in_place(third, KEY, earlier)
    monkeypatch.setenv("BSCP_DB_PASSPHRASE", PASSPHRASE)
    assert main(["check", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    warned = [line for line in out.splitlines() if line.startswith("copy: WARNING")]
    assert len(warned) == 2 and warned[0].startswith(f"copy: WARNING: {second} does not open with the register's key")
    assert str(third) in warned[1] and not any(str(first) in line for line in warned)
    monkeypatch.setenv("BSCP_NEW_DB_PASSPHRASE", NEW_PASSPHRASE)
    monkeypatch.setenv("BSCP_OLD_DB_PASSPHRASE", earlier.secret)  # the one earlier passphrase still known
    assert main(["rekey", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "2 copies in the backups folder re-keyed too" in out
    assert f"Removed 1 copy of it that no key held here opens (made under an earlier key): {second}" in out
    new = RegisterKey.passphrase(NEW_PASSPHRASE)
    assert opens_with(first, new) and opens_with(third, new) and not second.exists()
    monkeypatch.setenv("BSCP_DB_PASSPHRASE", NEW_PASSPHRASE)
    assert main(["check", "--db", str(path)]) == 0
    assert "copy: WARNING" not in capsys.readouterr().out
