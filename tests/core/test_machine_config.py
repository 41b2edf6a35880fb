"""Settings IT sets for everyone on a PC (the machine file): the order of precedence (the command line, a key IT
locked, the environment, the user's own settings, the machine file, the default), a new register taking the
partnership's defaults, and a bad file refused in one line naming the file, the key and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from bscp_desktop.cli import main
from bscp_desktop.store.engine import database_setting, resolve_url
from bscp_desktop.util.machine_config import MachineConfigError, load_machine_config, locked, resolve
from bscp_desktop.util.paths import backup_dir, data_dir, data_dir_setting


def machine_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "bscp-desktop.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("BSCP_MACHINE_CONFIG", str(path))
    return path


def test_the_order_of_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve("privacy.lock_minutes", 10).value == 10  # no file: the default
    assert resolve("privacy.lock_minutes", 10).source == "the program's default"
    path = machine_file(tmp_path, monkeypatch, "[privacy]\nlock_minutes = 5\n")
    assert resolve("privacy.lock_minutes", 10).value == 5  # the machine file over the default
    assert resolve("privacy.lock_minutes", 10).source == f"this PC's settings file {path}"
    assert resolve("privacy.lock_minutes", 10, user=20).value == 20  # the user's own over the machine file
    monkeypatch.setenv("BSCP_LOCK", "30")
    assert resolve("privacy.lock_minutes", 10, env_var="BSCP_LOCK", user=20).value == "30"  # environment over user
    assert resolve("privacy.lock_minutes", 10, command_line=1, env_var="BSCP_LOCK").value == 1  # command line first
    machine_file(tmp_path, monkeypatch, '[privacy]\nlock_minutes = 5\n[locked]\nkeys = ["privacy.lock_minutes"]\n')
    got = resolve("privacy.lock_minutes", 10, env_var="BSCP_LOCK", user=20)
    assert (got.value, got.source.endswith("locked by IT")) == (5, True)  # locked: over environment and user
    assert resolve("privacy.lock_minutes", 10, command_line=1).value == 1  # but not over the command line
    assert locked("privacy.lock_minutes") and not locked("folders.data")


def test_folders_and_the_register_follow_the_machine_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared, backups = tmp_path / "unit data", tmp_path / "unit backups"
    machine_file(tmp_path, monkeypatch, f'[folders]\ndata = "{shared.as_posix()}"\nbackups = "{backups.as_posix()}"\n'
                                        '[register]\ndatabase_url = "postgresql+psycopg://bscp-server.example/bscp"\n'
                                        '[locked]\nkeys = ["folders.data"]\n')
    assert data_dir() == shared and data_dir_setting().source.endswith("locked by IT")  # over BSCP_DATA_DIR
    assert backup_dir() == backups and backups.is_dir()
    assert resolve_url(None) == "postgresql+psycopg://bscp-server.example/bscp"
    assert database_setting().source.startswith("this PC's settings file")
    monkeypatch.setenv("BSCP_DATABASE_URL", str(tmp_path / "mine.db"))  # not locked: the environment wins
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'mine.db'}"
    assert resolve_url(str(tmp_path / "once.db")) == f"sqlite:///{tmp_path / 'once.db'}"  # --db for a one-off


def test_a_new_register_takes_the_partnerships_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bscp_desktop.services import Services

    machine_file(tmp_path, monkeypatch, '[partnership]\nname = "Anytown Safeguarding Children Partnership"\n'
                                        'local_authority = "Anytown Council"\nreview_prefix = "ASCP"\n')
    svc = Services.open(tmp_path / "new.db")
    svc.initialise_new()
    got = svc.settings.get()
    assert (got.partnership_name, got.local_authority, got.review_prefix) == (
        "Anytown Safeguarding Children Partnership", "Anytown Council", "ASCP")
    svc.close()


@pytest.mark.parametrize(("text", "words"), [
    ("[privacy\nlock_minutes = 5\n", "not a settings file IT can use"),
    ("[privacy]\nlock_minutes = 'five'\n", "privacy.lock_minutes: must be a whole number of minutes from 0"),
    ("[privacy]\nlock_minutes = 500\n", "privacy.lock_minutes: must be a whole number of minutes from 0"),
    ("[privacy]\nlock_after = 5\n", "privacy.lock_after: is not a setting this program knows"),
    ("[folders]\ndata = 'relative/folder'\n", "folders.data: must be a full path"),
    ("[register]\ndatabase_url = 'postgresql://bscp:secret@server/bscp'\n",
     "register.database_url: must not hold a password"),
    ('[locked]\nkeys = ["partnership.name"]\n', "locked: partnership.name cannot be locked"),
    ("lock_minutes = 5\n", "lock_minutes: is not a [section]"),
])
def test_a_bad_machine_file_is_refused_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str], text: str,
                                                    words: str) -> None:
    path = machine_file(tmp_path, monkeypatch, text)
    with pytest.raises(MachineConfigError) as refused:
        load_machine_config()
    assert str(refused.value).startswith(f"{path}: ") and words in str(refused.value)
    assert main(["check"]) == 1  # a command that opens the register says so, in one line
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err and str(path) in err
