"""Keep the SQLite search index in step with articles and their tags."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from articles.models import Article
from articles.search import index_article, unindex_article


@receiver(post_save, sender=Article)
def reindex_saved_article(sender, instance, raw=False, **kwargs):
    if not raw:
        index_article(instance)


@receiver(m2m_changed, sender=Article.tags.through)
def reindex_retagged_article(sender, instance, action, reverse, **kwargs):
    if action.startswith("post_") and not reverse:
        index_article(instance)


@receiver(post_delete, sender=Article)
def unindex_deleted_article(sender, instance, **kwargs):
    unindex_article(instance.pk)
