"""python manage.py backup PATH: a consistent copy of the SQLite database, taken online."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, backup_sqlite


class Command(BaseCommand):
    help = (
        "Copy the SQLite database to PATH while the site keeps serving and taking posts. "
        "On PostgreSQL, use pg_dump -Fc and pg_restore (README, Backups)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", type=Path, help="Where to write the copy, e.g. backups/site.sqlite3"
        )

    def handle(self, *args, path, **options):
        try:
            size = backup_sqlite(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Backed up to {path} ({size:,} bytes, integrity ok).")
        )
