"""The workflow's roles: which group may do what, and whether a user holds a role.

The data migration 0002 created these groups with a frozen copy of this
table; `ensure_groups` restores them where a database was emptied (a
flushed test database, a restored dump without auth tables).
"""

from django.contrib.auth.models import Permission
from django.db.models import Q

from .aggregate.decisions import Actor

PROPOSE_PERMISSION = "editorial.propose_revision"
REVIEW_PERMISSION = "editorial.review_revision"

GROUP_PERMISSIONS = {
    "Editors": ["propose_revision"],
    "Reviewers": ["propose_revision", "review_revision"],
}


def ensure_groups() -> None:
    from django.contrib.auth.models import Group

    for group_name, codenames in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="editorial", codename__in=codenames)
        )


def can_propose(user) -> bool:
    return _holds_role_permission(user, PROPOSE_PERMISSION)


def can_review(user) -> bool:
    return _holds_role_permission(user, REVIEW_PERMISSION)


def actor_of(user) -> Actor:
    """The user as the decisions see them: id and editorial roles."""
    return Actor(id=user.pk, may_propose=can_propose(user), may_review=can_review(user))


def _holds_role_permission(user, permission: str) -> bool:
    """Editorial roles come from the Editors and Reviewers groups (or an explicit grant).

    Being a superuser is not a role: Django's `has_perm` says yes to a
    superuser for everything, which would let a site administrator publish
    without ever having been made a reviewer. A superuser who should
    review is put in the Reviewers group like anyone else.
    """
    if not (user and user.is_active):
        return False
    if not user.is_superuser:
        return user.has_perm(permission)
    cache = user.__dict__.setdefault("_stet_granted_permissions", {})
    if permission not in cache:
        app_label, codename = permission.split(".", 1)
        cache[permission] = Permission.objects.filter(
            Q(user=user) | Q(group__user=user), content_type__app_label=app_label, codename=codename
        ).exists()
    return cache[permission]
