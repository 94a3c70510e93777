"""Who may open which staff page and send which form, for every URL of the service.

Each row of ``MATRIX`` is one URL and one HTTP method with the expected
outcome for each kind of visitor:

- ``owner``, ``editor``, ``instructor``: staff of organisation A (taitopaja);
- ``outsider``: the owner of organisation B (toinen) and of nothing else;
- ``anonymous``: a visitor who is not logged in.

URL arguments name objects of the shared world, such as ``"a.slug"`` or
``"b.credential.id"``, so a row can aim A's URLs at B's objects. Every
request runs in its own rolled-back transaction on one world built per
module. A request with any outcome other than OK or REDIRECT must change
nothing in the database.

To add a row for a new view, add one line to ``MATRIX``::

    get("staff:my_page", OK, FORBIDDEN, FORBIDDEN, slug="a.slug"),
    post("staff:my_page", REDIRECT, FORBIDDEN, FORBIDDEN, slug="a.slug"),

and, when the allowed POST needs a request body, one entry in
``POST_DATA``. ``test_every_url_in_matrix`` fails until each named URL has
a row or, for a public URL, an entry in ``PUBLIC_URLS``.
"""
import datetime
import io
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Model
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from badges.bulk.models import BulkJob, BulkRow, JobSource
from badges.bulk.services import job_create, parse_typed
from badges.demo_images import emblem_svg
from badges.models import BadgeClass, BadgeStatus, BadgeTemplate, BadgeVersion, Credential
from badges.services import badge_create, credential_issue
from issuers.images import clean_image
from issuers.invitations import invitation_create
from issuers.models import AuditEvent, Invitation, Membership, Organisation, Role, SigningKey
from issuers.services import image_store, membership_set, organisation_create
from notifications.models import OutboxEmail
from tests.conftest import PASSWORD, make_content
from tests.issuers.staff_helpers import NEW_PASSWORD, token_from_outbox

OK = "200 OK"
REDIRECT = "redirect"
LOGIN = "redirect to login"
FORBIDDEN = "403 Forbidden"
NOT_FOUND = "404 Not Found"
NOT_ALLOWED = "405 Method Not Allowed"

ACTORS = ("owner", "editor", "instructor", "outsider", "anonymous")


@dataclass(frozen=True)
class Row:
    url_name: str
    method: str
    expected: dict[str, str]
    kwargs: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        arguments = ",".join(f"{key}={value}" for key, value in self.kwargs.items())
        return f"{self.method} {self.url_name}({arguments})"


def _row(method, url_name, owner, editor, instructor, outsider, anonymous, kwargs) -> Row:
    expected = {"owner": owner, "editor": editor, "instructor": instructor, "outsider": outsider,
                "anonymous": anonymous}
    return Row(url_name=url_name, method=method, expected=expected, kwargs=kwargs)


def get(url_name, owner, editor, instructor, *, outsider=FORBIDDEN, anonymous=LOGIN, **kwargs) -> Row:
    return _row("GET", url_name, owner, editor, instructor, outsider, anonymous, kwargs)


def post(url_name, owner, editor, instructor, *, outsider=FORBIDDEN, anonymous=LOGIN, **kwargs) -> Row:
    return _row("POST", url_name, owner, editor, instructor, outsider, anonymous, kwargs)


A = {"slug": "a.slug"}
F = FORBIDDEN
N = NOT_FOUND

MATRIX = [
    # The staff home and the badge template library are not tied to one organisation.
    get("staff:dashboard", REDIRECT, REDIRECT, REDIRECT, outsider=REDIRECT),
    get("staff:library", OK, OK, F, outsider=OK),
    get("staff:library_import", OK, OK, F, outsider=OK),
    post("staff:library_import", OK, OK, F, outsider=OK),
    get("staff:library_template", OK, OK, F, outsider=OK, code="template.code"),
    post("staff:library_copy", REDIRECT, REDIRECT, F, outsider=F, code="template.code"),
    # Organisation A's pages.
    get("staff:organisation", OK, OK, OK, **A),
    get("staff:statistics", OK, OK, OK, **A),
    post("staff:credentials_export", OK, F, F, **A),
    get("staff:badge_create", OK, OK, F, **A),
    post("staff:badge_create", REDIRECT, REDIRECT, F, **A),
    get("staff:badge_edit", OK, OK, F, **A, badge_slug="a.badge.slug"),
    post("staff:badge_edit", REDIRECT, REDIRECT, F, **A, badge_slug="a.badge.slug"),
    get("staff:issue", OK, OK, OK, **A),
    post("staff:issue", REDIRECT, REDIRECT, REDIRECT, **A),
    get("staff:keys", OK, F, F, **A),
    post("staff:keys", REDIRECT, F, F, **A),
    get("staff:key_revoke", OK, F, F, **A, key_id="a.key.key_id"),
    post("staff:key_revoke", REDIRECT, F, F, **A, key_id="a.key.key_id"),
    get("staff:settings", OK, F, F, **A),
    post("staff:settings", REDIRECT, F, F, **A),
    get("staff:issued", OK, OK, OK, **A, credential_id="a.credential.id"),
    # Only an owner or the person who issued the badge (the instructor here) may revoke it.
    get("staff:revoke", OK, F, OK, **A, credential_id="a.credential.id"),
    post("staff:revoke", REDIRECT, F, REDIRECT, **A, credential_id="a.credential.id"),
    get("staff:renew", REDIRECT, REDIRECT, REDIRECT, **A, credential_id="a.credential.id"),
    post("staff:renew", REDIRECT, REDIRECT, REDIRECT, **A, credential_id="a.credential.id"),
    # The claim card of a badge issued without email, its claim email, and
    # the export or erasure of an earner's data (owners only).
    get("staff:claim_card", OK, OK, OK, **A, credential_id="a.credential.id"),
    post("staff:claim_resend", REDIRECT, REDIRECT, REDIRECT, **A, credential_id="a.credential.id"),
    get("staff:earner_data", OK, F, F, **A, credential_id="a.credential.id"),
    post("staff:earner_data", OK, F, F, **A, credential_id="a.credential.id"),
    # Bulk issuing: anyone who may issue.
    get("staff:bulk_jobs", OK, OK, OK, **A),
    get("staff:bulk_upload", OK, OK, OK, **A),
    post("staff:bulk_upload", REDIRECT, REDIRECT, REDIRECT, **A),
    get("staff:bulk_typed", OK, OK, OK, **A),
    post("staff:bulk_typed", REDIRECT, REDIRECT, REDIRECT, **A),
    get("staff:bulk_template", OK, OK, OK, **A, extension="formats.csv"),
    get("staff:bulk_job", OK, OK, OK, **A, job_id="a.bulk_job.pk"),
    get("staff:bulk_progress", OK, OK, OK, **A, job_id="a.bulk_job.pk"),
    post("staff:bulk_start", REDIRECT, REDIRECT, REDIRECT, **A, job_id="a.bulk_job.pk"),
    post("staff:bulk_discard", REDIRECT, REDIRECT, REDIRECT, **A, job_id="a.bulk_job.pk"),
    get("staff:bulk_start", NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, outsider=NOT_ALLOWED, **A,
        job_id="a.bulk_job.pk"),
    get("staff:bulk_job", N, N, N, **A, job_id="b.bulk_job.pk"),
    get("staff:bulk_progress", N, N, N, **A, job_id="b.bulk_job.pk"),
    post("staff:bulk_start", N, N, N, **A, job_id="b.bulk_job.pk"),
    post("staff:bulk_discard", N, N, N, **A, job_id="b.bulk_job.pk"),
    get("staff:members", OK, F, F, **A),
    get("staff:invite", OK, F, F, **A),
    post("staff:invite", REDIRECT, F, F, **A),
    post("staff:member_role", REDIRECT, F, F, **A, membership_id="a.membership.pk"),
    get("staff:member_remove", OK, F, F, **A, membership_id="a.membership.pk"),
    post("staff:member_remove", REDIRECT, F, F, **A, membership_id="a.membership.pk"),
    post("staff:invitation_resend", REDIRECT, F, F, **A, invitation_id="a.invitation.pk"),
    post("staff:invitation_cancel", REDIRECT, F, F, **A, invitation_id="a.invitation.pk"),
    get("staff:audit", OK, F, F, **A),
    post("staff:audit_export", OK, F, F, **A),
    # POST-only actions reject GET before anything else.
    get("staff:member_role", NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, outsider=NOT_ALLOWED, **A,
        membership_id="a.membership.pk"),
    get("staff:invitation_cancel", NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, outsider=NOT_ALLOWED, **A,
        invitation_id="a.invitation.pk"),
    get("staff:audit_export", NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, outsider=NOT_ALLOWED, **A),
    # Organisation B's objects through organisation A's URLs: never found, nothing changes.
    get("staff:badge_edit", N, N, F, **A, badge_slug="b.badge.slug"),
    post("staff:badge_edit", N, N, F, **A, badge_slug="b.badge.slug"),
    get("staff:issued", N, N, N, **A, credential_id="b.credential.id"),
    post("staff:revoke", N, N, N, **A, credential_id="b.credential.id"),
    post("staff:renew", N, N, N, **A, credential_id="b.credential.id"),
    get("staff:claim_card", N, N, N, **A, credential_id="b.credential.id"),
    post("staff:claim_resend", N, N, N, **A, credential_id="b.credential.id"),
    post("staff:earner_data", N, F, F, **A, credential_id="b.credential.id", data="erase_b"),
    get("staff:key_revoke", N, F, F, **A, key_id="b.only_key_id"),
    post("staff:key_revoke", N, F, F, **A, key_id="b.only_key_id"),
    post("staff:member_role", N, F, F, **A, membership_id="b.membership.pk"),
    post("staff:member_remove", N, F, F, **A, membership_id="b.membership.pk"),
    post("staff:invitation_resend", N, F, F, **A, invitation_id="b.invitation.pk"),
    post("staff:invitation_cancel", N, F, F, **A, invitation_id="b.invitation.pk"),
    # B's badge through A's issuing form: the form rejects a badge it does not list.
    post("staff:issue", OK, OK, OK, data="issue_other_badge", **A),
    # Copying a template into B is refused to A's staff.
    post("staff:library_copy", F, F, F, outsider=REDIRECT, data="copy_into_b", code="template.code"),
    # The invitation page is public: the invited person may not have an account.
    get("invitation_accept", OK, OK, OK, outsider=OK, anonymous=OK, token="a.invitation_token"),
    # A's staff are members already, so the page shows an error; others join.
    post("invitation_accept", OK, OK, OK, outsider=REDIRECT, anonymous=REDIRECT, token="a.invitation_token"),
]

# Named URLs that anyone may open, with or without logging in.
PUBLIC_URLS = {
    "home", "credential", "credential_download", "credential_qr", "achievement", "image", "verify",
    "status_list", "credential_export", "credential_print", "login", "logout", "set_language", "invitation_accept",
    "issuers:profile", "issuers:did_document", "issuers:signing_key_jwk",
}
# Namespaces whose own framework checks access, so the matrix leaves them out.
# Earner pages use the earner's session, not staff roles: tests/earners
# checks that one earner cannot reach another's badges or settings.
SKIPPED_NAMESPACES = {"admin", "earners"}
# Public namespaces: every URL in them is open to anyone (the hosted Open Badges 2.0 objects).
PUBLIC_NAMESPACES = {"ob2"}


def _png_upload():
    output = io.BytesIO()
    Image.new("RGBA", (32, 32), (200, 30, 30, 255)).save(output, format="PNG")
    output.seek(0)
    output.name = "merkki.png"
    return output


def _csv_upload():
    output = io.BytesIO("nimi;sähköposti\nMatti Matriisi;matti@example.fi\n".encode())
    output.name = "ryhma.csv"
    return output


def _badge_form(**overrides):
    data = {
        "name": "Matriisimerkki", "slug": "", "description": "Kuvaus.", "theme": "Teema",
        "learning_outcomes": "osaa asian", "assessment_criteria": "näyttää osaamisen", "skill_demonstration": "",
        "alignment_name": "", "alignment_url": "", "alignment_code": "", "validity_months": "",
        "status": "published",
    }
    data.update(overrides)
    return data


def _issue(badge):
    return {"badge": badge.pk, "recipient_name": "Matti Matriisi", "recipient_email": "",
            "issued_on": datetime.date.today().isoformat(),
            "evidence_narrative": "Teki tehtävän.", "evidence_url": "", "recipient_language": "fi"}


# POST bodies that name organisation B's objects.
CROSS_ORGANISATION_DATA = {"issue_other_badge", "copy_into_b", "erase_b"}

# Request bodies of the POST rows, by URL name or by a row's ``data`` key.
POST_DATA = {
    "staff:library_copy": lambda world: {"organisation": world.a.slug},
    "copy_into_b": lambda world: {"organisation": world.b.slug},
    "staff:credentials_export": lambda world: {"delimiter": "semicolon"},
    "staff:earner_data": lambda world: {"action": "export", "scope": "credential"},
    "erase_b": lambda world: {"action": "erase", "scope": "credential", "confirm": "yes"},
    "staff:badge_create": lambda world: {**_badge_form(), "image": _png_upload()},
    "staff:badge_edit": lambda world: _badge_form(name="Muokattu merkki"),
    "staff:issue": lambda world: _issue(world.a.badge),
    "issue_other_badge": lambda world: _issue(world.b.badge),
    "staff:keys": lambda world: {"confirm": "on"},
    "staff:key_revoke": lambda world: {"reason": "Palvelin murrettiin", "confirm": "on"},
    "staff:settings": lambda world: {"name": "Uusi nimi ry", "url": "https://uusi.example.fi",
                                     "email": "info@uusi.example.fi", "description": ""},
    "staff:revoke": lambda world: {"note": "Väärä henkilö", "public_reason": "", "confirm": "on"},
    "staff:invite": lambda world: {"email": "matriisi@example.fi", "role": "editor", "language": "fi"},
    "staff:member_role": lambda world: {f"m{world.a.membership.pk}-role": "editor",
                                        f"m{world.b.membership.pk}-role": "editor"},
    "staff:member_remove": lambda world: {"confirm": "on"},
    "staff:bulk_upload": lambda world: {"badge": world.a.badge.pk, "default_language": "fi",
                                        "file": _csv_upload()},
    "staff:bulk_typed": lambda world: {"badge": world.a.badge.pk, "default_language": "fi",
                                       "recipients": "Matti Matriisi; matti@example.fi",
                                       "issued_on": datetime.date.today().isoformat()},
    "invitation_accept": lambda world: {"username": "matriisi-uusi", "password1": NEW_PASSWORD,
                                        "password2": NEW_PASSWORD},
}


def _build_organisation(slug, name, image, owner, recipient):
    organisation = organisation_create(slug=slug, name=name, url=f"https://{slug}.example.fi",
                                       email=f"info@{slug}.example.fi")
    membership_set(user=owner, organisation=organisation, role=Role.OWNER)
    badge = badge_create(organisation=organisation, slug=f"{slug}-merkki", content=make_content(image),
                         status=BadgeStatus.PUBLISHED)
    return SimpleNamespace(
        organisation=organisation,
        slug=organisation.slug,
        badge=badge,
        key=SigningKey.objects.filter(organisation=organisation, algorithm="Ed25519").first(),
        invitation=invitation_create(organisation=organisation, email=f"kutsu@{slug}.example.fi",
                                     role=Role.INSTRUCTOR, actor=owner, language="fi"),
        recipient=recipient,
        bulk_job=job_create(badge=badge, table=parse_typed(f"{recipient}; bulk@{slug}.example.fi", issued_on=None),
                            source=JobSource.TYPED, actor=owner),
    )


def build_world() -> SimpleNamespace:
    users = {name: get_user_model().objects.create_user(username=f"matrix-{name}", password=PASSWORD)
             for name in ("owner", "editor", "instructor", "outsider")}
    image = image_store(image=clean_image(emblem_svg("PM", "#0b4f8a")))
    a = _build_organisation("taitopaja", "Taitopaja ry", image, users["owner"], "Aino Saaja")
    b = _build_organisation("toinen", "Toinen yhdistys ry", image, users["outsider"], "Bertta Saaja")
    membership_set(user=users["editor"], organisation=a.organisation, role=Role.EDITOR)
    a.membership = membership_set(user=users["instructor"], organisation=a.organisation, role=Role.INSTRUCTOR)
    b.membership = Membership.objects.get(user=users["outsider"], organisation=b.organisation)
    a.credential = credential_issue(badge=a.badge, recipient_name=a.recipient, recipient_email="",
                                    issued_on=None, actor=users["instructor"])
    b.credential = credential_issue(badge=b.badge, recipient_name=b.recipient, recipient_email="",
                                    issued_on=None, actor=users["outsider"])
    a.invitation_token = token_from_outbox(a.invitation)
    # A key id that only B has, so the URL cannot match a key of A by its name.
    b.only_key_id = "key-b-only"
    SigningKey.objects.filter(pk=b.key.pk).update(key_id=b.only_key_id)
    template = BadgeTemplate.objects.create(
        code="matriisi_1",
        texts_fi={"name": "Matriisipohja", "description": "Kuvaus.", "theme": "Teema",
                  "learning_outcomes": ["osaa"], "assessment_criteria": ["näyttää"]},
    )
    formats = SimpleNamespace(csv="csv")
    return SimpleNamespace(a=a, b=b, template=template, formats=formats, users={**users, "anonymous": None})


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One committed world for the module; each test's changes roll back, and the module ends with a flush."""
    with django_db_blocker.unblock():
        try:
            yield build_world()
        finally:
            call_command("flush", interactive=False, verbosity=0)


def _lookup(world, path: str):
    value = world
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _fingerprint() -> dict:
    """Return the state that a refused request must leave as it was."""
    counted = (AuditEvent, OutboxEmail, Membership, Invitation, Credential, BadgeClass, BadgeVersion, SigningKey,
               BadgeTemplate, BulkJob, BulkRow, get_user_model())
    state: dict = {model.__name__: model.objects.count() for model in counted}
    state["credentials"] = sorted(Credential.objects.values_list("id", "revoked_at"))
    state["keys"] = sorted(SigningKey.objects.values_list("id", "key_id", "retired_at", "revoked_at"))
    state["invitations"] = sorted(Invitation.objects.values_list("id", "token_hash", "cancelled_at", "accepted_at"))
    state["memberships"] = sorted(Membership.objects.values_list("id", "role"))
    state["organisations"] = sorted(Organisation.objects.values_list("id", "name", "url", "email", "description"))
    state["badges"] = sorted(BadgeClass.objects.values_list("id", "status"))
    state["bulk_jobs"] = sorted(BulkJob.objects.values_list("id", "status"))
    return state


def _outcome(response) -> str:
    if response.status_code == 302:
        login_path = resolve_url(settings.LOGIN_URL)
        return LOGIN if response["Location"].startswith(login_path) else REDIRECT
    return {200: OK, 403: FORBIDDEN, 404: NOT_FOUND, 405: NOT_ALLOWED}.get(
        response.status_code, str(response.status_code)
    )


def _aims_at_b(row: Row) -> bool:
    """Return whether the row sends organisation B's objects to someone who is not B's staff."""
    return any(str(path).startswith("b.") for path in row.kwargs.values()) or _data_key(row) in CROSS_ORGANISATION_DATA


def _data_key(row: Row) -> str:
    return row.kwargs.get("data", row.url_name)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("row", MATRIX, ids=[row.id for row in MATRIX])
def test_permission(client, db, world, row, actor):
    user = world.users[actor]
    if user is not None:
        client.force_login(user)
    url_kwargs = {name: _lookup(world, path) for name, path in row.kwargs.items() if name != "data"}
    url = reverse(row.url_name, kwargs=url_kwargs)
    builder = POST_DATA.get(_data_key(row))
    before = _fingerprint()

    if row.method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, builder(world) if builder else {})

    outcome = _outcome(response)
    assert outcome == row.expected[actor], (
        f"{row.method} {url} as {actor}: expected {row.expected[actor]}, got {outcome} "
        f"({response.status_code} {response.get('Location', '')})"
    )
    if outcome not in (OK, REDIRECT) or (_aims_at_b(row) and actor != "outsider"):
        assert _fingerprint() == before, f"{row.method} {url} as {actor} changed the database"


def _named_urls(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                pattern.namespace or namespace)
            yield from _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_in_matrix():
    covered = {row.url_name for row in MATRIX}
    missing = []
    for name in sorted(set(_named_urls(get_resolver().url_patterns))):
        namespace = name.split(":")[0] if ":" in name else ""
        if namespace in SKIPPED_NAMESPACES or namespace in PUBLIC_NAMESPACES:
            continue
        if name in covered or (namespace != "staff" and name in PUBLIC_URLS):
            continue
        missing.append(name)
    assert not missing, (
        f"URLs without a row in the permission matrix: {missing}. Add a get(...) or post(...) row to MATRIX "
        "in tests/issuers/test_permission_matrix.py, or list a public URL in PUBLIC_URLS."
    )


def test_rows_name_real_urls(world):
    for row in MATRIX:
        url_kwargs = {name: _lookup(world, path) for name, path in row.kwargs.items() if name != "data"}
        assert reverse(row.url_name, kwargs=url_kwargs)
        assert set(row.expected) == set(ACTORS), row.id
