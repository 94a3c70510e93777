"""Secrets, hosts and cookie settings.

The development defaults below are public. ``config.checks`` fails the
deployment checks when production runs with any of them.
"""
from .base import PRODUCTION
from .env import env_bool, env_list, env_str

DEVELOPMENT_SECRET_KEY = "merkkipaja-development-secret-key-not-for-production-use"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

SESSION_COOKIE_SECURE = env_bool("MERKKIPAJA_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env_str("MERKKIPAJA_HSTS_SECONDS", "31536000"))

# Fernet keys (urlsafe base64, 32 bytes) that encrypt the organisations'
# private signing keys at rest. The first key encrypts; all of them decrypt,
# so an administrator can rotate this key without re-issuing anything.
DEVELOPMENT_KEY_ENCRYPTION_KEY = "bWVya2tpcGFqYS1kZXZlbG9wbWVudC1rZWstMDAwMDA="
MERKKIPAJA_KEY_ENCRYPTION_KEYS = env_list(
    "MERKKIPAJA_KEY_ENCRYPTION_KEYS", [DEVELOPMENT_KEY_ENCRYPTION_KEY]
)
