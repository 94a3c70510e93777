from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarnersConfig(AppConfig):
    name = "earners"
    verbose_name = _("Earners")
