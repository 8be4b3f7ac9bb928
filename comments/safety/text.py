"""Text as the detector reads it: lower case, straight apostrophes, cut into sentences."""

import re
from dataclasses import dataclass

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")


def normalize(text: str) -> str:
    """Lower case with straight apostrophes, the same length so spans stay true."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter that lowers to two ("İ"): keep it as it was
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(APOSTROPHES)


def sentences(normal_text: str) -> list[tuple[int, int, str]]:
    """Each sentence's start, end and words, in order; a line break ends one too."""
    return [(m.start(), m.end(), m.group(0)) for m in SENTENCE.finditer(normal_text)]


@dataclass(frozen=True)
class Reading:
    """A comment normalised and cut into sentences once, for the lexicon and the models alike."""

    normal: str
    sentences: tuple[tuple[int, int, str], ...]

    @classmethod
    def of(cls, text: str) -> "Reading":
        normal = normalize(text)
        return cls(normal, tuple(sentences(normal)))
