import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# Same escaping as Django's json_script: the JSON can never close the tag.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _person(person):
    """A credited person, pointing at their page on this site."""
    return {
        "@type": "Person",
        "@id": f"{settings.SITE_URL}{person.get_absolute_url()}#person",
        "name": person.name,
        "honorificSuffix": person.credentials,
        "url": f"{settings.SITE_URL}{person.get_absolute_url()}",
    }


def profile_page(person) -> dict:
    url = f"{settings.SITE_URL}{person.get_absolute_url()}"
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "@id": url,
        "url": url,
        "name": person.name,
        "inLanguage": "en-GB",
        "mainEntity": _person(person) | ({"description": person.bio} if person.bio else {}),
    }


def medical_web_page(article) -> dict:
    url = f"{settings.SITE_URL}{article.get_absolute_url()}"
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "inLanguage": "en-GB",
        "about": {"@type": "Thing", "name": article.topic.name},
        "keywords": ", ".join(tag.name for tag in article.tags.all()),
        "author": _person(article.author),
        "datePublished": article.publish_at.isoformat(),
        "dateModified": article.content_changed_at.isoformat(),
        "lastReviewed": article.last_reviewed.isoformat(),
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
    }
    if article.reviewer:
        data["reviewedBy"] = _person(article.reviewer)
    if article.hero_renditions.get("jpeg"):
        data["image"] = settings.SITE_URL + article.hero_renditions["jpeg"][-1]["url"]
    return data


def _json_ld(data: dict):
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.simple_tag
def article_json_ld(article):
    return _json_ld(medical_web_page(article))


@register.simple_tag
def person_json_ld(person):
    return _json_ld(profile_page(person))
