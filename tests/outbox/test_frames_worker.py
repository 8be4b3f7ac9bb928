"""The article pages' frames, rendered by the real task worker, are the web processes' own.

An editor's change (here `load_site_content`, as on a first deploy) queues
the frames task; `manage.py db_worker` on production settings renders and
stores every published article's frame; a separate process with the same
settings, code and collected static files then takes each one as its own
(articles/frames.py: the same version and code stamp), so its readers do not
render them.
"""

import subprocess
import sys

from test_worker_crash import run_worker_until_queue_empty
from worker_processes import ROOT, scenario, status_of


def manage(env, *command):
    subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)


def test_frames_the_worker_stores_are_used_by_another_process(worker_env, tmp_path):
    env = worker_env | {"DJANGO_STATIC_ROOT": str(tmp_path / "static")}
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_site_content", "-v0")
    assert status_of(scenario(env, "state"), "store_frames") == ["READY"]
    assert scenario(env, "frames")["stored"] == 0

    run_worker_until_queue_empty(env)

    assert status_of(scenario(env, "state"), "store_frames") == ["SUCCESSFUL"]
    frames = scenario(env, "frames")
    assert frames["published"] > 1
    assert frames["stored"] == frames["usable"] == frames["published"]
