import time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Field, Layout, Row, Submit
from django import forms
from django.core import signing
from django.urls import reverse

from comments.models import Comment, Report
from comments.models.comment import BODY_MAX, BODY_MIN

TOKEN_SALT = "comments.form"
HONEYPOT = "homepage"

CLOSED = "Comments are closed on this article, so your comment was not posted."
TAMPERED = "This form could not be checked. Your text is kept below: please post it again."
GONE = (
    "The comment you were replying to is no longer available. You can post yours as a new comment."
)
NO_EMAIL_FOR_REPLIES = "Add your email to get replies by email, or untick the box."


def form_token(article, rendered_at: float | None = None) -> str:
    """Signed proof that this form was rendered for this article, and when.

    The time lets the rules treat a form posted too soon, or too long after,
    as spam (comments/moderation/rules.py); the signature means it cannot be made up.
    """
    at = int(time.time() if rendered_at is None else rendered_at)
    return signing.dumps({"article": article.pk, "at": at}, salt=TOKEN_SALT)


def reply_target(article, raw) -> Comment | None:
    """The published comment on this article that raw names, or None.

    Not a deleted comment's placeholder: there is nobody there to answer.
    """
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    comments = article.comments.published().not_deleted().select_related("parent", "root")
    return comments.filter(pk=pk).first()


# The order the form shows its fields in, for focusing the first error.
FIELD_ORDER = ("body", "author_name", "author_email", "notify_replies")


class CommentForm(forms.ModelForm):
    body = forms.CharField(
        label="Your comment",
        min_length=BODY_MIN,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "Plain text, 2 to 3,000 characters. Line breaks are kept; "
            "links are shown but not endorsed."
        ),
        error_messages={
            "required": "Please write your comment before posting.",
            "min_length": "Your comment is too short: write at least %(limit_value)d characters.",
            "max_length": (
                "Your comment is too long: %(limit_value)d characters at most "
                "(it has %(show_value)d)."
            ),
        },
    )
    reply_to = forms.CharField(required=False, widget=forms.HiddenInput)
    token = forms.CharField(required=False, widget=forms.HiddenInput)
    # A trap for bots that fill in every field; hidden from people by CSS.
    homepage = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Comment
        fields = ["body", "author_name", "author_email", "notify_replies"]
        labels = {
            "author_name": "Name (optional)",
            "author_email": "Email (optional)",
            "notify_replies": "Email me when someone replies",
        }
        help_texts = {
            "author_name": "Shown with your comment. Leave blank to post as “Guest”.",
            "author_email": (
                "Never shown to anyone. Used to draw your avatar and, if you ask, "
                "to email you replies."
            ),
            "notify_replies": (
                "We first email you a link to confirm your address. "
                "Every email has a one-click unsubscribe link."
            ),
        }
        error_messages = {
            "author_name": {
                "max_length": "Please shorten your name to %(limit_value)d characters."
            },
            "author_email": {
                "invalid": "Enter a valid email address, like name@example.com, or leave it blank."
            },
        }
        widgets = {
            "author_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "author_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, article, reply_to=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.reply_target = reply_to
        self.rendered_at: float | None = None
        self.fields["token"].initial = form_token(article)
        if reply_to is not None:
            self.fields["reply_to"].initial = reply_to.pk
        self.helper = self._helper()

    def _helper(self) -> FormHelper:
        helper = FormHelper(self)
        helper.form_id = "comment-form"
        helper.form_method = "post"
        helper.disable_csrf = True  # checked by origin: cramps_site/origin_csrf.py
        # No #fragment: a re-rendered form autofocuses its first error instead,
        # which scrolls to it too, with or without JavaScript.
        helper.form_action = reverse("comments:post", args=[self.article.slug])
        helper.layout = Layout(
            "reply_to",
            "token",
            Div(HONEYPOT, css_class="comment-hp", aria_hidden="true"),
            Field("body"),
            Row(
                Column("author_name", css_class="col-md-6"),
                Column("author_email", css_class="col-md-6"),
            ),
            Field("notify_replies"),
            Submit("post", "Post comment"),
        )
        return helper

    def clean(self):
        cleaned = super().clean()
        if not self.article.allow_comments:
            raise forms.ValidationError(CLOSED, code="closed")
        self._check_token(cleaned.get("token", ""))
        wants_replies = cleaned.get("notify_replies") and "author_email" not in self.errors
        if wants_replies and not cleaned.get("author_email"):
            self.add_error("author_email", NO_EMAIL_FOR_REPLIES)
        raw_reply = cleaned.get("reply_to")
        if raw_reply:
            self.reply_target = reply_target(self.article, raw_reply)
            if self.reply_target is None:
                raise forms.ValidationError(GONE, code="reply_gone")
        return cleaned

    def _check_token(self, token: str) -> None:
        try:
            payload = signing.loads(token, salt=TOKEN_SALT)
        except signing.BadSignature:
            raise forms.ValidationError(TAMPERED, code="tampered") from None
        if not isinstance(payload, dict) or payload.get("article") != self.article.pk:
            raise forms.ValidationError(TAMPERED, code="tampered")
        if not isinstance(payload.get("at"), int):
            raise forms.ValidationError(TAMPERED, code="tampered")
        # An old form is not refused here: the rules store it as spam.
        self.rendered_at = payload["at"]

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.errors:
            # Re-rendered forms get a fresh token, so fixing the text is enough.
            self.data = self.data.copy()
            self.data[self.add_prefix("token")] = form_token(self.article)
            self._autofocus_first_error()

    def _autofocus_first_error(self) -> None:
        """The page opens on the first thing to fix; form-wide errors start at the text."""
        first = next((name for name in FIELD_ORDER if name in self.errors), "body")
        self.fields[first].widget.attrs["autofocus"] = True

    def save(self, commit=False):
        """The new comment, threaded but unsaved: comments.decisions.post() stores it."""
        comment = super().save(commit=False)
        comment.article = self.article
        comment.attach_to(self.reply_target)
        return comment


class EditCommentForm(forms.ModelForm):
    """The author's own change of their text; it goes through the rules again."""

    body = CommentForm.declared_fields["body"]

    class Meta:
        model = Comment
        fields = ["body"]

    def __init__(self, *args, token: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "post"
        self.helper.disable_csrf = True  # checked by origin: cramps_site/origin_csrf.py
        self.helper.form_action = (
            f"{reverse('comments:edit', args=[self.instance.pk])}?token={token}"
        )
        self.helper.layout = Layout(Field("body"), Submit("save", "Save changes"))


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with this comment?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose a reason.",
            "invalid_choice": "Please choose a reason.",
        },
    )
    note = forms.CharField(
        label="Anything else a moderator should know? (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, comment, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_method = "post"
        self.helper.disable_csrf = True  # checked by origin: cramps_site/origin_csrf.py
        self.helper.form_action = reverse("comments:report", args=[comment.pk])
        self.helper.layout = Layout("reason", "note", Submit("report", "Send report"))
