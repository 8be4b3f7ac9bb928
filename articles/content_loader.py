"""Read the site's shipped articles (articles/content/*.md) into the database.

Idempotent: each shipped article and synonym is loaded once, recorded in
ShippedContent, so a second run changes nothing and what editors later
change, rename or delete stays as they left it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import stored_frames
from articles.models import Article, Person, Reference, ShippedContent, Synonym, Tag, Topic

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@dataclass
class Source:
    slug: str
    meta: dict = field(default_factory=dict)
    body: str = ""


def parse(path: Path) -> Source:
    """A file's front matter (key: value lines, '- ' list items) and body."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta, key = {}, None
    for line in front.splitlines():
        if line.startswith("- ") and key:
            meta.setdefault(key, []).append(line[2:].strip())
        elif ":" in line:
            key, value = (part.strip() for part in line.split(":", 1))
            if value:
                meta[key] = value
    return Source(slug=path.stem, meta=meta, body=body.strip() + "\n")


def person(credit: str) -> Person:
    name, _, credentials = (part.strip() for part in credit.partition("|"))
    return Person.objects.get_or_create(
        name=name, defaults={"credentials": credentials, "slug": slugify(name)}
    )[0]


def people(path: Path) -> dict[str, str]:
    """Bios by credit line ("Name | credentials"), from blocks split by blank lines."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    blocks = "\n".join(lines).strip().split("\n\n")
    return dict(block.strip().split("\n", 1) for block in blocks if block.strip())


@transaction.atomic
def load_people(path: Path) -> int:
    """Give each shipped person their bio once; an editor's bio is never replaced."""
    filled = 0
    for credit, bio in people(path).items():
        if first_time(f"person:{credit.partition('|')[0].strip()}"):
            credited = person(credit)
            if not credited.bio:
                credited.bio = " ".join(bio.split())
                credited.save(update_fields=["bio"])
                filled += 1
    return filled


def named(model, name: str):
    return model.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]


def published_at(value: str) -> datetime:
    return timezone.make_aware(datetime.combine(date.fromisoformat(value), time(9, 0)))


def content_changed(meta: dict) -> datetime:
    """A shipped article's text dates from its `updated:` line, else its last review."""
    dates = [meta["published"], meta["last_reviewed"], meta.get("updated", "")]
    return published_at(max(dates))


def first_time(key: str) -> bool:
    """Record key as loaded; False when it already was."""
    return ShippedContent.objects.get_or_create(key=key)[1]


@transaction.atomic
def load_article(source: Source) -> bool:
    # An article that exists without a record (made by hand) is left alone too.
    if (
        not first_time(f"article:{source.slug}")
        or Article.objects.filter(slug=source.slug).exists()
    ):
        return False
    meta = source.meta
    article = Article.objects.create(
        slug=source.slug,
        title=meta["title"],
        summary=meta["summary"],
        body=source.body,
        topic=named(Topic, meta["topic"]),
        author=person(meta["author"]),
        reviewer=person(meta["reviewer"]) if meta.get("reviewer") else None,
        status=Article.Status.PUBLISHED,
        publish_at=published_at(meta["published"]),
        content_changed_at=content_changed(meta),
        last_reviewed=date.fromisoformat(meta["last_reviewed"]),
        next_review_due=date.fromisoformat(meta["next_review_due"]),
        featured=meta.get("featured") == "true",
    )
    article.tags.set(named(Tag, tag.strip()) for tag in meta.get("tags", "").split(","))
    Reference.objects.bulk_create(
        Reference(article=article, title=title.strip(), url=url.strip(), position=index)
        for index, (title, _, url) in enumerate(
            item.rpartition("|") for item in meta.get("references", [])
        )
    )
    return True


@transaction.atomic
def load_synonyms(path: Path) -> int:
    created = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            term, expansion = (part.strip() for part in line.split("=", 1))
            if first_time(f"synonym:{term}"):
                created += Synonym.objects.get_or_create(
                    term=term, defaults={"expansion": expansion}
                )[1]
    return created


def load_all(content_dir: Path = CONTENT_DIR) -> tuple[int, int]:
    """Load every article and synonym not already there; return what was added."""
    load_people(content_dir / "people.txt")
    articles = sum(load_article(parse(path)) for path in sorted(content_dir.glob("*.md")))
    synonyms = load_synonyms(content_dir / "synonyms.txt")
    stored_frames.articles_changed()
    return articles, synonyms
