from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Max, Q
from django.urls import reverse

from articles.models import Article, Person, Tag, Topic


class Sitemap(DjangoSitemap):
    """Locations under SITE_URL, like canonical links, whatever host was asked."""

    def get_protocol(self, protocol=None):
        return settings.SITE_URL.split("://", 1)[0]

    def get_domain(self, site=None):
        return settings.SITE_URL.split("://", 1)[1]


def _with_lastmod(model):
    """Labels used by a published article, with that article's newest change."""
    published = Article.objects.published()
    return (
        model.objects.filter(articles__in=published)
        .annotate(lastmod=Max("articles__content_changed_at", filter=Q(articles__in=published)))
        .order_by("pk")
    )


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, article):
        return article.content_changed_at


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return _with_lastmod(Topic)

    def lastmod(self, topic):
        return topic.lastmod


class TagSitemap(TopicSitemap):
    priority = 0.4

    def items(self):
        return _with_lastmod(Tag)


class PersonSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        published = Article.objects.published()
        return (
            Person.objects.credited()
            .annotate(
                wrote=Max(
                    "articles_written__content_changed_at",
                    filter=Q(articles_written__in=published),
                ),
                reviewed=Max(
                    "articles_reviewed__content_changed_at",
                    filter=Q(articles_reviewed__in=published),
                ),
            )
            .order_by("pk")
        )

    def lastmod(self, person):
        return max(date for date in (person.wrote, person.reviewed) if date)


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["articles:home", "articles:list", "articles:topics", "articles:tags"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return Article.objects.published().aggregate(Max("content_changed_at"))[
            "content_changed_at__max"
        ]


SITEMAPS = {
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "tags": TagSitemap,
    "people": PersonSitemap,
    "pages": PageSitemap,
}
