"""The "Moderators" group with exactly what moderating needs.

Comments and reports: view and change (deciding is a change; deleting is not
moderation). Settings: view and change (the row is never added or deleted).
Phrase lists: editing a list means adding and removing phrases too.
Articles: view only. Nothing on users or groups.

The list is frozen here, as a migration must be; a later change of the
group's permissions is a new migration.
"""

from django.db import migrations

GROUP_NAME = "Moderators"
PERMISSIONS = {
    "comments": [
        "view_comment",
        "change_comment",
        "view_report",
        "change_report",
        "view_commentsettings",
        "change_commentsettings",
        "view_phrase",
        "add_phrase",
        "change_phrase",
        "delete_phrase",
    ],
    "articles": ["view_article"],
}


def create_group(apps, schema_editor):
    # On a fresh database permissions are made after all migrations have run
    # (post_migrate); make them now so the group can be given them.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    wanted = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codenames in PERMISSIONS.items()
        for codename in codenames
    ]
    group.permissions.set(wanted)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0001_initial"),
        ("comments", "0002_default_phrases"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
