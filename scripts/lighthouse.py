"""`make lighthouse`: Lighthouse (mobile) scores of home, article and search.

Like `make bench`, it serves the site with gunicorn on production settings on
a fresh SQLite database, with 200 approved comments per article, and runs the
npm package `lighthouse` (assets/lighthouse/, installed by `make lighthouse`)
against Debian's Chromium, offline. Each page is loaded once first, so the
figures are for a page the cache holds. Writes docs/lighthouse.json.

The search page is `noindex` on purpose (results pages should not be in
search engines' indexes), so its SEO score is not 100 by design.
"""

import json
import os
import subprocess
import tempfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bench import ROOT, free_port, machine, manage, serve, wait_until_up
from chromium import CHROMIUM_PATH
from throwaway_site import production_env

OUT = ROOT / "docs" / "lighthouse.json"
LIGHTHOUSE = ROOT / "assets" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
PAGES = {
    "home": "/",
    "article": "/articles/leg-cramps-at-night/",
    "search": "/search/?q=cramps",
}


def scores(url: str, workdir: Path) -> dict:
    report = workdir / "report.json"
    subprocess.run(
        [
            str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
            "--chrome-flags=--headless=new --no-sandbox",
        ],
        env=os.environ | {"CHROME_PATH": CHROMIUM_PATH},
        check=True,
    )  # fmt: skip
    categories = json.loads(report.read_text())["categories"]
    return {name: round(category["score"] * 100) for name, category in categories.items()}


def main():
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: cd assets/lighthouse && npm ci")
    workdir = Path(tempfile.mkdtemp(prefix="cramps-lighthouse-"))
    port = free_port(8500)
    base = f"http://127.0.0.1:{port}"
    env = os.environ | production_env(workdir, site_url=base, purpose="lighthouse")
    env.pop("REDIS_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["createcachetable"],
                    ["collectstatic", "--noinput", "-v0"], ["load_site_content"],
                    ["seed_demo_comments", "--per-article", "200", "--status", "approved",
                     "--seed", "1"]):  # fmt: skip
        manage(env, *command)
    server = serve(env, port, workers=2)
    try:
        wait_until_up(base + "/")
        results = {}
        for name, path in PAGES.items():
            urllib.request.urlopen(base + path).read()  # the page cache holds it
            results[name] = scores(base + path, workdir)
            print(name, results[name], flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)
    report = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "form_factor": "mobile (Lighthouse default throttling)",
        "approved_comments_per_article": 200,
        "pages": results,
    }
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
