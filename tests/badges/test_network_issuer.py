"""Issuing under a network issuer profile: signed by the network, no trace of the organisation in public."""
import datetime
import io
import json
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.core.exceptions import ValidationError
from django.core.management import call_command
from PIL import Image

from badges.demo_images import emblem_svg
from badges.models import Credential
from badges.openbadges import baking, jws
from badges.openbadges.ob2 import signed_assertion_id
from badges.services import credential_issue, credential_renew, credential_revoke
from badges.verification import verify_submission
from badges.views.formats import DOWNLOADS
from issuers.did import did_for_slug
from issuers.images import clean_image
from issuers.models import AuditEvent, Organisation
from issuers.services import image_store, network_create, network_membership_set

BASE_URL = "http://127.0.0.1:8000"


@pytest.fixture
def network(organisation):
    network = network_create(
        slug="verkosto",
        name="Pirkanmaan järjestöverkosto",
        url="https://verkosto.example.fi",
        email="info@verkosto.example.fi",
        description="Yhteinen myöntäjä.",
    )
    # A logo of the organisation's own, which must never appear in network-issued output.
    organisation.logo = image_store(image=clean_image(emblem_svg("TP", "#7a3b00")))
    organisation.save(update_fields=["logo"])
    network_membership_set(organisation=organisation, network=network, may_issue=True)
    organisation.refresh_from_db()
    return network


@pytest.fixture
def network_credential(badge, staff, network):
    return credential_issue(
        badge=badge,
        recipient_name="Maija Meikäläinen",
        recipient_email="maija@example.fi",
        evidence_narrative="Haki tietoa kirjaston verkkopalvelusta.",
        actor=staff["instructor"],
        issue_as_network=True,
    )


def leak_terms(organisation) -> list[str]:
    """Return every public identifier of the organisation, lower-cased."""
    terms = [
        organisation.name,
        organisation.slug,
        organisation.url,
        urlsplit(organisation.url).hostname,
        organisation.email,
        organisation.description,
        did_for_slug(organisation.slug),
        str(organisation.public_id),
        organisation.logo.sha256,
    ]
    terms += [str(badge.public_id) for badge in organisation.badges.all()]
    return [term.lower() for term in terms if term]


def assert_no_leak(label: str, content, organisation) -> None:
    text = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else content
    text = text.lower()
    found = [term for term in leak_terms(organisation) if term in text]
    assert not found, f"{label} reveals the organisation: {found}"


def decoded_jws(token: str) -> str:
    header, payload = jws.decode_unverified(token)
    return json.dumps(header, ensure_ascii=False) + payload.decode("utf-8")


def local_path(url: str) -> str:
    assert url.startswith(BASE_URL), url
    return url[len(BASE_URL):]


def test_signed_by_network(network_credential, organisation, network):
    document = json.loads(network_credential.document)

    assert network_credential.organisation == organisation
    assert network_credential.issuer_profile == network
    assert document["issuer"]["id"] == did_for_slug(network.slug)
    assert document["issuer"]["name"] == "Pirkanmaan järjestöverkosto"
    proof = document["proof"][0] if isinstance(document["proof"], list) else document["proof"]
    assert proof["verificationMethod"].startswith(did_for_slug(network.slug) + "#")
    assert network_credential.signing_key.organisation == network
    assert network_credential.jws_signing_key.organisation == network
    assert network_credential.revocation_entry.status_list.organisation == network


def test_own_name_by_default(credential, organisation, network):
    assert credential.issuer_profile == organisation
    assert not credential.is_network_issued


def test_without_right_rejected(badge, staff, network, organisation):
    network_membership_set(organisation=organisation, network=network, may_issue=False)
    organisation.refresh_from_db()
    badge.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        credential_issue(badge=badge, recipient_name="Maija", actor=staff["instructor"], issue_as_network=True)
    assert "issue_as_network" in error.value.error_dict
    assert Credential.objects.count() == 0


def test_audit_stays_internal(network_credential, organisation, network):
    event = AuditEvent.objects.get(action="credential.issue")

    assert event.organisation == organisation
    assert event.details["issuer_profile_id"] == network.pk
    assert not AuditEvent.objects.filter(organisation=network, action="credential.issue").exists()


def test_public_outputs_do_not_leak(client, network_credential, organisation):
    credential_path = f"/credentials/{network_credential.id}"
    outputs = {
        "verification page": client.get(credential_path).content,
        "credential JSON": client.get(credential_path, HTTP_ACCEPT="application/json").content,
        "credential download": client.get(f"{credential_path}/credential.json").content,
        "certificate": client.get(f"{credential_path}/print/certificate").content,
        "wallet card": client.get(f"{credential_path}/print/card").content,
        "certificate in English": client.get(f"{credential_path}/print/certificate?lang=en").content,
    }
    for filename in DOWNLOADS:
        response = client.get(f"{credential_path}/{filename}")
        assert response.status_code == 200, filename
        outputs[filename] = response.content
        if filename.endswith((".png", ".svg")):
            for payload in baking.extract(response.content):
                outputs[f"{filename} baked payload"] = payload.text
                if payload.text.count(".") == 2 and not payload.text.lstrip().startswith("{"):
                    outputs[f"{filename} baked JWS decoded"] = decoded_jws(payload.text)
    # A JWS is base64url: search its decoded header and payload.
    outputs["VC-JWT decoded"] = decoded_jws(network_credential.jwt)
    outputs["OB 2.0 JWS decoded"] = decoded_jws(network_credential.ob2_jws)

    document = json.loads(network_credential.document)
    achievement_path = local_path(document["credentialSubject"]["achievement"]["id"])
    outputs["achievement page"] = client.get(achievement_path).content
    assertion = json.loads(network_credential.ob2_assertion)
    badge_class_response = client.get(local_path(assertion["badge"]), HTTP_ACCEPT="application/ld+json")
    assert badge_class_response.status_code == 200
    outputs["OB 2.0 BadgeClass"] = badge_class_response.content
    badge_class = json.loads(badge_class_response.content)
    outputs["OB 2.0 Issuer"] = client.get(local_path(badge_class["issuer"]), HTTP_ACCEPT="application/ld+json").content
    outputs["issuer profile page"] = client.get(f"/issuers/{network_credential.issuer_profile.slug}/").content
    outputs["DID document"] = client.get(f"/issuers/{network_credential.issuer_profile.slug}/did.json").content
    outputs["status list"] = client.get(local_path(document["credentialStatus"]["statusListCredential"])).content
    outputs["OB 2.0 revocation list"] = client.get(
        f"/ob2/issuers/{network_credential.issuer_profile.slug}/revocations"
    ).content
    outputs["verifier report (JSON)"] = client.post("/verify", {"credential": network_credential.document}).content
    outputs["verifier report (JWT)"] = client.post("/verify", {"credential": network_credential.jwt}).content
    outputs["verifier report (OB 2.0 URL)"] = client.post("/verify", {"credential": assertion["id"]}).content

    qr = client.get(f"{credential_path}/qr.png").content
    decoded = [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(qr)))]
    assert decoded == [f"{BASE_URL}{credential_path}"]

    for label, content in outputs.items():
        assert_no_leak(label, content, organisation)
    # The same outputs do name the network.
    assert "Pirkanmaan järjestöverkosto" in outputs["verification page"].decode()
    assert badge_class["issuer"] == f"{BASE_URL}/ob2/issuers/verkosto"


def test_every_format_verifies(client, network_credential):
    credential_path = f"/credentials/{network_credential.id}"
    submissions = {
        "ob3": network_credential.document.encode(),
        "ob3-jwt": network_credential.jwt.encode(),
        "ob2-signed": network_credential.ob2_jws.encode(),
        "ob2-hosted": json.loads(network_credential.ob2_assertion)["id"].encode(),
    }
    for filename in ("badge-ob3.png", "badge-ob3.svg", "badge-ob2.png", "badge-ob2.svg"):
        submissions[filename] = client.get(f"{credential_path}/{filename}").content

    for label, data in submissions.items():
        result = verify_submission(data)
        failed = [(check.code, check.reason) for check in result.checks if check.outcome == "failed"]
        assert result.valid, f"{label} does not verify: {failed}"
        assert result.summary.issuer_name == "Pirkanmaan järjestöverkosto", label


def test_revocation_by_organisation(client, network_credential, staff, network, organisation):
    credential_revoke(credential=network_credential, note="Myönnetty väärälle henkilölle.", actor=staff["owner"])

    page = client.get(f"/credentials/{network_credential.id}").content.decode()
    assert "Peruttu" in page
    assert "Kopioi linkki" not in page
    result = verify_submission(network_credential.document.encode())
    assert not result.valid
    assert result.check("status").reason == "status_revoked"

    network_list = client.get("/ob2/issuers/verkosto/revocations").json()
    assert network_list["revokedAssertions"] == [signed_assertion_id(network_credential.id)]
    own_list = client.get("/ob2/issuers/taitopaja/revocations").json()
    assert own_list.get("revokedAssertions", []) == []
    hosted = client.get(f"/ob2/assertions/{network_credential.id}", HTTP_ACCEPT="application/ld+json")
    assert hosted.status_code == 410


def test_revoke_view_by_owner(client, network_credential, staff):
    client.force_login(staff["owner"])

    response = client.post(
        f"/staff/taitopaja/credentials/{network_credential.id}/revoke/",
        {"note": "Myönnetty väärälle henkilölle.", "public_reason": "", "confirm": "on"},
    )

    network_credential.refresh_from_db()
    assert response.status_code == 302
    assert network_credential.revoked_at is not None
    assert network_credential.revocation_entry.is_set
    issued_page = client.get(f"/staff/taitopaja/credentials/{network_credential.id}/").content.decode()
    assert "Peruttu" in issued_page


def test_renewal_keeps_network(network_credential, staff, network):
    renewed = credential_renew(credential=network_credential, actor=staff["instructor"])

    assert renewed.issuer_profile == network


def test_own_achievement_page_names_organisation(client, credential, organisation, network):
    document = json.loads(credential.document)
    page = client.get(local_path(document["credentialSubject"]["achievement"]["id"])).content.decode()

    assert organisation.name in page
    assert network.name not in page


def test_staff_issued_page_names_profile(client, network_credential, staff):
    client.force_login(staff["instructor"])

    page = client.get(f"/staff/taitopaja/credentials/{network_credential.id}/").content.decode()

    assert "Pirkanmaan järjestöverkosto" in page
    assert f"/credentials/{network_credential.id}/print/certificate" in page


def test_issue_form_offers_network(client, badge, staff, network):
    client.force_login(staff["instructor"])

    page = client.get("/staff/taitopaja/issue/").content.decode()
    assert "Pirkanmaan järjestöverkosto" in page
    response = client.post(
        "/staff/taitopaja/issue/",
        {
            "badge": badge.pk,
            "recipient_name": "Maija Meikäläinen",
            "recipient_language": "fi",
            "issued_on": datetime.date.today().isoformat(),
            "issue_as": "network",
        },
    )

    credential = Credential.objects.get()
    assert response.status_code == 302
    assert credential.issuer_profile == network


def test_issue_form_hides_choice_without_right(client, badge, staff):
    client.force_login(staff["instructor"])

    page = client.get("/staff/taitopaja/issue/").content.decode()

    assert 'name="issue_as"' not in page


def test_network_member_command(organisation):
    call_command(
        "network_member", "taitopaja", "verkko", "--create",
        "--name", "Verkko", "--url", "https://verkko.example.fi", "--email", "info@verkko.example.fi",
        stdout=io.StringIO(),
    )

    organisation.refresh_from_db()
    network = Organisation.objects.get(slug="verkko")
    assert network.is_network
    assert network.signing_keys.count() == 2
    assert organisation.issuing_network == network


def test_network_cannot_join_network(organisation, network):
    with pytest.raises(ValidationError):
        network_membership_set(organisation=network, network=network, may_issue=True)


def test_seed_demo_network(db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    organisation = Organisation.objects.get(slug="taitopaja")
    assert organisation.issuing_network.slug == "pirkanmaan-jarjestoverkosto"
