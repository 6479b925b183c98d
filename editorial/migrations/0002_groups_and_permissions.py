"""The Editors and Reviewers groups, so a fresh database has the workflow's roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "Editors": ["propose_revision"],
    "Reviewers": ["propose_revision", "review_revision"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now
    # so the groups can be given them on a fresh database.
    editorial = apps.get_app_config("editorial")
    editorial.models_module = True
    create_permissions(editorial, apps=apps, verbosity=0)
    editorial.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="editorial", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
