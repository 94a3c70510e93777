"""Organisations (Open Badges issuer profiles), staff roles, signing keys and images."""
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class UploadedImage(models.Model):
    """A validated PNG or sanitised SVG, stored in the database.

    Images live in the database rather than on a disk so that every web node
    serves them from the one shared PostgreSQL. The SHA-256 of the content is
    the key, which makes image URLs immutable and safe to cache forever.
    """

    sha256 = models.CharField(max_length=64, primary_key=True)
    content_type = models.CharField(max_length=40)
    data = models.BinaryField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def extension(self) -> str:
        return "svg" if self.content_type == "image/svg+xml" else "png"

    def __str__(self):
        return f"{self.sha256[:12]}.{self.extension}"


class Organisation(models.Model):
    """An organisation that issues badges: the Open Badges issuer profile."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The slug is part of the organisation's did:web identifier, so it never
    # changes after the first badge is issued.
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("web site"), max_length=500)
    email = models.EmailField(_("contact email"))
    description = models.TextField(_("description"), blank=True, max_length=2000)
    logo = models.ForeignKey(
        UploadedImage, verbose_name=_("logo"), null=True, blank=True, on_delete=models.PROTECT
    )
    # A network issuer profile is a shared, neutral name (for example a
    # regional network of associations) under which member organisations
    # may issue, so that the earner's badge does not name the organisation
    # that served them. It is a full issuer with its own did:web, keys and
    # status lists; it has no staff and no badges of its own.
    is_network = models.BooleanField(
        _("network issuer profile"),
        default=False,
        help_text=_("A shared issuer name that member organisations may issue under."),
    )
    network = models.ForeignKey(
        "self",
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"is_network": True},
    )
    # Set by the service administrator only: issuing under the network's
    # name makes every member vouch for it, so organisations cannot grant
    # it to themselves.
    may_issue_as_network = models.BooleanField(
        _("may issue under the network's name"),
        default=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.network_id is not None:
            if self.is_network:
                raise ValidationError({"network": _("A network cannot be a member of another network.")})
            if self.network_id == self.pk or not self.network.is_network:
                raise ValidationError({"network": _("Choose an organisation that is marked as a network.")})
        if self.may_issue_as_network and self.network_id is None:
            raise ValidationError(
                {"may_issue_as_network": _("Choose the network first: the right applies to one network.")}
            )

    @property
    def issuing_network(self) -> "Organisation | None":
        """Return the network this organisation may issue under, or None."""
        if self.may_issue_as_network and self.network_id is not None and self.network.is_network:
            return self.network
        return None


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    INSTRUCTOR = "instructor", _("Instructor")


class Membership(models.Model):
    """A staff member's role in one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"


class KeyAlgorithm(models.TextChoices):
    # Data Integrity proofs (eddsa-rdfc-2022) of Open Badges 3.0 credentials.
    ED25519 = "Ed25519", "Ed25519"
    # JWS: Open Badges 2.0 signed assertions (RS256 is the only algorithm
    # OB 2.0 names) and Open Badges 3.0 VC-JWT (1EdTech's validator accepts
    # only RS256 and ES256, not EdDSA).
    RSA = "RSA", "RSA (RS256)"


class SigningKey(models.Model):
    """One signing key of an organisation.

    Keys are never deleted: a retired key stops signing but stays published
    in the DID document so that everything it signed keeps verifying.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="signing_keys"
    )
    # Fragment of the verification method id, for example "key-1" in
    # did:web:example.org:issuers:taitopaja#key-1.
    key_id = models.CharField(max_length=40)
    algorithm = models.CharField(max_length=20, choices=KeyAlgorithm.choices)
    # Ed25519: the Multikey publicKeyMultibase value ("z6Mk...").
    # RSA: the SubjectPublicKeyInfo PEM.
    public_key = models.TextField()
    # Fernet token of the raw private key; see issuers.keystore.
    encrypted_private_key = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key_id"], name="unique_key_id"),
        ]
        ordering = ["organisation", "created_at"]

    def __str__(self):
        return f"{self.organisation.slug}#{self.key_id}"

    @property
    def is_active(self) -> bool:
        return self.retired_at is None and self.revoked_at is None


class AuditEvent(models.Model):
    """One state change made by a person or a command, kept for the organisation.

    Holds ids and event names only: never secrets, never recipients' names or
    email addresses.
    """

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=100, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"


class Invitation(models.Model):
    """An owner's invitation for one person to join the organisation's staff with a role.

    Only the SHA-256 hash of the link's token is stored, so a copy of the
    database cannot be used to accept invitations. The token itself exists
    only in the email (the outbox row) and in the link the person opens.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"invitation {self.pk} @ {self.organisation} ({self.role})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None
