import datetime

import django.utils.timezone
from django.db import migrations, models
from django.utils import timezone

# A shipped article not saved since the loader made it: created and updated
# within this much of each other.
UNTOUCHED = datetime.timedelta(minutes=1)


def estimate_content_changes(apps, schema_editor):
    """Best guess for existing rows, where no content change was ever recorded.

    An article the loader shipped and nobody has saved since dates from its
    file (the later of publish date and last review, as the loader now sets);
    any other article from its last save, the closest record there is.
    """
    Article = apps.get_model("articles", "Article")
    ShippedContent = apps.get_model("articles", "ShippedContent")
    shipped = {
        key.removeprefix("article:") for key in ShippedContent.objects.values_list("key", flat=True)
    }
    for article in Article.objects.all().iterator():
        changed = article.updated_at
        if article.slug in shipped and article.updated_at - article.created_at < UNTOUCHED:
            reviewed = timezone.make_aware(
                datetime.datetime.combine(article.last_reviewed, datetime.time(9, 0))
            )
            changed = max(article.publish_at, reviewed)
        Article.objects.filter(pk=article.pk).update(content_changed_at=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="content_changed_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                editable=False,
                help_text="When readers last saw different words or pictures: dateModified and lastmod.",
                verbose_name="content last changed",
            ),
        ),
        migrations.RunPython(estimate_content_changes, migrations.RunPython.noop),
    ]
