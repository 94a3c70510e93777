from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuersConfig(AppConfig):
    name = "issuers"
    verbose_name = _("Organisations")

    def ready(self):
        # Registers the deployment checks for secrets and keys.
        import config.checks  # noqa: F401
