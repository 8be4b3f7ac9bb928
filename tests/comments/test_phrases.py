"""Phrase lists: data the moderators edit, matched the same way everywhere."""

import pytest
from django.core.exceptions import ValidationError

from comments.models import Phrase
from comments.moderation.phrases import PhraseBook

pytestmark = pytest.mark.django_db


def book(*phrases):
    return PhraseBook.load(
        [Phrase(kind=kind, text=text, is_regex=rx) for kind, text, rx in phrases]
    )


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("chest pain", "CHEST PAIN since Tuesday"),
        ("can't breathe", "I can’t breathe lying down"),
        ("can’t breathe", "I can't breathe lying down"),
        ("100% cure", "this is a 100% cure."),
        ("self harm", "thoughts of self harm"),
    ],
)
def test_plain_phrases_match_whole_words_in_any_case_and_apostrophe(phrase, text):
    assert book(("red_flag", phrase, False)).first_match("red_flag", text)


@pytest.mark.parametrize(
    ("phrase", "text"),
    [("chest pain", "chest painting class"), ("casino", "occasional"), ("suicide", "suicides2")],
)
def test_plain_phrases_do_not_match_inside_other_words(phrase, text):
    assert book(("block", phrase, False)).first_match("block", text) is None


def test_regex_phrases_match_as_written_ignoring_case():
    phrases = book(("dosing", r"\b\d+(\.\d+)?\s?(mg|mcg|µg|g|ml)\b", True))
    assert phrases.first_match("dosing", "about 250 MG a day") == "250 MG"
    assert phrases.first_match("dosing", "20 µg") == "20 µg"
    assert phrases.first_match("dosing", "in 2019 I began") is None


def test_a_broken_regex_never_matches_and_cannot_be_saved():
    phrase = Phrase(kind="hold", text="(unclosed", is_regex=True)
    assert book(("hold", "(unclosed", True)).first_match("hold", "(unclosed") is None
    with pytest.raises(ValidationError):
        phrase.full_clean()


def test_an_ip_range_must_be_a_network():
    with pytest.raises(ValidationError):
        Phrase(kind=Phrase.Kind.BLOCK_IP_RANGE, text="not a range").full_clean()
    Phrase(kind=Phrase.Kind.BLOCK_IP_RANGE, text="203.0.113.0/24").full_clean()


def test_phrases_of_one_kind_do_not_leak_into_another():
    phrases = book(("hold", "magnesium", False))
    assert phrases.first_match("block", "magnesium") is None


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("dosing", "stop taking"),
        ("dosing", "double the dose"),
        ("dosing", "double your dose"),
        ("miracle_cure", "miracle cure"),
        ("miracle_cure", "doctors hate"),
        ("red_flag", "chest pain"),
        ("red_flag", "can't breathe"),
        ("red_flag", "swollen calf"),
        ("red_flag", "coughing up blood"),
        ("red_flag", "leg is cold"),
        ("red_flag", "numb and cold"),
        ("self_harm", "kill myself"),
        ("self_harm", "end my life"),
        ("self_harm", "suicide"),
        ("self_harm", "want to die"),
        ("block", "viagra"),
        ("block", "crypto giveaway"),
    ],
)
def test_the_data_migration_seeds_the_default_lists(kind, text):
    assert Phrase.objects.filter(kind=kind, text=text).exists()


def test_seeded_dose_pattern_is_a_regex():
    assert Phrase.objects.filter(kind="dosing", is_regex=True).count() == 1


def test_phrases_are_editable_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/comments/phrase/add/", {"kind": "hold", "text": "colloidal silver", "note": ""}
    )
    assert response.status_code == 302
    assert Phrase.objects.filter(kind="hold", text="colloidal silver").exists()
