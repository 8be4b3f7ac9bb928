"""Keep search in step with articles, their tags and topic names."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from articles.models import Article, Tag, Topic
from articles.search import refresh_search, unindex_article


@receiver(post_save, sender=Article)
def reindex_saved_article(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search(instance)


@receiver(m2m_changed, sender=Article.tags.through)
def reindex_retagged_article(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    articles = Article.objects.filter(pk__in=pk_set or []) if reverse else [instance]
    for article in articles:
        refresh_search(article)


@receiver(post_save, sender=Topic)
@receiver(post_save, sender=Tag)
def reindex_renamed_label(sender, instance, raw=False, created=False, **kwargs):
    """A renamed topic or tag changes the keywords of every article using it."""
    if not raw and not created:
        for article in instance.articles.select_related("topic"):
            refresh_search(article)


@receiver(post_delete, sender=Article)
def unindex_deleted_article(sender, instance, **kwargs):
    unindex_article(instance.pk)
