from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the site: commands for its owner, no models."""

    name = "operations"
