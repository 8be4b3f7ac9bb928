"""Fixtures for the worker tests: a throwaway database of the suite's engine, and a mail server."""

import asyncio
import os
import secrets
import subprocess
import sys
import threading
import urllib.parse

import pytest
from worker_processes import ROOT, free_port

from tests.subprocess_env import subprocess_env


class RefusingMailServer:
    """An aiosmtpd handler: refuses the next `refusals` reply emails (451), accepts the rest."""

    def __init__(self):
        self.refusals = 0
        self.received: list[str] = []
        self.port = free_port()

    async def handle_DATA(self, server, session, envelope):
        content = envelope.content.decode()
        if self.refusals and "Subject: New reply" in content:
            self.refusals -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        self.received.append(content)
        return "250 Message accepted for delivery"

    def reply_emails(self) -> list[str]:
        return [m for m in self.received if "Subject: New reply" in m]


class HoldingMailServer(RefusingMailServer):
    """Keeps a reply email's DATA waiting until released, so its sender can be killed mid-send."""

    def __init__(self):
        super().__init__()
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if "Subject: New reply" in envelope.content.decode():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


def serving(handler):
    from aiosmtpd.controller import Controller

    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    return controller


@pytest.fixture
def holding_mail_server():
    """A real SMTP server on loopback that holds reply emails until told to take them."""
    handler = HoldingMailServer()
    controller = serving(handler)
    yield handler
    handler.release.set()
    controller.stop()


@pytest.fixture
def mail_server():
    """A real SMTP server on loopback, in a thread; set .refusals to make it refuse."""
    handler = RefusingMailServer()
    controller = serving(handler)
    yield handler
    controller.stop()


@pytest.fixture
def scratch_database_url(tmp_path):
    """A new, empty database: a SQLite file, or a PostgreSQL database when the suite runs there."""
    suite_url = os.environ.get("DATABASE_URL", "")
    if not suite_url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path}/site.sqlite3"
        return
    import psycopg

    name = f"worker_test_{secrets.token_hex(4)}"
    server = urllib.parse.urlsplit(suite_url)
    admin = server._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield server._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def worker_env(tmp_path, scratch_database_url):
    """Production settings on the scratch database, migrated; emails written as files."""
    env = subprocess_env(
        tmp_path,
        scratch_database_url,
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        DJANGO_LOG_LEVEL="INFO",
    )
    for command in (["migrate", "-v0"], ["createcachetable"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    return env
