"""The naive-Bayes second opinion: words the lexicon has no phrase for, in context."""

from comments.safety import SELF_HARM, detect
from comments.safety.detector import _model, normalize
from comments.safety.model import train

UNTAUGHT = (
    "Long day at work. nobody would even look up if i stopped turning up, "
    "i think about making that permanent. Anyway the stretches help."
)
ADVICE = (
    "if you ever feel like you want to die and think nobody would notice if you were gone, "
    "please talk to someone"
)


def test_a_self_harm_sentence_with_no_lexicon_phrase_is_found_and_only_it_is_highlighted():
    (finding,) = detect(UNTAUGHT)

    assert finding.category == SELF_HARM
    assert finding.concept == "reads like other self-harm comments"
    (span,) = finding.spans
    assert span.text.startswith("nobody would even look up")
    assert UNTAUGHT[span.start : span.end] == span.text
    assert "stretches" not in span.text


def test_advice_to_others_stays_quiet_even_when_its_words_read_like_self_harm():
    assert _model(SELF_HARM).score(normalize(ADVICE)) > 14

    assert detect(ADVICE) == []


def test_ordinary_cramp_talk_scores_far_below_the_threshold():
    assert _model(SELF_HARM).score(normalize("I stretch my calves before bed and drink water")) < 0


def test_a_model_learns_which_words_lean_to_a_category():
    model = train([("i feel hopeless", True), ("i feel fine", False), ("legs fine", False)])

    assert model.score("hopeless") > model.score("fine")


def test_a_model_with_no_examples_of_a_category_never_speaks():
    model = train([("i feel fine", False)])

    assert model.score("anything at all") == float("-inf")
