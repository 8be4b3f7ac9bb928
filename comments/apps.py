from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"

    def ready(self):
        from comments import checks  # noqa: F401  registers the system checks
        from comments.readers import page_parts

        page_parts.register()
