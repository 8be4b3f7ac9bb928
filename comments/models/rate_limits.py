"""The rate-limit format, "5/m,30/d": shared by the admin's settings and the environment."""

import re
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, ValidationError

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
LIMIT = re.compile(r"^(?P<count>\d+)\s*/\s*(?P<times>\d*)\s*(?P<unit>[smhd])$")
OFF = "off"


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def parse(spec: str) -> list[Limit]:
    """ "5/m,30/d" into limits; "off" or "" into none. Raises ImproperlyConfigured."""
    spec = spec.strip().lower()
    if spec in (OFF, ""):
        return []
    limits = []
    for part in spec.split(","):
        match = LIMIT.match(part.strip())
        if not match or int(match["count"]) < 1 or match["times"] == "0":
            raise ImproperlyConfigured(
                f"Rate limit {part.strip()!r} is not like 5/m or 30/d (units s, m, h, d), "
                "and the whole setting is not “off”."
            )
        seconds = int(match["times"] or 1) * UNITS[match["unit"]]
        limits.append(Limit(int(match["count"]), seconds))
    return limits


def validate(spec: str) -> None:
    """For the admin: the same check, as a form error."""
    try:
        parse(spec)
    except ImproperlyConfigured as error:
        raise ValidationError(str(error)) from None
