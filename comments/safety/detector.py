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
from itertools import islice
from pathlib import Path

from comments.safety import second_opinion
from comments.safety.second_opinion import SecondOpinion
from comments.safety.text import Reading, normalize

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

# Between two words of a pattern: spaces and punctuation, never a sentence end.
SEP = r"(?:[^\w.!?\n]+)"
WORD = r"[\w']+"
# A word that "*" may skip: never a negation, so "calf isn't swollen" is no match.
GAP_WORD = r"(?!(?:no|not|never|isn't|isnt|aren't|arent|doesn't|doesnt|don't|dont|wasn't|wasnt"
GAP_WORD += r"|without|nor|neither|nothing)\b)[\w']+"
# A concept's first matches are plenty to judge and highlight a comment by; a
# hostile one that repeats a phrase a thousand times costs no more.
MATCHES_PER_CONCEPT = 25
# How far either side of a match its context is read: more than any modifier's
# window of words or any exclusion's length.
CONTEXT_CHARS = 240
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
class Lexicon:
    concepts: tuple[Concept, ...]
    modifiers: tuple[Modifier, ...]
    terminators: re.Pattern
    contrasts: re.Pattern
    pseudo: re.Pattern
    second_opinion: dict[str, SecondOpinion] = field(default_factory=dict)
    # (word, its field: "death", "burden"...) for the sentence model (second_opinion.py).
    fields: tuple[tuple[str, str], ...] = ()


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
        token = token.removeprefix("?").replace("'", "'?")
        # A space with a quantifier in a regex part (" *" in "(?= *[.!,])") is one optional
        # separator, never a repeated one: (?:[^\w.!?\n]+)* backtracks exponentially on a
        # run of spaces or commas a visitor can type.
        token = token.replace(" *", SEP + "?").replace(" +", SEP).replace(" ", SEP)
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
    # Not inside a word, nor after a word's apostrophe ("can't" is not "t ..."); after an
    # opening quote it is a word start: she said 'kill myself'.
    return re.compile(rf"(?<!\w)(?<!\w')(?:{alternatives})(?![\w])")


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
        terminators=re.compile(
            "|".join([any_of(context["terminators"], words).pattern, *context["marks"]])
        ),
        contrasts=any_of(context["contrasts"], words),
        pseudo=any_of(context["pseudo"], {}),
        second_opinion={
            s["category"]: SecondOpinion.read(s) for s in data.get("second_opinion", [])
        },
        fields=tuple(
            (word, name) for name, words in data.get("fields", {}).items() for word in words
        ),
    )


def detect(text: str, extra_phrases: Iterable[ExtraPhrase] = ()) -> list[Finding]:
    """What a moderator should check in text, most urgent first; [] if nothing.

    Remembered for the last few texts: each medical rule asks about the same comment.
    """
    return list(_remembered(text, tuple(extra_phrases)))


def findings(text: str, extra_phrases: tuple[ExtraPhrase, ...] = ()) -> tuple[Finding, ...]:
    """detect() without the memory, for timing and for callers that want fresh work."""
    reading = Reading.of(text)
    found = candidates(text, extra_phrases, reading)
    kept = [c for c in found if not c.ruled_out_by]
    kept += _second_opinions(text, reading, found)
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
    lex = lexicon()
    second_opinion.prepare(lex.second_opinion, lex.fields)


def _second_opinions(text: str, reading: Reading, found: list[Candidate]) -> list[Candidate]:
    """The models' word for categories the lexicon did not find (second_opinion.py)."""
    lex = lexicon()
    opinions = second_opinion.ask(
        reading.sentences,
        lex.second_opinion,
        lex.fields,
        skip={c.category for c in found if not c.ruled_out_by},
        ruled_out=[(c.category, c.span.start) for c in found if c.ruled_out_by],
    )
    candidates = []
    for opinion in opinions:
        words = text[opinion.start : opinion.end].strip()
        at = (
            opinion.start + text[opinion.start : opinion.end].index(words)
            if words
            else opinion.start
        )
        candidates.append(
            Candidate(opinion.category, opinion.concept, Span(words, at, at + len(words)))
        )
    return candidates


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


def candidates(
    text: str, extra_phrases: Iterable[ExtraPhrase] = (), reading: Reading | None = None
) -> list[Candidate]:
    """Every concept's words in text, each with the context that rules it out, if any.

    reading: the text already normalised and cut into sentences, if it has been.
    """
    lex = lexicon()
    reading = reading or Reading.of(text)
    normal = reading.normal
    concepts = [*lex.concepts, *_extra_concepts(tuple(extra_phrases))]
    sentences = [Sentence(start, end, words) for start, end, words in reading.sentences]
    starts = [sentence.start for sentence in sentences]
    found = []
    for concept in concepts:
        for match in islice(concept.pattern.finditer(normal), MATCHES_PER_CONCEPT):
            start, end = match.span()
            if start == end:
                continue
            sentence = sentences[bisect_right(starts, start) - 1]
            span = Span(text[start:end], start, end)
            reason = _ruled_out_by(lex, concept, normal, sentence, start, end)
            found.append(Candidate(concept.category, concept.name, span, reason))
    return found


@dataclass
class Sentence:
    """A sentence of the normalised text, and what is worked out once for all its matches."""

    start: int
    end: int
    words: str
    # id of a concept -> whether the sentence says what the concept requires.
    says: dict[int, bool] = field(default_factory=dict)
    # id of a modifier -> whether the sentence is a general question it turns off.
    general: dict[int, bool] = field(default_factory=dict)


def _ruled_out_by(
    lex: Lexicon, concept: Concept, normal: str, sentence: Sentence, start: int, end: int
) -> str:
    """The context that turns a match off, read no further than CONTEXT_CHARS either side.

    Every window a modifier reads is a few words, so a hostile comment of one
    3,000-character sentence full of matches costs each match a bounded look,
    not the whole sentence again.
    """
    near_start = max(sentence.start, start - CONTEXT_CHARS)
    near_end = min(sentence.end, end + CONTEXT_CHARS)
    if concept.exclude and any(
        m.start() < end and start < m.end()
        for m in concept.exclude.finditer(normal, near_start, near_end)
    ):
        return "figure of speech"
    if concept.requires:
        if id(concept) not in sentence.says:
            sentence.says[id(concept)] = bool(concept.requires.search(sentence.words))
        if not sentence.says[id(concept)]:
            return "not enough on its own"
    category = concept.category
    before = _blank(lex.pseudo, normal[near_start:start])
    after = _blank(lex.pseudo, normal[end:near_end])
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
        elif _is_general_question(modifier, sentence):
            return modifier.name
        else:
            continue
        if near and modifier.triggers.search(near):
            return modifier.name
    return ""


def _is_general_question(modifier: Modifier, sentence: Sentence) -> bool:
    """A question about symptoms in general ("can statins cause cramps?"), not one's own."""
    if id(modifier) not in sentence.general:
        words = sentence.words.strip()
        sentence.general[id(modifier)] = (
            words.endswith("?")
            and modifier.triggers.match(words) is not None
            and not (modifier.unless and modifier.unless.search(words))
        )
    return sentence.general[id(modifier)]


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
            source = rf"(?<!\w)(?<!\w'){words}(?!\w)"
        try:
            pattern = re.compile(source, re.IGNORECASE)
        except re.error:
            continue
        concepts.append(Concept(extra.category, EXTRA_CONCEPT, pattern))
    return tuple(concepts)
