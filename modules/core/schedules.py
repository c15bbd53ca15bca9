"""Every recurring job, declared once. `manage.py setup_schedules` writes exactly these."""

from dataclasses import dataclass

from django_q.models import Schedule


@dataclass(frozen=True)
class Declared:
    name: str
    func: str
    schedule_type: str
    minutes: int | None = None
    cron: str | None = None


SCHEDULES: list[Declared] = [
    Declared(
        name="worker-heartbeat",
        func="modules.core.tasks.worker_heartbeat",
        schedule_type=Schedule.MINUTES,
        minutes=1,
    ),
    Declared(
        name="notifications-retry-due",
        func="modules.notifications.tasks.retry_due_messages",
        schedule_type=Schedule.MINUTES,
        minutes=1,
    ),
    Declared(
        name="publish-scheduled-pages",
        func="cms.base.tasks.publish_scheduled_pages",
        schedule_type=Schedule.MINUTES,
        minutes=1,
    ),
    Declared(
        name="statistics-reminders",
        func="modules.statistics.tasks.send_reminders",
        schedule_type=Schedule.MINUTES,
        minutes=15,
    ),
    Declared(
        name="tickets-escalation",
        func="modules.tickets.tasks.escalate",
        schedule_type=Schedule.MINUTES,
        minutes=1,
    ),
    Declared(
        name="clear-expired-sessions",
        func="modules.core.tasks.clear_expired_sessions",
        schedule_type=Schedule.CRON,
        cron="15 3 * * *",
    ),
]
