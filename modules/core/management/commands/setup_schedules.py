from django.core.management.base import BaseCommand
from django.db import transaction
from django_q.models import Schedule

from modules.core.schedules import SCHEDULES


class Command(BaseCommand):
    help = "Write the declared django-q2 schedules; remove every schedule no longer declared."

    @transaction.atomic
    def handle(self, *args, **options):
        declared = {item.name: item for item in SCHEDULES}
        removed, _ = Schedule.objects.exclude(name__in=declared).delete()
        for item in SCHEDULES:
            defaults = {
                "func": item.func,
                "schedule_type": item.schedule_type,
                "minutes": item.minutes,
                "cron": item.cron,
                "repeats": -1,
            }
            schedule = Schedule.objects.filter(name=item.name).first()
            if schedule is None:
                Schedule.objects.create(name=item.name, **defaults)
                continue
            changed = [k for k, v in defaults.items() if getattr(schedule, k) != v]
            if changed:
                for key in changed:
                    setattr(schedule, key, defaults[key])
                schedule.save(update_fields=changed)
        self.stdout.write(f"{len(SCHEDULES)} schedules declared, {removed} removed.")
