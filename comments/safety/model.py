"""A second opinion: does a sentence read like the corpus's comments of a category?

The lexicon finds the ways of saying things it has been taught; on comments
written after it was tuned it found about half the self-harm (README, "Medical
safety"). These models generalise from words instead of phrases. Each is
trained once per process on the corpus's train split only (so the test split
stays a fair measure), and speaks only when the lexicon found nothing of its
category, above a threshold kept in lexicon.toml, and never where the
lexicon's context (negation, advice, a resolved past) ruled that category's
words out. Two kinds, chosen per category in lexicon.toml:

- "comments": naive Bayes over the words and word pairs of whole comments.
- "sentences": logistic regression over words, word pairs, crude stems and the
  lexicon's word fields ("death", "burden", "farewell"...), trained on the one
  sentence of each risky comment that reads most like its category (a first
  model picks it) against every sentence of the benign ones. A long post about
  cramps with one risky line in the middle no longer teaches the model that
  "does anyone know if iron helps" is risky, and the fields let "sick of waking
  up" borrow what "tired of living" taught.

Pure Python, deterministic (a seeded shuffle), no new dependency.
"""

import math
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import repeat

WORDS = re.compile(r"[a-z]+")
# Added to each count so a word seen on one side only still has finite odds.
SMOOTHING = 0.5
SUFFIXES = ("ing", "ed", "es", "s", "ly", "y")
EPOCHS, LEARNING_RATE, L2, SEED = 8, 0.3, 1e-4, 1

Features = Callable[[str], set[str]]


def words_and_pairs(normal_text: str) -> set[str]:
    """The words and adjacent word pairs of lower-cased text, apostrophes dropped."""
    words = WORDS.findall(normal_text.replace("'", ""))
    return {*words, *(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False))}


def stem(word: str) -> str:
    """Crude, on purpose: "waking", "wakes" and "waked" meet at "wak"."""
    for suffix in SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def with_fields(fields: dict[str, str]) -> Features:
    """Words, pairs, stems, stem pairs, the fields present and each pair of them."""

    def features(normal_text: str) -> set[str]:
        words = WORDS.findall(normal_text.replace("'", ""))
        stems = [stem(w) for w in words]
        present = sorted({fields[w] for w in words if w in fields})
        return {
            *words,
            *(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)),
            *(f"s:{s}" for s in stems),
            *(f"s:{a}_{b}" for a, b in zip(stems, stems[1:], strict=False)),
            *(f"f:{f}" for f in present),
            *(f"ff:{a}+{b}" for i, a in enumerate(present) for b in present[i + 1 :]),
        }

    return features


@dataclass(frozen=True)
class Model:
    """A score (log-odds for Bayes, a logit for regression) that a text is of one category."""

    bias: float
    weights: dict[str, float]
    features: Features = words_and_pairs

    def score(self, normal_text: str) -> float:
        """fsum, so the score does not depend on the order a set of features comes in."""
        return self.bias + math.fsum(self.weights.get(f, 0.0) for f in self.features(normal_text))


def train_bayes(examples: list[tuple[str, bool]], features: Features = words_and_pairs) -> Model:
    counts = {True: Counter(), False: Counter()}
    totals = Counter()
    for text, label in examples:
        totals[label] += 1
        counts[label].update(features(text))
    if not totals[True] or not totals[False]:
        return Model(-math.inf, {}, features)
    weights = {
        feature: math.log((counts[True][feature] + SMOOTHING) / (totals[True] + 1))
        - math.log((counts[False][feature] + SMOOTHING) / (totals[False] + 1))
        for feature in counts[True].keys() | counts[False].keys()
    }
    return Model(math.log(totals[True] / totals[False]), weights, features)


def train_logistic(examples: list[tuple[str, bool]], features: Features) -> Model:
    """Stochastic gradient descent with L2; each risky example counts as many benign ones.

    The L2 shrinkage is applied lazily, to the features of the example at hand,
    so a common feature is shrunk more often than a rare one (as in most sparse
    implementations).
    """
    rows = [(sorted(features(text)), label) for text, label in examples]
    positives = sum(label for _, label in rows)
    if not positives or positives == len(rows):
        return Model(-math.inf, {}, features)
    balance = max(1.0, (len(rows) - positives) / positives)
    weights: dict[str, float] = {}
    weight = weights.get
    bias = 0.0
    shuffle = random.Random(SEED).shuffle  # noqa: S311 (a training order, not a secret)
    for epoch in range(EPOCHS):
        shuffle(rows)
        rate = LEARNING_RATE / (1 + epoch * 0.5)
        decay = 1 - rate * L2
        for names, label in rows:
            z = bias + sum(map(weight, names, repeat(0.0)))
            p = 1 / (1 + math.exp(-max(min(z, 30.0), -30.0)))
            step = rate * (p - label) * (balance if label else 1.0)
            bias -= step
            for n in names:
                weights[n] = weight(n, 0.0) * decay - step
    return Model(bias, weights, features)


def train_on_sentences(
    examples: list[tuple[str, bool]],
    features: Features,
    sentences: Callable[[str], Iterable[str]],
) -> Model:
    """Regression on the most telling sentence of each risky comment (see the module)."""
    first = train_logistic(examples, features)
    rows: list[tuple[str, bool]] = []
    for text, label in examples:
        parts = [s for s in sentences(text) if s.strip()] or [text]
        if label:
            rows.append((max(parts, key=first.score), True))
        else:
            rows += [(part, False) for part in parts]
    return train_logistic(rows, features)
