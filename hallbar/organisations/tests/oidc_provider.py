"""A real OpenID Connect provider for the single sign-on tests, run as a separate process.

The provider is panva's ``oidc-provider`` (OpenID certified) driven by
``tests/oidc-provider/server.mjs``; its npm dependencies are installed from the committed
package-lock.json (``npm ci``) the first time they are missing. When Node.js or the package
cannot be had, the tests are skipped, unless HALLBAR_REQUIRE_BROWSER is set (CI): then they fail.
"""

import fcntl
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from config.sso import DEFAULT_STRONG_ACR, parse_providers
from hallbar.core.tests.browser import browser_required

PROVIDER_DIR = Path(__file__).resolve().parents[3] / "tests" / "oidc-provider"
NODE = os.environ.get("HALLBAR_NODE", shutil.which("node") or "/usr/bin/node")
NPM = shutil.which("npm") or "/usr/bin/npm"
STRONG = "http://id.elegnamnden.se/loa/1.0/loa3"
WEAK = "http://id.elegnamnden.se/loa/1.0/loa2"
SECRET = "test-client-secret-that-is-long-enough-for-hs256"


def unavailable(reason: str):
    """Skip the test, or fail it where the provider must run (CI)."""
    message = f"the OpenID Connect test provider cannot run: {reason}"
    if browser_required():
        pytest.fail(message)
    pytest.skip(message)


def _install() -> None:
    """Install the provider's npm packages (package-lock.json) unless `make test` did."""
    if (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    if not Path(NPM).exists():
        unavailable("npm is not installed")
    # One test process installs; the others (pytest-xdist) wait for it.
    with (PROVIDER_DIR / ".npm-ci.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
            return
        result = subprocess.run(
            [NPM, "ci", "--no-audit", "--no-fund"],
            cwd=PROVIDER_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
    if result.returncode != 0:
        unavailable(f"npm ci failed: {result.stderr[-2000:]}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hallbar_providers(issuer: str) -> list[dict]:
    """The providers hallbar is configured with in the tests (as in HALLBAR_OIDC_PROVIDERS)."""
    # The provider puts acr in the ID token when acr_values asks for it
    common: dict[str, object] = {
        "issuer": issuer,
        "client_secret": SECRET,
        "strong_acr": [STRONG],
        "acr_values": f"{STRONG} {WEAK}",
    }
    entries: list[dict[str, object]] = [
        # Region staff: matched by a verified e-mail address
        {"id": "test-idp", "name": "Test IdP", "name_sv": "Test-IdP", "client_id": "hallbar"},
        # Matched only by the hsa_id claim stored on the user's external identity row
        {
            "id": "test-hsa",
            "name": "Test SITHS",
            "client_id": "hallbar-hsa",
            "identifier_claim": "hsa_id",
            "match_email": False,
        },
        # Its ID tokens live one second and arrive two seconds late: always expired
        {"id": "test-expired", "name": "Test slow IdP", "client_id": "hallbar-expired"},
    ]
    return parse_providers(json.dumps([{**common, **e} for e in entries]), {}, DEFAULT_STRONG_ACR)


def provider_config(port: int, hallbar_url: str, accounts: dict) -> dict:
    def client(client_id: str, provider_id: str) -> dict:
        return {
            "client_id": client_id,
            "client_secret": SECRET,
            "redirect_uris": [f"{hallbar_url}/sso/oidc/{provider_id}/login/callback/"],
            "post_logout_redirect_uris": [f"{hallbar_url}/accounts/login/"],
        }

    return {
        "port": port,
        "clients": [
            client("hallbar", "test-idp"),
            client("hallbar-hsa", "test-hsa"),
            client("hallbar-expired", "test-expired"),
            # Another relying party of the same provider: its ID tokens are not for hallbar
            {
                "client_id": "other-client",
                "client_secret": SECRET,
                "redirect_uris": ["http://127.0.0.1:9/callback"],
            },
        ],
        "accounts": accounts,
        "acr_values": [STRONG, WEAK],
        "id_token_ttl": {"hallbar-expired": 1},
        "token_delay_ms": {"hallbar-expired": 2500},
    }


def start_provider(tmp_path: Path, hallbar_url: str, accounts: dict):
    """Start the provider; return (process, issuer) once it serves its discovery document."""
    if not Path(NODE).exists():
        unavailable(f"Node.js not found at {NODE}")
    _install()
    port = _free_port()
    config = tmp_path / "oidc-provider.json"
    config.write_text(json.dumps(provider_config(port, hallbar_url, accounts)))
    log = (tmp_path / "oidc-provider.log").open("w")
    process = subprocess.Popen(
        [NODE, str(PROVIDER_DIR / "server.mjs"), str(config)],
        cwd=PROVIDER_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            found = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
            if found.ok and found.json().get("issuer") == issuer:
                return process, issuer
        except requests.RequestException:
            pass
        time.sleep(0.1)
    stop_provider(process)
    unavailable(f"it did not start: {(tmp_path / 'oidc-provider.log').read_text()[-2000:]}")
    raise AssertionError("unreachable")


def stop_provider(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
