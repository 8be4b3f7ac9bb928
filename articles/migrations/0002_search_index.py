"""The search index for whichever database this is.

SQLite: an FTS5 table filled from existing articles (signals keep it in step).
PostgreSQL: a GIN index on the weighted tsvector that articles.search queries.
"""

from django.db import migrations

FTS_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_article_fts USING fts5("
    "title, summary, keywords, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)
PG_INDEX = (
    "CREATE INDEX IF NOT EXISTS articles_article_search_gin ON articles_article "
    "USING GIN (("
    "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(summary, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(search_keywords, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(body_text, '')), 'C')"
    "))"
)


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(FTS_CREATE)
        schema_editor.execute(
            "INSERT INTO articles_article_fts (rowid, title, summary, keywords, body) "
            "SELECT id, title, summary, search_keywords, body_text FROM articles_article"
        )
    elif connection.vendor == "postgresql":
        schema_editor.execute(PG_INDEX)


def drop_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS articles_article_fts")
    elif connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS articles_article_search_gin")


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
