"""`make run` (scripts/run.py): the web server and the task worker start and stop together."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from worker_processes import ROOT, free_port, reply_emails, scenario


def descendants(pid: int) -> dict[int, str]:
    """Every live process under pid, with its command line."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                found[child] = command_of(child)
                frontier.append(child)
    return found


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start_launcher(env) -> tuple[subprocess.Popen, str]:
    port = free_port()
    launcher = subprocess.Popen(
        [sys.executable, "scripts/run.py", str(port)], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/healthz"
    for _ in range(300):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                assert json.load(response)["status"] == "ok"
            return launcher, url
        except OSError:
            assert launcher.poll() is None, "the launcher stopped"
            time.sleep(0.2)
    launcher.kill()
    raise AssertionError("the web server did not answer")


def wait_for(condition, seconds=60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_one_command_serves_the_site_and_runs_queued_emails_and_ctrl_c_stops_all(worker_env):
    launcher, _ = start_launcher(worker_env | {"DJANGO_DEBUG": "1"})
    try:
        processes = descendants(launcher.pid)
        assert any("runserver" in command for command in processes.values())
        assert any("db_worker" in command for command in processes.values())

        scenario(worker_env, "approve-reply")
        assert wait_for(lambda: len(reply_emails(worker_env)) == 1), "the worker sent nothing"

        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=30) == 0
    finally:
        launcher.kill()
    assert wait_for(lambda: not any(alive(pid) for pid in processes), seconds=15), [
        command for pid, command in processes.items() if alive(pid)
    ]


def test_when_the_worker_dies_the_web_server_is_stopped_too(worker_env):
    launcher, _ = start_launcher(worker_env | {"DJANGO_DEBUG": "1"})
    try:
        processes = descendants(launcher.pid)
        [worker] = [
            pid
            for pid, command in processes.items()
            if "db_worker" in command and parent_of(pid) == launcher.pid
        ]
        os.kill(worker, signal.SIGKILL)

        assert launcher.wait(timeout=30) != 0
    finally:
        launcher.kill()
    assert wait_for(lambda: not any(alive(pid) for pid in processes), seconds=15)


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
