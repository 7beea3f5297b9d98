from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ConfigConfig(AppConfig):
    """Wiring only: registers the project's deploy checks."""

    name = "config"
    verbose_name = "Kokous configuration"

    def ready(self):
        from . import checks  # noqa: F401  (registers on import)


class KokousAdminConfig(AdminConfig):
    """Django's admin with our site: superusers only (config/admin_site.py)."""

    default_site = "config.admin_site.SuperuserAdminSite"
