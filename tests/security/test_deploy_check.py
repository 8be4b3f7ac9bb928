"""`manage.py check --deploy` is clean with the production environment README documents."""

import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_production_environment(tmp_path) -> dict[str, str]:
    """The variables of README's `export ...` production example, placeholders filled in."""
    readme = (ROOT / "README.md").read_text()
    export = re.search(r"^export (.+?)(?<!\\)$", readme, re.MULTILINE | re.DOTALL)
    assert export, "README has no production `export` example"
    variables = dict(
        word.split("=", 1) for word in shlex.split(export.group(1).replace("\\\n", " "))
    )
    filled = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path}/site.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:6379/15",  # not contacted by `check`
    }
    return {
        name: filled[name] if value.endswith("...") else value for name, value in variables.items()
    }


def deploy_check(environment: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **environment},
        capture_output=True,
        text=True,
    )


def test_readme_documents_a_full_production_environment(tmp_path):
    environment = readme_production_environment(tmp_path)
    assert {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "SITE_URL", "EMAIL_HOST"} <= set(
        environment
    )
    assert "DJANGO_DEBUG" not in environment and "DJANGO_HTTPS" not in environment


def test_deploy_check_is_clean_with_the_documented_production_environment(tmp_path):
    result = deploy_check(readme_production_environment(tmp_path), tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_hsts_preload_can_be_turned_off_and_the_check_then_says_so(tmp_path):
    environment = readme_production_environment(tmp_path) | {"DJANGO_HSTS_PRELOAD": "0"}
    result = deploy_check(environment, tmp_path)
    assert result.returncode != 0
    assert "security.W021" in result.stderr
