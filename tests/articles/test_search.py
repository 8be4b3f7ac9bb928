"""Search ranks the right article first, on SQLite (FTS5) and PostgreSQL.

CI runs this file twice: once on SQLite, once with DATABASE_URL on PostgreSQL.
"""

import pytest
from django.db import connection
from django.urls import reverse

from articles import search
from articles.models import Article, Synonym

pytestmark = pytest.mark.django_db


def first_slug(query):
    hits = search.search(query)
    assert hits, f"no results for {query!r}"
    return hits[0].article.slug


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dehydration", "dehydration-and-electrolytes"),
        ("pregnancy", "leg-cramps-in-pregnancy"),
        ("electrolyte", "dehydration-and-electrolytes"),
        ("cramps at night", "leg-cramps-at-night"),
        ("restless legs", "restless-legs-syndrome-vs-leg-cramps"),
        ("DVT", "leg-pain-emergency-dvt"),
    ],
)
def test_right_article_ranks_first(site_content, query, expected):
    assert first_slug(query) == expected


def test_synonyms_join_lay_and_medical_terms(site_content):
    Synonym.objects.create(term="zz lay phrase", expansion="deep vein thrombosis")
    assert first_slug("zz lay phrase") == "leg-pain-emergency-dvt"
    slugs = [hit.article.slug for hit in search.search("charley horse")]
    assert "leg-cramps-at-night" in slugs


def test_snippets_highlight_matches_and_escape_text(site_content, article_factory):
    article_factory(
        slug="escape-test",
        title="Unusual words",
        body="Some <b>bold</b> claims about xylophonic cramps & more.",
    )
    hit = next(h for h in search.search("xylophonic") if h.article.slug == "escape-test")
    assert "<mark>xylophonic</mark>" in hit.snippet.lower()
    assert "<b>" not in hit.snippet


def test_index_follows_edits_and_deletes(an_article):
    assert search.search("thixotropic") == []
    an_article.body += "\n\nA thixotropic remark."
    an_article.save()
    assert [h.article for h in search.search("thixotropic")] == [an_article]
    an_article.delete()
    assert search.search("thixotropic") == []


@pytest.mark.parametrize(
    "query",
    ['"', '""', "*", "cramps*", "NEAR(cramps night)", "-cramps", "cramps -night", "a OR",
     "AND", "(", "'; DROP TABLE articles_article; --", "🦵 cramps", "x" * 5000,
     " ".join(["cramps"] * 400), "\x00", "%", "_"],
)  # fmt: skip
def test_syntax_characters_and_long_queries_never_fail(client, site_content, query):
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200


def test_empty_query_shows_a_prompt_and_suggestions(client, site_content):
    html = client.get(reverse("articles:search"), {"q": "   "}).content.decode()
    assert "Type a word or two" in html
    assert "Browse by topic" in html


def test_no_results_suggests_topics_and_popular_articles(client, site_content):
    html = client.get(reverse("articles:search"), {"q": "qwertyuiop"}).content.decode()
    assert "No articles matched" in html
    assert "Popular articles" in html
    assert Article.objects.get(slug="leg-cramps-at-night").get_absolute_url() in html


def test_results_page_lists_hits_with_snippets(client, site_content):
    html = client.get(reverse("articles:search"), {"q": "cramps at night"}).content.decode()
    assert html.index("/articles/leg-cramps-at-night/") < html.index("search-result__snippet")
    assert "<mark>" in html


def test_backend_matches_the_database():
    """Both engines are real: FTS5 on SQLite, tsvector on PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_article_fts'")
            assert "fts5" in cursor.fetchone()[0].lower()
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'articles_article_search_gin'"
            )
            assert "gin" in cursor.fetchone()[0].lower()
            cursor.execute("SET LOCAL enable_seqscan = off")
            query = search.SearchQuery("cramps", search_type="websearch", config="english")
            plan = Article.objects.annotate(document=search.pg_vector()).filter(document=query)
            assert "articles_article_search_gin" in plan.explain()


def test_topic_and_tag_names_are_searchable_on_both_engines_and_follow_renames(an_article, a_tag):
    an_article.tags.add(a_tag)
    assert [h.article for h in search.search("night cramps")] == [an_article]
    a_tag.name = "zygomorphic"
    a_tag.save()
    assert [h.article for h in search.search("zygomorphic")] == [an_article]
    an_article.topic.name = "Quixotic topic"
    an_article.topic.save()
    assert [h.article for h in search.search("quixotic")] == [an_article]


def test_short_and_common_words_are_not_highlighted_inside_other_words(site_content):
    hits = search.search("cramps at night")
    snippets = " ".join(hit.snippet for hit in hits).lower()
    assert "<mark>at</mark>t" not in snippets  # "attack", "atorvastatin"
    assert "<mark>at" not in snippets.replace("<mark>at night", "")
    assert hits[0].article.slug == "leg-cramps-at-night"


def test_a_query_of_only_common_words_finds_nothing_on_either_engine(client, site_content):
    """PostgreSQL ignores stop words; SQLite is told to, so both answer alike."""
    assert search.terms("what is it") == []
    assert search.search("what is it") == []
    html = client.get(reverse("articles:search"), {"q": "what is it"}).content.decode()
    assert "No articles matched" in html and "Browse by topic" in html


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("crmaps", "cramps"), ("crmaps at nigth", "cramps at night"), ("Magnesuim", "magnesium")],
)
def test_typos_get_the_sites_own_word_on_either_engine(site_content, typed, meant):
    assert search.suggestion(typed) == meant


def test_the_results_page_links_to_the_corrected_search(client, site_content):
    html = client.get(reverse("articles:search"), {"q": "crmaps"}).content.decode()
    assert 'Did you mean <a href="/search/?q=cramps">cramps</a>?' in html

    corrected = client.get(reverse("articles:search"), {"q": "cramps"}).content.decode()
    assert "Did you mean" not in corrected
    assert "/articles/leg-cramps-at-night/" in corrected


def test_words_found_or_too_far_from_any_get_no_suggestion(site_content):
    assert search.suggestion("cramps at night") is None
    assert search.suggestion("qwertyuiop") is None
    assert search.suggestion("lge") is None  # short words have too many neighbours


def test_words_only_drafts_use_are_never_offered(site_content, a_draft_article):
    """The draft's title says "zebrafish": suggesting it would leak the draft."""
    assert search.suggestion("zebrafsh") is None


def test_suggestions_follow_edits_and_deletes(an_article):
    assert search.suggestion("thixotropik") is None
    an_article.body += "\n\nA thixotropic remark."
    an_article.save()
    assert search.suggestion("thixotropik") == "thixotropic"
    an_article.delete()
    assert search.suggestion("thixotropik") is None


def test_suggestions_use_each_engines_own_vocabulary():
    """FTS5's fts5vocab on SQLite; pg_trgm's nearest words on PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT sql FROM sqlite_master WHERE name = '{search.VOCAB_TABLE}'")
            assert "fts5vocab" in cursor.fetchone()[0].lower()
        else:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone() == (1,)
            cursor.execute("SELECT similarity('crmaps', 'cramps')")
            assert cursor.fetchone()[0] > search.PG_MIN_SIMILARITY
