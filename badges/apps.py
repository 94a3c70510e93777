from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BadgesConfig(AppConfig):
    name = "badges"
    verbose_name = _("Badges")

    def ready(self):
        from jobs.sweeps import register

        from .bulk.services import sweep

        register("badges.bulk", sweep)
