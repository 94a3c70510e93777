"""Helpers shared by the staff, invitation and audit tests."""
import re

from notifications.models import OutboxEmail
from tests.conftest import PASSWORD

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
