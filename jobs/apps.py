from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """The background worker and the sweeps that keep interrupted work going."""

    name = "jobs"
    verbose_name = _("Background work")
