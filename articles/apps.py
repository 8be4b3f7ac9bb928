from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from articles import signals  # noqa: F401 - connects the search index
        from articles.stored_frames import frame_stamp

        frame_stamp()  # what this process runs, before any file can change under it
