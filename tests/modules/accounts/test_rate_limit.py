"""The failed-login limit holds across web processes, as behind a load balancer.

Two real server processes share the test database (and so the cache table the limits are
counted in). Failed logins go to each in turn; once the limit ("5/5m/key") is reached, both
refuse even the right password. With a per-process cache each would have seen only half of
the failures and let the person in.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.conf import settings
from django.db import connection

from modules.accounts.roles import Role
from tests.support.fixtures import PASSWORD, ensure_role_groups, make_user
from tests.support.servers import LOOPBACK, free_port

BASE_DIR = Path(settings.BASE_DIR)
LOGIN_PATH = "/en/accounts/login/"
# Both processes answer for the same site, as they would behind one load balancer: allauth
# counts failures per site and login.
PUBLIC_HOST = "rifada.test"
TOO_MANY = "Too many failed login attempts"
STARTUP_SECONDS = 60


def _database_url() -> str:
    """The test database (not the development one) for the server processes."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


class ServerProcess:
    def __init__(self, port: int, log_path: Path):
        self.url = f"http://{LOOPBACK}:{port}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
            "DATABASE_URL": _database_url(),
            "PYTHONUNBUFFERED": "1",
        }
        self.log = log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                "--noreload",
                "--skip-checks",
                f"{LOOPBACK}:{port}",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.http = requests.Session()
        self.http.headers["Host"] = PUBLIC_HOST

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.name}")
            try:
                if self.http.get(self.url + LOGIN_PATH, timeout=10).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        raise TimeoutError(f"server on {self.url} did not start")

    def login(self, email: str, password: str) -> requests.Response:
        form = self.http.get(self.url + LOGIN_PATH, timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        return self.http.post(
            self.url + LOGIN_PATH,
            data={"login": email, "password": password, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=10,
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.http.close()
        self.log.close()


@pytest.fixture
def two_servers(transactional_db, tmp_path):
    ensure_role_groups()
    servers = [ServerProcess(free_port(), tmp_path / f"server-{n}.log") for n in (1, 2)]
    try:
        for server in servers:
            server.wait_until_ready()
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_failed_login_limit_is_shared_by_every_process(two_servers, agency_a, settings):
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"].endswith("5/5m/key")
    first, second = two_servers
    target = make_user("target@example.org", Role.AGENCY_STAFF, agency_a)
    bystander = make_user("bystander@example.org", Role.AGENCY_STAFF, agency_a)

    # Both processes let a person in with the right password.
    for server in two_servers:
        response = server.login(bystander.email, PASSWORD)
        assert response.status_code == 302, server.url
        server.http.cookies.clear()

    # Five wrong passwords, to each process in turn: three to the first, two to the second.
    for attempt in range(5):
        server = two_servers[attempt % 2]
        response = server.login(target.email, f"wrong-{attempt}")
        assert response.status_code == 200
        assert TOO_MANY not in response.text, f"blocked too early, at attempt {attempt + 1}"

    # Now both refuse, even the right password: each counts the other's failures.
    for server in (second, first):
        response = server.login(target.email, PASSWORD)
        assert response.status_code == 200, f"{server.url} let the person in"
        assert TOO_MANY in response.text

    # The limit is per person: someone else still signs in on either process.
    for server in two_servers:
        server.http.cookies.clear()
        assert server.login(bystander.email, PASSWORD).status_code == 302
