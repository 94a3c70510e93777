from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Outgoing email through a database outbox."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from jobs.sweeps import register

        from .outbox import sweep

        register("notifications.outbox", sweep)
