"""Start-up steps that need Django, run by docker/entrypoint.sh before the real process.

python docker/prepare.py wait-for-database   [--timeout SECONDS]
python docker/prepare.py wait-for-migrations [--timeout SECONDS]
python docker/prepare.py migrate
"""

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

# Any fixed number: PostgreSQL advisory locks are named by a 64-bit integer.
MIGRATION_LOCK_ID = 1447_0001


def _wait(what: str, ready: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    reason = "not ready"
    while time.monotonic() < deadline:
        try:
            if ready():
                return
            reason = "not ready"
        except DatabaseError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            connection.close()
        time.sleep(1)
    sys.exit(f"Gave up waiting {timeout:.0f} s for {what}: {reason}")


def database_answers() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True


def migrations_applied() -> bool:
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


@contextlib.contextmanager
def migration_lock():
    """Several web containers may start at once: on PostgreSQL only one migrates at a time,
    and the others find nothing left to do."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_ID])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_ID])


def migrate() -> None:
    with migration_lock():
        call_command("migrate", interactive=False)
        call_command("createcachetable")
        call_command("setup_schedules")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["wait-for-database", "wait-for-migrations", "migrate"])
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    if args.step == "wait-for-database":
        _wait("the database", database_answers, args.timeout)
    elif args.step == "wait-for-migrations":
        _wait("the migrations (run by the web role)", migrations_applied, args.timeout)
    else:
        migrate()


if __name__ == "__main__":
    main()
