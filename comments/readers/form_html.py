"""The comment form's HTML: an empty form is rendered once per process and reused.

crispy-forms took a fifth of a cold render (docs/performance.md), and an
empty form is the same for every reader of an article but for its token,
which holds the time the form was shown (the time trap). So an empty form's
HTML is kept per article, reply target and order, and each render gets the
token its own form made just now. A bound form (coming back with errors)
is rendered afresh.
"""

import re

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

from comments.readers.forms import CommentForm

TOKEN = re.compile(r'name="token" value="[^"]*"')
MAX_FORMS = 1000
_forms: dict[tuple, str] = {}


def _render(form: CommentForm) -> str:
    template = engines["django"].from_string("{% load crispy_forms_tags %}{% crispy form %}")
    return template.render({"form": form})


def form_html(form: CommentForm) -> SafeString:
    if form.is_bound:
        return mark_safe(_render(form))  # noqa: S308  crispy-forms escapes
    reply_to = form.reply_target.pk if form.reply_target is not None else None
    key = (form.article.pk, form.article.slug, reply_to, form.newest)
    html = _forms.get(key)
    if html is None:
        if len(_forms) >= MAX_FORMS:
            _forms.clear()
        html = _forms[key] = _render(form)
    fresh = f'name="token" value="{form.fields["token"].initial}"'
    return mark_safe(TOKEN.sub(lambda _: fresh, html, count=1))  # noqa: S308  a signed token


@receiver(setting_changed)
def forget_forms_rendered_with_other_settings(**kwargs):
    _forms.clear()
