from django.core.management.base import BaseCommand

from articles.content_loader import load_all


class Command(BaseCommand):
    help = "Load the shipped articles and search synonyms; existing ones are left alone."

    def handle(self, *args, **options):
        articles, synonyms = load_all()
        self.stdout.write(f"Loaded {articles} new articles and {synonyms} new synonyms.")
