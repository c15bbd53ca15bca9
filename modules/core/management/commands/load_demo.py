import contextlib
import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from modules.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DemoResult, load_demo_data


class Command(BaseCommand):
    help = (
        "Load the demo data in fixtures/ (season 1447, agencies, a staff roster, one account "
        "per role, the public site in Arabic and English). Safe to run again: it changes only what "
        "differs from the files. Refuses to run without DEBUG unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG is off. The demo password is public: not on a live site.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. The demo accounts share a published "
                "password, so load_demo refuses. Use --force to load it anyway."
            )
        started = time.monotonic()
        with _quiet(["wagtail", "django_tasks"], unless=options["verbosity"] >= 2):
            result = load_demo_data()
        elapsed = time.monotonic() - started
        if options["verbosity"] >= 1:
            with translation.override("en"):
                self._report(result, elapsed)

    def _report(self, result: DemoResult, elapsed: float) -> None:
        write = self.stdout.write
        write(
            f"Demo data for season {result.season.hijri_year} AH "
            f"({result.season.starts_on} – {result.season.ends_on}), "
            f"{'loaded' if result.wrote else 'already up to date'} in {elapsed:.1f} s.\n"
        )
        write(
            _table(
                ["records", "created", "updated", "unchanged", "removed"],
                [
                    [label, t.created, t.updated, t.unchanged, t.removed]
                    for label, t in result.tallies.items()
                ],
            )
        )
        write("\nDemo logins (one password for all: " + self.style.SUCCESS(DEMO_PASSWORD) + ")\n")
        write(
            _table(
                ["e-mail", "role", "agency", "second factor"],
                [
                    [
                        login.email,
                        f"{login.role.value} ({login.role.label})",
                        login.agency.code if login.agency else "—",
                        "TOTP" if login.has_totp else "—",
                    ]
                    for login in result.logins
                ],
            )
        )
        write(
            "\nCommittee accounts must give a TOTP code after the password. They all share the "
            f"demo secret {DEMO_TOTP_SECRET}\n(add it to any authenticator app), or print the "
            "current code with:\n"
            "    python manage.py demo_totp admin@demo.rifada.sa\n"
            "Agency accounts sign in to the portal, /ar/portal/; committee accounts to /admin/,\n"
            "and the operator to the operations room, /ar/operations/."
        )


@contextlib.contextmanager
def _quiet(names: list[str], *, unless: bool):
    """Wagtail and django-tasks log a line per page action and index update: hundreds here."""
    loggers = [] if unless else [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _table(header: list[str], rows: list[list]) -> str:
    """A plain-text table; number columns are right-aligned."""
    numeric = [all(isinstance(row[i], int) for row in rows) for i in range(len(header))]
    cells = [header, *[[str(value) for value in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(
            value.rjust(width) if right else value.ljust(width)
            for value, width, right in zip(row, widths, numeric, strict=True)
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(cells[0]), rule, *[line(row) for row in cells[1:]]]) + "\n"
