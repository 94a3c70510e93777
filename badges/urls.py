from django.urls import path, re_path

from issuers import views_audit as issuer_audit
from issuers import views_members as issuer_members
from issuers import views_staff as issuer_staff

from .urls_bulk import bulk_patterns
from .urls_staff_extra import staff_extra_patterns
from .views import printing, public, staff, status, verifier

staff_patterns = (
    [
        path("", staff.dashboard, name="dashboard"),
        # Fixed paths such as library/ come before <slug:slug>/, which would
        # otherwise read them as an organisation's slug.
        *staff_extra_patterns,
        *bulk_patterns,
        path("<slug:slug>/", staff.organisation_home, name="organisation"),
        path("<slug:slug>/badges/new/", staff.badge_create, name="badge_create"),
        path("<slug:slug>/badges/<slug:badge_slug>/edit/", staff.badge_edit, name="badge_edit"),
        path("<slug:slug>/issue/", staff.issue, name="issue"),
        path("<slug:slug>/keys/", issuer_staff.keys, name="keys"),
        path("<slug:slug>/settings/", issuer_staff.settings_page, name="settings"),
        path("<slug:slug>/keys/<slug:key_id>/revoke/", issuer_staff.key_revoke, name="key_revoke"),
        path("<slug:slug>/members/", issuer_members.members, name="members"),
        path("<slug:slug>/members/invite/", issuer_members.invite, name="invite"),
        path("<slug:slug>/members/<int:membership_id>/role/", issuer_members.member_role, name="member_role"),
        path("<slug:slug>/members/<int:membership_id>/remove/", issuer_members.member_remove, name="member_remove"),
        path(
            "<slug:slug>/invitations/<int:invitation_id>/resend/",
            issuer_members.invitation_resend,
            name="invitation_resend",
        ),
        path(
            "<slug:slug>/invitations/<int:invitation_id>/cancel/",
            issuer_members.invitation_cancel,
            name="invitation_cancel",
        ),
        path("<slug:slug>/audit/", issuer_audit.audit_trail, name="audit"),
        path("<slug:slug>/audit/export.csv", issuer_audit.audit_export, name="audit_export"),
        path("<slug:slug>/credentials/<uuid:credential_id>/", staff.issued, name="issued"),
        path("<slug:slug>/credentials/<uuid:credential_id>/revoke/", staff.revoke, name="revoke"),
        path("<slug:slug>/credentials/<uuid:credential_id>/renew/", staff.renew, name="renew"),
        path("<slug:slug>/credentials/<uuid:credential_id>/resend/", staff.claim_email_resend, name="claim_resend"),
        path("<slug:slug>/credentials/<uuid:credential_id>/claim-card/", staff.claim_card, name="claim_card"),
        path("<slug:slug>/credentials/<uuid:credential_id>/earner-data/", staff.earner_data, name="earner_data"),
    ],
    "staff",
)

public_patterns = [
    path("", public.home, name="home"),
    path("credentials/<uuid:credential_id>", public.credential, name="credential"),
    path("credentials/<uuid:credential_id>/credential.json", public.credential_download, name="credential_download"),
    re_path(
        r"^credentials/(?P<credential_id>[0-9a-f-]{36})/qr\.(?P<extension>png|svg)$",
        public.credential_qr,
        name="credential_qr",
    ),
    re_path(
        r"^credentials/(?P<credential_id>[0-9a-f-]{36})/print/(?P<layout>certificate|card)$",
        printing.credential_print,
        name="credential_print",
    ),
    path("badges/<uuid:badge_id>/versions/<int:version>", public.achievement, name="achievement"),
    re_path(r"^images/(?P<sha256>[0-9a-f]{64})\.(?P<extension>png|svg)$", public.image, name="image"),
    path("verify", verifier.verify, name="verify"),
    path("status/<uuid:list_id>", status.status_list, name="status_list"),
]
