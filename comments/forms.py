from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row, Submit
from django import forms
from django.core import signing
from django.urls import reverse

from comments.models import Comment

BODY_MIN = 2
BODY_MAX = 3000
# How long a rendered form stays good for: long enough to write a careful
# comment, short enough that a scraped form cannot be replayed for days.
FORM_MAX_AGE = 4 * 60 * 60
TOKEN_SALT = "comments.form"

CLOSED = "Comments are closed on this article, so your comment was not posted."
EXPIRED = "This form has expired. Your text is kept below: please post it again."
TAMPERED = "This form could not be checked. Your text is kept below: please post it again."
GONE = (
    "The comment you were replying to is no longer available. You can post yours as a new comment."
)


def form_token(article) -> str:
    """Signed, timestamped proof that this form was rendered for this article."""
    return signing.dumps(article.pk, salt=TOKEN_SALT)


def reply_target(article, raw) -> Comment | None:
    """The published comment on this article that raw names, or None."""
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    return article.comments.published().select_related("parent", "root").filter(pk=pk).first()


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

    class Meta:
        model = Comment
        fields = ["body", "author_name", "author_email"]
        labels = {"author_name": "Name (optional)", "author_email": "Email (optional)"}
        help_texts = {
            "author_name": "Shown with your comment. Leave blank to post as “Guest”.",
            "author_email": "Never shown to anyone. Used only to draw your avatar.",
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
        self.fields["token"].initial = form_token(article)
        if reply_to is not None:
            self.fields["reply_to"].initial = reply_to.pk
        self.helper = self._helper()

    def _helper(self) -> FormHelper:
        helper = FormHelper(self)
        helper.form_id = "comment-form"
        helper.form_method = "post"
        # The fragment makes the browser scroll back to the form when a
        # bad submission re-renders the article page.
        helper.form_action = reverse("comments:post", args=[self.article.slug]) + "#comment-form"
        helper.layout = Layout(
            "reply_to",
            "token",
            Field("body"),
            Row(
                Column("author_name", css_class="col-md-6"),
                Column("author_email", css_class="col-md-6"),
            ),
            Submit("post", "Post comment"),
        )
        return helper

    def clean(self):
        cleaned = super().clean()
        if not self.article.allow_comments:
            raise forms.ValidationError(CLOSED, code="closed")
        self._check_token(cleaned.get("token", ""))
        raw_reply = cleaned.get("reply_to")
        if raw_reply:
            self.reply_target = reply_target(self.article, raw_reply)
            if self.reply_target is None:
                raise forms.ValidationError(GONE, code="reply_gone")
        return cleaned

    def _check_token(self, token: str) -> None:
        try:
            article_pk = signing.loads(token, salt=TOKEN_SALT, max_age=FORM_MAX_AGE)
        except signing.SignatureExpired:
            raise forms.ValidationError(EXPIRED, code="expired") from None
        except signing.BadSignature:
            raise forms.ValidationError(TAMPERED, code="tampered") from None
        if article_pk != self.article.pk:
            raise forms.ValidationError(TAMPERED, code="tampered")

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.errors:
            # Re-rendered forms get a fresh token, so fixing the text is enough.
            self.data = self.data.copy()
            self.data[self.add_prefix("token")] = form_token(self.article)

    def save(self, commit=True):
        comment = super().save(commit=False)
        comment.article = self.article
        comment.attach_to(self.reply_target)
        if commit:
            comment.save()
        return comment
