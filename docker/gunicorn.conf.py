"""Gunicorn settings for the web role; each value can be changed from the environment."""

import multiprocessing
import os

wsgi_app = "cms.wsgi:application"
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"

# Processes, not threads: each worker holds its own database connection (CONN_MAX_AGE).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows unbounded.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files in memory, not on the container's overlay filesystem.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - a directory gunicorn creates its own files in

# The reverse proxy in front terminates TLS. Only from these addresses are its
# X-Forwarded-* headers believed for the request's scheme.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%(h)s forwarded-for="%({x-forwarded-for}i)s" "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
)
