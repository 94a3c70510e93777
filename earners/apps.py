from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarnersConfig(AppConfig):
    name = "earners"
    verbose_name = _("Earners")

    def ready(self):
        from jobs import sweeps

        from .sweeps import purge_expired

        sweeps.register("earners.purge_expired", purge_expired)
