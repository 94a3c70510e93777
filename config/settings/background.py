"""Background work (Django's Tasks framework) and outgoing email."""
from .env import env_bool, env_str

# Tasks are rows in the shared database; `manage.py worker` runs them. Any
# number of web nodes and workers can share one PostgreSQL.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# How often the worker looks for due work that no task carries any more:
# emails waiting for a retry and bulk jobs whose worker died, in seconds.
MERKKIPAJA_WORKER_SWEEP_SECONDS = float(env_str("MERKKIPAJA_WORKER_SWEEP_SECONDS", "15"))

# The console backend prints emails in development. Production sets
# MERKKIPAJA_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and
# the SMTP settings below.
EMAIL_BACKEND = env_str("MERKKIPAJA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("MERKKIPAJA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("MERKKIPAJA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("MERKKIPAJA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("MERKKIPAJA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MERKKIPAJA_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("MERKKIPAJA_EMAIL_USE_SSL", False)
# A mail server that does not respond must not block a worker for long.
EMAIL_TIMEOUT = int(env_str("MERKKIPAJA_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = env_str("MERKKIPAJA_EMAIL_FROM", "Merkkipaja <merkkipaja@localhost>")

# An email that still fails after this many attempts is marked failed and
# shown to staff, who can send it again.
MERKKIPAJA_EMAIL_MAX_ATTEMPTS = int(env_str("MERKKIPAJA_EMAIL_MAX_ATTEMPTS", "8"))
