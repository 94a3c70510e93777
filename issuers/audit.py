"""The audit trail as people read it: translated action labels, target links and the CSV export.

Events store ids and event names only (see ``AuditEvent``), so nothing
here can show a recipient's name, an email address or a secret.
"""
import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The formula guard of the issued-badges export, so both CSV files are
# protected the same way.
from badges.dashboard import spreadsheet_safe
from badges.models import BadgeStatus

from .models import AuditEvent, Organisation, Role

ACTION_LABELS = {
    "organisation.create": gettext_lazy("Organisation created"),
    "organisation.update": gettext_lazy("Organisation profile edited"),
    "signing_key.create": gettext_lazy("Signing key created"),
    "signing_key.rotate": gettext_lazy("Signing keys replaced"),
    "signing_key.revoke": gettext_lazy("Signing key revoked"),
    "badge.create": gettext_lazy("Badge created"),
    "badge.update": gettext_lazy("Badge edited"),
    "badge_template.copy": gettext_lazy("Badge copied from the template library"),
    "credential.issue": gettext_lazy("Badge issued"),
    "credential.revoke": gettext_lazy("Badge revoked"),
    "credential.export": gettext_lazy("Issued badges exported"),
    "membership.create": gettext_lazy("Staff member added"),
    "membership.update": gettext_lazy("Role changed"),
    "membership.delete": gettext_lazy("Staff member removed"),
    "invitation.create": gettext_lazy("Staff member invited"),
    "invitation.resend": gettext_lazy("Invitation sent again"),
    "invitation.cancel": gettext_lazy("Invitation cancelled"),
    "invitation.accept": gettext_lazy("Invitation accepted"),
    "audit.export": gettext_lazy("Audit trail exported"),
    "bulk.start": gettext_lazy("Bulk issuing started"),
    "credential.claim_email_resend": gettext_lazy("Claim email sent again"),
    "earner_data.export": gettext_lazy("Earner's data exported on request"),
    "earner_data.erase": gettext_lazy("Earner's personal data erased on request"),
    "network.create": gettext_lazy("Network issuer profile created"),
    "organisation.network_set": gettext_lazy("Network membership changed"),
}

TARGET_LABELS = {
    "organisation": gettext_lazy("Organisation"),
    "signingkey": gettext_lazy("Signing key"),
    "badgeclass": gettext_lazy("Badge"),
    "credential": gettext_lazy("Issued badge"),
    "membership": gettext_lazy("Staff member"),
    "invitation": gettext_lazy("Invitation"),
    "bulkjob": gettext_lazy("Bulk issuing job"),
}

DETAIL_LABELS = {
    "role": gettext_lazy("role"),
    "previous_role": gettext_lazy("previous role"),
    "user_id": gettext_lazy("staff member"),
    "key_id": gettext_lazy("key"),
    "version": gettext_lazy("version"),
    "status": gettext_lazy("state"),
    "badge_version": gettext_lazy("badge version"),
    "algorithm": gettext_lazy("algorithm"),
    "replacement": gettext_lazy("replacement key"),
    "retired": gettext_lazy("retired keys"),
    "created": gettext_lazy("new keys"),
    "fields": gettext_lazy("fields"),
    "rows": gettext_lazy("rows"),
    "new_account": gettext_lazy("new account"),
    "public_reason_given": gettext_lazy("public reason given"),
    "renewed_from": gettext_lazy("renewed from"),
    "template_code": gettext_lazy("template"),
    "template_id": gettext_lazy("template"),
    "badge_id": gettext_lazy("badge"),
    "issuer_profile_id": gettext_lazy("issuer profile"),
    "membership_id": gettext_lazy("membership"),
    "network_id": gettext_lazy("network"),
    "may_issue": gettext_lazy("may issue under the network's name"),
    "source": gettext_lazy("source"),
    "to_issue": gettext_lazy("rows to issue"),
    "already_issued": gettext_lazy("rows already issued"),
    "invalid": gettext_lazy("rows with errors"),
    "duplicates": gettext_lazy("repeated rows"),
    "scope": gettext_lazy("scope"),
    "credential_ids": gettext_lazy("issued badges"),
    "delimiter": gettext_lazy("separator"),
    "code": gettext_lazy("code"),
    "missing": gettext_lazy("missing parts"),
    "warnings": gettext_lazy("warnings"),
}

CSV_DELIMITER = ";"


def action_label(action: str) -> str:
    """Return the translated label of ``action``, or the code itself for an action without a label."""
    return str(ACTION_LABELS.get(action, action))


def action_choices(extra: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Return ``(code, label)`` pairs of every labelled action and of ``extra`` codes, by label."""
    codes = set(ACTION_LABELS) | set(extra)
    return sorted(((code, action_label(code)) for code in codes), key=lambda pair: pair[1].casefold())


def _detail_value(key: str, value, usernames: dict[int, str]) -> str:
    if key == "user_id" and value in usernames:
        return usernames[value]
    if key in ("role", "previous_role") and value in Role.values:
        return str(Role(value).label)
    if key == "status" and value in BadgeStatus.values:
        return str(BadgeStatus(value).label)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def detail_items(event: AuditEvent, usernames: dict[int, str]) -> list[tuple[str, str]]:
    details = event.details if isinstance(event.details, dict) else {}
    # Empty values (an issue that renews nothing, say) would only add noise.
    return [
        (str(DETAIL_LABELS.get(key, key)), _detail_value(key, value, usernames))
        for key, value in details.items()
        if value not in (None, "", [], {})
    ]


def _usernames_for(events: list[AuditEvent]) -> dict[int, str]:
    """Return ``{user id: username}`` of the staff members that ``events`` name in ``user_id``."""
    ids = {event.details.get("user_id") for event in events if isinstance(event.details, dict)}
    ids = {user_id for user_id in ids if isinstance(user_id, int)}
    users = get_user_model().objects.filter(pk__in=ids)
    return {user.pk: user.get_username() for user in users}


def target_url(event: AuditEvent, organisation: Organisation, badge_slugs: dict[str, str]) -> str:
    """Return the staff page of the event's target inside ``organisation``, or "" when there is none."""
    slug = organisation.slug
    if event.target_type == "credential" and event.target_id:
        return reverse("staff:issued", kwargs={"slug": slug, "credential_id": event.target_id})
    if event.target_type == "badgeclass" and event.target_id in badge_slugs:
        return reverse("staff:badge_edit", kwargs={"slug": slug, "badge_slug": badge_slugs[event.target_id]})
    if event.target_type == "signingkey":
        return reverse("staff:keys", kwargs={"slug": slug})
    if event.target_type == "organisation":
        return reverse("staff:settings", kwargs={"slug": slug})
    if event.target_type in ("membership", "invitation"):
        return reverse("staff:members", kwargs={"slug": slug})
    return ""


def badge_slugs_for(events: Iterable[AuditEvent], organisation: Organisation) -> dict[str, str]:
    """Return ``{badge pk as text: slug}`` for the badges that ``events`` target."""
    ids = {event.target_id for event in events if event.target_type == "badgeclass" and event.target_id.isdigit()}
    if not ids:
        return {}
    # The badges app depends on issuers, so the model is looked up by name.
    badge_model = apps.get_model("badges", "BadgeClass")
    rows = badge_model.objects.filter(organisation=organisation, pk__in=ids).values_list("pk", "slug")
    return {str(pk): slug for pk, slug in rows}


def rows_for_page(events: Iterable[AuditEvent], organisation: Organisation) -> list[dict]:
    events = list(events)
    badge_slugs = badge_slugs_for(events, organisation)
    usernames = _usernames_for(events)
    return [
        {
            "event": event,
            "label": action_label(event.action),
            "actor": event.actor.get_username() if event.actor else "",
            "target_label": str(TARGET_LABELS.get(event.target_type, event.target_type)),
            "target_url": target_url(event, organisation, badge_slugs),
            "details": detail_items(event, usernames),
        }
        for event in events
    ]


def csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    """Yield the CSV file line by line: a BOM for Excel, a header, then one row per event.

    Every text cell goes through ``spreadsheet_safe``, because usernames
    may start with "+", "-" or "@", which spreadsheets read as a formula.
    """
    yield "\ufeff"
    yield _csv_row([_("Time"), _("Action"), _("Action code"), _("Person"), _("Target"), _("Target id"),
                    _("Details")])
    if hasattr(events, "iterator"):
        # A query set is read in chunks, so a long trail does not sit in memory.
        events = events.iterator(chunk_size=2000)
    for event in events:
        yield _csv_row([
            timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            action_label(event.action),
            event.action,
            event.actor.get_username() if event.actor else "",
            event.target_type,
            event.target_id,
            json.dumps(event.details, ensure_ascii=False, sort_keys=True),
        ])


def _csv_row(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n").writerow(
        [spreadsheet_safe(str(cell)) for cell in cells]
    )
    return buffer.getvalue()
