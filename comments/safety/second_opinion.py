"""The models' second opinion: what the lexicon missed that reads like a category.

Configured in lexicon.toml (`[[second_opinion]]` per category, `[fields]` for
the sentence model), trained once per process on the corpus's train split
(model.py), asked only about the categories the lexicon found nothing of.
`trained_without(batches)` trains and asks models that never saw those
batches: how the thresholds are chosen (`manage.py safety_report --leave-out`).
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from comments.safety import model
from comments.safety.examples import TRAIN, corpus
from comments.safety.text import normalize, sentences

BAYES_ON_COMMENTS = "comments"
REGRESSION_ON_SENTENCES = "sentences"
KINDS = (BAYES_ON_COMMENTS, REGRESSION_ON_SENTENCES)
# The sentence model's agreement is asked of the flagged sentence and this many
# sentences either side: enough to tell "had enough." after a cramp story from
# one after a goodbye, not so much that a long chatty post drowns a risky line.
NEIGHBOURS = 1

_left_out: ContextVar[frozenset[int]] = ContextVar("left_out", default=frozenset())


@dataclass(frozen=True)
class SecondOpinion:
    """A category's model: its finding's concept, its kind and its score threshold."""

    concept: str
    threshold: float
    kind: str = BAYES_ON_COMMENTS
    # For the sentence model: naive Bayes on the flagged sentence and its
    # neighbours must agree, above this log-odds.
    agreement_threshold: float | None = None

    @classmethod
    def read(cls, entry: dict) -> "SecondOpinion":
        kind = entry.get("model", BAYES_ON_COMMENTS)
        if kind not in KINDS:
            raise ValueError(f"second_opinion model must be one of {KINDS}, not {kind!r}")
        agreement = entry.get("agreement_threshold")
        return cls(
            entry["concept"],
            float(entry["threshold"]),
            kind,
            None if agreement is None else float(agreement),
        )


@dataclass(frozen=True)
class Opinion:
    """A sentence the model holds to be of its category: where it is in the text."""

    category: str
    concept: str
    start: int
    end: int


@contextmanager
def trained_without(batches: Iterable[int]) -> Iterator[None]:
    """Within it, every model is trained without those corpus batches."""
    token = _left_out.set(frozenset(batches))
    try:
        yield
    finally:
        _left_out.reset(token)


def prepare(opinions: dict[str, SecondOpinion], fields: tuple[tuple[str, str], ...]) -> None:
    """Train every model now (a server starting), not for the first comment that needs one."""
    for category, opinion in opinions.items():
        _model(category, opinion.kind, fields, _left_out.get())
        _bayes(category, _left_out.get())


def ask(
    parts: Sequence[tuple[int, int, str]],
    opinions: dict[str, SecondOpinion],
    fields: tuple[tuple[str, str], ...],
    skip: set[str],
    ruled_out: list[tuple[str, int]],
) -> list[Opinion]:
    """Sentences (text.sentences of normal text) that read like a category not in skip.

    Never a sentence where the lexicon's context ruled that category's words
    out (ruled_out: category and where), so "if you ever feel suicidal,
    call..." stays quiet.
    """
    left_out = _left_out.get()
    found = []
    for category, opinion in opinions.items():
        if category in skip:
            continue
        scorer = _model(category, opinion.kind, fields, left_out)
        for i, (start, end, words) in enumerate(parts):
            if any(c == category and start <= at < end for c, at in ruled_out):
                continue
            if scorer.score(words) <= opinion.threshold:
                continue
            if opinion.agreement_threshold is not None:
                around = " ".join(p[2] for p in parts[max(0, i - NEIGHBOURS) : i + NEIGHBOURS + 1])
                if _bayes(category, left_out).score(around) <= opinion.agreement_threshold:
                    continue
            found.append(Opinion(category, opinion.concept, start, end))
    return found


# Enough for every category's models twice over: the site's, and one set left out.
@lru_cache(maxsize=8)
def _model(
    category: str, kind: str, fields: tuple[tuple[str, str], ...], left_out: frozenset[int]
) -> model.Model:
    if kind == REGRESSION_ON_SENTENCES:
        examples = [(text, label == category) for text, label in _train_split(left_out)]
        features = model.with_fields(dict(fields))
        return model.train_on_sentences(examples, features, _sentence_words)
    return _bayes(category, left_out)


@lru_cache(maxsize=8)
def _bayes(category: str, left_out: frozenset[int]) -> model.Model:
    """Naive Bayes on whole comments: a category's model, or the one that must agree."""
    return model.train_bayes([(text, label == category) for text, label in _train_split(left_out)])


@lru_cache(maxsize=2)
def _train_split(left_out: frozenset[int]) -> tuple[tuple[str, str], ...]:
    """The train split's texts, normalised, with their categories: read once for every model."""
    return tuple((normalize(e.text), e.category) for e in corpus(TRAIN) if e.batch not in left_out)


def _sentence_words(normal_text: str) -> list[str]:
    return [words for _, _, words in sentences(normal_text)]
