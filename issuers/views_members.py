"""Owners' staff pages: members, roles, invitations; and the public page that accepts an invitation."""
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import invitations
from .forms import AcceptAccountForm, InvitationForm, RemoveMemberForm, RoleForm
from .invitations import InvitationState, InvitationUnavailable
from .members import membership_change_role, membership_remove
from .models import Invitation, Membership, Organisation
from .permissions import Action
from .selectors import members_of, membership_role, open_invitations, user_can


def _staff_organisation(request, slug) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not user_can(user=request.user, organisation=organisation, action=Action.MANAGE_STAFF):
        raise PermissionDenied(
            _("Only an owner of %(organisation)s can manage its staff.") % {"organisation": organisation.name}
        )
    return organisation


@login_required
def members(request, slug):
    organisation = _staff_organisation(request, slug)
    member_rows = [
        {"membership": membership, "form": RoleForm(initial={"role": membership.role}, prefix=f"m{membership.pk}")}
        for membership in members_of(organisation)
    ]
    context = {
        "organisation": organisation,
        "members": member_rows,
        "invitations": [
            {"invitation": invitation, "state": invitations.invitation_state(invitation)}
            for invitation in open_invitations(organisation)
        ],
    }
    return render(request, "issuers/staff/members.html", context)


@login_required
def invite(request, slug):
    organisation = _staff_organisation(request, slug)
    form = InvitationForm(request.POST or None, initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        try:
            invitations.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                language=form.cleaned_data["language"],
                actor=request.user,
            )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(
                request,
                _("The invitation was sent to %(email)s. The link in it is valid for 7 days.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("staff:members", slug=organisation.slug)
    return render(request, "issuers/staff/invite.html", {"organisation": organisation, "form": form})


@login_required
@require_POST
def member_role(request, slug, membership_id):
    organisation = _staff_organisation(request, slug)
    membership = get_object_or_404(Membership, organisation=organisation, pk=membership_id)
    form = RoleForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a role: owner, editor or instructor."))
        return redirect("staff:members", slug=organisation.slug)
    try:
        membership_change_role(membership=membership, role=form.cleaned_data["role"], actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("staff:members", slug=organisation.slug)
    membership.refresh_from_db()
    messages.success(
        request,
        _("The role of %(username)s is now %(role)s.")
        % {"username": membership.user.get_username(), "role": membership.get_role_display().lower()},
    )
    return _after_own_change(request, organisation)


@login_required
def member_remove(request, slug, membership_id):
    organisation = _staff_organisation(request, slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), organisation=organisation, pk=membership_id
    )
    form = RemoveMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_remove(membership=membership, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(username)s was removed from the staff.") % {"username": membership.user.get_username()}
            )
            return _after_own_change(request, organisation)
    context = {"organisation": organisation, "membership": membership, "form": form}
    return render(request, "issuers/staff/member_remove.html", context)


def _after_own_change(request, organisation):
    """Go back to the staff page, or to the staff home when the owner changed their own access."""
    if user_can(user=request.user, organisation=organisation, action=Action.MANAGE_STAFF):
        return redirect("staff:members", slug=organisation.slug)
    if membership_role(user=request.user, organisation=organisation) is not None:
        return redirect("staff:organisation", slug=organisation.slug)
    return redirect("staff:dashboard")


@login_required
@require_POST
def invitation_resend(request, slug, invitation_id):
    organisation = _staff_organisation(request, slug)
    invitation = get_object_or_404(Invitation, organisation=organisation, pk=invitation_id)
    try:
        invitations.invitation_resend(invitation=invitation, actor=request.user, language=translation.get_language())
    except InvitationUnavailable:
        messages.error(request, _("This invitation was already accepted or cancelled, so it cannot be sent again."))
    else:
        messages.success(
            request,
            _("The invitation was sent again to %(email)s. The earlier link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("staff:members", slug=organisation.slug)


@login_required
@require_POST
def invitation_cancel(request, slug, invitation_id):
    organisation = _staff_organisation(request, slug)
    invitation = get_object_or_404(Invitation, organisation=organisation, pk=invitation_id)
    try:
        invitations.invitation_cancel(invitation=invitation, actor=request.user)
    except InvitationUnavailable:
        messages.error(request, _("This invitation was already accepted or cancelled."))
    else:
        messages.success(request, _("The invitation to %(email)s was cancelled.") % {"email": invitation.email})
    return redirect("staff:members", slug=organisation.slug)


def invitation_accept(request, token):
    """Accept an invitation: into the logged-in account, or into a new staff account."""
    invitation = invitations.invitation_for_token(token)
    state = invitations.invitation_state(invitation)
    if state != InvitationState.PENDING:
        return _unavailable(request, state)

    account_form = AcceptAccountForm(
        request.POST if request.method == "POST" and not request.user.is_authenticated else None,
        instance=AcceptAccountForm._meta.model(email=invitation.email),
    )
    error = ""
    if request.method == "POST":
        try:
            membership = _accept_from_post(request, token, account_form)
        except InvitationUnavailable as unavailable:
            return _unavailable(request, unavailable.state)
        except ValidationError as validation_error:
            if request.user.is_authenticated:
                error = " ".join(validation_error.messages)
            else:
                _attach_errors(account_form, validation_error)
        else:
            if membership is not None:
                messages.success(
                    request,
                    _("Welcome to %(organisation)s. Your role is %(role)s.")
                    % {"organisation": membership.organisation.name, "role": membership.get_role_display().lower()},
                )
                return redirect("staff:organisation", slug=membership.organisation.slug)

    context = {"invitation": invitation, "account_form": account_form, "error": error}
    return _private_page(render(request, "issuers/staff/invitation_accept.html", context))


def _accept_from_post(request, token, account_form) -> Membership | None:
    if request.user.is_authenticated:
        return invitations.invitation_accept(token=token, user=request.user)
    if not account_form.is_valid():
        return None
    membership = invitations.invitation_accept_new_account(
        token=token,
        username=account_form.cleaned_data["username"],
        password=account_form.cleaned_data["password1"],
    )
    login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
    return membership


def _unavailable(request, state: InvitationState):
    status = 404 if state == InvitationState.UNKNOWN else 410
    response = render(request, "issuers/staff/invitation_unavailable.html", {"state": state.value}, status=status)
    return _private_page(response)


def _private_page(response):
    # The token is in the page's address, so no link may send it to another
    # site. "no-referrer" would also make Chromium send "Origin: null" with
    # the page's own form, which Django's CSRF check rejects.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


def _attach_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)
