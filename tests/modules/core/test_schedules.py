from django.core.management import call_command
from django_q.models import Schedule

from modules.core.schedules import SCHEDULES


def _state():
    return sorted(
        Schedule.objects.values_list("name", "func", "schedule_type", "minutes", "cron", "repeats")
    )


def test_setup_schedules_twice_leaves_the_same_schedules(db):
    call_command("setup_schedules")
    first = _state()
    ids = set(Schedule.objects.values_list("id", flat=True))
    call_command("setup_schedules")
    assert _state() == first
    assert set(Schedule.objects.values_list("id", flat=True)) == ids
    assert [row[0] for row in first] == sorted(item.name for item in SCHEDULES)


def test_setup_schedules_removes_undeclared_and_repairs_changed(db):
    call_command("setup_schedules")
    Schedule.objects.create(name="old-job", func="modules.core.tasks.worker_heartbeat")
    Schedule.objects.filter(name="worker-heartbeat").update(minutes=30)
    call_command("setup_schedules")
    assert not Schedule.objects.filter(name="old-job").exists()
    assert Schedule.objects.get(name="worker-heartbeat").minutes == 1


def test_every_declared_function_imports():
    from django.utils.module_loading import import_string

    for item in SCHEDULES:
        assert callable(import_string(item.func)), item.func
