"""Settings for the test suite: the production settings, served over plain http.

pytest (pyproject.toml) uses this module. The test client and the live test server speak http,
so HALLBAR_PLAIN_HTTP is on unless the environment says otherwise: no redirect to https, no
secure-only cookies, no HSTS. Everything else, the content security policy and the lockout
included, is as in production, except the second factor: the suite logs its users in with
`client.force_login`, which proves no second factor, so HALLBAR_MFA_REQUIRED is off here and the
second factor's own tests (hallbar/organisations/tests/test_mfa.py) switch it on. hallbar/core/tests/test_security_settings.py checks the
production defaults themselves in a separate process.
"""

import os

os.environ.setdefault("HALLBAR_PLAIN_HTTP", "true")
os.environ.setdefault("HALLBAR_MFA_REQUIRED", "false")
# Plain static names served from static/ (no collectstatic before tests), no connection kept
# across the live server's threads, and readable logs without a line per request.
os.environ.setdefault("HALLBAR_STATIC_MANIFEST", "false")
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")
os.environ.setdefault("HALLBAR_LOG_FORMAT", "text")
os.environ.setdefault("HALLBAR_REQUEST_LOG_LEVEL", "WARNING")

from config.settings import *  # noqa: E402, F403

# The test client builds a new handler, and so a new middleware chain, for every client: without
# autorefresh whitenoise would read the name and stats of every static file each time (about
# 22 ms a client, a tenth of the access matrix's time). With it, a static file is looked up when
# it is asked for, as in development; what is served is the same.
WHITENOISE_AUTOREFRESH = True
