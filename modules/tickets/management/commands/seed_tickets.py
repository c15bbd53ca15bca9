import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from modules.tickets.seeding import SeedError, reset_seeded, seed_tickets


class Command(BaseCommand):
    help = (
        "Fill the operations room with realistic incident reports: priorities, bilingual "
        "categories, zones, gates and landmarks around Al-Masjid an-Nabawi, routing rules, the "
        "season's 24/7 policy with its escalation ladder, agencies (reused, else created), and "
        "open tickets in every state with their timelines and escalation steps, plus a week "
        "of resolved and closed ones for the metrics. For demos and benchmarks; deterministic "
        "for a given --seed (and moment)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, default=10_000, help="Open tickets.")
        parser.add_argument(
            "--history",
            type=int,
            default=None,
            help="Resolved and closed tickets of the last week (default: half of --tickets).",
        )
        parser.add_argument("--agencies", type=int, default=60)
        parser.add_argument("--seed", type=int, default=1447, help="Random seed (default 1447).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the previously seeded tickets and configuration (codes seed-…) first.",
        )

    def handle(self, *args, tickets, history, agencies, seed, reset, **options):
        history = tickets // 2 if history is None else history
        for name, value in (("tickets", tickets), ("history", history)):
            if value < 0:
                raise CommandError(f"--{name} cannot be negative.")
        if agencies < 1:
            raise CommandError("--agencies must be at least 1.")
        started = time.monotonic()
        try:
            with transaction.atomic():  # a failed seed keeps what --reset would have removed
                if reset:
                    removed = reset_seeded()
                    self.stdout.write(
                        "Removed the seeded operations room: "
                        + ", ".join(f"{count:,} {label}" for label, count in removed.items())
                        + f" ({time.monotonic() - started:.1f} s)."
                    )
                result = seed_tickets(
                    tickets=tickets, history=history, agencies=agencies, seed=seed
                )
        except SeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Seeded the operations room in {time.monotonic() - started:.1f} s:")
        width = max(len(label) for label in result.counts)
        for label, count in result.counts.items():
            self.stdout.write(f"  {label:<{width}}  {count:>9,}")
