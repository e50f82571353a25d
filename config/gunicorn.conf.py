"""gunicorn's settings for hallbar (`gunicorn -c config/gunicorn.conf.py`), from the environment.

docs/deploy.md explains them. Requests are logged by hallbar itself (hallbar.request, with the
request id and the user), so gunicorn's access log is off; its own messages (workers started,
timed out) go to standard output in the same format as the platform's (HALLBAR_LOG_FORMAT).
"""

import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("HALLBAR_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A request that takes longer than this is a bug or an attack: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Workers are renewed now and then, so that a slow leak cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200
# X-Forwarded-* headers are believed from the reverse proxy only (deploy/nginx/hallbar.conf).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No control socket (gunicorn 24+ puts one in the user's home, which systemd keeps read-only).
control_socket_disable = True
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # the workers' heartbeat files, off a possibly slow disk

accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
_format = os.environ.get("HALLBAR_LOG_FORMAT", "json")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "hallbar.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if _format == "json" else "text",
            "stream": "ext://sys.stdout",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
    "root": {"handlers": [], "level": "WARNING"},
}
