from django.db import migrations, models
from django.utils.text import slugify


def give_people_slugs(apps, schema_editor):
    """Each existing person's page address from their name, made unique."""
    Person = apps.get_model("articles", "Person")
    taken = set()
    for person in Person.objects.order_by("pk"):
        base = slugify(person.name)[:110] or "person"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        Person.objects.filter(pk=person.pk).update(slug=slug)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_article_content_changed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="bio",
            field=models.TextField(
                blank=True,
                help_text="A few plain sentences: training, work, what they write about.",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="slug",
            field=models.SlugField(max_length=120, default=""),
            preserve_default=False,
        ),
        migrations.RunPython(give_people_slugs, migrations.RunPython.noop),
    ]
