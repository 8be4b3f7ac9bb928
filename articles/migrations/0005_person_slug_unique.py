import django.db.models.deletion
from django.db import migrations, models


# Apart from 0004, so PostgreSQL makes the unique index after the rows are updated.
class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_person_pages"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="slug",
            field=models.SlugField(max_length=120, unique=True),
        ),
        migrations.AlterField(
            model_name="article",
            name="author",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles_written",
                to="articles.person",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="reviewer",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles_reviewed",
                to="articles.person",
                verbose_name="medical reviewer",
            ),
        ),
    ]
