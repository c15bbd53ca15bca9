from django.db import migrations

from modules.accounts.role_sync import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("agencies", "0001_initial"),
        ("audit", "0001_initial"),
        ("notifications", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
