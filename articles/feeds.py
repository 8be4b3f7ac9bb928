from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

from articles.models import Article


class LatestArticlesFeed(Feed):
    """Every link under SITE_URL, like canonical links, whatever host was asked."""

    title = settings.SITE_NAME
    description = "New and updated health articles, medically reviewed."

    def link(self):
        return settings.SITE_URL + reverse("articles:home")

    def feed_url(self):
        return settings.SITE_URL + reverse("articles:feed")

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def items(self):
        return Article.objects.published().select_related("author", "topic")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.content_changed_at

    def item_author_name(self, item):
        return item.author.name

    def item_categories(self, item):
        return [item.topic.name]
