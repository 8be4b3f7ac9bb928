"""Write PNGs of the main pages, at phone and desktop widths, to docs/screenshots/.

Runs the site on production settings, on a free port with a throwaway SQLite
database (migrated, the shipped articles loaded, a few approved demo comments),
then photographs it with Debian's Chromium. Usage: `make screenshots` (or run
this file with the project's virtualenv Python). CHROMIUM_PATH overrides
/usr/bin/chromium.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from chromium import CHROMIUM_PATH, launch
from playwright.sync_api import sync_playwright
from throwaway_site import production_env

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
WIDTHS = {"phone": (360, 740), "desktop": (1280, 900)}
PAGES = {
    "home": "/",
    "article": "/articles/leg-cramps-at-night/",
    "article-comments": "/articles/leg-cramps-at-night/#comments",
    "search": "/search/?q=cramps+at+night",
    "topic": "/topics/leg-cramps/",
    "tags": "/tags/",
    "author": "/people/dr-amelia-hart/",
    "search-did-you-mean": "/search/?q=crmaps",
    "article-helpful": "/articles/leg-cramps-at-night/#helpful",
    "article-helpful-thanks": "/articles/leg-cramps-at-night/?helpful=thanks#helpful",
}
# Lazy images (the avatars) load once in view: wait for those in the picture.
IMAGES_IN_VIEW_LOADED = """() => [...document.images].every((img) => {
  const box = img.getBoundingClientRect();
  const inView = box.bottom > 0 && box.top < innerHeight && box.width > 0;
  return !inView || (img.complete && img.naturalWidth > 0);
})"""
# A dark-mode sample of the two pages people see most.
DARK = ("home", "article")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=check,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own loopback server
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"The site did not start at {url}")


def photograph(base_url: str) -> list[Path]:
    written = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for device, (width, height) in WIDTHS.items():
            for scheme in ("light", "dark"):
                context = browser.new_context(
                    base_url=base_url,
                    viewport={"width": width, "height": height},
                    device_scale_factor=1,
                    color_scheme=scheme,
                    reduced_motion="reduce",
                )
                # Nothing but the site itself, as in the browser tests.
                context.route(lambda url: not url.startswith(base_url), lambda route: route.abort())
                page = context.new_page()
                for name, url in PAGES.items():
                    if scheme == "dark" and name not in DARK:
                        continue
                    page.goto(url)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_function(IMAGES_IN_VIEW_LOADED)
                    suffix = "" if scheme == "light" else "-dark"
                    path = OUT / f"{name}-{device}{suffix}.png"
                    page.screenshot(path=path)
                    written.append(path)
                context.close()
        browser.close()
    return written


def site_env(workdir: Path, port: int) -> dict:
    """Production settings, as readers see the site, on a throwaway database in workdir."""
    env = os.environ | production_env(
        workdir,
        site_url=f"http://127.0.0.1:{port}",
        purpose="screenshots",
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        PYTHONUNBUFFERED="1",
    )
    env.pop("REDIS_URL", None)
    return env


def main() -> None:
    if not Path(CHROMIUM_PATH).exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM_PATH}: apt-get install chromium")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cramps-screenshots-") as tmp:
        port = free_port()
        env = site_env(Path(tmp), port)
        for command in (["migrate", "--noinput", "-v0"], ["createcachetable"],
                        ["collectstatic", "--noinput", "-v0"], ["load_site_content"]):  # fmt: skip
            manage(env, *command)
        seeded = manage(
            env,
            "seed_demo_comments",
            "--per-article",
            "3",
            "--status",
            "approved",
            "--seed",
            "6",
            check=False,
        )
        if seeded.returncode:
            print("No demo comments (seed_demo_comments failed); continuing without them.")
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_up(base_url + "/")
            written = photograph(base_url)
        finally:
            server.terminate()
            server.wait(timeout=10)
    for path in written:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
