"""The second opinion: words the lexicon has no phrase for, in context."""

import re
from dataclasses import replace

import pytest

from comments.safety import SELF_HARM, detect, detector, prepare, second_opinion
from comments.safety.detector import lexicon
from comments.safety.examples import TRAIN, corpus
from comments.safety.model import (
    Model,
    stem,
    train_bayes,
    train_logistic,
    train_on_sentences,
    with_fields,
)
from comments.safety.text import normalize
from comments.safety.text import sentences as sentences_of

UNTAUGHT = (
    "Long day at work. nobody would even look up if i stopped turning up, "
    "i think about making that permanent. Anyway the stretches help."
)
ADVICE = (
    "if you ever feel like you want to die and think nobody would notice if you were gone, "
    "please talk to someone"
)
FIELDS = {"hopeless": "weary", "worthless": "weary", "fine": "ok", "grand": "ok"}


def sentences(text):
    return [part.strip() for part in text.split(".") if part.strip()]


def test_a_self_harm_sentence_with_no_lexicon_phrase_is_found_and_only_it_is_highlighted():
    (finding,) = detect(UNTAUGHT)

    assert finding.category == SELF_HARM
    assert finding.concept == "reads like other self-harm comments"
    (span,) = finding.spans
    assert span.text.startswith("nobody would even look up")
    assert UNTAUGHT[span.start : span.end] == span.text
    assert "stretches" not in span.text


def self_harm_model():
    opinion = lexicon().second_opinion[SELF_HARM]
    return second_opinion._model(SELF_HARM, opinion.kind, lexicon().fields, frozenset())


def test_advice_to_others_stays_quiet_even_when_its_words_read_like_self_harm():
    threshold = lexicon().second_opinion[SELF_HARM].threshold
    assert self_harm_model().score(normalize(ADVICE)) > threshold

    assert detect(ADVICE) == []


def test_ordinary_cramp_talk_scores_far_below_the_threshold():
    assert self_harm_model().score(normalize("I stretch my calves before bed and drink water")) < 0


def test_the_agreement_is_asked_of_the_sentence_and_its_neighbours_not_the_whole_post(
    monkeypatch,
):
    """A long chatty post must not drown its one risky line (the issue: "buried in the middle")."""
    words = {"hopeless": 8.0, "stretch": -1.0}
    sentence_model = Model(0.0, words, features=lambda text: set(re.findall("[a-z]+", text)))
    bayes = Model(0.0, words, features=lambda text: re.findall("[a-z]+", text))  # every "stretch"
    monkeypatch.setattr(second_opinion, "_model", lambda *args: sentence_model)
    monkeypatch.setattr(second_opinion, "_bayes", lambda *args: bayes)
    opinions = {SELF_HARM: second_opinion.SecondOpinion("reads like", 1.0, "sentences", 2.0)}
    chatter = "i stretch and stretch. " * 10
    post = f"{chatter}i feel hopeless. {chatter}"

    around = "i stretch and stretch. i feel hopeless. i stretch and stretch."
    assert bayes.score(post) < 2.0 < bayes.score(around)
    parts = sentences_of(post)
    (opinion,) = second_opinion.ask(parts, opinions, (), skip=set(), ruled_out=[])
    assert post[opinion.start : opinion.end].strip() == "i feel hopeless."


def test_each_kind_of_model_learns_which_words_lean_to_a_category():
    examples = [("i feel hopeless", True), ("i feel fine", False), ("legs fine", False)]

    for model in (train_bayes(examples), train_logistic(examples, with_fields(FIELDS))):
        assert model.score("hopeless") > model.score("fine")


def test_a_word_field_carries_what_one_word_taught_to_another():
    features = with_fields(FIELDS)
    model = train_logistic([("i feel hopeless", True), ("i feel grand", False)], features)

    assert model.score("worthless") > model.score("fine")
    assert model.score("fine") < 0


def test_a_model_with_no_examples_of_a_category_never_speaks():
    assert train_bayes([("i feel fine", False)]).score("anything") == float("-inf")
    assert train_logistic([("i feel fine", False)], with_fields({})).score("any") == float("-inf")


def test_sentence_training_learns_from_the_risky_sentence_not_the_chatter_around_it():
    chatter = "does anyone know if iron helps"
    risky = [f"{chatter}. i feel hopeless", f"stretching is good. {chatter}. i feel worthless"]
    benign = [chatter, "i feel fine", "stretching is good", "i feel grand today"] * 2
    examples = [(t, True) for t in risky] + [(t, False) for t in benign]

    by_comment = train_logistic(examples, with_fields(FIELDS))
    by_sentence = train_on_sentences(examples, with_fields(FIELDS), sentences)

    assert by_sentence.score(chatter) < by_comment.score(chatter)
    assert by_sentence.score(chatter) < 0 < by_sentence.score("i feel hopeless")


def test_stems_are_crude_but_meet():
    assert stem("stockpiling") == stem("stockpiled") == stem("stockpils") == "stockpil"
    assert stem("die") == "die"


def test_the_sentence_model_speaks_only_when_the_bayes_model_agrees(monkeypatch):
    configured = detector.lexicon()
    opinion = configured.second_opinion[SELF_HARM]
    assert opinion.kind == second_opinion.REGRESSION_ON_SENTENCES
    assert opinion.agreement_threshold is not None
    assert [f.category for f in detector.findings(UNTAUGHT)] == [SELF_HARM]

    never_agrees = replace(opinion, agreement_threshold=float("inf"))
    opinions = {**configured.second_opinion, SELF_HARM: never_agrees}
    monkeypatch.setattr(detector, "lexicon", lambda: replace(configured, second_opinion=opinions))

    assert detector.findings(UNTAUGHT) == ()


def test_prepare_trains_every_model_before_the_first_comment_needs_one():
    second_opinion._model.cache_clear()
    second_opinion._bayes.cache_clear()

    prepare()

    categories = len(lexicon().second_opinion)
    assert second_opinion._model.cache_info().currsize == categories
    assert second_opinion._bayes.cache_info().currsize == categories


def test_models_trained_without_a_batch_never_saw_it():
    left_out = 19
    with second_opinion.trained_without({left_out}):
        texts = {text for text, _ in second_opinion._train_split(frozenset({left_out}))}
    every = {text for text, _ in second_opinion._train_split(frozenset())}

    assert texts < every
    assert all(e.batch != left_out for e in corpus(TRAIN) if normalize(e.text) in texts)
    assert any(e.batch == left_out for e in corpus(TRAIN))


def test_an_unknown_kind_of_model_is_refused():
    with pytest.raises(ValueError, match="must be one of"):
        second_opinion.SecondOpinion.read({"concept": "x", "threshold": 1, "model": "svm"})
