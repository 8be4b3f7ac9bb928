from django.conf import settings


def site(request):
    """The site's name and absolute URL root, for the page shell and SEO tags."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
