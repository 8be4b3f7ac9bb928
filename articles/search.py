"""Site search: one interface, two engines.

SQLite uses an FTS5 table (created by migration 0002, kept in sync by
articles.signals); PostgreSQL uses django.contrib.postgres.search over the
same weighted fields, with a GIN index on the same expression.
Both go through Article.objects.published(), so nothing unpublished is found.

suggestion() offers "Did you mean ...?" from the site's own words (migration
0007): FTS5's vocabulary on SQLite, pg_trgm's nearest words on PostgreSQL,
both ranked by the same edit distance, and offered only when the corrected
query finds published articles.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz.distance import OSA

from articles.models import Article, Synonym

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
FTS_TABLE = "articles_article_fts"
WORDS_TABLE = "articles_article_words"  # the same text, unstemmed and contentless
VOCAB_TABLE = "articles_article_words_vocab"
PG_WORDS_VIEW = "articles_search_words"
# Private-use characters mark matches, so the snippet can be escaped first
# and the <mark> tags added after.
START, STOP = "\ue000", "\ue001"
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    article: Article
    snippet: SafeString
    rank: float


def clean_query(raw: str) -> str:
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


# Words too common to search for. PostgreSQL's english configuration drops
# these (and more) itself; FTS5 needs telling, so both engines agree.
STOP_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from",
     "how", "i", "in", "is", "it", "my", "of", "on", "or", "so", "the", "to", "what",
     "when", "why", "with", "you", "your"}
)  # fmt: skip
MIN_PREFIX = 4  # shorter words match whole, or "at" would highlight "attack"


def terms(query: str) -> list[str]:
    words = [word.lower() for word in WORD.findall(query)]
    return [word for word in words if word not in STOP_WORDS][:MAX_TERMS]


def expansions(query: str) -> list[str]:
    """Synonym expansions whose term appears in the query, as whole words."""
    padded = f" {' '.join(terms(query))} "
    return [
        synonym.expansion
        for synonym in Synonym.objects.all()
        if f" {' '.join(terms(synonym.term))} " in padded
    ]


def highlight(text: str) -> SafeString:
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))


def search(raw_query: str, limit: int = 20) -> list[SearchHit]:
    query = clean_query(raw_query)
    if not terms(query):
        return []
    alternatives = expansions(query)
    engine = _postgres if connection.vendor == "postgresql" else _sqlite
    return engine(query, alternatives, limit)


# --- SQLite FTS5 ---------------------------------------------------------

FTS_COLUMNS = ("title", "summary", "keywords", "body")
FTS_WEIGHTS = "10.0, 5.0, 4.0, 1.0"


def _fts_term(word: str) -> str:
    # Quoted, so FTS syntax in the input is inert; longer words prefix-match.
    return f'"{word}"*' if len(word) >= MIN_PREFIX else f'"{word}"'


def _fts_all(words: list[str]) -> str:
    return " AND ".join(_fts_term(word) for word in words)


def fts_expression(query: str, alternatives: list[str], match_all: bool = True) -> str:
    groups = [terms(query)] + [terms(alt) for alt in alternatives]
    groups = [group for group in groups if group]
    if match_all:
        return " OR ".join(f"({_fts_all(group)})" for group in groups)
    return " OR ".join(_fts_term(word) for group in groups for word in group)


def _sqlite(query: str, alternatives: list[str], limit: int) -> list[SearchHit]:
    rows = _fts_rows(fts_expression(query, alternatives), limit)
    if not rows:  # nothing has every word: fall back to any word
        rows = _fts_rows(fts_expression(query, alternatives, match_all=False), limit)
    articles = Article.objects.published().for_listing().in_bulk([r[0] for r in rows])
    return [
        SearchHit(articles[pk], highlight(snippet), -score)
        for pk, score, snippet in rows
        if pk in articles
    ]


def _fts_rows(expression: str, limit: int) -> list[tuple[int, float, str]]:
    sql = (
        f"SELECT rowid, bm25({FTS_TABLE}, {FTS_WEIGHTS}) AS score, "
        f"snippet({FTS_TABLE}, 3, %s, %s, '…', 30) FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s ORDER BY score LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [START, STOP, expression, limit * 2])
        return cursor.fetchall()


def keywords_for(article: Article) -> str:
    names = [article.topic.name] if article.topic_id else []
    return " ".join(names + [tag.name for tag in article.tags.all()])[:500]


def refresh_search(article: Article) -> None:
    """Store the article's topic and tag names for search, then index it."""
    keywords = keywords_for(article)
    if keywords != article.search_keywords:
        article.search_keywords = keywords
        Article.objects.filter(pk=article.pk).update(search_keywords=keywords)
    index_article(article)


def index_article(article: Article) -> None:
    """Write one article's row in the FTS5 tables (SQLite); refresh the words (PostgreSQL)."""
    if connection.vendor != "sqlite":
        _refresh_pg_words()
        return
    row = [article.pk, article.title, article.summary, article.search_keywords, article.body_text]
    with connection.cursor() as cursor:
        _delete_fts_row(cursor, article.pk)
        for table in (FTS_TABLE, WORDS_TABLE):
            cursor.execute(
                f"INSERT INTO {table} (rowid, title, summary, keywords, body) "
                "VALUES (%s, %s, %s, %s, %s)",
                row,
            )


def unindex_article(pk: int) -> None:
    if connection.vendor != "sqlite":
        _refresh_pg_words()
        return
    with connection.cursor() as cursor:
        _delete_fts_row(cursor, pk)


def _delete_fts_row(cursor, pk: int) -> None:
    """The words table keeps no text: deleting from it takes the text it indexed."""
    cursor.execute(f"SELECT title, summary, keywords, body FROM {FTS_TABLE} WHERE rowid = %s", [pk])
    old = cursor.fetchone()
    if old:
        cursor.execute(
            f"INSERT INTO {WORDS_TABLE} ({WORDS_TABLE}, rowid, title, summary, keywords, body) "
            "VALUES ('delete', %s, %s, %s, %s, %s)",
            [pk, *old],
        )
    cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [pk])


def _refresh_pg_words() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"REFRESH MATERIALIZED VIEW {PG_WORDS_VIEW}")


# --- PostgreSQL ----------------------------------------------------------

PG_CONFIG = "english"


def pg_vector() -> SearchVector:
    """The weighted document; migration 0002's GIN index uses this expression."""
    return (
        SearchVector("title", weight="A", config=PG_CONFIG)
        + SearchVector("summary", weight="B", config=PG_CONFIG)
        + SearchVector("search_keywords", weight="B", config=PG_CONFIG)
        + SearchVector("body_text", weight="C", config=PG_CONFIG)
    )


def _postgres(query: str, alternatives: list[str], limit: int) -> list[SearchHit]:
    search_query = SearchQuery(query, search_type="websearch", config=PG_CONFIG)
    for alternative in alternatives:
        search_query |= SearchQuery(alternative, search_type="websearch", config=PG_CONFIG)
    vector = pg_vector()
    hits = (
        Article.objects.published()
        .for_listing()
        .annotate(
            document=vector,
            rank=SearchRank(vector, search_query),
            snippet=SearchHeadline(
                "body_text",
                search_query,
                config=PG_CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=20,
            ),
        )
        .filter(document=search_query)
        .order_by("-rank", "-publish_at")[:limit]
    )
    return [SearchHit(hit, highlight(hit.snippet), hit.rank) for hit in hits]


# --- Did you mean ... ? --------------------------------------------------

MIN_SUGGEST_LENGTH = 4  # shorter words have too many neighbours to guess from
CANDIDATES = 30
PG_MIN_SIMILARITY = 0.15  # trigram overlap is low for transposed letters ("crmaps")


def max_edits(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def closest_word(word: str, candidates: list[tuple[str, int]]) -> str | None:
    """The nearest known word by edit distance (a swap counts once), then the commonest."""
    ranked = sorted(
        (OSA.distance(word, term), -docs, term)
        for term, docs in candidates
        if term.isalpha() and term != word
    )
    if ranked and ranked[0][0] <= max_edits(word):
        return ranked[0][2]
    return None


def suggestion(raw_query: str) -> str | None:
    """The query with unknown words replaced by the site's nearest words, if that finds articles."""
    query = clean_query(raw_query)
    corrections = {}
    for word in dict.fromkeys(terms(query)):
        if len(word) < MIN_SUGGEST_LENGTH or not word.isalpha():
            continue
        candidates = _pg_candidates(word) if connection.vendor == "postgresql" else _vocab(word)
        if word in (term for term, _ in candidates):
            continue
        if nearest := closest_word(word, candidates):
            corrections[word] = nearest
    if not corrections:
        return None
    suggested = WORD.sub(lambda m: corrections.get(m.group(0).lower(), m.group(0)), query)
    # The words tables hold drafts' words too: offer only what finds published articles.
    return suggested if search(suggested, limit=1) else None


def _vocab(word: str) -> list[tuple[str, int]]:
    """FTS5's terms of about this length, with how many articles use each."""
    spread = max_edits(word)
    sql = f"SELECT term, doc FROM {VOCAB_TABLE} WHERE length(term) BETWEEN %s AND %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [len(word) - spread, len(word) + spread])
        return cursor.fetchall()


def _pg_candidates(word: str) -> list[tuple[str, int]]:
    """pg_trgm's nearest words, through the GiST index."""
    sql = (
        f"SELECT word, ndoc FROM {PG_WORDS_VIEW} WHERE similarity(word, %s) > %s "
        "ORDER BY word <-> %s LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [word, PG_MIN_SIMILARITY, word, CANDIDATES])
        return cursor.fetchall()
