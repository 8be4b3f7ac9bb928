"""gunicorn for the app servers: `gunicorn -c deploy/gunicorn.conf.py cramps_site.wsgi`.

Used by deploy/systemd/cramps@.service and by the integration test
(tests/deploy/test_nginx_cluster.py). Overrides: GUNICORN_BIND, GUNICORN_WORKERS.

Graceful restart: SIGHUP (`systemctl reload cramps@8001`) starts new workers
on the new code and lets the old ones finish their requests, for up to
graceful_timeout seconds; nothing is preloaded in the master, so a reload
always picks up the new code. See docs/deploy.md, "Upgrades".
"""

import os

cpus = getattr(os, "process_cpu_count", os.cpu_count)() or 1

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the usual 2 per CPU plus one. Two servers on one machine
# share the CPUs, so set GUNICORN_WORKERS for each (docs/deploy.md).
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * cpus + 1))
worker_class = "sync"
preload_app = False

# A request that takes longer than this is killed and its worker replaced;
# nginx waits a little longer (proxy_read_timeout 35s in deploy/nginx/site.conf).
timeout = 30
graceful_timeout = 30
# A worker is replaced after about this many requests, staggered by the
# jitter so they never all restart at once: any slow leak stays small. Not
# sooner: a new worker starts with an empty page cache (articles/page_cache.py)
# and pays Django's start-up, so at 1,000 requests a spike of readers would
# restart a worker every second and render its pages again (docs/performance.md).
max_requests = 50_000
max_requests_jitter = 5_000


def post_worker_init(worker):
    """Move what start-up made out of the garbage collector's way (docs/performance.md).

    Django, the settings and the URL patterns live as long as the worker; a
    full collection would walk them all again, a pause that shows in the p99.
    """
    import gc  # here, not at the top: gunicorn reads every top-level name as a setting

    gc.freeze()


# To stdout and stderr, which systemd puts in the journal. No client address
# in the access log: nginx logs those, and the app keeps none (privacy).
accesslog = "-"
errorlog = "-"
loglevel = "info"
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms'

# Signals through systemd are the one way to steer the server; a control
# socket in $HOME would be shared by two servers on one machine.
control_socket_disable = True
