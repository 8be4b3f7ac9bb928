"""`make run`: the development server and the task worker together; Ctrl-C stops both.

Each child runs in its own process group (with the autoreloader's child,
if any), so stopping a child stops all of it. Ctrl-C, SIGTERM, or either
child ending stops both: SIGTERM to each group, then SIGKILL after a grace
period. On Linux each child also gets SIGTERM if this launcher is killed
outright, so no worker is left behind.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRACE_SECONDS = 10
PR_SET_PDEATHSIG = 1


class Stop(Exception):
    pass


def die_with_parent() -> None:
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        start_new_session=True,
        preexec_fn=die_with_parent,  # safe: this launcher starts no threads
    )


def stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        # The group too: an autoreloader's child outlives its parent otherwise.
        signal_group(child, signal.SIGKILL)
        child.wait()


def signal_group(child: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)


def raise_stop(signum, frame):
    raise Stop(signal.strsignal(signum))


def main(port: str) -> int:
    signal.signal(signal.SIGINT, raise_stop)
    signal.signal(signal.SIGTERM, raise_stop)
    children = []
    code = 0
    try:
        children.append(start(["runserver", f"127.0.0.1:{port}"]))
        children.append(start(["db_worker", "--interval", "1"]))
        print(f"Site on http://127.0.0.1:{port}/ with a task worker; Ctrl-C stops both.")
        while True:
            ended = [child for child in children if child.poll() is not None]
            if ended:
                code = ended[0].returncode or 1
                print("A process stopped; stopping the other.", file=sys.stderr)
                break
            time.sleep(0.5)
    except Stop:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop(children)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "8000"))
