"""The workflow's roles: which group may do what.

The data migration 0002 created these groups with a frozen copy of this
table; `ensure_groups` restores them where a database was emptied (a
flushed test database, a restored dump without auth tables).
"""

GROUP_PERMISSIONS = {
    "Editors": ["propose_revision"],
    "Reviewers": ["propose_revision", "review_revision"],
}


def ensure_groups() -> None:
    from django.contrib.auth.models import Group, Permission

    for group_name, codenames in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="editorial", codename__in=codenames)
        )
