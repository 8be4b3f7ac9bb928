"""`make bench`: serve the site with gunicorn on production settings and measure it.

Starts from an empty SQLite (or DATABASE_URL) database, loads the content and
N demo comments per article, runs gunicorn with several workers on loopback,
then sends a fixed number of requests from a thread pool, and times the
medical-safety detector on its corpus. Figures go to
docs/benchmarks.json and are printed. Nothing here asserts a timing.
"""

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "benchmarks.json"
PATHS = {
    "home": "/",
    "article": "/articles/leg-cramps-at-night/",
    "article_page_2_comments": "/articles/leg-cramps-at-night/?comments_page=2",
    "search": "/search/?q=cramps+at+night",
    "topic": "/topics/leg-cramps/",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_until_up(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def fetch(url) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        assert response.status == 200
    return time.perf_counter() - start


def measure(base, path, requests, concurrency) -> dict:
    url = base + path
    for _ in range(5):
        fetch(url)  # warm caches and connections
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        timings = sorted(pool.map(fetch, [url] * requests))
    elapsed = time.perf_counter() - started
    return {
        "requests": requests,
        "concurrency": concurrency,
        "requests_per_second": round(requests / elapsed, 1),
        "p50_ms": round(statistics.median(timings) * 1000, 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1] * 1000, 1),
        "max_ms": round(timings[-1] * 1000, 1),
    }


def detector_cost() -> dict:
    """The medical-safety detector's cost per comment on its labelled corpus (issue 9)."""
    sys.path.insert(0, str(ROOT))
    from comments.safety.evaluation import corpus, evaluate

    report = evaluate(corpus())
    return {
        "mean": round(report.mean_ms(), 3),
        "p99": round(report.p99_ms(), 3),
        "comments": len(report.millis),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--comments-per-article", type=int, default=1000)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="cramps-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "MODERATION_CONTACT_EMAIL": "moderators@example.org",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "COMMENT_RATE_LIMITS": "off",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_site_content")
    seed_started = time.perf_counter()
    manage(
        env,
        "seed_demo_comments",
        "--per-article",
        str(args.comments_per_article),
        "--status",
        "approved",
    )
    seed_seconds = time.perf_counter() - seed_started
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "cramps_site.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
            "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/")
        results = {
            name: measure(base, path, args.requests, args.concurrency)
            for name, path in PATHS.items()
        }
    finally:
        server.terminate()
        server.wait(timeout=10)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "database": env["DATABASE_URL"].split(":", 1)[0],
        "gunicorn_workers": args.workers,
        "comments_per_article": args.comments_per_article,
        "seed_demo_comments_seconds": round(seed_seconds, 2),
        "safety_detector_ms_per_comment": detector_cost(),
        "pages": results,
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    print(f"written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
