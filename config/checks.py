"""System checks that stop a production deployment with development secrets."""
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_production_secrets(app_configs, **kwargs):
    errors = []
    if not settings.PRODUCTION:
        return errors

    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY or len(settings.SECRET_KEY) < 50:
        errors.append(
            Error(
                "DJANGO_SECRET_KEY is the public development value or shorter than 50 characters.",
                hint="Set DJANGO_SECRET_KEY to a long random value.",
                id="merkkipaja.E001",
            )
        )
    if settings.DEVELOPMENT_KEY_ENCRYPTION_KEY in settings.MERKKIPAJA_KEY_ENCRYPTION_KEYS:
        errors.append(
            Error(
                "MERKKIPAJA_KEY_ENCRYPTION_KEYS contains the public development key.",
                hint="Generate one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'",
                id="merkkipaja.E002",
            )
        )
    if not settings.MERKKIPAJA_BASE_URL.startswith("https://"):
        errors.append(
            Error(
                f"MERKKIPAJA_BASE_URL is {settings.MERKKIPAJA_BASE_URL!r}; production ids must use HTTPS.",
                hint="Set MERKKIPAJA_BASE_URL to the public https:// address of the service.",
                id="merkkipaja.E003",
            )
        )
    return errors


@register(Tags.security)
def check_key_encryption_keys(app_configs, **kwargs):
    errors = []
    for index, key in enumerate(settings.MERKKIPAJA_KEY_ENCRYPTION_KEYS):
        try:
            Fernet(key)
        except ValueError:
            errors.append(
                Error(
                    f"MERKKIPAJA_KEY_ENCRYPTION_KEYS entry {index} is not a Fernet key "
                    "(32 bytes in urlsafe base64).",
                    hint="Generate one with Fernet.generate_key() from the cryptography package.",
                    id="merkkipaja.E004",
                )
            )
    if not settings.MERKKIPAJA_KEY_ENCRYPTION_KEYS:
        errors.append(
            Error(
                "MERKKIPAJA_KEY_ENCRYPTION_KEYS is empty.",
                hint="Set at least one Fernet key.",
                id="merkkipaja.E005",
            )
        )
    return errors


from django.core.checks import Warning as CheckWarning  # noqa: E402


@register(Tags.security)
def check_fetch_settings(app_configs, **kwargs):
    """Reject the verifier's test-only fetch settings in production (see badges.fetching)."""
    messages = []
    if not settings.PRODUCTION:
        return messages

    if settings.MERKKIPAJA_FETCH_URL_MAP:
        messages.append(
            Error(
                "MERKKIPAJA_FETCH_URL_MAP is set in production; it sends the verifier's requests "
                "for other hosts to the addresses in a test file.",
                hint="Unset MERKKIPAJA_FETCH_URL_MAP.",
                id="merkkipaja.E020",
            )
        )
    if settings.MERKKIPAJA_FETCH_ALLOW_PRIVATE:
        messages.append(
            CheckWarning(
                "MERKKIPAJA_FETCH_ALLOW_PRIVATE is on in production, so a badge can make the verifier "
                "send requests to private and loopback addresses.",
                hint="Unset MERKKIPAJA_FETCH_ALLOW_PRIVATE unless the verifier must reach a private network.",
                id="merkkipaja.W020",
            )
        )
    return messages
