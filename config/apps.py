from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Wiring only: registers the project's deploy checks."""

    name = "config"
    verbose_name = "Kokous configuration"

    def ready(self):
        from . import checks  # noqa: F401  (registers on import)
