"""Turning an EmailMessage into a stored row and back."""

from django.core.mail import EmailMessage


class UnfoldedHeader(str):
    """A header value Python's email package writes out as it is.

    Left to itself, the email policy turns an unbreakable value longer than
    a line, like an unsubscribe URL, into RFC 2047 encoded-words, which mail
    apps do not read as a URL. A value with a ``name`` and ``fold()`` counts
    as a header object (email.policy.EmailPolicy.fold), so it is written on
    one line: longer than 78 characters, well within RFC 5322's 998.
    """

    def __new__(cls, name: str, value: str):
        if "\r" in value or "\n" in value:
            raise ValueError("Header values cannot contain line breaks.")
        header = super().__new__(cls, value)
        header.name = name
        return header

    def __getnewargs__(self):
        # copy and pickle (the locmem mail backend deep-copies each message).
        return (self.name, str(self))

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


def fields_of(message: EmailMessage) -> dict:
    """What an OutgoingEmail keeps of a plain-text message."""
    if message.attachments or message.cc or message.bcc or message.reply_to:
        raise ValueError("The outbox keeps plain messages: no attachments, cc, bcc or reply-to.")
    return {
        "to": list(message.to),
        "subject": message.subject,
        "body": message.body,
        "headers": {name: str(value) for name, value in message.extra_headers.items()},
    }


def message_of(to: list[str], subject: str, body: str, headers: dict[str, str]) -> EmailMessage:
    """The message again, headers written as they were built (single-line ASCII kept unfolded)."""
    extra = {
        name: UnfoldedHeader(name, value) if value.isascii() else value
        for name, value in headers.items()
    }
    return EmailMessage(subject, body, to=to, headers=extra)
