"""Startup checks: a mistyped COMMENT_RATE_LIMITS should fail a deploy, not a post.

At request time a bad value only logs an error and falls back to the admin
setting (comments.ratelimit.limits_for), so visitors never see a 500.
"""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from comments.moderation import ratelimit


@register()
def rate_limits_from_environment(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    for name in ratelimit.ENV_VARS.values():
        value = getattr(settings, name, None)
        if value is None:
            continue
        try:
            ratelimit.parse(value)
        except ImproperlyConfigured as error:
            errors.append(Error(f"{name}={value!r}: {error}", id="comments.E001"))
    return errors
