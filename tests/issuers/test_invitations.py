"""Staff invitations: creating, emailing, accepting, resending and cancelling."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from issuers.invitations import (
    INVITATION_LIFETIME,
    InvitationState,
    InvitationUnavailable,
    hash_token,
    invitation_accept,
    invitation_accept_new_account,
    invitation_cancel,
    invitation_create,
    invitation_resend,
)
from issuers.models import Invitation, Membership, Role
from notifications.models import OutboxEmail
from tests.conftest import PASSWORD
from tests.issuers.staff_helpers import NEW_PASSWORD, login, token_from_outbox


@pytest.fixture
def invitation(organisation, staff):
    return invitation_create(
        organisation=organisation, email="uusi.ohjaaja@Example.FI", role=Role.EDITOR, actor=staff["owner"],
        language="fi",
    )


def test_create_stores_hash_and_queues_email(invitation, organisation):
    token = token_from_outbox(invitation)
    email = OutboxEmail.objects.get(kind="staff_invitation")

    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash
    assert invitation.email == "uusi.ohjaaja@example.fi"
    assert invitation.expires_at - invitation.created_at == pytest.approx(INVITATION_LIFETIME, abs=datetime.timedelta(seconds=5))
    assert email.to == "uusi.ohjaaja@example.fi"
    assert email.language == "fi"
    assert email.organisation == organisation
    assert email.related_id == str(invitation.pk)
    assert "Taitopaja ry" in email.subject
    assert "muokkaaja" in email.body_text.lower()
    assert f"/invitations/{token}/" in email.body_html
    assert "<html lang=\"fi\">" in email.body_html


def test_email_in_chosen_language(organisation, staff):
    invitation = invitation_create(
        organisation=organisation, email="ny@example.fi", role=Role.INSTRUCTOR, actor=staff["owner"], language="sv"
    )
    email = OutboxEmail.objects.get(related_id=str(invitation.pk))
    assert email.language == "sv"
    assert "Taitopaja ry" in email.subject
    assert "Inbjudan" in email.subject


@pytest.mark.parametrize("role", ["editor", "instructor"])
def test_only_owner_invites(organisation, staff, role):
    with pytest.raises(PermissionDenied):
        invitation_create(organisation=organisation, email="x@example.fi", role=Role.EDITOR, actor=staff[role],
                          language="fi")
    assert not Invitation.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_second_pending_invitation_rejected(invitation, organisation, staff):
    with pytest.raises(ValidationError) as error:
        invitation_create(organisation=organisation, email="UUSI.ohjaaja@example.fi", role=Role.OWNER,
                          actor=staff["owner"], language="fi")
    assert "email" in error.value.error_dict


def test_unknown_role_rejected(organisation, staff):
    with pytest.raises(ValidationError):
        invitation_create(organisation=organisation, email="x@example.fi", role="admin", actor=staff["owner"],
                          language="fi")


def test_accept_new_account(invitation, organisation):
    token = token_from_outbox(invitation)
    membership = invitation_accept_new_account(token=token, username="uusi", password=NEW_PASSWORD)

    invitation.refresh_from_db()
    assert membership.organisation == organisation
    assert membership.role == Role.EDITOR
    assert membership.user.email == "uusi.ohjaaja@example.fi"
    assert membership.user.check_password(NEW_PASSWORD)
    assert invitation.accepted_by == membership.user
    assert invitation.accepted_at is not None


def test_accept_rejects_weak_password(invitation):
    token = token_from_outbox(invitation)
    with pytest.raises(ValidationError):
        invitation_accept_new_account(token=token, username="uusi", password="12345678")
    assert not get_user_model().objects.filter(username="uusi").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accept_existing_user(invitation, make_user, organisation):
    user = make_user("olemassa")
    membership = invitation_accept(token=token_from_outbox(invitation), user=user)
    assert membership.user == user
    assert membership.role == Role.EDITOR


def test_accept_twice_rejected(invitation, make_user):
    token = token_from_outbox(invitation)
    invitation_accept(token=token, user=make_user("eka"))
    with pytest.raises(InvitationUnavailable) as error:
        invitation_accept(token=token, user=make_user("toka"))
    assert error.value.state == InvitationState.ACCEPTED


def test_existing_member_cannot_accept(invitation, staff):
    with pytest.raises(ValidationError):
        invitation_accept(token=token_from_outbox(invitation), user=staff["instructor"])
    assert Membership.objects.get(user=staff["instructor"]).role == Role.INSTRUCTOR


def test_expired_rejected(invitation, make_user):
    token = token_from_outbox(invitation)
    later = timezone.now() + INVITATION_LIFETIME + datetime.timedelta(minutes=1)
    with pytest.raises(InvitationUnavailable) as error:
        invitation_accept(token=token, user=make_user("myohassa"), now=later)
    assert error.value.state == InvitationState.EXPIRED


def test_resend_replaces_token(invitation, staff, make_user):
    old_token = token_from_outbox(invitation)
    invitation_resend(invitation=invitation, actor=staff["owner"], language="fi")
    new_token = token_from_outbox(invitation)

    assert new_token != old_token
    assert OutboxEmail.objects.filter(related_id=str(invitation.pk)).count() == 2
    with pytest.raises(InvitationUnavailable) as error:
        invitation_accept(token=old_token, user=make_user("vanha"))
    assert error.value.state == InvitationState.UNKNOWN
    assert invitation_accept(token=new_token, user=make_user("uusi")).role == Role.EDITOR


def test_resend_renews_expired(invitation, staff):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    invitation_resend(invitation=invitation, actor=staff["owner"], language="fi")
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=6)


def test_cancel_blocks_link(invitation, staff, make_user):
    token = token_from_outbox(invitation)
    invitation_cancel(invitation=invitation, actor=staff["owner"])
    with pytest.raises(InvitationUnavailable) as error:
        invitation_accept(token=token, user=make_user("peruttu"))
    assert error.value.state == InvitationState.CANCELLED
    with pytest.raises(InvitationUnavailable):
        invitation_resend(invitation=invitation, actor=staff["owner"], language="fi")


# Views


def test_invite_view_sends(client, organisation, staff):
    login(client, staff["owner"])
    response = client.post(
        f"/staff/{organisation.slug}/members/invite/",
        {"email": "kutsuttu@example.fi", "role": "instructor", "language": "sv"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.role == Role.INSTRUCTOR
    assert OutboxEmail.objects.get().language == "sv"


def test_invite_view_shows_errors(client, organisation, staff):
    login(client, staff["owner"])
    response = client.post(
        f"/staff/{organisation.slug}/members/invite/", {"email": "kutsuttu@", "role": "instructor", "language": "fi"}
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not Invitation.objects.exists()


def test_accept_page_creates_account_and_logs_in(client, invitation, organisation):
    token = token_from_outbox(invitation)
    url = f"/invitations/{token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert "Taitopaja ry" in page.content.decode()

    response = client.post(url, {"username": "uusi", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == f"/staff/{organisation.slug}/"
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert Membership.objects.get(user__username="uusi").role == Role.EDITOR


def test_accept_page_password_errors(client, invitation):
    url = f"/invitations/{token_from_outbox(invitation)}/"
    response = client.post(url, {"username": "uusi", "password1": "salasana", "password2": "salasana"})
    assert response.status_code == 200
    assert "id_password2-errors" in response.content.decode()
    assert not get_user_model().objects.filter(username="uusi").exists()


def test_accept_page_logged_in_user(client, invitation, make_user, organisation):
    user = make_user("kirjautunut")
    login(client, user)
    url = f"/invitations/{token_from_outbox(invitation)}/"
    assert "kirjautunut" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert Membership.objects.get(user=user, organisation=organisation).role == Role.EDITOR


def test_accept_page_existing_member_error(client, invitation, staff):
    login(client, staff["instructor"])
    response = client.post(f"/invitations/{token_from_outbox(invitation)}/")
    assert response.status_code == 200
    assert "Olet jo" in response.content.decode()


@pytest.mark.parametrize(
    ("change", "status", "text"),
    [
        ("expire", 410, "vanhentunut"),
        ("accept", 410, "jo käytetty"),
        ("cancel", 410, "peruttu"),
        ("unknown", 404, "uusimman"),
    ],
)
def test_accept_page_unusable_links(client, invitation, staff, make_user, change, status, text):
    token = token_from_outbox(invitation)
    if change == "expire":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif change == "accept":
        invitation_accept(token=token, user=make_user("joku"))
    elif change == "cancel":
        invitation_cancel(invitation=invitation, actor=staff["owner"])
    else:
        token = "x" * 43
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == status
    assert text in response.content.decode()
    post = client.post(f"/invitations/{token}/", {"username": "uusi2", "password1": NEW_PASSWORD,
                                                   "password2": NEW_PASSWORD})
    assert post.status_code == status
    assert not get_user_model().objects.filter(username="uusi2").exists()


def test_resend_and_cancel_views(client, invitation, organisation, staff):
    login(client, staff["owner"])
    old_hash = invitation.token_hash
    response = client.post(f"/staff/{organisation.slug}/invitations/{invitation.pk}/resend/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash

    response = client.post(f"/staff/{organisation.slug}/invitations/{invitation.pk}/cancel/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None
    page = client.get(f"/staff/{organisation.slug}/members/").content.decode()
    assert "Odottavia kutsuja ei ole." in page


def test_login_then_accept_keeps_token(client, invitation, make_user):
    make_user("palaava")
    url = f"/invitations/{token_from_outbox(invitation)}/"
    response = client.post("/accounts/login/", {"username": "palaava", "password": PASSWORD, "next": url})
    assert response.status_code == 302
    assert response["Location"] == url
