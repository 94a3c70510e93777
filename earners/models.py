"""Earner accounts, their email addresses, one-time tokens, claims and rate-limit counters.

An earner has no password and no name: they sign in with a one-time link
sent to one of their verified addresses. Secrets (link tokens, claim
codes) are stored only as hashes; a claim code is also stored encrypted so
that staff can print its card again.
"""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Earner(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The language of the earner's emails and pages (fi, sv or en).
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("earner")
        verbose_name_plural = _("earners")

    def __str__(self):
        return str(self.id)


class EarnerEmail(models.Model):
    """A verified email address of an earner; an address belongs to one earner at most."""

    earner = models.ForeignKey(Earner, on_delete=models.CASCADE, related_name="emails")
    # Stored normalised (badges.openbadges.recipient.normalize_email).
    address = models.EmailField(unique=True)
    verified_at = models.DateTimeField()

    class Meta:
        ordering = ["verified_at"]

    def __str__(self):
        return f"email {self.pk} of earner {self.earner_id}"


class TokenPurpose(models.TextChoices):
    SIGN_IN = "sign_in", _("Sign in")
    VERIFY_EMAIL = "verify_email", _("Verify an email address")


class EarnerToken(models.Model):
    """A one-time link sent by email: sign in, or verify an added address.

    ``address`` is the address the link was sent to: a first sign-in
    creates the account with it, and verification adds it. Rows are
    deleted by the sweep once expired and by the earner's erasure.
    """

    purpose = models.CharField(max_length=20, choices=TokenPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    address = models.EmailField()
    earner = models.ForeignKey(Earner, null=True, blank=True, on_delete=models.CASCADE, related_name="tokens")
    # A local earner path to open after signing in (for example the claim-code page).
    next_path = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.purpose} token {self.pk}"


class ClaimToken(models.Model):
    """The secret of the claim link emailed with a badge. Resending replaces it."""

    credential = models.ForeignKey("badges.Credential", on_delete=models.CASCADE, related_name="claim_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"claim token {self.pk} of {self.credential_id}"


class ClaimCode(models.Model):
    """The typable claim code of a badge issued without an email address."""

    credential = models.OneToOneField("badges.Credential", on_delete=models.CASCADE, related_name="claim_code")
    # HMAC-SHA256 of the normalised code under the SECRET_KEY, for lookup.
    code_hash = models.CharField(max_length=64, unique=True)
    # The code as a Fernet token (issuers.keystore), for reprinting the card.
    encrypted_code = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"claim code {self.pk} of {self.credential_id}"


class ClaimMethod(models.TextChoices):
    LINK = "link", _("Claim link")
    CODE = "code", _("Claim code")
    ADDRESS = "address", _("Verified email address")


class Claim(models.Model):
    """A credential linked to an earner's backpack.

    When the earner deletes their account, ``earner`` becomes empty and the
    row stays without personal data, so the organisation's statistics still
    count the badge as claimed.
    """

    credential = models.OneToOneField("badges.Credential", on_delete=models.CASCADE, related_name="claim")
    earner = models.ForeignKey(Earner, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims")
    method = models.CharField(max_length=10, choices=ClaimMethod.choices)
    claimed_at = models.DateTimeField()

    class Meta:
        ordering = ["-claimed_at"]

    def __str__(self):
        return f"claim of {self.credential_id}"


class RateLimitCounter(models.Model):
    """Attempts of one kind from one source in one fixed time window.

    ``key`` is an HMAC of the scope and the source (an address, an IP
    address, an earner id), so the table contains no address in clear text.
    Counters in the database work across several web nodes.
    """

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="unique_rate_limit_window"),
        ]

    def __str__(self):
        return f"{self.key[:8]} {self.window_start} {self.count}"
