"""Public site throughput: gunicorn on PostgreSQL, measured with wrk. Not run by CI.

    apt-get install -y wrk
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rifada_bench \
        .venv/bin/pytest tests/bench/test_public_bench.py -p no:cacheprovider -o addopts="" -s

What runs: a scratch database `<name>_public` gets the migrations and `load_demo`'s
content (7 daily messages and 12 news items per language). Each server is gunicorn with
2 sync workers (the machine has 2 cores) and production settings, with Redis as the cache,
started alone so it has the machine to itself: the bare Django view (the baseline QUALITY.md
names), the site with its anonymous page cache, and the site with the cache switched off
(`PUBLIC_PAGE_CACHE_SECONDS=0`). wrk runs 2 threads × 8 connections for 10 s per URL after
a warm-up; the table gives requests/s, p50 and p99 against the QUALITY.md targets.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import sql

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
DURATION = os.environ.get("BENCH_DURATION", "10s")

pytestmark = [
    pytest.mark.skipif(not DATABASE_URL.startswith("postgres"), reason="needs PostgreSQL"),
    pytest.mark.skipif(shutil.which("wrk") is None, reason="needs wrk (apt-get install wrk)"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _scratch_database() -> str:
    base, _, name = DATABASE_URL.rpartition("/")
    scratch = f"{name}_public"
    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True  # CREATE/DROP DATABASE refuse to run in a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    finally:
        connection.close()
    return f"{base}/{scratch}"


@pytest.fixture(scope="module")
def site_env():
    media = tempfile.mkdtemp(prefix="rifada-bench-media-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DATABASE_URL": _scratch_database(),
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "bench-only-secret-key-with-enough-length-to-pass-checks",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": media,
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["load_demo", "--force"],
        ["collectstatic", "--noinput", "-v", "0"],
    ):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True)
    yield env
    shutil.rmtree(media, ignore_errors=True)


@contextmanager
def gunicorn(app: str, env: dict):
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1)  # noqa: S310 - loopback only
                break
            except OSError as error:
                if getattr(error, "code", None):
                    break
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def wrk(url: str) -> dict:
    for _ in range(50):
        urllib.request.urlopen(url, timeout=10).read()  # noqa: S310 - warm-up, loopback
    output = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{DURATION}", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Non-2xx" not in output, output

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
    }


def _news_path(base: str) -> str:
    listing = "/api/v2/pages/?type=news.NewsPage&locale=ar&limit=1&order=-date"
    with urllib.request.urlopen(base + listing, timeout=10) as response:  # noqa: S310
        html_url = json.load(response)["items"][0]["meta"]["html_url"]
    return "/" + html_url.split("/", 3)[3]


def test_public_pages_throughput(site_env):
    rows = []
    with gunicorn("tests.bench.bare_wsgi:application", site_env) as base:
        baseline = wrk(base + "/")
    rows.append(("bare Django view", baseline))
    for label, cache_seconds in (("cached", "300"), ("uncached", "0")):
        env = {**site_env, "PUBLIC_PAGE_CACHE_SECONDS": cache_seconds}
        with gunicorn("cms.wsgi:application", env) as base:
            news = _news_path(base)
            rows.append((f"home /ar/, {label}", wrk(base + "/ar/")))
            rows.append((f"news page, {label}", wrk(base + news)))

    print(f"\n{'what':<26}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for label, figures in rows:
        print(f"{label:<26}{figures['rps']:>10.0f}{figures['p50']:>10.2f}{figures['p99']:>10.2f}")
    half_baseline = baseline["rps"] / 2
    print(
        f"targets: cached ≥ {half_baseline:.0f} req/s (half the bare view) and p99 ≤ 20 ms; "
        "uncached p50 ≤ 50 ms and ≥ 111 req/s (3× the Wagtail demo's 37)"
    )
