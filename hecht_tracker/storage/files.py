"""The database's files on disk: private file modes and refusing a network share.

The database holds internal notes about board members, so it, its WAL and SHM files and every
backup are readable by their owner only. SQLite's WAL locking relies on shared memory that
SMB and NFS do not provide faithfully, so a database on such a share can silently corrupt.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from hecht_tracker.core.errors import DatabaseError

PRIVATE_MODE = 0o600
# Where the kernel lists this process's mounts; a test points this at a file of its own.
MOUNTINFO = Path("/proc/self/mountinfo")
# Filesystems on which SQLite's locking (and so WAL mode) is not reliable.
NETWORK_FILESYSTEMS = frozenset(
    {
        "cifs",
        "smb3",
        "smbfs",
        "nfs",
        "nfs4",
        "ncpfs",
        "afs",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
        "fuse.sshfs",
        "sshfs",
        "davfs",
        "fuse.davfs2",
    }
)


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Files created inside this block (by SQLite too) get no group or other permissions."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist yet.

    SQLite opens an existing file as it is and gives its WAL and SHM files the database
    file's mode, so a database that starts private stays private.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE))


def make_private(*paths: Path) -> None:
    """Take group and other permissions off files this user owns (missing ones are skipped)."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if path.stat().st_mode & 0o077:
                path.chmod(PRIVATE_MODE)


def database_files(path: Path) -> tuple[Path, Path, Path]:
    """The database file and the WAL and SHM files SQLite keeps beside it."""
    return path, Path(f"{path}-wal"), Path(f"{path}-shm")


def _unescape(field: str) -> str:
    """Mount points in mountinfo escape space, tab, newline and backslash as octal."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def filesystem_type(path: Path, mountinfo: str) -> str | None:
    """The filesystem type of the mount that holds ``path``, read from ``mountinfo`` text.

    The longest mount point that contains the path wins, as the kernel resolves it.
    """
    target = os.path.realpath(path)
    best: tuple[int, str] | None = None
    for line in mountinfo.splitlines():
        before, separator, after = line.partition(" - ")
        fields = before.split()
        if not separator or len(fields) < 5 or not after.split():
            continue
        mount_point = _unescape(fields[4])
        inside = (
            target == mount_point
            or mount_point == "/"
            or target.startswith(mount_point.rstrip("/") + "/")
        )
        if inside and (best is None or len(mount_point) >= best[0]):
            best = (len(mount_point), after.split()[0])
    return None if best is None else best[1]


def network_filesystem(path: Path, mountinfo_path: Path | None = None) -> str | None:
    """The network filesystem type ``path`` lives on, or None on a local disk (or unknown)."""
    source = mountinfo_path or MOUNTINFO
    try:
        text = source.read_text(encoding="utf-8", errors="replace")
    except OSError:  # not Linux, or /proc not mounted: nothing to go on
        return None
    # The file may not exist yet: its folder decides where it will be.
    probe = path if path.exists() else path.parent
    kind = filesystem_type(probe, text)
    if kind is None:
        return None
    return kind if kind in NETWORK_FILESYSTEMS or kind.startswith(("nfs", "smb")) else None


def refuse_network_share(path: Path, *, allow: bool = False) -> None:
    """Refuse a database on a network share, unless the user insists."""
    if allow:
        return
    kind = network_filesystem(path)
    if kind is None:
        return
    raise DatabaseError(
        f"{path} staat op een netwerkschijf ({kind}). Daar kan SQLite gelijktijdig gebruik niet "
        "betrouwbaar vergrendelen en kan de database beschadigd raken. Zet de database op een "
        "lokale schijf (kopieer hem met 'hecht-tracker --db PAD db backup NIEUW-PAD' terwijl "
        "niemand anders hem gebruikt) en werk daar verder. Wilt u het toch: "
        "--allow-network-share of HECHT_TRACKER_ALLOW_NETWORK_SHARE=1."
    )
