"""The starting phrase lists; moderators edit them in the admin (Comments > Phrases)."""

from django.db import migrations

DEFAULT_PHRASES = [
    ("block", "viagra", False, ""),
    ("block", "cialis", False, ""),
    ("block", "casino", False, ""),
    ("block", "crypto giveaway", False, ""),
    ("block", "payday loan", False, ""),
    ("block", "buy followers", False, ""),
    ("dosing", "stop taking", False, "Stopping a medicine should be discussed with a clinician."),
    ("dosing", "double the dose", False, ""),
    ("dosing", "double your dose", False, ""),
    ("dosing", "increase the dose", False, ""),
    ("dosing", r"\b\d+(\.\d+)?\s?(mg|mcg|µg|g|ml)\b", True, "An amount such as 400mg or 5 ml."),
    ("miracle_cure", "miracle cure", False, ""),
    ("miracle_cure", "cures everything", False, ""),
    ("miracle_cure", "100% cure", False, ""),
    ("miracle_cure", "doctors hate", False, ""),
    ("red_flag", "chest pain", False, "Possible heart attack or pulmonary embolism."),
    ("red_flag", "chest pains", False, ""),
    ("red_flag", "can't breathe", False, ""),
    ("red_flag", "cannot breathe", False, ""),
    ("red_flag", "short of breath", False, ""),
    ("red_flag", "swollen calf", False, "Possible deep vein thrombosis."),
    ("red_flag", "swollen calves", False, ""),
    ("red_flag", "coughing up blood", False, ""),
    ("red_flag", "leg is cold", False, "Possible blocked artery."),
    ("red_flag", "numb and cold", False, ""),
    ("self_harm", "kill myself", False, ""),
    ("self_harm", "end my life", False, ""),
    ("self_harm", "suicide", False, ""),
    ("self_harm", "suicidal", False, ""),
    ("self_harm", "self harm", False, ""),
    ("self_harm", "self-harm", False, ""),
    ("self_harm", "want to die", False, ""),
]


def seed_phrases(apps, schema_editor):
    Phrase = apps.get_model("comments", "Phrase")
    for kind, text, is_regex, note in DEFAULT_PHRASES:
        Phrase.objects.get_or_create(
            kind=kind, text=text, defaults={"is_regex": is_regex, "note": note}
        )


def unseed_phrases(apps, schema_editor):
    Phrase = apps.get_model("comments", "Phrase")
    for kind, text, _, _ in DEFAULT_PHRASES:
        Phrase.objects.filter(kind=kind, text=text).delete()


class Migration(migrations.Migration):
    dependencies = [("comments", "0001_initial")]

    operations = [migrations.RunPython(seed_phrases, unseed_phrases)]
