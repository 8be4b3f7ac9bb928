"""The labelled corpus, its fixed train/test split, and the figures make safety-report prints."""

import math
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from comments.safety.detector import CATEGORIES, ExtraPhrase, Finding, findings, prepare
from comments.safety.examples import BENIGN, CORPUS, TEST, TRAIN, Example, corpus
from comments.safety.second_opinion import trained_without

# The corpus lives in examples.py (the detector's model trains on it); named here too.
__all__ = [
    "BENIGN",
    "CORPUS",
    "TEST",
    "TRAIN",
    "Example",
    "Report",
    "corpus",
    "evaluate",
    "evaluate_left_out",
    "text_report",
]

RUNS = 3


@dataclass
class Outcome:
    example: Example
    findings: list[Finding]

    @property
    def caught(self) -> bool:
        return any(f.category == self.example.category for f in self.findings)


@dataclass
class Report:
    outcomes: list[Outcome]
    millis: list[float] = field(default_factory=list)

    def risky(self, category: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.example.category == category]

    def recall(self, category: str) -> float:
        outcomes = self.risky(category)
        return sum(o.caught for o in outcomes) / len(outcomes) if outcomes else 1.0

    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.example.category != BENIGN and not o.caught]

    def false_alarms(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.example.category == BENIGN and o.findings]

    def false_alarm_rate(self) -> float:
        benign = self.risky(BENIGN)
        return len(self.false_alarms()) / len(benign) if benign else 0.0

    def mean_ms(self) -> float:
        return statistics.fmean(self.millis)

    def p99_ms(self) -> float:
        return statistics.quantiles(self.millis, n=100)[98]


def evaluate(examples: Iterable[Example], extra_phrases: Iterable[ExtraPhrase] = ()) -> Report:
    """Run the detector on each example, uncached, and time it.

    Each comment's cost is the best of RUNS runs, so a busy machine's other
    processes do not count as the detector's; the lexicon is loaded first.
    """
    extras = tuple(extra_phrases)
    prepare()
    report = Report([])
    for example in examples:
        best = math.inf
        for _ in range(RUNS):
            started = time.perf_counter()
            found = findings(example.text, extras)
            best = min(best, time.perf_counter() - started)
        report.millis.append(best * 1000)
        report.outcomes.append(Outcome(example, list(found)))
    return report


def evaluate_left_out(
    batches: Iterable[int], extra_phrases: Iterable[ExtraPhrase] = (), split: str | None = None
) -> Report:
    """Each batch of the corpus judged by models trained without it, all together.

    How the second opinion's thresholds are chosen: the models have never
    seen the comments they judge (the lexicon has, where it was tuned on a
    batch's train half). Batches not in the corpus count for nothing. With a
    split, only that split's members of each batch are judged: the train
    members' misses may be read while tuning, the test members' may not.
    """
    extras = tuple(extra_phrases)
    every = corpus(split)
    report = Report([])
    for batch in batches:
        with trained_without({batch}):
            part = evaluate([e for e in every if e.batch == batch], extras)
        report.outcomes += part.outcomes
        report.millis += part.millis
    return report


def describe(outcome: Outcome) -> str:
    found = "; ".join(f"{f.category}: {f.concept} ('{f.words}')" for f in outcome.findings)
    return f"  [{outcome.example.category}] {outcome.example.text}\n      found: {found or '-'}"


def figures(report: Report) -> list[str]:
    counts = {c: len(report.risky(c)) for c in (*CATEGORIES, BENIGN)}
    lines = ["Recall by category (risky comments whose category was found):"]
    for category in CATEGORIES:
        caught = sum(o.caught for o in report.risky(category))
        recall = f"{report.recall(category):7.1%}" if counts[category] else "    n/a"
        lines.append(f"  {category:<13} {recall}  ({caught}/{counts[category]})")
    lines.append(
        f"False alarms on benign comments: {report.false_alarm_rate():.1%} "
        f"({len(report.false_alarms())}/{counts[BENIGN]})"
    )
    return lines


def text_report(report: Report, title: str, *, with_comments: bool = True) -> str:
    if not report.outcomes:
        return f"{title}\n\nNo comments to report on."
    lines = [title, ""]
    lines += figures(report)
    alarms = report.false_alarms()
    lines.append(
        f"Cost per comment: mean {report.mean_ms():.2f} ms, p99 {report.p99_ms():.2f} ms "
        f"({len(report.millis)} comments)"
    )
    if not with_comments:
        return "\n".join(lines)
    lines += ["", f"Misses ({len(report.misses())}):"]
    lines += [describe(o) for o in report.misses()] or ["  none"]
    lines += ["", f"False alarms ({len(alarms)}):"]
    lines += [describe(o) for o in alarms] or ["  none"]
    return "\n".join(lines)
