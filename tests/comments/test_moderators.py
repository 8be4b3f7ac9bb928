"""The Moderators group, what its members may do, and create_moderator."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from comments.moderation.moderators import GROUP_NAME, moderator_emails

pytestmark = pytest.mark.django_db

PASSWORD = "calf-stretch-2024"


def test_moderators_group_has_exactly_the_permissions_moderating_needs():
    group = Group.objects.get(name=GROUP_NAME)

    granted = {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }

    assert granted == {
        "comments.view_comment",
        "comments.change_comment",
        "comments.view_report",
        "comments.change_report",
        "comments.view_commentsettings",
        "comments.change_commentsettings",
        "comments.view_phrase",
        "comments.add_phrase",
        "comments.change_phrase",
        "comments.delete_phrase",
        "comments.view_moderationevent",
        "articles.view_article",
    }


def create(*args, **options):
    out = io.StringIO()
    call_command("create_moderator", *args, stdout=out, **options)
    return out.getvalue()


def test_create_moderator_makes_an_active_staff_user_in_the_group():
    output = create("aisha", "--email", "aisha@example.com", "--password", PASSWORD)

    user = get_user_model().objects.get(username="aisha")
    assert "Moderator 'aisha' created." in output
    assert user.is_active and user.is_staff and not user.is_superuser
    assert user.email == "aisha@example.com"
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [GROUP_NAME]


class ATerminal(io.StringIO):
    """Standard input as a person at a terminal has it."""

    def isatty(self):
        return True


def test_create_moderator_asks_for_the_password_twice_when_none_is_given(monkeypatch):
    prompts = []

    def fake_getpass(prompt):
        prompts.append(prompt)
        return PASSWORD

    monkeypatch.setattr("comments.management.commands.create_moderator.getpass", fake_getpass)
    monkeypatch.setattr("sys.stdin", ATerminal())

    create("ben")

    assert prompts == ["Password: ", "Password (again): "]
    assert get_user_model().objects.get(username="ben").check_password(PASSWORD)


def test_create_moderator_refuses_passwords_that_do_not_match(monkeypatch):
    answers = iter([PASSWORD, "something-else-entirely"])
    monkeypatch.setattr(
        "comments.management.commands.create_moderator.getpass", lambda prompt: next(answers)
    )
    monkeypatch.setattr("sys.stdin", ATerminal())

    with pytest.raises(CommandError, match="did not match"):
        create("ben")

    assert not get_user_model().objects.filter(username="ben").exists()


def test_create_moderator_refuses_a_weak_password():
    with pytest.raises(CommandError, match="Password not accepted: .*too short"):
        create("ben", "--password", "abc")


def test_create_moderator_says_clearly_that_the_username_is_taken(a_moderator):
    with pytest.raises(CommandError, match="A user named 'mod' already exists"):
        create("mod", "--password", PASSWORD)

    assert get_user_model().objects.filter(username="mod").count() == 1


def test_moderator_emails_are_active_moderators_and_superusers_with_an_address(a_moderator):
    users = get_user_model().objects
    users.create_superuser("root", "root@example.com", PASSWORD)
    users.create_user("reader", "reader@example.com", PASSWORD)
    users.create_user("staff", "staff@example.com", PASSWORD, is_staff=True)
    gone = users.create_user("gone", "gone@example.com", PASSWORD, is_staff=True)
    gone.groups.add(Group.objects.get(name=GROUP_NAME))
    gone.is_active = False
    gone.save()
    users.create_user("silent", "", PASSWORD, is_staff=True).groups.add(
        Group.objects.get(name=GROUP_NAME)
    )

    assert moderator_emails() == ["mod@example.com", "root@example.com"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/admin/comments/comment/", 200),
        ("/admin/comments/report/", 200),
        ("/admin/comments/phrase/add/", 200),
        ("/admin/comments/dashboard/", 200),
        ("/admin/articles/article/", 200),
        ("/admin/articles/article/add/", 403),
        ("/admin/auth/user/", 403),
        ("/admin/auth/group/", 403),
    ],
)
def test_what_a_moderator_may_open_in_the_admin(moderator_client, url, status):
    assert moderator_client.get(url).status_code == status


def test_a_moderator_may_not_delete_comments(moderator_client, a_pending_comment):
    page = moderator_client.get("/admin/comments/comment/").content.decode()

    assert ">Approve selected comments</option>" in page
    assert "delete_selected" not in page


def test_create_moderator_refuses_an_invalid_email():
    with pytest.raises(CommandError, match="'bad' is not an email address"):
        create("ben", "--email", "bad", "--password", PASSWORD)

    assert not get_user_model().objects.filter(username="ben").exists()


def test_create_moderator_without_a_password_or_a_terminal_says_so_in_one_line(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    with pytest.raises(CommandError) as refused:
        create("ben")

    assert str(refused.value) == (
        "No --password given and no terminal to ask for one; nothing was created."
    )
    assert not get_user_model().objects.filter(username="ben").exists()
