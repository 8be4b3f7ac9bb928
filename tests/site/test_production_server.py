"""gunicorn serves the site on production settings; several servers share state."""

import re
import subprocess
import sys

from app_servers import ROOT, Reader, get, serving


def test_gunicorn_serves_pages_and_hashed_compressed_static_files(production_env):
    with serving(production_env, workers=2) as base:
        status, headers, html = get(base + "/")
        assert status == 200
        assert "Couldn't find what you're looking for?" in html
        css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
        assert css, "static files are not served under hashed names"
        status, headers, _ = get(base + css.group(1))
        assert status == 200 and "max-age=315360000" in headers["Cache-Control"]
        assert get(base + "/articles/leg-cramps-at-night/")[0] == 200


def test_rate_limits_hold_across_two_app_servers(production_env):
    """Two gunicorn servers, one database and cache: the third post is refused."""
    env = production_env | {"COMMENT_RATE_LIMITS": "2/h"}
    reader = Reader()
    with serving(env) as first, serving(env) as second:
        codes = [
            reader.post_comment(first, "leg-cramps-at-night", "Stretching helps me a lot."),
            reader.post_comment(second, "leg-cramps-at-night", "Magnesium did nothing for me."),
            reader.post_comment(first, "leg-cramps-at-night", "Warm baths help too, I find."),
        ]
    assert codes == [200, 200, 429]  # 200: the redirect after a post, followed


def test_a_decision_shows_at_once_on_every_server_and_worker(production_env):
    """Pages are kept in each process; the version in the shared database ends them all."""
    reader, moderator_shell = Reader(), [sys.executable, "manage.py", "shell", "-c"]
    approve_all = (
        "from comments import decisions; from comments.models import Comment; "
        "decisions.approve(Comment.objects.all())"
    )
    article = "/articles/leg-cramps-at-night/"
    with serving(production_env, workers=2) as first, serving(production_env) as second:
        reader.post_comment(first, "leg-cramps-at-night", "Cold floors stop mine at once.")
        before = [get(base + article)[2] for base in (first, first, second)]  # cached now
        subprocess.run([*moderator_shell, approve_all], cwd=ROOT, env=production_env, check=True)
        after = [get(base + article)[2] for base in (first, first, second, second)]

    assert not any("Cold floors stop mine at once." in page for page in before)
    assert all("Cold floors stop mine at once." in page for page in after)
