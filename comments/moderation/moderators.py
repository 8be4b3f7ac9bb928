"""Who moderates: the "Moderators" group (made by migration 0003) and its members."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q

GROUP_NAME = "Moderators"


def moderator_emails() -> list[str]:
    """Active moderators and superusers who have an email address."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    team = Q(is_superuser=True) | Q(is_staff=True, groups__name=GROUP_NAME)
    return sorted(set(users.filter(team).values_list("email", flat=True)))


def create_moderator(username: str, email: str, password: str):
    """An active staff account in the Moderators group; the caller checks the password."""
    group = Group.objects.get(name=GROUP_NAME)
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username, email=email, password=password, is_staff=True
        )
        user.groups.add(group)
    return user
