"""Word lists the rules check, kept as data so moderators can edit them.

Plain phrases match whole words, ignoring case and the kind of apostrophe
(“can’t” matches “can't”); a regex phrase is used as written, ignoring case.
"""

import ipaddress
import re

from django.core.exceptions import ValidationError
from django.db import models

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


class Phrase(models.Model):
    class Kind(models.TextChoices):
        HOLD = "hold", "Hold for moderation"
        BLOCK = "block", "Block as spam (word or phrase)"
        BLOCK_EMAIL_DOMAIN = "block_email_domain", "Block as spam (email domain)"
        BLOCK_IP_RANGE = "block_ip_range", "Block as spam (IP range)"
        DOSING = "dosing", "Medical safety: dosing advice"
        MIRACLE_CURE = "miracle_cure", "Medical safety: miracle-cure claim"
        RED_FLAG = "red_flag", "Medical safety: red-flag symptom"
        SELF_HARM = "self_harm", "Medical safety: self-harm"

    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    text = models.CharField(
        max_length=200,
        help_text=(
            "A word or phrase (whole words, any case); an email domain such as "
            "“spam.example”; or an IP range such as “203.0.113.0/24”."
        ),
    )
    is_regex = models.BooleanField(
        "regular expression", default=False, help_text="Treat the text as a Python regex."
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "text"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "text"], name="phrase_kind_text_unique"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text}"

    def clean(self):
        if self.is_regex:
            try:
                re.compile(self.text)
            except re.error as error:
                message = f"Not a valid regular expression: {error}"
                raise ValidationError({"text": message}) from None
        if self.kind == self.Kind.BLOCK_IP_RANGE:
            try:
                ipaddress.ip_network(self.text.strip(), strict=False)
            except ValueError:
                raise ValidationError({"text": "Enter an IP address or range."}) from None

    def pattern(self) -> re.Pattern | None:
        """The compiled matcher; None for a bad regex, which then never matches."""
        try:
            if self.is_regex:
                return re.compile(self.text, re.IGNORECASE)
            words = re.escape(normalize(self.text).strip())
            return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)
        except re.error:
            return None


def normalize(text: str) -> str:
    return text.translate(APOSTROPHES)
