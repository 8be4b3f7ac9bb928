"""A second opinion for the urgent categories: does a sentence read like the corpus's?

The lexicon finds the ways of saying things it has been taught; on comments
written after it was tuned it found about half the self-harm (README, "Medical
safety"). This model generalises from words instead of phrases: a naive Bayes
over the words and word pairs of each sentence, trained once per process on
the corpus's train split only (so the test split stays a fair measure). It only
speaks when the lexicon found nothing of that category, above a threshold set
in lexicon.toml, and never where the lexicon's context (negation, advice, a
resolved past) ruled that category's words out.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass

WORDS = re.compile(r"[a-z]+")
# Added to each count so a word seen on one side only still has finite odds.
SMOOTHING = 0.5


def features(normal_text: str) -> set[str]:
    """The words and adjacent word pairs of lower-cased text, apostrophes dropped."""
    words = WORDS.findall(normal_text.replace("'", ""))
    return {*words, *(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False))}


@dataclass(frozen=True)
class Model:
    """Log-odds that a sentence is of one category rather than anything else."""

    prior: float
    weights: dict[str, float]

    def score(self, normal_sentence: str) -> float:
        return self.prior + sum(self.weights.get(f, 0.0) for f in features(normal_sentence))


def train(texts_and_labels: list[tuple[str, bool]]) -> Model:
    counts = {True: Counter(), False: Counter()}
    totals = Counter()
    for text, label in texts_and_labels:
        totals[label] += 1
        counts[label].update(features(text))
    if not totals[True] or not totals[False]:
        return Model(-math.inf, {})
    weights = {
        feature: math.log((counts[True][feature] + SMOOTHING) / (totals[True] + 1))
        - math.log((counts[False][feature] + SMOOTHING) / (totals[False] + 1))
        for feature in counts[True].keys() | counts[False].keys()
    }
    return Model(math.log(totals[True] / totals[False]), weights)
