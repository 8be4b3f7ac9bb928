"""The site's own words, for "Did you mean ...?" (articles.search.suggestion).

SQLite: a contentless FTS5 index of the same columns without stemming (so its
terms are words a reader can be offered, "cramps" rather than "cramp"), filled
from the search table, and an fts5vocab table over it.
PostgreSQL: pg_trgm, and a materialized view of the unstemmed words (ts_stat
over the 'simple' configuration) with a trigram GiST index for nearest words.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_article_words USING fts5("
    "title, summary, keywords, body, content='', tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO articles_article_words (rowid, title, summary, keywords, body) "
    "SELECT rowid, title, summary, keywords, body FROM articles_article_fts",
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_article_words_vocab "
    "USING fts5vocab(articles_article_words, 'row')",
]
SQLITE_DROP = [
    "DROP TABLE IF EXISTS articles_article_words_vocab",
    "DROP TABLE IF EXISTS articles_article_words",
]
POSTGRES = [
    "CREATE MATERIALIZED VIEW IF NOT EXISTS articles_search_words AS "
    "SELECT word, ndoc FROM ts_stat($$SELECT to_tsvector('simple', concat_ws(' ', "
    "title, summary, search_keywords, body_text)) FROM articles_article$$)",
    "CREATE INDEX IF NOT EXISTS articles_search_words_trgm ON articles_search_words "
    "USING GIST (word gist_trgm_ops)",
]
POSTGRES_DROP = ["DROP MATERIALIZED VIEW IF EXISTS articles_search_words"]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_reader_feedback")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
