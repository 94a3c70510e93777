"""Badge definitions, their versions and the credentials issued from them."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from issuers.models import Organisation, SigningKey, UploadedImage


class BadgeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class BadgeClass(models.Model):
    """A badge that an organisation defines and issues.

    The content lives in ``BadgeVersion`` rows: once a version has been
    issued it never changes, and editing the badge adds a new version.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A second random id for the badge's addresses when it is issued under a
    # network issuer profile. The public_id leads to the organisation's own
    # badge page, so network-issued credentials must not contain it.
    network_public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="badges")
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    status = models.CharField(
        _("status"), max_length=20, choices=BadgeStatus.choices, default=BadgeStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="unique_badge_slug"),
        ]
        ordering = ["organisation", "slug"]

    def __str__(self):
        return f"{self.organisation.slug}/{self.slug}"

    @property
    def latest_version(self) -> "BadgeVersion | None":
        return self.versions.order_by("-number").first()


class BadgeVersion(models.Model):
    """The content of a badge at one point in time, in the KAPOS style.

    ``learning_outcomes`` and ``assessment_criteria`` are lists of strings.
    ``alignments`` is a list of ``{"target_name", "target_url",
    "target_code", "target_framework"}`` objects. ``translations`` maps a
    language code to the same text fields in that language.
    """

    badge = models.ForeignKey(BadgeClass, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    language = models.CharField(max_length=8, default="fi")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("short description"), max_length=1000)
    image = models.ForeignKey(UploadedImage, on_delete=models.PROTECT, verbose_name=_("image"))
    theme = models.CharField(_("theme"), max_length=120, blank=True)
    learning_outcomes = models.JSONField(_("learning outcomes"), default=list)
    assessment_criteria = models.JSONField(_("assessment criteria"), default=list)
    skill_demonstration = models.TextField(_("how the skill is shown"), blank=True, max_length=2000)
    alignments = models.JSONField(_("alignments"), default=list, blank=True)
    validity_months = models.PositiveSmallIntegerField(_("validity in months"), null=True, blank=True)
    translations = models.JSONField(default=dict, blank=True)
    # Code of the national basic-skills badge (for example "osaamismerkit_1022")
    # that this badge is aligned with. Such a badge is "KAPOS-aligned", never
    # the official national badge itself.
    kapos_code = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["badge", "number"], name="unique_badge_version"),
        ]
        ordering = ["badge", "-number"]

    def __str__(self):
        return f"{self.badge} v{self.number}"

    def text(self, field: str, language: str):
        """Return a text field in ``language`` when translated, else in the badge's own language."""
        translated = self.translations.get(language, {}).get(field)
        return translated if translated else getattr(self, field)


class StatusPurpose(models.TextChoices):
    # Only revocation: 1EdTech's JSON schema allows one credentialStatus
    # object per credential, so a second (suspension) entry would make our
    # credentials fail it.
    REVOCATION = "revocation", _("Revocation")


class StatusList(models.Model):
    """One Bitstring Status List of an organisation, served at ``/status/<public_id>``.

    ``document`` caches the signed ``BitstringStatusListCredential``; it is
    rewritten whenever a bit of the list changes, in the same transaction.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="status_lists")
    purpose = models.CharField(max_length=20, choices=StatusPurpose.choices)
    size = models.PositiveIntegerField()
    document = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "purpose", "created_at"]

    def __str__(self):
        return f"{self.organisation.slug} {self.purpose} {self.public_id}"


class StatusListEntry(models.Model):
    """One reserved index of a status list.

    The unique constraint is what keeps two concurrent issuers from taking
    the same index: the second insert fails and picks another random index.
    """

    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="entries")
    index = models.PositiveIntegerField()
    is_set = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["status_list", "index"], name="unique_status_index"),
        ]

    def __str__(self):
        return f"{self.status_list.public_id}#{self.index}"


class NameDisplay(models.TextChoices):
    """Form of the earner's name on the public verification page."""

    FULL = "full", _("Full name")
    INITIALS = "initials", _("Initials only")
    HIDDEN = "hidden", _("Hidden")


class ImmutableCredentialError(Exception):
    """An attempt to change a credential's signed document after issuing."""


class Credential(models.Model):
    """One issued badge: the signed Open Badges 3.0 credential and what it was made from.

    The primary key is a random UUID, so the public verification URL
    (``/credentials/<uuid>``) cannot be guessed or enumerated.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The organisation whose staff issued the credential and who manage it.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="credentials")
    # The issuer profile whose keys signed: the organisation itself, or the
    # network it issued under. Every public output names this profile only.
    issuer_profile = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="profile_credentials"
    )
    badge_version = models.ForeignKey(BadgeVersion, on_delete=models.PROTECT, related_name="credentials")
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="credentials")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_name = models.CharField(max_length=200)
    recipient_email = models.EmailField(blank=True)
    email_salt = models.CharField(max_length=64, blank=True)
    # The earner's language for emails and printouts (fi, sv or en).
    recipient_language = models.CharField(max_length=8, default="fi")
    subject_id = models.CharField(max_length=100)
    evidence_narrative = models.TextField(blank=True)
    evidence_url = models.URLField(max_length=1000, blank=True)
    issued_on = models.DateField()
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    # The signed JSON exactly as issued. A TextField, not a JSONField:
    # PostgreSQL's jsonb reorders keys, and the earner's copy must stay
    # byte-identical to ours.
    document = models.TextField()
    # The same credential as a VC-JWT (compact JWS, RS256), and the Open
    # Badges 2.0 hosted assertion (JSON) and signed assertion (compact JWS).
    # Empty for credentials issued before these formats existed.
    jwt = models.TextField(blank=True)
    ob2_assertion = models.TextField(blank=True)
    ob2_jws = models.TextField(blank=True)
    jws_signing_key = models.ForeignKey(
        SigningKey, null=True, blank=True, on_delete=models.PROTECT, related_name="jws_credentials"
    )
    revocation_entry = models.OneToOneField(
        StatusListEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="revoked_credential"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The internal note stays with the organisation; the public reason, if
    # any, is shown on the verification page and in the OB 2.0 assertion.
    revocation_note = models.TextField(blank=True)
    revocation_reason = models.CharField(max_length=500, blank=True)
    renewed_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="renewals"
    )
    # SHA-256 of what makes two issuing requests "the same" (see
    # badges.bulk.validation.issue_key). The unique constraint is what
    # stops a re-uploaded or resumed bulk job from issuing a row twice.
    issue_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The earner's privacy choices for the public page (see badges.privacy).
    # The full name is the default because an employer checking the badge
    # must be able to match it to the person. The earner can change it.
    name_display = models.CharField(max_length=10, choices=NameDisplay.choices, default=NameDisplay.FULL)
    link_enabled = models.BooleanField(default=True)
    # Set by badges.erasure when the earner's personal data was erased.
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)

    # Written once when the credential is issued, never rewritten:
    # revocation and expiry change status fields, not signed artefacts.
    SIGNED_FIELDS = ("document", "jwt", "ob2_assertion", "ob2_jws")

    class Meta:
        ordering = ["-created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._signed_values = self._current_signed_values()

    def __str__(self):
        return str(self.id)

    def _current_signed_values(self) -> dict:
        # Read through __dict__ so that deferred fields are not loaded here.
        return {name: self.__dict__.get(name) for name in self.SIGNED_FIELDS}

    @property
    def is_network_issued(self) -> bool:
        return self.issuer_profile_id != self.organisation_id

    def save(self, *args, **kwargs):
        if self.issuer_profile_id is None:
            self.issuer_profile_id = self.organisation_id
        if not self._state.adding:
            for name, value in self._current_signed_values().items():
                issued = self._signed_values.get(name)
                if issued and value is not None and value != issued:
                    raise ImmutableCredentialError(
                        f"Credential {self.id} is signed and its {name} cannot be changed."
                    )
        super().save(*args, **kwargs)
        self._signed_values = self._current_signed_values()


class TemplateSource(models.TextChoices):
    KAPOS = "kapos", _("National basic-skills badge (ePerusteet)")
    CUSTOM = "custom", _("Custom")


class BadgeTemplate(models.Model):
    """A badge definition in the network-wide library that organisations copy from.

    ``texts_fi``, ``texts_sv`` and ``texts_en`` hold the texts of one
    language exactly as the source publishes them: ``{"name": str,
    "description": str, "theme": str, "learning_outcomes": [str],
    "assessment_criteria": [str]}``, each key present only when the source
    has that text. A language the source lacks stays an empty object.
    ``missing`` and ``warnings`` are lists of codes from
    ``badges.kapos_import`` (``MISSING_LABELS``, ``WARNING_CODES``).
    """

    code = models.CharField(max_length=40, unique=True)
    source = models.CharField(max_length=20, choices=TemplateSource.choices, default=TemplateSource.KAPOS)
    texts_fi = models.JSONField(default=dict, blank=True)
    texts_sv = models.JSONField(default=dict, blank=True)
    texts_en = models.JSONField(default=dict, blank=True)
    # The source's own metadata: ePerusteet's "tila", "voimassaoloAlkaa",
    # "voimassaoloLoppuu" and "muokattu".
    source_status = models.CharField(max_length=40, blank=True)
    source_valid_from = models.DateTimeField(null=True, blank=True)
    source_valid_until = models.DateTimeField(null=True, blank=True)
    source_modified = models.DateTimeField(null=True, blank=True)
    missing = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("badge template")
        verbose_name_plural = _("badge templates")
        ordering = ["code"]

    def __str__(self):
        return self.code

    def texts(self, language: str) -> dict:
        """Return the texts in ``language``: an empty dict when the source has none."""
        return getattr(self, f"texts_{language}", None) or {}


# The bulk issuing models live in their own module; importing them here
# registers them with the badges app.
from .bulk.models import BulkJob, BulkRow  # noqa: E402,F401
