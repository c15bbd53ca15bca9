"""Keep the role groups and their permissions exactly as `roles.py` declares them.

Called from this app's data migrations with the historical app registry, so it works on a
fresh database before any post_migrate signal has created permissions.
"""

from django.contrib.auth.management import create_permissions

from .roles import ROLE_PAGE_PERMISSIONS, ROLE_PERMISSIONS, Role

WAGTAIL_EDITORS = "Editors"
WAGTAIL_MODERATORS = "Moderators"
ROLE_REVIEWER = Role.REVIEWER.value
ROLE_COMMITTEE_ADMIN = Role.COMMITTEE_ADMIN.value


def _ensure_permissions(apps) -> None:
    # Historical app configs have no models module, and create_permissions skips those.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, verbosity=0)
        finally:
            app_config.models_module = original


def sync_role_groups(apps, schema_editor=None) -> None:
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    root = Page.objects.filter(depth=1).first()

    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=str(role.value))
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            try:
                wanted.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
            except Permission.DoesNotExist as exc:
                raise LookupError(f"Role {role.value}: no permission {perm}") from exc
        group.permissions.set(wanted)

        GroupPagePermission.objects.filter(group=group).delete()
        for codename in ROLE_PAGE_PERMISSIONS.get(role, []):
            if root is None:
                break
            GroupPagePermission.objects.create(
                group=group,
                page=root,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )

    # Wagtail's starter groups would be a second, unexplained set of roles: moderation
    # tasks go to our reviewers and committee administrators instead.
    reviewers = Group.objects.filter(name__in=[ROLE_REVIEWER, ROLE_COMMITTEE_ADMIN])
    for task in GroupApprovalTask.objects.filter(groups__name=WAGTAIL_MODERATORS):
        task.groups.add(*reviewers)
    Group.objects.filter(name__in=[WAGTAIL_EDITORS, WAGTAIL_MODERATORS]).delete()
