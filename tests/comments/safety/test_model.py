"""The second opinion: words the lexicon has no phrase for, in context."""

from comments.safety import SELF_HARM, detect
from comments.safety.detector import _model, lexicon, normalize
from comments.safety.model import (
    stem,
    train_bayes,
    train_logistic,
    train_on_sentences,
    with_fields,
)

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


def test_advice_to_others_stays_quiet_even_when_its_words_read_like_self_harm():
    threshold = lexicon().second_opinion[SELF_HARM].threshold
    assert _model(SELF_HARM).score(normalize(ADVICE)) > threshold

    assert detect(ADVICE) == []


def test_ordinary_cramp_talk_scores_far_below_the_threshold():
    assert _model(SELF_HARM).score(normalize("I stretch my calves before bed and drink water")) < 0


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


def test_the_sentence_model_speaks_only_when_the_whole_comments_model_agrees(monkeypatch):
    from dataclasses import replace

    from comments.safety import detector

    configured = detector.lexicon()
    opinion = configured.second_opinion[SELF_HARM]
    assert opinion.kind == "sentences"
    assert opinion.whole_comment_threshold is not None
    assert [f.category for f in detector.findings(UNTAUGHT)] == [SELF_HARM]

    never_agrees = replace(opinion, whole_comment_threshold=float("inf"))
    opinions = {**configured.second_opinion, SELF_HARM: never_agrees}
    monkeypatch.setattr(detector, "lexicon", lambda: replace(configured, second_opinion=opinions))

    assert detector.findings(UNTAUGHT) == ()


def test_prepare_trains_every_model_before_the_first_comment_needs_one():
    from comments.safety import detector, prepare

    detector._model.cache_clear()
    detector._whole_comment_model.cache_clear()

    prepare()

    categories = len(detector.lexicon().second_opinion)
    assert detector._model.cache_info().currsize == categories
    assert detector._whole_comment_model.cache_info().currsize == categories
