"""`make bench`: the article page against a static file, on one gunicorn, in one run.

For 0, 50, 200 and 1,000 approved comments per article, on a fresh database
(SQLite by default; DATABASE_URL and REDIS_URL are honoured): seed the
comments, start gunicorn with production settings, and measure with wrk
(Debian's package):

- the same article's bytes as a static file served by the same gunicorn and
  WhiteNoise: the reference for the ratio;
- warm: anonymous readers, the page cache holding the page;
- cold: a reader with their own-comment cookie, so every request renders;
- guest comment POSTs from 20 connections, each answered 303 and stored.

Every client sends Accept-Encoding: gzip, as browsers do. Writes
docs/benchmarks.json and the table in README.md. Nothing here asserts a timing.
"""

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from throwaway_site import production_env

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "benchmarks.json"
README = ROOT / "README.md"
SLUG = "leg-cramps-at-night"
ARTICLE = f"/articles/{SLUG}/"
STATIC = "/static/bench/article.html"
GZIP = "Accept-Encoding: gzip, deflate, br"
TABLE = "<!-- bench:{label}:{end} -->"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
POST_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; other = 0 end
function response(status, headers, body)
  if status == 303 then ok = ok + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local o, x = 0, 0
  for _, t in ipairs(threads) do o = o + t:get("ok"); x = x + t:get("other") end
  io.write(string.format("POSTS ok=%d other=%d\\n", o, x))
end
wrk.method = "POST"
wrk.body = "BODY"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = "ORIGIN"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
"""


def free_port(first: int) -> int:
    """The first port from `first` on that nothing listens on."""
    for port in range(first, first + 100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise SystemExit(f"no free port from {first}")


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def probe(env, *args) -> dict:
    out = subprocess.run(
        [sys.executable, "scripts/bench_probe.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def wait_until_up(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def body_sizes(url) -> dict:
    sizes = {}
    for name, headers in (("bytes_raw", {}), ("bytes_gzip", {"Accept-Encoding": "gzip"})):
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            sizes[name] = len(response.read())
    return sizes


def ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return round(float(number) * UNITS[unit], 2)


def wrk(url, seconds, connections=16, headers=(GZIP,), script=None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if set(latency) != {"50", "99"}:
        raise SystemExit(f"wrk said:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    result = {
        "requests_per_second": round(float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]), 1),
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
        "p50_ms": ms(latency["50"]),
        "p99_ms": ms(latency["99"]),
        "non_2xx_3xx": int(errors[1]) if errors else 0,
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
    }
    posts = re.search(r"POSTS ok=(\d+) other=(\d+)", out)
    if posts:
        result |= {"answered_303": int(posts[1]), "answered_other": int(posts[2])}
    return result


def median_of(runs: list[dict]) -> dict:
    """Each figure's median over the rounds; errors added up."""
    summed = {"requests", "non_2xx_3xx", "socket_errors"}
    result = {
        key: sum(run[key] for run in runs)
        if key in summed
        else statistics.median(run[key] for run in runs)
        for key in runs[0]
    }
    return result | {"rounds_requests_per_second": [run["requests_per_second"] for run in runs]}


def serve(env, port, workers):
    """gunicorn as deployed (deploy/gunicorn.conf.py), with `workers` workers and no access log."""
    return subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "cramps_site.wsgi",
            "--config", "deploy/gunicorn.conf.py",
            "--access-logfile", os.devnull, "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)},
    )  # fmt: skip


def run_one(comments: int, args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="cramps-bench-"))
    port = free_port(args.port)
    base = f"http://127.0.0.1:{port}"
    env = os.environ | production_env(
        workdir, site_url=base, purpose="bench", COMMENT_RATE_LIMITS="off"
    )
    # A database given in DATABASE_URL is measured instead of the throwaway SQLite file;
    # REDIS_URL, when set, is passed on with the rest of the environment.
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL", env["DATABASE_URL"])
    if env["DATABASE_URL"].startswith("postgres"):
        manage(env, "flush", "--noinput")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_site_content")
    started = time.perf_counter()
    manage(env, "seed_demo_comments", "--per-article", str(comments), "--status", "approved",
           "--seed", "1")  # fmt: skip
    seeded = time.perf_counter() - started
    page = probe(env, "copy", ARTICLE, env["DJANGO_STATIC_ROOT"])
    queries = probe(env, "queries", ARTICLE)
    server = serve(env, port, args.workers)
    try:
        wait_until_up(base + ARTICLE)
        sizes = body_sizes(base + ARTICLE)
        # Static and warm alternate, so a burst of other work on the machine
        # weighs on both sides of the ratio alike.
        statics, warms = [], []
        for _ in range(args.rounds):
            statics.append(wrk(base + STATIC, args.seconds))
            warms.append(wrk(base + ARTICLE, args.seconds))
        static, warm = median_of(statics), median_of(warms)
        cold = wrk(base + ARTICLE, args.seconds * 2, headers=(GZIP, "Cookie: comments_mine=none"))
        before = probe(env, "count")["comments"]
        script = workdir / "post.lua"
        form = probe(env, "form", SLUG)["body"]
        script.write_text(POST_SCRIPT.replace("BODY", form).replace("ORIGIN", base))
        posts = wrk(f"{base}/comments/post/{SLUG}/", args.seconds * 2, connections=20,
                    headers=(), script=str(script))  # fmt: skip
        stored = probe(env, "count")["comments"] - before
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)
    static_rate = static["requests_per_second"]
    # Posts still in flight when wrk stops are stored but not counted as answered.
    posts |= {"stored": stored, "lost": max(0, posts.get("answered_303", 0) - stored)}
    return {
        "approved_comments": comments,
        "page": sizes | {"static_copy_bytes": page["bytes"]},
        "sql_queries": queries,
        "static": static,
        "warm": warm | {"ratio_to_static": round(warm["requests_per_second"] / static_rate, 3)},
        "cold": cold,
        "posts_20_concurrent": posts,
        "seed_seconds": round(seeded, 1),
    }  # fmt: skip


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found[1].strip() if found else ""
    return f"{model or platform.processor()} ({platform.machine()}), {os.cpu_count()} cores"


def readme_table(report: dict) -> str:
    lines = [
        TABLE.format(label=report["label"], end="start"),
        f"Measured {report['when']} on {report['machine']}, {report['database']}"
        f"{' + Redis' if report['redis'] else ''} cache, gunicorn {report['gunicorn_workers']}"
        f" workers, wrk 2 threads x 16 connections, static and warm alternated"
        f" {report['rounds']} x {report['seconds']} s (medians), gzip accepted; load average"
        f" {report['load_average_1min']['before']:.1f} from other work on the machine"
        " (`make bench`, `docs/benchmarks.json`).",
        "",
        "| approved comments | page KB (gzip) | static file req/s | static p99 ms | warm req/s | "
        "warm / static | warm p50 / p99 ms | cold req/s | cold p50 / p99 ms | "
        "SQL per warm hit / render | POSTs/s (20 posters) | lost |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in report["runs"]:
        page, warm, cold, posts = run["page"], run["warm"], run["cold"], run["posts_20_concurrent"]
        lines.append(
            f"| {run['approved_comments']} | {page['bytes_raw'] / 1024:.0f} "
            f"({page['bytes_gzip'] / 1024:.0f}) | {run['static']['requests_per_second']:.0f} | "
            f"{run['static']['p99_ms']} | "
            f"{warm['requests_per_second']:.0f} | {warm['ratio_to_static']:.0%} | "
            f"{warm['p50_ms']} / {warm['p99_ms']} | {cold['requests_per_second']:.0f} | "
            f"{cold['p50_ms']} / {cold['p99_ms']} | {run['sql_queries']['warm']} / "
            f"{run['sql_queries']['cold_stored']} | {posts['requests_per_second']:.0f} | "
            f"{posts['lost']} |"
        )
    lines.append(TABLE.format(label=report["label"], end="end"))
    return "\n".join(lines)


def write_readme(label: str, table: str) -> None:
    text = README.read_text()
    start_mark, end_mark = (
        TABLE.format(label=label, end="start"),
        TABLE.format(label=label, end="end"),
    )
    start, end = text.find(start_mark), text.find(end_mark)
    if start == -1 or end == -1:
        print(f"README.md has no {start_mark} marker; table not written")
        return
    README.write_text(text[:start] + table + text[end + len(end_mark) :])


def write_json(label: str, report: dict) -> None:
    """docs/benchmarks.json keeps one report per configuration (sqlite, sqlite+redis...)."""
    reports = json.loads(OUT.read_text()) if OUT.exists() else {}
    if "runs" in reports or "pages" in reports:
        reports = {}  # an older single-report file
    OUT.write_text(json.dumps(reports | {label: report}, indent=2) + "\n")


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
    parser.add_argument("--comments", type=int, nargs="+", default=[0, 50, 200, 1000])
    parser.add_argument("--seconds", type=int, default=5, help="Per wrk run (cold, posts: twice).")
    parser.add_argument("--rounds", type=int, default=3, help="Static and warm runs, alternated.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8500, help="The first port to try.")
    parser.add_argument("--no-write", action="store_true", help="Print only.")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    runs = []
    load_before = os.getloadavg()[0]
    for comments in args.comments:
        print(f"{comments} approved comments per article...", flush=True)
        runs.append(run_one(comments, args))
        print(json.dumps(runs[-1]), flush=True)
    database = os.environ.get("DATABASE_URL", "sqlite").split(":", 1)[0]
    redis = bool(os.environ.get("REDIS_URL"))
    report = {
        "label": f"{database}{'+redis' if redis else ''}",
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "python": platform.python_version(),
        "database": database,
        "redis": redis,
        "gunicorn_workers": args.workers,
        "seconds": args.seconds,
        "rounds": args.rounds,
        # Other work on the machine moves every figure; the ratios are taken minutes apart.
        "load_average_1min": {"before": load_before, "after": os.getloadavg()[0]},
        "runs": runs,
        # Issue 9: the medical-safety detector's cost on its labelled corpus, in process.
        "safety_detector_ms_per_comment": detector_cost(),
    }
    table = readme_table(report)
    print(table)
    if not args.no_write:
        OUT.parent.mkdir(exist_ok=True)
        write_json(report["label"], report)
        write_readme(report["label"], table)
        print(f"written to {OUT.relative_to(ROOT)} and README.md")


if __name__ == "__main__":
    main()
