"""Helpers for tests that run the site's processes: the scenario steps, the mail folder."""

import json
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = Path(__file__).with_name("worker_scenario.py")
MESSAGE_SEPARATOR = "-" * 79


def scenario(env, step) -> dict:
    done = subprocess.run(
        [sys.executable, str(SCENARIO), step], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def sent_emails(env) -> list[str]:
    """Every message the file backend wrote, whatever the file."""
    folder = Path(env["EMAIL_FILE_PATH"])
    files = sorted(folder.iterdir()) if folder.exists() else []
    messages = []
    for path in files:
        messages += [m for m in path.read_text().split(MESSAGE_SEPARATOR) if m.strip()]
    return messages


def reply_emails(env) -> list[str]:
    return [m for m in sent_emails(env) if "Subject: New reply to your comment" in m]


def status_of(state, task) -> list[str]:
    return [row["status"] for row in state["tasks"] if row["task"] == task]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
