"""SQLite on a file, as `make run` uses it: WAL, and concurrent writers queue."""

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.subprocess_env import subprocess_env

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import threading
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.contrib.auth.models import Group

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        print("journal", cursor.fetchone()[0])
    errors = []

    def writer(n):
        try:
            for i in range(20):
                # Read then write in one transaction: the pattern that fails with
                # "database is locked" under SQLite's default DEFERRED mode.
                with transaction.atomic():
                    Group.objects.filter(name__startswith="w").count()
                    Group.objects.create(name=f"w{n}-{i}")
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    print("rows", Group.objects.filter(name__startswith="w").count())
    print("errors", len(errors), errors[:1])
    """
)


def test_file_database_uses_wal_and_concurrent_writes_never_lock(tmp_path):
    # make run's settings: debug on, a SQLite file
    env = subprocess_env(tmp_path, f"sqlite:///{tmp_path}/site.sqlite3", DJANGO_DEBUG="1")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert lines["journal"] == "wal"
    assert lines["rows"] == "120"
    assert lines["errors"].startswith("0 ")
