"""Find medical-safety concerns in a comment: text in, findings out.

The concepts and the context rules are data (lexicon.toml). A concept's
patterns find candidate words; each candidate is then read in its sentence,
as ConText does for clinical notes (Harkema et al. 2009): a trigger before it
("no", "if you ever", "my GP checked") or after it ("ruled out") within the
same clause turns it off. Whoever has the symptom does not matter: a child or
a partner with it now is as urgent as the poster.
"""

import re
import tomllib
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from comments.safety import model
from comments.safety.examples import TRAIN, corpus

LEXICON = Path(__file__).with_name("lexicon.toml")

SELF_HARM = "self_harm"
RED_FLAG = "red_flag"
DOSING = "dosing"
MIRACLE_CURE = "miracle_cure"
# Most urgent first: the order findings are listed and moderators should see them.
CATEGORIES = (SELF_HARM, RED_FLAG, DOSING, MIRACLE_CURE)
URGENT = "urgent"
REVIEW = "review"
PRIORITY = {SELF_HARM: URGENT, RED_FLAG: URGENT, DOSING: REVIEW, MIRACLE_CURE: REVIEW}
EXTRA_CONCEPT = "a phrase on the moderators' list"

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
# Between two words of a pattern: spaces and punctuation, never a sentence end.
SEP = r"(?:[^\w.!?\n]+)"
WORD = r"[\w']+"
# A word that "*" may skip: never a negation, so "calf isn't swollen" is no match.
GAP_WORD = r"(?!(?:no|not|never|isn't|isnt|aren't|arent|doesn't|doesnt|don't|dont|wasn't|wasnt"
GAP_WORD += r"|without|nor|neither|nothing)\b)[\w']+"
SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
CLASS_REF = re.compile(r"\{([a-z_]\w*)\}")


@dataclass(frozen=True)
class Span:
    """Words of the comment, with where they are, for highlighting."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Finding:
    category: str
    concept: str
    spans: tuple[Span, ...]

    @property
    def priority(self) -> str:
        return PRIORITY[self.category]

    @property
    def rank(self) -> int:
        """Sort key, lowest first: self-harm, red flag, dosing, miracle cure."""
        return CATEGORIES.index(self.category)

    @property
    def words(self) -> str:
        return ", ".join(dict.fromkeys(" ".join(span.text.split()) for span in self.spans))


@dataclass(frozen=True)
class ExtraPhrase:
    """A phrase moderators added for a category: plain words, or a regex."""

    category: str
    text: str
    is_regex: bool = False


@dataclass(frozen=True)
class Candidate:
    """A concept's words found in the text, and what (if anything) turned them off."""

    category: str
    concept: str
    span: Span
    ruled_out_by: str = ""


@dataclass(frozen=True)
class Modifier:
    name: str
    direction: str  # "before" the target, "after" it, or "sentence" (a whole question)
    window: int
    triggers: re.Pattern
    categories: frozenset[str]
    unless: re.Pattern | None = None
    # Reaches past "but": "my calf was swollen but it's healed now".
    crosses_contrast: bool = False


@dataclass(frozen=True)
class Concept:
    category: str
    name: str
    pattern: re.Pattern
    # Figures of speech and look-alikes that overlap a match unmake it.
    exclude: re.Pattern | None = None
    # Something else the sentence must say too (dark urine *with* weakness).
    requires: re.Pattern | None = None


@dataclass(frozen=True)
class SecondOpinion:
    """A category's model (model.py): its concept name, kind and score threshold."""

    concept: str
    threshold: float
    # "comments": naive Bayes on whole comments; "sentences": regression on sentences.
    kind: str = "comments"
    # For "sentences": the whole comment's naive Bayes must agree, above this log-odds.
    whole_comment_threshold: float | None = None


@dataclass(frozen=True)
class Lexicon:
    concepts: tuple[Concept, ...]
    modifiers: tuple[Modifier, ...]
    terminators: re.Pattern
    contrasts: re.Pattern
    pseudo: re.Pattern
    second_opinion: dict[str, SecondOpinion] = field(default_factory=dict)
    # word -> its field ("death", "burden", ...), for the "sentences" models.
    fields: dict[str, str] = field(default_factory=dict)


def normalize(text: str) -> str:
    """Lower case with straight apostrophes, the same length so spans stay true."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter that lowers to two ("İ"): keep it as it was
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(APOSTROPHES)


def compile_pattern(pattern: str, words: dict[str, str]) -> str:
    """One lexicon pattern as a regex.

    Words are separated by spaces and punctuation within a sentence; "*" lets up
    to four other words in between ("**" ten); "A ~ B" is A and B within six
    words in either order; {name} is a word class; apostrophes are optional;
    "A ?B" makes the space optional.
    """
    if " ~ " in pattern:
        first, second = pattern.split(" ~ ", 1)
        return (
            f"(?:{compile_pattern(f'{first} *6 {second}', words)})"
            f"|(?:{compile_pattern(f'{second} *6 {first}', words)})"
        )
    parts: list[str] = []
    gap = 0
    for token in _tokens(pattern):
        if token in ("*", "**") or re.fullmatch(r"\*\d+", token):
            gap = {"*": 4, "**": 10}.get(token) or int(token[1:])
            continue
        optional = token.startswith("?")
        token = token.removeprefix("?").replace("'", "'?").replace(" ", SEP)
        fragment = CLASS_REF.sub(lambda m: f"(?:{words[m.group(1)]})", token)
        if parts:
            parts.append(SEP + ("?" if optional else ""))
            parts.append(f"(?:{GAP_WORD}{SEP}){{0,{gap}}}?" if gap else "")
        parts.append(f"(?:{fragment})")
        gap = 0
    return "".join(parts)


def _tokens(pattern: str) -> list[str]:
    """Split on spaces outside brackets: "(?:to )?wake up" is two tokens."""
    tokens, depth, current = [], 0, ""
    for char in pattern.strip():
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if char == " " and depth == 0:
            if current:
                tokens.append(current)
            current = ""
        else:
            current += char
    return [*tokens, current] if current else tokens


def any_of(patterns: Iterable[str], words: dict[str, str]) -> re.Pattern:
    alternatives = "|".join(f"(?:{compile_pattern(p, words)})" for p in patterns)
    return re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w])")


@cache
def lexicon(path: Path = LEXICON) -> Lexicon:
    """The lexicon, read and compiled once per process."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    words: dict[str, str] = {}
    for name, alternatives in data["words"].items():  # a class may use the classes above it
        words[name] = "|".join(f"(?:{compile_pattern(w, words)})" for w in alternatives)
    context = data["context"]
    modifiers = tuple(
        Modifier(
            name=m["name"],
            direction=m["direction"],
            window=m.get("window", 8),
            triggers=any_of(m["triggers"], words),
            categories=frozenset(m.get("categories", CATEGORIES)),
            unless=any_of(m["unless"], words) if "unless" in m else None,
            crosses_contrast=m.get("crosses_contrast", False),
        )
        for m in context["modifier"]
    )
    concepts = tuple(
        Concept(
            c["category"],
            c["concept"],
            any_of(c["patterns"], words),
            any_of(c["exclude"], words) if "exclude" in c else None,
            any_of(c["requires"], words) if "requires" in c else None,
        )
        for c in data["concept"]
    )
    return Lexicon(
        concepts,
        modifiers,
        terminators=any_of(context["terminators"], words),
        contrasts=any_of(context["contrasts"], words),
        pseudo=any_of(context["pseudo"], {}),
        second_opinion={
            s["category"]: SecondOpinion(
                s["concept"],
                float(s["threshold"]),
                s.get("model", "comments"),
                s.get("whole_comment_threshold"),
            )
            for s in data.get("second_opinion", [])
        },
        fields={word: name for name, ws in data.get("fields", {}).items() for word in ws},
    )


def detect(text: str, extra_phrases: Iterable[ExtraPhrase] = ()) -> list[Finding]:
    """What a moderator should check in text, most urgent first; [] if nothing.

    Remembered for the last few texts: each medical rule asks about the same comment.
    """
    return list(_remembered(text, tuple(extra_phrases)))


def findings(text: str, extra_phrases: tuple[ExtraPhrase, ...] = ()) -> tuple[Finding, ...]:
    """detect() without the memory, for timing and for callers that want fresh work."""
    found = candidates(text, extra_phrases)
    kept = [c for c in found if not c.ruled_out_by]
    kept += _second_opinions(text, found)
    by_concept: dict[tuple[str, str], list[Span]] = {}
    for candidate in kept:
        if _said_better(candidate, kept):
            continue
        by_concept.setdefault((candidate.category, candidate.concept), []).append(candidate.span)
    found = (Finding(cat, concept, tuple(spans)) for (cat, concept), spans in by_concept.items())
    return tuple(sorted(found, key=lambda f: (f.rank, f.spans[0].start)))


_remembered = lru_cache(maxsize=64)(findings)


def prepare() -> None:
    """Compile the lexicon and train every model now, not on the first comment that needs one."""
    for category in lexicon().second_opinion:
        _model(category)
        _whole_comment_model(category)


@cache
def _model(category: str) -> model.Model:
    """The category's second-opinion model, trained on the train split once per process."""
    if lexicon().second_opinion[category].kind == "sentences":
        examples = [(text, label == category) for text, label in _train_split()]
        features = model.with_fields(lexicon().fields)
        return model.train_on_sentences(examples, features, _sentences)
    return _whole_comment_model(category)


@cache
def _whole_comment_model(category: str) -> model.Model:
    """Naive Bayes on whole comments: a category's model, or the one that must agree."""
    return model.train_bayes([(text, label == category) for text, label in _train_split()])


@cache
def _train_split() -> tuple[tuple[str, str], ...]:
    """The train split's texts, normalised, with their categories: read once for every model."""
    return tuple((normalize(e.text), e.category) for e in corpus(TRAIN))


def _sentences(normal_text: str) -> list[str]:
    return [m.group(0) for m in SENTENCE.finditer(normal_text)]


def _second_opinions(text: str, found: list[Candidate]) -> list[Candidate]:
    """The models' word for categories the lexicon did not find (model.py).

    Per sentence, so one line in a long post counts and is what gets
    highlighted; never in a sentence where that category's words were ruled
    out by context ("if you ever feel suicidal, call..."); where a sentence
    model must have the whole comment's model agree, only when it does.
    """
    opinions = []
    normal = normalize(text)
    for category, opinion in lexicon().second_opinion.items():
        if any(c.category == category and not c.ruled_out_by for c in found):
            continue
        agreement = opinion.whole_comment_threshold
        if agreement is not None and _whole_comment_model(category).score(normal) <= agreement:
            continue
        for sentence in SENTENCE.finditer(normal):
            start, end = sentence.span()
            ruled_out = any(
                c.category == category and c.ruled_out_by and start <= c.span.start < end
                for c in found
            )
            if ruled_out or _model(category).score(sentence.group(0)) <= opinion.threshold:
                continue
            words = text[start:end].strip()
            at = start + text[start:end].index(words) if words else start
            opinions.append(Candidate(category, opinion.concept, Span(words, at, at + len(words))))
    return opinions


def _said_better(candidate: Candidate, kept: list[Candidate]) -> bool:
    """Overlapping words of one category are named once, by the longest match.

    "want to die" is "suicidal thoughts", not also "death or dying"; a
    moderators' phrase gives way to a lexicon concept on the same words.
    """

    def strength(c: Candidate) -> tuple[bool, int]:
        return (c.concept != EXTRA_CONCEPT, c.span.end - c.span.start)

    return any(
        other is not candidate
        and other.category == candidate.category
        and other.span.start < candidate.span.end
        and candidate.span.start < other.span.end
        and strength(other) > strength(candidate)
        for other in kept
    )


def segments(text: str, findings: Iterable[Finding]) -> list[tuple[str, bool]]:
    """text cut into (piece, matched) pieces, overlaps merged: for highlighting the words."""
    marks: list[list[int]] = []
    for start, end in sorted((s.start, s.end) for f in findings for s in f.spans):
        if marks and start <= marks[-1][1]:
            marks[-1][1] = max(marks[-1][1], end)
        else:
            marks.append([start, end])
    pieces, at = [], 0
    for start, end in marks:
        pieces += [(text[at:start], False), (text[start:end], True)]
        at = end
    pieces.append((text[at:], False))
    return [piece for piece in pieces if piece[0]]


def candidates(text: str, extra_phrases: Iterable[ExtraPhrase] = ()) -> list[Candidate]:
    """Every concept's words in text, each with the context that rules it out, if any."""
    lex = lexicon()
    normal = normalize(text)
    concepts = [*lex.concepts, *_extra_concepts(tuple(extra_phrases))]
    sentences = list(SENTENCE.finditer(normal))
    starts = [sentence.start() for sentence in sentences]
    found = []
    for concept in concepts:
        for match in concept.pattern.finditer(normal):
            start, end = match.span()
            if start == end:
                continue
            sentence = sentences[bisect_right(starts, start) - 1]
            span = Span(text[start:end], start, end)
            reason = _ruled_out_by(lex, concept, normal, sentence, start, end)
            found.append(Candidate(concept.category, concept.name, span, reason))
    return found


def _ruled_out_by(
    lex: Lexicon, concept: Concept, normal: str, sentence, start: int, end: int
) -> str:
    if concept.exclude and any(
        m.start() < end and start < m.end()
        for m in concept.exclude.finditer(normal, sentence.start(), sentence.end())
    ):
        return "figure of speech"
    if concept.requires and not concept.requires.search(sentence.group(0)):
        return "not enough on its own"
    category = concept.category
    before = _blank(lex.pseudo, normal[sentence.start() : start])
    after = _blank(lex.pseudo, normal[end : sentence.end()])
    # A clause ends at "but", "then", ";"...: context does not reach past it.
    before = before[max(_last_end(lex.terminators, before), _last_end(lex.contrasts, before)) :]
    after_contrast = after[: _first_start(lex.terminators, after)]
    after = after_contrast[: _first_start(lex.contrasts, after_contrast)]
    for modifier in lex.modifiers:
        if category not in modifier.categories:
            continue
        if modifier.direction == "before":
            near = _last_words(before, modifier.window)
        elif modifier.direction == "after":
            near = _first_words(
                after_contrast if modifier.crosses_contrast else after, modifier.window
            )
        elif _is_general_question(modifier, sentence.group(0)):
            return modifier.name
        else:
            continue
        if near and modifier.triggers.search(near):
            return modifier.name
    return ""


def _is_general_question(modifier: Modifier, sentence: str) -> bool:
    """A question about symptoms in general ("can statins cause cramps?"), not one's own."""
    sentence = sentence.strip()
    return (
        sentence.endswith("?")
        and modifier.triggers.match(sentence) is not None
        and not (modifier.unless and modifier.unless.search(sentence))
    )


def _blank(pattern: re.Pattern, text: str) -> str:
    """Text with look-alike triggers ("not sure", "if I'm honest") blanked out."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _last_end(pattern: re.Pattern, text: str) -> int:
    ends = [m.end() for m in pattern.finditer(text)]
    return ends[-1] if ends else 0


def _first_start(pattern: re.Pattern, text: str) -> int:
    found = pattern.search(text)
    return found.start() if found else len(text)


def _last_words(text: str, count: int) -> str:
    words = list(re.finditer(WORD, text))
    return text[words[-count].start() :] if len(words) > count else text


def _first_words(text: str, count: int) -> str:
    words = list(re.finditer(WORD, text))
    return text[: words[count - 1].end()] if len(words) > count else text


@lru_cache(maxsize=32)
def _extra_concepts(extra_phrases: tuple[ExtraPhrase, ...]) -> tuple[Concept, ...]:
    """Moderators' phrases as concepts; a broken regex never matches."""
    concepts = []
    for extra in extra_phrases:
        if extra.category not in CATEGORIES or not extra.text.strip():
            continue
        if extra.is_regex:
            source = extra.text
        else:
            words = re.escape(normalize(extra.text).strip()).replace("'", "'?")
            source = rf"(?<![\w']){words}(?!\w)"
        try:
            pattern = re.compile(source, re.IGNORECASE)
        except re.error:
            continue
        concepts.append(Concept(extra.category, EXTRA_CONCEPT, pattern))
    return tuple(concepts)
