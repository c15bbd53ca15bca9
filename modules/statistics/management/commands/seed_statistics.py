import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from modules.statistics.management.seeding import SeedError, reset_seeded, seed_season


class Command(BaseCommand):
    help = (
        "Create a realistic season of daily statistics: agencies (reused, else created), "
        "indicators in categories, 2–4 daily forms with validation rules, every agency's "
        "reports and figures for each day (a weekly rhythm, a spike over the Hajj days, "
        "some missing, late, draft, returned and approved reports) and the dashboard rollup. "
        "For demos and benchmarks; deterministic for a given --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, default=60)
        parser.add_argument("--indicators", type=int, default=150)
        parser.add_argument("--days", type=int, default=90)
        parser.add_argument("--seed", type=int, default=1447, help="Random seed (default 1447).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the previously seeded statistics (codes starting with seed-) first.",
        )

    def handle(self, *args, agencies, indicators, days, seed, reset, **options):
        for name, value in (("agencies", agencies), ("indicators", indicators), ("days", days)):
            if value < 1:
                raise CommandError(f"--{name} must be at least 1.")
        started = time.monotonic()
        try:
            with transaction.atomic():  # a failed seed keeps what --reset would have removed
                if reset:
                    removed = reset_seeded()
                    self.stdout.write(
                        "Removed the seeded statistics: "
                        + ", ".join(f"{count:,} {label}" for label, count in removed.items())
                        + f" ({time.monotonic() - started:.1f} s)."
                    )
                result = seed_season(
                    agencies=agencies,
                    indicators=indicators,
                    days=days,
                    seed=seed,
                    today=timezone.localdate(),
                )
        except SeedError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Seeded season {result.season.hijri_year} AH from {result.start} to {result.end} "
            f"in {elapsed:.1f} s:"
        )
        width = max(len(label) for label in result.counts)
        for label, count in result.counts.items():
            self.stdout.write(f"  {label:<{width}}  {count:>9,}")
