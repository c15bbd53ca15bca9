from django.db import migrations

from modules.accounts.role_sync import sync_role_groups


class Migration(migrations.Migration):
    """Editors may translate pages; committee administrators edit the contact settings."""

    dependencies = [
        ("accounts", "0004_plain_text_names"),
        ("base", "0001_initial"),
        ("simple_translation", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
