"""Online backups of the SQLite database, made with SQLite's own backup API.

The copy is consistent: SQLite copies every page as of one moment, and in WAL
mode that read never blocks the site's writers, so the site serves and takes
posts throughout. The copy is written beside the target, checked with
``PRAGMA integrity_check``, switched out of WAL mode (one self-contained file,
no ``-wal`` to forget) and only then renamed to the target, so the target is
never half a backup.

PostgreSQL has its own tools, pg_dump and pg_restore: see README, "Backups".
"""

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from django.db import connections

USE_PG_DUMP = (
    "The database is PostgreSQL: back it up with its own tools, for example "
    '`pg_dump -Fc -f site.dump "$DATABASE_URL"`, and restore with pg_restore '
    "(see README.md, “Backups”)."
)


class BackupError(Exception):
    pass


def backup_sqlite(target: Path, using: str = "default") -> int:
    """Copy the live SQLite database to target; returns the copy's size in bytes."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        raise BackupError(USE_PG_DUMP)
    live = Path(connection.settings_dict["NAME"]).resolve()
    target = Path(target).resolve()
    if target in {live, Path(f"{live}-wal"), Path(f"{live}-shm")}:
        raise BackupError(f"{target} is the live database: give the backup another name.")
    if not connection.introspection.table_names():
        raise BackupError(f"There is no database at {live} to back up (no tables).")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    connection.ensure_connection()
    try:
        with closing(sqlite3.connect(partial)) as copy:
            connection.connection.backup(copy)
            (check,) = copy.execute("PRAGMA integrity_check").fetchone()
            if check != "ok":
                raise BackupError(f"The copy failed its integrity check: {check}")
            copy.execute("PRAGMA journal_mode=DELETE")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size
