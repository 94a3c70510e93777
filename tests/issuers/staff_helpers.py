"""Helpers shared by the staff, invitation and audit tests."""
import re

from notifications.models import OutboxEmail
from tests.conftest import PASSWORD

# A password that passes Django's validators, for accounts created from invitations.
NEW_PASSWORD = "Kesä-sade-2026-kirja"
ACCEPT_LINK = re.compile(r"/invitations/(?P<token>[A-Za-z0-9_-]+)/")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def token_from_outbox(invitation) -> str:
    """Return the token of the newest invitation email for ``invitation``, read from its text body."""
    email = OutboxEmail.objects.filter(kind="staff_invitation", related_id=str(invitation.pk)).order_by(
        "-created_at"
    ).first()
    assert email is not None, f"no invitation email for invitation {invitation.pk}"
    match = ACCEPT_LINK.search(email.body_text)
    assert match, email.body_text
    return match["token"]


def audit_secrets(extra=()) -> set[str]:
    """Return every value that must never appear in the audit trail, from what the test wrote.

    Invitation tokens (read from the emails), email addresses, recipients'
    names, revocation notes, encrypted private keys and the test passwords.
    """
    from badges.models import Credential
    from issuers.models import Invitation, SigningKey
    from tests.conftest import PASSWORD

    secrets = {PASSWORD, *extra}
    for email in OutboxEmail.objects.all():
        secrets.add(email.to)
        secrets.update(match["token"] for match in ACCEPT_LINK.finditer(email.body_text))
    secrets.update(Invitation.objects.values_list("email", flat=True))
    secrets.update(SigningKey.objects.values_list("encrypted_private_key", flat=True))
    for name, email, note in Credential.objects.values_list("recipient_name", "recipient_email", "revocation_note"):
        secrets.update((name, email, note))
    return {secret for secret in secrets if secret}


def assert_audit_free_of_secrets(extra=()) -> int:
    """Fail if any audit row contains a secret or personal value; return how many rows were scanned."""
    import json

    from issuers.models import AuditEvent

    secrets = {secret.casefold() for secret in audit_secrets(extra)}
    rows = list(AuditEvent.objects.all())
    for event in rows:
        text = " ".join(
            [event.action, event.target_type, event.target_id, json.dumps(event.details, ensure_ascii=False)]
        ).casefold()
        leaked = sorted(secret for secret in secrets if secret in text)
        assert not leaked, f"audit event {event.pk} ({event.action}) contains {leaked}"
    return len(rows)
