"""A register on a network share (SMB, NFS) is opened read-only, saying why and pointing to the shared server:
SQLite's write-ahead log is not safe there when several people open the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bscp_desktop.cli import main
from bscp_desktop.services import Services
from bscp_desktop.services.incidents.input import IncidentInput
from bscp_desktop.store import network
from bscp_desktop.store.errors import ReadOnlyStore, RegisterUnusable
from bscp_desktop.store.network import filesystem_type

MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:35 / /mnt/unit\\040share rw,relatime shared:2 - cifs //fileserver/unit rw,vers=3.1.1
41 22 0:36 / /srv/nfs rw,relatime shared:3 - nfs4 server:/export rw
42 41 8:2 / /srv/nfs/local rw,relatime shared:4 - ext4 /dev/sdb1 rw
"""


@pytest.mark.parametrize(("path", "kind"), [
    ("/home/unit/bscp.db", "ext4"), ("/mnt/unit share/registers/bscp.db", "cifs"), ("/mnt/unit shared/x.db", "ext4"),
    ("/srv/nfs/bscp.db", "nfs4"), ("/srv/nfs/local/bscp.db", "ext4"),
])
def test_the_mount_holding_a_file_is_found(path: str, kind: str) -> None:
    assert filesystem_type(Path(path), MOUNTINFO) == kind


def test_this_machines_temporary_folder_is_local(tmp_path: Path) -> None:
    assert network.network_filesystem(tmp_path / "x.db") is None


@pytest.fixture
def on_a_share(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Files under ``share/`` in the test's folder are taken to be on an SMB share."""
    share = tmp_path / "share"
    share.mkdir()
    monkeypatch.setattr(network, "network_filesystem", lambda p: "cifs" if share in Path(p).parents else None)
    return share


@pytest.mark.plain_only
def test_a_register_on_a_share_opens_read_only_and_says_why(svc: Any, on_a_share: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    svc.incidents.register(IncidentInput("Child A", "died", dt.date(2026, 11, 2)))
    svc.close()
    register = on_a_share / "bscp.db"
    shutil.copyfile(svc.db.path, register)
    opened = Services.open(register)
    try:
        assert opened.db.read_only and opened.incidents.get(1).local_ref  # read as ever
        with pytest.raises(ReadOnlyStore, match=r"is on a network share \(cifs\).*PostgreSQL server"):
            opened.incidents.register(IncidentInput("Child A", "died", dt.date(2026, 11, 2)))
    finally:
        opened.close()
    assert main(["report", "deadlines", "--db", str(register), "--out", str(on_a_share.parent / "d.pdf")]) == 0
    capsys.readouterr()
    code = main(["users", "--db", str(register), "add", "bo", "--role", "editor"])
    err = capsys.readouterr().err
    assert code == 1 and "is on a network share (cifs)" in err and len(err.strip().splitlines()) == 1


def test_a_new_register_is_not_made_on_a_share(on_a_share: Path) -> None:
    with pytest.raises(RegisterUnusable, match="is on a network share"):
        Services.open(on_a_share / "new.db")
