"""make safety-report: the corpus's test split by default, a new batch's first run on request."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from comments.safety.evaluation import TRAIN, corpus
from comments.safety.examples import HELD_OUT

pytestmark = pytest.mark.django_db


def report(*args) -> str:
    out = StringIO()
    call_command("safety_report", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def new_batch(tmp_path):
    """A batch not yet in the corpus: one self-harm comment, one benign."""
    path = tmp_path / "batch.jsonl"
    rows = [
        {"category": "self_harm", "concept": "suicidal thoughts", "text": "i want to kill myself"},
        {"category": "benign", "concept": "stretching", "text": "stretching before bed helps me"},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_the_default_report_is_the_test_split_with_every_category():
    text = report()

    assert "on the test split" in text
    for category in ("self_harm", "red_flag", "dosing", "miracle_cure"):
        assert category in text
    assert "False alarms on benign comments:" in text


def test_a_new_batch_file_is_measured_on_its_own_all_of_it(new_batch):
    text = " ".join(report("--file", str(new_batch)).split())

    assert "batch.jsonl" in text
    assert "self_harm 100.0% (1/1)" in text
    assert "red_flag n/a (0/0)" in text
    assert "False alarms on benign comments: 0.0% (0/1)" in text


def test_one_batch_of_the_corpus_can_be_reported_alone():
    text = report("--split", "all", "--batch", "10")

    assert "batch 10" in text
    assert "(20 comments)" not in text  # the cost line counts the batch's 50 comments
    assert "(50 comments)" in text


def test_nothing_to_report_on_is_said_not_crashed_on():
    text = report("--split", "all", "--batch", "999")

    assert "No comments to report on." in text


def test_leaving_a_batch_out_judges_all_of_it_by_models_that_never_saw_it():
    text = " ".join(report("--leave-out", "10").split())

    assert "batches 10, each left out" in text
    assert "(50 comments)" in text  # all of batch 10, both halves of the split


def test_leaving_a_batch_out_can_judge_only_its_train_split_members():
    """Tuning reads the misses of the train members; the test members stay unread."""
    train_members = sum(e.batch == 10 for e in corpus(TRAIN))
    text = " ".join(report("--leave-out", "10", "--split", "train").split())

    assert "batches 10, each left out, train split only" in text
    assert f"({train_members} comments)" in text
    assert train_members < 50


def test_figures_only_measures_a_batch_without_showing_its_comments(new_batch):
    text = report("--file", str(new_batch), "--figures-only")

    assert "False alarms on benign comments: 0.0% (0/1)" in " ".join(text.split())
    assert "Cost per comment" in text
    assert "Misses" not in text and "False alarms (" not in text
    assert "Misses (0)" in report("--file", str(new_batch))


def test_the_held_out_batch_is_kept_out_of_the_corpus():
    """Its comments train no model and tune no rule: it measures the next round."""
    held_out = corpus(path=HELD_OUT)
    texts = {e.text for e in corpus()}

    assert len(held_out) >= 400
    assert not any(e.text in texts for e in held_out)
