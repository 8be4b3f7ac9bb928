import sys
from getpass import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from comments.moderation.moderators import GROUP_NAME, create_moderator


class Command(BaseCommand):
    help = (
        "Create a staff account in the Moderators group: it can moderate comments "
        "and reports and read articles, nothing more. Asks for the password when "
        "--password is not given."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="Where held-comment emails go.")
        parser.add_argument("--password", help="Prefer the prompt: this stays in shell history.")

    def handle(self, *args, username, email, password, **options):
        User = get_user_model()
        email = email.strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"{email!r} is not an email address.") from None
        if User.objects.filter(username=username).exists():
            raise CommandError(
                f"A user named {username!r} already exists. Choose another username, "
                f"or add that user to the {GROUP_NAME} group in the admin."
            )
        if not Group.objects.filter(name=GROUP_NAME).exists():
            raise CommandError(f"The {GROUP_NAME} group is missing: run `manage.py migrate`.")
        if password is None:
            password = self.ask_password()
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as error:
            raise CommandError("Password not accepted: " + " ".join(error.messages)) from None
        create_moderator(username, email, password)
        self.stdout.write(self.style.SUCCESS(f"Moderator {username!r} created."))

    def ask_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(
                "No --password given and no terminal to ask for one; nothing was created."
            )
        password = getpass("Password: ")
        if password != getpass("Password (again): "):
            raise CommandError("The two passwords did not match; nothing was created.")
        if not password:
            raise CommandError("The password cannot be blank; nothing was created.")
        return password
