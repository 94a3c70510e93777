"""Claiming: the issue-time email with its claim link, claim codes and claims by verified address."""
import datetime
import io

import pytest
from django.db import transaction
from django.utils import timezone

from badges.services import credential_issue
from earners import claims, codes
from earners.models import Claim, ClaimCode, ClaimToken, Earner
from issuers import keystore
from issuers.models import AuditEvent
from notifications.models import OutboxEmail

from .conftest import link_from_email, path_of, sign_in_client

pytestmark = pytest.mark.django_db


def test_issue_queues_claim_email(credential):
    email = OutboxEmail.objects.get(kind="badge_issued")

    assert email.to == "maija.meikalainen@example.fi"
    assert email.related_id == str(credential.id)
    assert email.language == "fi"
    assert "Digitaalinen tiedonhaku" in email.subject
    assert "/passi/lunasta/" in email.body_text
    assert "/passi/lunasta/" in email.body_html
    assert ClaimToken.objects.filter(credential=credential).count() == 1


def test_claim_email_in_recipient_language(badge, staff):
    credential_issue(badge=badge, recipient_name="Sara Svensson", recipient_email="sara@example.fi",
                     recipient_language="sv", actor=staff["owner"])

    email = OutboxEmail.objects.get(kind="badge_issued")
    assert email.language == "sv"
    assert "Digital informationssökning" in email.subject


def test_rolled_back_issue_sends_nothing(badge, staff):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            credential_issue(badge=badge, recipient_name="Maija", recipient_email="maija@example.fi",
                             actor=staff["owner"])
            raise RuntimeError("abort the issue")

    assert OutboxEmail.objects.count() == 0
    assert ClaimToken.objects.count() == 0


def test_token_stored_as_hash(credential):
    token = link_from_email("badge_issued").rstrip("/").rsplit("/", 1)[1]

    row = ClaimToken.objects.get(credential=credential)
    assert row.token_hash == codes.token_hash(token)
    assert token not in row.token_hash


def test_claim_link_new_account(client, credential):
    url = path_of(link_from_email("badge_issued"))

    page = client.get(url)
    assert page.status_code == 200
    assert "Digitaalinen tiedonhaku" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert Claim.objects.count() == 0

    response = client.post(url)
    assert response.status_code == 302
    claim = Claim.objects.get(credential=credential)
    assert claim.method == "link"
    assert list(claim.earner.emails.values_list("address", flat=True)) == ["maija.meikalainen@example.fi"]
    assert client.session["earner_id"] == str(claim.earner_id)


def test_claim_link_single_use(client, credential):
    url = path_of(link_from_email("badge_issued"))
    client.post(url)

    again = client.get(url)

    assert again.status_code == 410
    assert ClaimToken.objects.count() == 0


def test_claim_link_expired(client, credential):
    url = path_of(link_from_email("badge_issued"))
    ClaimToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    assert client.get(url).status_code == 410
    assert client.post(url).status_code == 410
    assert Claim.objects.count() == 0


def test_claim_link_signed_in(earner_client, credential):
    url = path_of(link_from_email("badge_issued"))

    earner_client.post(url)

    assert Claim.objects.get(credential=credential).earner == earner_client.earner


def test_claim_link_known_address_no_session(client, make_earner, credential):
    owner = make_earner("maija.meikalainen@example.fi")
    url = path_of(link_from_email("badge_issued"))

    response = client.post(url)

    assert response.status_code == 302
    assert Claim.objects.get(credential=credential).earner == owner
    # A 90-day claim link must not sign in to an existing account.
    assert "earner_id" not in client.session


def test_claim_link_requires_csrf(credential):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = path_of(link_from_email("badge_issued"))

    assert client.post(url).status_code == 403
    assert Claim.objects.count() == 0


def test_claimed_by_other_earner_refused(make_earner, credential):
    first = make_earner("first@example.fi")
    second = make_earner("second@example.fi")
    token = link_from_email("badge_issued").rstrip("/").rsplit("/", 1)[1]
    claims.claim_by_token(token=token, earner=first)
    ClaimToken.objects.create(credential=credential, token_hash=codes.token_hash("again"),
                              expires_at=timezone.now() + datetime.timedelta(days=1))

    with pytest.raises(claims.ClaimError):
        claims.claim_by_token(token="again", earner=second)
    assert Claim.objects.get(credential=credential).earner == first


def test_code_created_without_email(codeless_credential):
    claim_code = ClaimCode.objects.get(credential=codeless_credential)
    code = keystore.decrypt_text(claim_code.encrypted_code)

    assert len(code) == 12
    assert code[4] == code[9] == "-"
    assert not set(code.replace("-", "")) & set("01OIL")
    assert claim_code.code_hash == codes.code_hash(codes.code_normalize(code))
    assert code not in claim_code.encrypted_code
    assert OutboxEmail.objects.count() == 0


def test_code_normalize_forgiving():
    assert codes.code_normalize(" abcd efgh-jk ") == "ABCDEFGHJK"
    assert codes.code_normalize("ABCD-EFGH-J0") is None
    assert codes.code_normalize("ABCD-EFGH") is None


def test_claim_by_code(make_earner, codeless_credential):
    earner = make_earner("kalle@example.fi")
    code = claims.claim_code_text(codeless_credential)

    claim = claims.claim_by_code(code=code.lower().replace("-", " "), earner=earner, ip_address="10.0.0.1")

    assert claim.earner == earner
    assert claim.method == "code"
    assert not ClaimCode.objects.filter(credential=codeless_credential).exists()


def test_wrong_code_refused(make_earner, codeless_credential):
    earner = make_earner("kalle@example.fi")

    with pytest.raises(claims.ClaimError, match="Tarkista kortin koodi"):
        claims.claim_by_code(code="ABCD-EFGH-JK", earner=earner, ip_address="10.0.0.1")
    with pytest.raises(claims.ClaimError, match="10 kirjainta"):
        claims.claim_by_code(code="OOOO", earner=earner, ip_address="10.0.0.1")
    assert Claim.objects.count() == 0


def test_code_attempts_rate_limited(make_earner, codeless_credential):
    earner = make_earner("kalle@example.fi")
    for _attempt in range(10):
        with pytest.raises(claims.ClaimError):
            claims.claim_by_code(code="ABCD-EFGH-JK", earner=earner, ip_address="10.0.0.1")

    # Even the right code is refused once the limit is reached.
    with pytest.raises(claims.ClaimError, match="Liian monta yritystä"):
        claims.claim_by_code(code=claims.claim_code_text(codeless_credential), earner=earner, ip_address="10.0.0.1")
    assert Claim.objects.count() == 0


def test_code_page_view(client, make_earner, codeless_credential):
    earner = make_earner("kalle@example.fi")
    sign_in_client(client, earner)

    wrong = client.post("/passi/koodi/", {"code": "ABCD-EFGH-JK"})
    assert wrong.status_code == 200
    assert "Mikään merkki ei vastaa tätä koodia" in wrong.content.decode()

    right = client.post("/passi/koodi/", {"code": claims.claim_code_text(codeless_credential)})
    assert right.status_code == 302
    assert Claim.objects.get().earner == earner


def test_code_page_needs_sign_in(client):
    response = client.get("/passi/koodi/")

    assert response.status_code == 302
    assert response["Location"].startswith("/passi/kirjaudu/?next=")


def test_address_claims_listed_not_automatic(earner_client, credential):
    page = earner_client.get("/passi/")

    assert Claim.objects.count() == 0
    assert "Digitaalinen tiedonhaku" in page.content.decode()

    earner_client.post(f"/passi/merkit/{credential.id}/lunasta/")
    assert Claim.objects.get().earner == earner_client.earner


def test_address_claim_other_address_refused(client, make_earner, credential):
    stranger = make_earner("stranger@example.fi")
    sign_in_client(client, stranger)

    response = client.post(f"/passi/merkit/{credential.id}/lunasta/")

    assert response.status_code == 302
    assert Claim.objects.count() == 0


def test_resend_new_link_old_invalid(client, credential, staff):
    old = path_of(link_from_email("badge_issued"))
    client.force_login(staff["instructor"])

    response = client.post(f"/staff/taitopaja/credentials/{credential.id}/resend/")

    assert response.status_code == 302
    assert OutboxEmail.objects.filter(kind="badge_issued").count() == 2
    new = path_of(link_from_email("badge_issued"))
    assert new != old
    client.logout()
    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200
    event = AuditEvent.objects.get(action="credential.claim_email_resend")
    assert event.target_id == str(credential.id)
    assert "example.fi" not in str(event.details)


def test_resend_other_organisation_refused(client, credential, other_organisation, make_user):
    from issuers.services import membership_set

    outsider = make_user("outsider")
    membership_set(user=outsider, organisation=other_organisation, role="owner")
    client.force_login(outsider)

    response = client.post(f"/staff/taitopaja/credentials/{credential.id}/resend/")

    assert response.status_code == 403
    assert OutboxEmail.objects.filter(kind="badge_issued").count() == 1


def test_claim_card_shows_code(client, codeless_credential, staff):
    client.force_login(staff["instructor"])

    page = client.get(f"/staff/taitopaja/credentials/{codeless_credential.id}/claim-card/")

    content = page.content.decode()
    assert page.status_code == 200
    assert claims.claim_code_text(codeless_credential) in content
    assert 'lang="sv"' in content
    assert "Din kod" in content or "koden" in content
    assert f"/credentials/{codeless_credential.id}/qr.svg" in content


def test_claim_card_other_organisation(client, codeless_credential, other_organisation, make_user):
    from issuers.services import membership_set

    outsider = make_user("outsider")
    membership_set(user=outsider, organisation=other_organisation, role="owner")
    client.force_login(outsider)

    response = client.get(f"/staff/taitopaja/credentials/{codeless_credential.id}/claim-card/")

    assert response.status_code == 403


def test_earner_never_created_by_get(client, credential):
    client.get(path_of(link_from_email("badge_issued")))

    assert Earner.objects.count() == 0


def test_issue_form_queues_claim_email(client, badge, staff):
    client.force_login(staff["instructor"])

    client.post("/staff/taitopaja/issue/", {
        "badge": badge.pk, "recipient_name": "Maija Meikäläinen", "recipient_email": "maija@example.fi",
        "recipient_language": "en", "issued_on": timezone.localdate().isoformat(),
    })

    email = OutboxEmail.objects.get(kind="badge_issued")
    assert email.to == "maija@example.fi"
    assert email.language == "en"


def test_issue_command_queues_claim_email(badge):
    from django.core.management import call_command

    call_command("issue_badge", "--badge", "taitopaja/tiedonhaku", "--name", "Maija Meikäläinen",
                 "--email", "maija@example.fi", stdout=io.StringIO())

    assert OutboxEmail.objects.get(kind="badge_issued").to == "maija@example.fi"


def test_issue_command_without_email_gets_code(badge):
    from django.core.management import call_command

    call_command("issue_badge", "--badge", "taitopaja/tiedonhaku", "--name", "Kalle Koodinen",
                 stdout=io.StringIO())

    assert ClaimCode.objects.count() == 1
    assert OutboxEmail.objects.count() == 0


def test_subject_not_html_escaped(organisation, badge_image, staff):
    from badges.models import BadgeStatus
    from badges.services import badge_create
    from tests.conftest import make_content

    special = badge_create(organisation=organisation, slug="erikois", status=BadgeStatus.PUBLISHED,
                           content=make_content(badge_image, name="Tiimi & yhteistyö", translations={}))
    credential_issue(badge=special, recipient_name="Maija", recipient_email="maija@example.fi", actor=staff["owner"])

    email = OutboxEmail.objects.get(kind="badge_issued")
    assert "Tiimi & yhteistyö" in email.subject
    assert "Tiimi & yhteistyö" in email.body_text
    assert "Tiimi &amp; yhteistyö" in email.body_html


def test_network_badge_email_names_network(badge, staff, organisation):
    from issuers.services import network_create, network_membership_set

    network = network_create(slug="verkosto", name="Pirkanmaan järjestöverkosto", url="https://verkosto.example.fi",
                             email="info@verkosto.example.fi")
    network_membership_set(organisation=organisation, network=network, may_issue=True)
    organisation.refresh_from_db()

    credential_issue(badge=badge, recipient_name="Maija", recipient_email="maija@example.fi",
                     actor=staff["instructor"], issue_as_network=True)

    email = OutboxEmail.objects.get(kind="badge_issued")
    assert "Pirkanmaan järjestöverkosto" in email.body_text
    assert "Taitopaja" not in email.body_text
    assert "Taitopaja" not in email.body_html
