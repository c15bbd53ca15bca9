from django.db import migrations

from modules.accounts.role_sync import sync_role_groups


class Migration(migrations.Migration):
    """Daily statistics: agencies enter, reviewers review, administrators configure."""

    dependencies = [
        ("accounts", "0005_public_site_permissions"),
        ("statistics", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
