"""Files and privacy: every file holding tracker data is its owner's alone; network shares
are refused unless the user insists."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FixedClock
from safety_helpers import FIXTURES, hecht

from hecht_tracker.cli import cli
from hecht_tracker.core.errors import DatabaseError
from hecht_tracker.storage import files
from hecht_tracker.storage.store import Store, initialise


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The usual desktop umask (files 0644), so 0600 comes from the program, not the test."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_database_and_its_wal_and_shm_files_are_private(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "hecht.sqlite"
    with Store.open(path, clock=clock) as store:
        store.update("milestone", 6, {"location": "Leiden"})
        for made in files.database_files(path):
            assert made.exists(), made
            assert mode(made) == 0o600, made
    assert mode(path) == 0o600


def test_every_backup_is_private(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "hecht.sqlite"
    with Store.open(path, clock=clock) as store:
        store.update("milestone", 6, {"location": "Leiden"})  # the daily backup
    (daily,) = (tmp_path / "backups").iterdir()
    assert mode(tmp_path / "backups") == 0o700

    made = hecht(path, "db", "backup")
    assert made.returncode == 0, made.stderr
    by_command = Path(made.stdout.split(": ", 1)[1].strip())

    forced = initialise(path, force=True, clock=clock)
    assert forced is not None

    old = tmp_path / "oud.sqlite"
    shutil.copyfile(FIXTURES / "v1.sqlite", old)
    old.chmod(0o600)
    Store.open(old, clock=clock).close()
    (before_migration,) = tmp_path.glob("oud.v1-*.bak.sqlite")

    restored = hecht(path, "db", "restore", str(by_command), "--yes")
    assert restored.returncode == 0, restored.stderr
    (before_restore,) = set(tmp_path.glob("hecht.*.bak.sqlite")) - {by_command, forced}

    for backup in (daily, by_command, forced, before_migration, before_restore):
        assert mode(backup) == 0o600, backup


def test_an_existing_readable_database_is_made_private_when_opened(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "hecht.sqlite"
    Store.open(path, clock=clock).close()
    path.chmod(0o644)  # as versions before this one made it
    Store.open(path, clock=clock).close()
    assert mode(path) == 0o600


MOUNTINFO = """\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
31 27 0:40 / /home rw,relatime - ext4 /dev/vdb rw
40 31 0:52 / /home/pm/Gedeeld\\040bureau rw,relatime - cifs //nas/bureau rw,vers=3.0
41 27 0:53 /export /mnt/nfs rw,relatime shared:5 - nfs4 nas:/export rw,vers=4.2
42 41 0:54 / /mnt/nfs/lokaal rw,relatime - ext4 /dev/vdc rw
"""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/home/pm/hecht.sqlite", "ext4"),
        ("/home/pm/Gedeeld bureau/hecht.sqlite", "cifs"),
        ("/home/pm/Gedeeld bureau/db/hecht.sqlite", "cifs"),
        ("/home/pm/Gedeeld bureauX/hecht.sqlite", "ext4"),
        ("/mnt/nfs/hecht.sqlite", "nfs4"),
        ("/mnt/nfs/lokaal/hecht.sqlite", "ext4"),
        ("/tmp/hecht.sqlite", "ext4"),
    ],
)
def test_the_filesystem_of_a_path_is_read_from_mountinfo(path: str, kind: str) -> None:
    assert files.filesystem_type(Path(path), MOUNTINFO) == kind


def test_network_filesystems_are_recognised_and_local_ones_not(tmp_path: Path) -> None:
    for kind, network in [
        ("nfs", True),
        ("nfs4", True),
        ("cifs", True),
        ("smb3", True),
        ("ext4", False),
        ("tmpfs", False),
        ("btrfs", False),
    ]:
        info = tmp_path / f"mountinfo-{kind}"
        info.write_text(f"27 1 254:0 / / rw - {kind} /dev/x rw\n")
        found = files.network_filesystem(tmp_path / "hecht.sqlite", info)
        assert (found is not None) == network, kind


@pytest.fixture
def on_nfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the detector see the folder of the test database as an NFS mount."""
    folder = tmp_path / "share"
    folder.mkdir()
    info = tmp_path / "mountinfo"
    info.write_text(
        "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
        f"50 27 0:60 / {folder} rw,relatime - nfs nas:/bureau rw,vers=3\n"
    )
    monkeypatch.setattr(files, "MOUNTINFO", info)
    return folder / "hecht.sqlite"


def test_a_database_on_a_network_share_is_refused_with_advice(on_nfs: Path) -> None:
    with pytest.raises(DatabaseError, match=r"netwerkschijf \(nfs\)"):
        Store.open(on_nfs)
    assert not on_nfs.exists()  # refused before anything was made

    result = CliRunner().invoke(cli, ["--db", str(on_nfs), "milestone", "list"])
    assert result.exit_code == 1
    assert "staat op een netwerkschijf (nfs)" in result.output
    assert "lokale schijf" in result.output and "--allow-network-share" in result.output
    assert "Traceback" not in result.output
    assert not on_nfs.exists()


def test_the_user_can_insist_on_a_network_share(on_nfs: Path) -> None:
    runner = CliRunner()
    insisted = runner.invoke(cli, ["--db", str(on_nfs), "--allow-network-share", "goal", "list"])
    assert insisted.exit_code == 0, insisted.output
    by_env = runner.invoke(
        cli, ["--db", str(on_nfs), "goal", "list"], env={"HECHT_TRACKER_ALLOW_NETWORK_SHARE": "1"}
    )
    assert by_env.exit_code == 0, by_env.output


def test_a_backup_may_be_taken_off_a_network_share(on_nfs: Path, tmp_path: Path) -> None:
    Store.open(on_nfs, allow_network_share=True).close()
    target = tmp_path / "lokaal.sqlite"
    result = CliRunner().invoke(cli, ["--db", str(on_nfs), "db", "backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.exists()
