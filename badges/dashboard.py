"""Statistics of an organisation's issued badges, and their CSV export.

Permissions: every staff role (owner, editor, instructor) may view the
statistics, which are counts only. The CSV export lists recipients' names
and email addresses, so only owners may download it, and every download
is written to the audit trail.

CSV format: UTF-8 with a byte order mark, so that Excel detects the
encoding. Fields are separated by ``;`` by default, because Excel in a
Finnish locale uses the comma as its decimal separator and reads ``;`` as
the list separator. A comma-separated file opens as one column there.
After the byte order mark (U+FEFF) the file starts::

    Issued date;Badge;Version;Recipient name;Recipient email;Evidence URL;Valid until;Revoked at;Verification URL
    2026-01-15;Digitaalinen tiedonhaku;1;Maija Meikäläinen;maija@example.fi;;;;https://.../credentials/<uuid>
"""
import csv
import datetime
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from issuers.models import Organisation
from issuers.permissions import Action
from issuers.selectors import user_can
from issuers.services import audit_record

from . import links
from .models import BadgeVersion, Credential

logger = logging.getLogger(__name__)

# Choices of the statistics period, in months; 0 means every month.
PERIOD_CHOICES = (12, 24, 60, 0)
DEFAULT_PERIOD = 12

CSV_DELIMITERS = {"semicolon": ";", "comma": ","}
DEFAULT_DELIMITER = "semicolon"
# Excel, LibreOffice and Google Sheets read a cell starting with one of
# these as a formula (CSV injection). A leading apostrophe makes it text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_CHUNK_SIZE = 2000


@dataclass
class Counts:
    """Counts of one badge in one month, or a total.

    ``revoked`` and ``expired`` do not overlap: a revoked badge counts as
    revoked even after its end date, so ``issued = valid + revoked +
    expired``.
    """

    badge_id: int | None = None
    badge_name: str = ""
    issued: int = 0
    revoked: int = 0
    expired: int = 0
    # Saved by the earner to their Osaamispassi (earners.Claim); a claim
    # stays counted after the earner deletes their account.
    claimed: int = 0

    @property
    def valid(self) -> int:
        return self.issued - self.revoked - self.expired

    @property
    def claimed_percent(self) -> int:
        """Return the claimed share of the issued badges in whole percent, rounded down."""
        return self.claimed * 100 // self.issued if self.issued else 0

    def add(self, other: "Counts") -> None:
        self.issued += other.issued
        self.revoked += other.revoked
        self.expired += other.expired
        self.claimed += other.claimed


@dataclass
class MonthStatistics:
    month: datetime.date
    rows: list[Counts] = field(default_factory=list)
    total: Counts = field(default_factory=Counts)


@dataclass
class Statistics:
    since: datetime.date | None
    months: list[MonthStatistics] = field(default_factory=list)
    badges: list[Counts] = field(default_factory=list)
    total: Counts = field(default_factory=Counts)


def period_start(*, months: int, today: datetime.date) -> datetime.date | None:
    """Return the first day of the earliest month of a period of ``months`` months ending with today's."""
    if months == 0:
        return None
    index = today.year * 12 + (today.month - 1) - (months - 1)
    return datetime.date(index // 12, index % 12 + 1, 1)


def _badge_names(organisation: Organisation) -> dict[int, str]:
    """Return each badge's current name (the name of its latest version)."""
    names = {}
    versions = (
        BadgeVersion.objects.filter(badge__organisation=organisation)
        .order_by("badge_id", "-number")
        .values_list("badge_id", "name")
    )
    for badge_id, name in versions:
        names.setdefault(badge_id, name)
    return names


def issued_statistics(*, organisation: Organisation, months: int, now: datetime.datetime) -> Statistics:
    """Count the organisation's issued, revoked and expired badges per badge and month of issue.

    Months are calendar months of the issue date (``issued_on``, a local
    date). A badge is expired when its end date is at or before ``now`` and
    it is not revoked.
    """
    since = period_start(months=months, today=timezone.localdate(now))
    credentials = Credential.objects.filter(organisation=organisation)
    if since is not None:
        credentials = credentials.filter(issued_on__gte=since)
    rows = (
        credentials.annotate(month=TruncMonth("issued_on"))
        .values("month", "badge_version__badge_id")
        .annotate(
            issued=Count("id"),
            revoked=Count("id", filter=Q(revoked_at__isnull=False)),
            expired=Count("id", filter=Q(revoked_at__isnull=True, valid_until__lte=now)),
            claimed=Count("id", filter=Q(claim__isnull=False)),
        )
        .order_by("-month", "badge_version__badge_id")
    )

    names = _badge_names(organisation)
    statistics = Statistics(since=since)
    by_badge: dict[int, Counts] = {}
    for row in rows:
        badge_id = row["badge_version__badge_id"]
        counts = Counts(
            badge_id=badge_id,
            badge_name=names.get(badge_id, ""),
            issued=row["issued"],
            revoked=row["revoked"],
            expired=row["expired"],
            claimed=row["claimed"],
        )
        if not statistics.months or statistics.months[-1].month != row["month"]:
            statistics.months.append(MonthStatistics(month=row["month"]))
        month = statistics.months[-1]
        month.rows.append(counts)
        month.total.add(counts)
        by_badge.setdefault(badge_id, Counts(badge_id=badge_id, badge_name=counts.badge_name)).add(counts)
        statistics.total.add(counts)

    for month in statistics.months:
        month.rows.sort(key=lambda counts: counts.badge_name.casefold())
    statistics.badges = sorted(by_badge.values(), key=lambda counts: counts.badge_name.casefold())
    return statistics


def spreadsheet_safe(value: str) -> str:
    """Return ``value`` with an apostrophe in front if a spreadsheet would read it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


class _Echo:
    """A file-like object whose ``write`` returns the text, so that ``csv.writer`` yields lines."""

    def write(self, value: str) -> str:
        return value


def _local_time(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _header() -> list[str]:
    return [
        _("Issued date"), _("Badge"), _("Version"), _("Recipient name"), _("Recipient email"),
        _("Evidence URL"), _("Valid until"), _("Revoked at"), _("Verification URL"),
    ]


def _export_queryset(organisation: Organisation):
    return (
        Credential.objects.filter(organisation=organisation)
        .order_by("issued_on", "created_at", "id")
        .values_list(
            "id", "issued_on", "badge_version__name", "badge_version__number", "recipient_name",
            "recipient_email", "evidence_url", "valid_until", "revoked_at",
        )
    )


def _csv_lines(queryset, delimiter: str) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator="\r\n")
    yield "\ufeff"
    yield writer.writerow([spreadsheet_safe(cell) for cell in _header()])
    rows = queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    for credential_id, issued_on, badge, version, name, email, evidence_url, valid_until, revoked_at in rows:
        cells = [
            issued_on.isoformat(),
            badge,
            str(version),
            name,
            email,
            evidence_url,
            _local_time(valid_until),
            _local_time(revoked_at),
            links.credential_url(credential_id),
        ]
        yield writer.writerow([spreadsheet_safe(cell) for cell in cells])


@transaction.atomic
def credentials_export(
    *, organisation: Organisation, actor=None, delimiter: str = DEFAULT_DELIMITER
) -> Iterator[str]:
    """Record an export of the organisation's issued badges and return its CSV text, line by line.

    ``delimiter`` is a key of ``CSV_DELIMITERS``. The lines are produced
    lazily from a database cursor, so a large export is never held in
    memory. Raises ``PermissionDenied`` unless ``actor`` is an owner.
    """
    if delimiter not in CSV_DELIMITERS:
        raise ValueError(f"Unknown CSV delimiter {delimiter!r}; use one of {sorted(CSV_DELIMITERS)}.")
    if actor is not None and not user_can(user=actor, organisation=organisation, action=Action.MANAGE_ORGANISATION):
        raise PermissionDenied(
            _("Only an owner of %(organisation)s can export its issued badges.") % {"organisation": organisation.name}
        )
    queryset = _export_queryset(organisation)
    row_count = queryset.count()
    audit_record(
        action="credential.export",
        organisation=organisation,
        actor=actor,
        target=organisation,
        details={"rows": row_count, "delimiter": delimiter},
    )
    logger.info("Exporting %s credentials of organisation %s as CSV", row_count, organisation.pk)
    return _csv_lines(queryset, CSV_DELIMITERS[delimiter])
