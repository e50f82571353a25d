"""Load-test the production stack with locust: ``python -m bench.load [--scale 1,10]``.

For each scale (ascending), on a scratch PostgreSQL database that is dropped and made anew
(hallbar_bench; no other name is accepted): migrate and load the demo once, then bulk-copy the
demo's contracts up to SCALE times their number (bench/load/multiply.py); start gunicorn with
WORKERS workers and the task worker as `make serve-prod` does (DEBUG off, whitenoise with the
hashed static files, JSON logs to a file), wait for /healthz, run locust headless for SECONDS
with USERS users (bench/load/locustfile.py), print p50/p95/p99 per page kind with the ratio of
each p95 to the anchor's (/healthz, in the same run) and the errors, and stop the server.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from importlib import metadata
from pathlib import Path

from bench.load.stats import TARGET_P95_MS, format_table, read_run, server_times

_REPO = Path(__file__).resolve().parents[2]
_BIN = Path(sys.executable).parent
DATABASE = "hallbar_bench"
SERVER = "postgres://postgres@127.0.0.1:5432"
SETUP_TIMEOUT = 900  # seconds for one setup step (migrate, demo, copies, static files)


def _scales(text: str) -> list[int]:
    try:
        scales = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give whole numbers, e.g. 1,10") from None
    if not scales or scales[0] < 1:
        raise argparse.ArgumentTypeError("scales are 1 or more")
    return scales


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description="Load-test gunicorn + PostgreSQL with the demo data and locust users.",
    )
    parser.add_argument("--users", type=int, default=50, help="simultaneous users")
    parser.add_argument("--seconds", type=int, default=60, help="length of each locust run")
    parser.add_argument(
        "--scale",
        type=_scales,
        default=[1, 10],
        help="comma-separated multiples of the demo's contracts, one run each (default 1,10)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--port", type=int, default=0, help="the server's port (0: a free one)")
    parser.add_argument(
        "--server",
        default=os.environ.get("HALLBAR_BENCH_POSTGRES", SERVER),
        help=f"PostgreSQL server URL without a database (default {SERVER})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=_REPO / "bench" / "out" / "load",
        help="locust's CSV files and the server's log go here",
    )
    parser.add_argument(
        "--keep", action="store_true", help=f"leave the database {DATABASE} when done"
    )
    args = parser.parse_args(argv)
    if args.users < 1 or args.seconds < 1 or args.workers < 1 or args.spawn_rate <= 0:
        parser.error("--users, --seconds, --workers and --spawn-rate must be positive")
    if "/" in args.server.removeprefix("postgres://").removeprefix("postgresql://"):
        parser.error(f"--server names a server, not a database: {args.server}")
    return args


def _database_url(server: str) -> str:
    return f"{server.rstrip('/')}/{DATABASE}"


def reset_database(server: str) -> None:
    """Drop and create the scratch database; refuse any other name (it is a constant)."""
    import psycopg
    from psycopg import sql

    assert DATABASE == "hallbar_bench"  # the one database this benchmark may drop
    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as connection:
        name = sql.Identifier(DATABASE)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def drop_database(server: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE))
        )


def server_environment(args: argparse.Namespace, data_dir: Path, port: int) -> dict[str, str]:
    """The environment of `make serve-prod` (PROD_ENV), on the scratch database.

    The second factor is switched off (HALLBAR_MFA_REQUIRED=false): many simulated users share
    one demo login, and a TOTP code is accepted once per device and 30 s window.
    """
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "HALLBAR_STATIC_MANIFEST"}
    }
    environment.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        HALLBAR_PLAIN_HTTP="true",
        DATABASE_URL=_database_url(args.server),
        HALLBAR_DATA_DIR=str(data_dir),
        HALLBAR_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(args.workers),
        HALLBAR_MFA_REQUIRED="false",
        HALLBAR_LOG_FORMAT="json",
        GUNICORN_LOG_LEVEL="warning",
        PYTHONUNBUFFERED="1",
    )
    return environment


def _run(command: list[str], environment: dict[str, str], what: str) -> float:
    began = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=_REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=SETUP_TIMEOUT,
        check=False,
    )
    if result.returncode:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"{what} failed (exit {result.returncode})")
    seconds = time.perf_counter() - began
    print(f"  {what}: {seconds:.1f} s", flush=True)
    return seconds


def _static_is_stale(data_dir: Path) -> bool:
    manifest = data_dir / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    collected = manifest.stat().st_mtime
    sources = [_REPO / "requirements.lock", *(_REPO / "static").rglob("*")]
    return any(path.is_file() and path.stat().st_mtime > collected for path in sources)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {process.returncode}); see its log")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url}/healthz did not answer 200 within {timeout:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def serving(environment: dict[str, str], url: str, log: Path) -> Iterator[None]:
    """Run gunicorn and the task worker (as `make serve-prod`) until the block ends."""
    python = str(_BIN / "python")
    with log.open("w") as output:
        worker = subprocess.Popen(
            [python, "manage.py", "db_worker", "--queue-name", "default"],
            cwd=_REPO,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        web = subprocess.Popen(
            [str(_BIN / "gunicorn"), "-c", "config/gunicorn.conf.py"],
            cwd=_REPO,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_healthy(url, web)
            yield
        finally:
            _stop(web)
            _stop(worker)


def run_locust(args: argparse.Namespace, url: str, prefix: Path) -> None:
    """Run locust headless; it exits 1 when a request failed, which the report shows."""
    for stale in prefix.parent.glob(f"{prefix.name}_*.csv"):
        stale.unlink()
    command = [
        str(_BIN / "locust"),
        "-f",
        str(_REPO / "bench" / "load" / "locustfile.py"),
        "--headless",
        "--host",
        url,
        "-u",
        str(args.users),
        "-r",
        str(args.spawn_rate),
        "--measure-seconds",
        str(args.seconds),
        # An upper bound: the window of --measure-seconds opens once every user has logged in.
        "-t",
        f"{args.seconds + 600}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    environment = dict(os.environ, PYTHONPATH=str(_REPO))
    result = subprocess.run(
        command,
        cwd=_REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=args.seconds + 900,
        check=False,
    )
    (prefix.parent / f"{prefix.name}_locust.log").write_text(result.stdout + result.stderr)
    if result.returncode not in (0, 1) or not Path(f"{prefix}_stats.csv").exists():
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"locust failed (exit {result.returncode})")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def _analyze(environment: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect(environment["DATABASE_URL"], autocommit=True) as connection:
        connection.execute("ANALYZE")


def _contract_count(environment: dict[str, str]) -> int:
    import psycopg

    with psycopg.connect(environment["DATABASE_URL"]) as connection:
        row = connection.execute("SELECT count(*) FROM contracts_contract").fetchone()
    return int(row[0]) if row else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    if shutil.which("locust", path=str(_BIN)) is None:
        raise SystemExit(
            "locust is not installed in this environment: `make bench-load` installs the "
            "bench extra (requirements-bench.lock) and runs this"
        )
    args.out.mkdir(parents=True, exist_ok=True)
    data_dir = _REPO / "var" / "bench-load"
    data_dir.mkdir(parents=True, exist_ok=True)
    port = args.port or _free_port()
    url = f"http://127.0.0.1:{port}"
    environment = server_environment(args, data_dir, port)
    python = str(_BIN / "python")
    print(
        f"load benchmark: {args.users} users for {args.seconds} s (spawn {args.spawn_rate:g}/s, "
        f"think time 1-3 s), gunicorn with {args.workers} workers, scales "
        f"{','.join(map(str, args.scale))}, target p95 {TARGET_P95_MS:.0f} ms"
    )
    print(
        f"python {platform.python_version()}, locust {metadata.version('locust')}, "
        f"gunicorn {metadata.version('gunicorn')}, Django {metadata.version('Django')}; "
        f"{os.cpu_count()} cores; load average {_load()}"
    )
    try:
        print(f"setup of {DATABASE}:", flush=True)
        reset_database(args.server)
        _run([python, "manage.py", "migrate", "--noinput", "-v", "0"], environment, "migrate")
        _run([python, "manage.py", "load_demo"], environment, "load_demo")
        if _static_is_stale(data_dir):
            _run(
                [python, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                environment,
                "collectstatic",
            )
        reached = 1
        for scale in args.scale:
            if scale > reached:
                _run(
                    [
                        python,
                        "-m",
                        "bench.load.multiply",
                        "--from",
                        str(reached),
                        "--to",
                        str(scale),
                    ],
                    environment,
                    f"contracts copied up to scale {scale}",
                )
                reached = scale
            # Fresh planner statistics, as autovacuum keeps them on a database in use: right
            # after the bulk loads they may not exist yet, and plans would depend on timing.
            _analyze(environment)
            contracts = _contract_count(environment)
            prefix = args.out / f"scale{scale}"
            print(
                f"\n== scale {scale}: {contracts:,} contracts; load average before {_load()}",
                flush=True,
            )
            with serving(environment, url, args.out / f"scale{scale}_server.log"):
                began = time.perf_counter()
                run_locust(args, url, prefix)
                ran = time.perf_counter() - began
            pages, total, failures = read_run(prefix)
            print(
                f"locust ran {ran:.0f} s (the logins, then {args.seconds} s measured); "
                f"load average after {_load()}"
            )
            with (args.out / f"scale{scale}_server.log").open(encoding="utf-8") as log:
                server = server_times(log)
            for line in format_table(pages, total, failures, server):
                print(line)
    finally:
        if not args.keep:
            drop_database(args.server)
    print(f"\nCSV files and server logs: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
