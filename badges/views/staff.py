"""Staff pages: the dashboard, badge definitions and the issuing form."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from earners import claims as earner_claims
from earners import staff as earner_staff

from issuers.models import Organisation, Role
from issuers.permissions import Action
from notifications.selectors import latest_email
from issuers.selectors import memberships_for_user, membership_role, user_can
from issuers.services import image_store

from .. import links, selectors, services
from ..forms import BadgeForm, IssueForm, RevokeForm
from ..models import BadgeClass


def _organisation_for(request, slug: str, action: Action) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not user_can(user=request.user, organisation=organisation, action=action):
        raise PermissionDenied(
            _("You do not have the right to do this in %(organisation)s.") % {"organisation": organisation.name}
        )
    return organisation


@login_required
def dashboard(request):
    memberships = list(memberships_for_user(request.user))
    if len(memberships) == 1:
        return redirect("staff:organisation", slug=memberships[0].organisation.slug)
    return render(request, "badges/staff/dashboard.html", {"memberships": memberships})


@login_required
def organisation_home(request, slug):
    organisation = _organisation_for(request, slug, Action.VIEW_CREDENTIALS)
    role = membership_role(user=request.user, organisation=organisation)
    context = {
        "organisation": organisation,
        "role": role,
        "role_label": Role(role).label if role else "",
        "can_manage_badges": user_can(user=request.user, organisation=organisation, action=Action.MANAGE_BADGES),
        "badges": selectors.badges_for_organisation(organisation),
        "recent_credentials": selectors.recent_credentials(organisation, limit=20),
    }
    return render(request, "badges/staff/organisation.html", context)


def _content_from_form(form: BadgeForm, image) -> services.BadgeContent:
    data = form.cleaned_data
    return services.BadgeContent(
        name=data["name"],
        description=data["description"],
        image=image,
        theme=data.get("theme", ""),
        learning_outcomes=data["learning_outcomes"],
        assessment_criteria=data["assessment_criteria"],
        skill_demonstration=data.get("skill_demonstration", ""),
        alignments=form.alignments(),
        validity_months=data.get("validity_months"),
        translations=form.translations(),
        kapos_code=form.badge.latest_version.kapos_code if form.badge else "",
        language=form.badge.latest_version.language if form.badge else "fi",
    )


@login_required
def badge_create(request, slug):
    organisation = _organisation_for(request, slug, Action.MANAGE_BADGES)
    form = BadgeForm(request.POST or None, request.FILES or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            image = image_store(image=form.cleaned_image)
            badge = services.badge_create(
                organisation=organisation,
                slug=form.cleaned_data["slug"],
                content=_content_from_form(form, image),
                status=form.cleaned_data["status"],
                actor=request.user,
            )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(request, _("The badge “%(name)s” was saved.") % {"name": form.cleaned_data["name"]})
            return redirect("staff:organisation", slug=organisation.slug)
    return render(
        request, "badges/staff/badge_form.html", {"organisation": organisation, "form": form, "badge": None}
    )


@login_required
def badge_edit(request, slug, badge_slug):
    organisation = _organisation_for(request, slug, Action.MANAGE_BADGES)
    badge = get_object_or_404(BadgeClass, organisation=organisation, slug=badge_slug)
    form = BadgeForm(
        request.POST or None,
        request.FILES or None,
        organisation=organisation,
        badge=badge,
        initial=BadgeForm.initial_for(badge),
    )
    if request.method == "POST" and form.is_valid():
        image = image_store(image=form.cleaned_image) if form.cleaned_image else badge.latest_version.image
        try:
            version = services.badge_update(
                badge=badge,
                content=_content_from_form(form, image),
                status=form.cleaned_data["status"],
                actor=request.user,
            )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(
                request,
                _("The badge “%(name)s” was saved as version %(version)d.")
                % {"name": version.name, "version": version.number},
            )
            return redirect("staff:organisation", slug=organisation.slug)
    context = {"organisation": organisation, "form": form, "badge": badge, "version": badge.latest_version}
    return render(request, "badges/staff/badge_form.html", context)


@login_required
def issue(request, slug):
    organisation = _organisation_for(request, slug, Action.ISSUE)
    initial = {}
    if request.GET.get("badge"):
        initial["badge"] = BadgeClass.objects.filter(organisation=organisation, slug=request.GET["badge"]).first()
    form = IssueForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            credential = services.credential_issue(
                badge=data["badge"],
                recipient_name=data["recipient_name"],
                recipient_email=data.get("recipient_email") or "",
                recipient_language=data.get("recipient_language") or "fi",
                issued_on=data["issued_on"],
                evidence_narrative=data.get("evidence_narrative") or "",
                evidence_url=data.get("evidence_url") or "",
                actor=request.user,
                issue_as_network=form.issue_as_network,
            )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            return redirect("staff:issued", slug=organisation.slug, credential_id=credential.id)
    return render(request, "badges/staff/issue_form.html", {"organisation": organisation, "form": form})


@login_required
def issued(request, slug, credential_id):
    organisation = _organisation_for(request, slug, Action.VIEW_CREDENTIALS)
    credential = selectors.credential_for_staff(organisation=organisation, credential_id=credential_id)
    context = {
        "organisation": organisation,
        "credential": credential,
        "version": credential.badge_version,
        "verification_url": links.credential_url(credential.id),
        "can_revoke": credential.revoked_at is None and services.can_revoke(actor=request.user, credential=credential),
        "can_renew": user_can(user=request.user, organisation=organisation, action=Action.ISSUE)
        and credential.badge_version.badge.status == "published"
        and credential.personal_data_erased_at is None,
        "expired": credential.valid_until is not None and credential.valid_until <= timezone.now(),
        "claimed": hasattr(credential, "claim"),
        "can_resend": earner_claims.can_resend(credential)
        and user_can(user=request.user, organisation=organisation, action=Action.ISSUE),
        "has_claim_code": hasattr(credential, "claim_code"),
        "can_manage_data": user_can(user=request.user, organisation=organisation, action=Action.MANAGE_ORGANISATION),
        "claim_email": latest_email(kind="badge_issued", related_id=credential.id),
    }
    return render(request, "badges/staff/issued.html", context)


@login_required
def renew(request, slug, credential_id):
    """Re-issue a badge to the same earner in one click (POST only)."""
    organisation = _organisation_for(request, slug, Action.ISSUE)
    credential = selectors.credential_for_staff(organisation=organisation, credential_id=credential_id)
    if request.method != "POST":
        return redirect("staff:issued", slug=organisation.slug, credential_id=credential.id)
    try:
        renewed = services.credential_renew(credential=credential, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("staff:issued", slug=organisation.slug, credential_id=credential.id)
    messages.success(request, _("The badge was issued again. The new badge is shown below."))
    return redirect("staff:issued", slug=organisation.slug, credential_id=renewed.id)


@login_required
def revoke(request, slug, credential_id):
    organisation = _organisation_for(request, slug, Action.VIEW_CREDENTIALS)
    credential = selectors.credential_for_staff(organisation=organisation, credential_id=credential_id)
    if not services.can_revoke(actor=request.user, credential=credential):
        raise PermissionDenied(_("Only an owner or the person who issued this badge can revoke it."))

    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.credential_revoke(
                credential=credential,
                note=form.cleaned_data["note"],
                public_reason=form.cleaned_data.get("public_reason", ""),
                actor=request.user,
            )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(request, _("The badge was revoked. Every verification now shows it as revoked."))
            return redirect("staff:issued", slug=organisation.slug, credential_id=credential.id)
    context = {"organisation": organisation, "credential": credential, "form": form}
    return render(request, "badges/staff/revoke.html", context)


def _attach_errors(form, error: ValidationError) -> None:
    """Show a service's validation errors on the form fields they concern."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


@login_required
def claim_email_resend(request, slug, credential_id):
    """Send the claim email again with a new link (POST only); the old link stops working."""
    organisation = _organisation_for(request, slug, Action.ISSUE)
    credential = selectors.credential_for_staff(organisation=organisation, credential_id=credential_id)
    if request.method == "POST":
        try:
            earner_claims.claim_email_resend(credential=credential, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The email was sent again with a new claim link. The earlier link no longer works."))
    return redirect("staff:issued", slug=organisation.slug, credential_id=credential.id)


@login_required
def claim_card(request, slug, credential_id):
    """Show the printable claim card of a badge issued without an email address."""
    organisation = _organisation_for(request, slug, Action.ISSUE)
    credential = selectors.credential_for_staff(organisation=organisation, credential_id=credential_id)
    language = credential.recipient_language
    context = {
        "organisation": organisation,
        "credential": credential,
        "code": earner_claims.claim_code_text(credential),
        "verification_url": links.credential_url(credential.id),
        "claim_code_url": links.absolute(reverse("earners:claim_code")),
        "card_language": language,
        "badge_name": credential.badge_version.text("name", language),
    }
    response = render(request, "badges/staff/claim_card.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def earner_data(request, slug, credential_id):
    """Export or erase an earner's data at their request (owners only)."""
    organisation = _organisation_for(request, slug, Action.MANAGE_ORGANISATION)
    credential = selectors.credential_for_staff(organisation=organisation, credential_id=credential_id)
    scope = request.POST.get("scope") or request.GET.get("scope") or "credential"
    if scope not in earner_staff.SCOPES:
        scope = "credential"
    if request.method == "POST" and request.POST.get("action") == "export":
        archive = earner_staff.staff_export(credential=credential, scope=scope, actor=request.user)
        response = HttpResponse(archive, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="earner-data-{credential.id}.zip"'
        response["Cache-Control"] = "private, no-store"
        return response
    if request.method == "POST" and request.POST.get("action") == "erase":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm the erasure."))
        else:
            erased = earner_staff.staff_erase(credential=credential, scope=scope, actor=request.user)
            messages.success(request, ngettext(
                "The personal data of %(count)d badge was erased.",
                "The personal data of %(count)d badges was erased.", len(erased)) % {"count": len(erased)})
            return redirect("staff:issued", slug=organisation.slug, credential_id=credential.id)
    context = {
        "organisation": organisation,
        "credential": credential,
        "same_earner_count": earner_staff.same_earner_credentials(credential).count(),
    }
    return render(request, "badges/staff/earner_data.html", context)
