from django.db import migrations

from modules.accounts.role_sync import sync_role_groups


class Migration(migrations.Migration):
    """The operations room: operators work it, administrators configure it, agencies answer."""

    dependencies = [
        ("accounts", "0006_statistics_permissions"),
        ("tickets", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
