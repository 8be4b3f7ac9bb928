from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy

from articles.models import Article


class LatestArticlesFeed(Feed):
    title = settings.SITE_NAME
    link = reverse_lazy("articles:home")
    description = "New and updated health articles, medically reviewed."

    def items(self):
        return Article.objects.published().select_related("author", "topic")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.name

    def item_categories(self, item):
        return [item.topic.name]
