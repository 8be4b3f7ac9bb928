"""The phrase lists, loaded for the rules to check a comment against.

Plain phrases match whole words, ignoring case and the kind of apostrophe
(“can’t” matches “can't”); a regex phrase is used as written, ignoring case.
"""

import ipaddress
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from comments.models import Phrase
from comments.models.phrase import normalize


@dataclass
class PhraseBook:
    """Every phrase by kind, loaded once per comment checked."""

    by_kind: dict[str, list[Phrase]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls, phrases: Iterable[Phrase] | None = None) -> "PhraseBook":
        book = cls()
        for phrase in Phrase.objects.all() if phrases is None else phrases:
            book.by_kind[phrase.kind].append(phrase)
        return book

    def first_match(self, kind: str, text: str) -> str | None:
        """The words in text that the first matching phrase of kind found."""
        text = normalize(text)
        for phrase in self.by_kind.get(kind, []):
            pattern = phrase.pattern()
            if pattern and (found := pattern.search(text)):
                return found.group(0)
        return None

    def blocks_email_domain(self, email: str) -> str | None:
        domain = email.rpartition("@")[2].strip().lower()
        if not domain:
            return None
        for phrase in self.by_kind.get(Phrase.Kind.BLOCK_EMAIL_DOMAIN, []):
            blocked = phrase.text.strip().lower().lstrip("@")
            if domain == blocked or domain.endswith(f".{blocked}"):
                return blocked
        return None

    def blocks_ip(self, ip: str) -> str | None:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return None
        for phrase in self.by_kind.get(Phrase.Kind.BLOCK_IP_RANGE, []):
            try:
                network = ipaddress.ip_network(phrase.text.strip(), strict=False)
            except ValueError:
                continue
            if address.version == network.version and address in network:
                return str(network)
        return None
