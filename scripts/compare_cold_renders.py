"""Cold renders of the article with N comments: this tree against another, in one run.

Each tree (this one, and --base, e.g. a worktree at the round's first commit)
gets its own process with a throwaway SQLite database (production settings,
DEBUG off), the site content and N approved comments per article. The two
processes then take turns: each round, each renders the article --requests
times through Django's test client, as a reader with the own-comment cookie
(which always gets a per-request render), so other work on the machine
weighs on both sides alike. Prints each round and the medians; with
--profile KIND, each tree's pyinstrument top entries (self time) over one
more round of that kind of render.

    git worktree add --detach ../base b6594e1
    .venv/bin/python scripts/compare_cold_renders.py --base ../base --comments 200
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from throwaway_site import production_env

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "/articles/leg-cramps-at-night/"
KINDS = {
    "render": "A reader with the own-comment cookie",
    "changed": "The first render after a comment decision on the article (its invalidation)",
    "article_changed": "The first render after the article's change (saved in the admin)",
    "empty_cache": "A render with the content caches empty (as a new process, frames stored)",
    "before_task": "The first render after a topic's change, before the worker stored the frames",
}


def worker(root: Path, comments: int) -> None:
    """Set up one tree's site, then render on request: a line "N" renders N times."""
    workdir = Path(tempfile.mkdtemp(prefix="cramps-compare-"))
    os.environ.update(
        production_env(
            workdir, site_url="http://127.0.0.1", purpose="compare", COMMENT_RATE_LIMITS="off"
        )
    )
    os.chdir(root)
    sys.path.insert(0, str(root))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    quiet = {"verbosity": 0, "stdout": open(os.devnull, "w")}  # noqa: SIM115
    call_command("migrate", "--noinput", **quiet)
    call_command("createcachetable", **quiet)
    call_command("collectstatic", "--noinput", **quiet)
    call_command("load_site_content", **quiet)
    seed = {"per_article": comments, "status": "approved", "seed": 1}
    call_command("seed_demo_comments", **seed, stdout=quiet["stdout"])
    client = Client()
    client.cookies["comments_mine"] = "none"
    page = client.get(ARTICLE)
    assert page.status_code == 200, page.status_code
    try:
        from articles.page_cache import bump_site_version, invalidate_article
    except ImportError:
        bump = None  # before the page cache: every render started from nothing
    else:
        from articles.models import Article

        article_id = Article.objects.get(slug=ARTICLE.split("/")[2]).pk
        bump = {
            # What comments/decisions.py calls when a comment is approved, rejected, edited...
            "changed": lambda: invalidate_article(article_id),
            "article_changed": bump_site_version,
        }
        try:
            from articles import stored_frames
        except ImportError:
            pass  # before stored frames: an article change was a site-wide bump
        else:
            from articles import page_cache, pages
            from comments import threads

            article = Article.objects.get(pk=article_id)

            def article_changed():
                """What the article admin calls on saving it: its frame stored with the change.
                Every other article's is stored by the task its worker runs next."""
                stored_frames.articles_changed([article])

            def empty_caches():
                """The content a process keeps (pages, frames, rows of threads), as a new one
                starts; compiled SQL and templates, as Django's template loader, stay."""
                for kept in (pages.FRAMES, threads.KEPT, page_cache.STORE):
                    kept.clear()

            bump |= {
                "article_changed": article_changed,
                "empty_cache": empty_caches,
                # A change that names no article (a topic, a tag): the task stores them all.
                "before_task": stored_frames.articles_changed,
            }
    print(json.dumps({"ready": True, "bytes": len(page.content)}), flush=True)
    for line in sys.stdin:
        command, count = line.split()
        count = int(count)
        profiling = command.startswith("profile")
        if profiling:
            command = command.removeprefix("profile-")
            from pyinstrument import Profiler
            from pyinstrument.renderers import ConsoleRenderer

            profiler = Profiler(interval=0.0005)
        spent = 0.0
        for _ in range(count):
            if bump is not None and command in bump:
                bump[command]()  # a change readers see: no page kept under the old version serves
            if profiling:
                profiler.start()  # the render alone, as timed: sessions add up
            started = time.perf_counter()
            client.get(ARTICLE)
            spent += time.perf_counter() - started
            if profiling:
                profiler.stop()
        each = spent / count * 1000
        result = {"ms": round(each, 2)}
        if profiling:
            flat = ConsoleRenderer(unicode=False, color=False, flat=True, time="percent_of_total")
            result["top"] = profiler.output(flat).splitlines()[9:29]
        print(json.dumps(result), flush=True)


def start(root: Path, comments: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, __file__, "--worker", str(root), "--comments", str(comments)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def ask(process: subprocess.Popen, command: str) -> dict:
    process.stdin.write(command + "\n")
    process.stdin.flush()
    return json.loads(process.stdout.readline())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=Path, help="The other tree (a worktree at an older commit).")
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--requests", type=int, default=10, help="Renders per round and tree.")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--profile",
        choices=KINDS,
        help="Also profile this kind of render in each tree (pyinstrument, self time).",
    )
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.comments)
        return

    trees = {"base": args.base.resolve(), "this": ROOT}
    commits = {
        name: subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607  git from PATH, as make does
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
        for name, root in trees.items()
    }
    processes = {name: start(root, args.comments) for name, root in trees.items()}
    try:
        ready = {name: json.loads(p.stdout.readline()) for name, p in processes.items()}
        for name in trees:
            ask(processes[name], f"render {args.requests}")  # warm up imports and templates
        for kind, what in KINDS.items():
            times = {name: [] for name in trees}
            for _ in range(args.rounds):
                for name in trees:
                    times[name].append(ask(processes[name], f"{kind} {args.requests}")["ms"])
            medians = {name: statistics.median(t) for name, t in times.items()}
            print(
                f"\n{what}: {args.comments} comments per article, {args.rounds} rounds x "
                f"{args.requests} renders, load average {os.getloadavg()[0]:.1f}:"
            )
            for name in trees:
                print(
                    f"  {name} ({commits[name]}): median {medians[name]:.1f} ms per render "
                    f"(rounds {times[name]}), page {ready[name]['bytes']} bytes"
                )
            print(f"  speed-up: {medians['base'] / medians['this']:.1f}x")
        if args.profile:
            for name in trees:
                result = ask(processes[name], f"profile-{args.profile} {args.requests}")
                print(f"\n{name} ({commits[name]}) under pyinstrument, {result['ms']} ms a render:")
                print("\n".join(result["top"]))
    finally:
        for process in processes.values():
            process.stdin.close()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
