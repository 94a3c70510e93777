"""Owners' pages for the organisation's signing keys."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .forms import OrganisationForm, RevokeKeyForm, RotateKeysForm
from .models import Organisation, SigningKey
from .permissions import Action
from .selectors import user_can
from .services import image_store, organisation_update, signing_key_revoke, signing_keys_rotate


def _owned_organisation(request, slug) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not user_can(user=request.user, organisation=organisation, action=Action.MANAGE_ORGANISATION):
        raise PermissionDenied(_("Only an owner of %(organisation)s can change its signing keys.") % {
            "organisation": organisation.name})
    return organisation


@login_required
def settings_page(request, slug):
    """Let an owner edit the organisation's public issuer profile."""
    organisation = _owned_organisation(request, slug)
    initial = {field: getattr(organisation, field) for field in ("name", "url", "email", "description")}
    form = OrganisationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {field: form.cleaned_data[field] for field in ("name", "url", "email", "description")}
        if form.cleaned_data.get("logo") is not None:
            fields["logo"] = image_store(image=form.cleaned_data["logo"])
        organisation_update(organisation=organisation, actor=request.user, **fields)
        messages.success(request, _("The organisation's profile was saved. New badges show it; badges issued earlier keep the profile they were issued with."))
        return redirect("staff:organisation", slug=organisation.slug)
    return render(request, "issuers/staff/settings.html", {"organisation": organisation, "form": form})


@login_required
def keys(request, slug):
    organisation = _owned_organisation(request, slug)
    form = RotateKeysForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signing_keys_rotate(organisation=organisation, actor=request.user)
        messages.success(request, _("New signing keys were created. Badges issued earlier stay valid."))
        return redirect("staff:keys", slug=organisation.slug)
    context = {
        "organisation": organisation,
        "keys": SigningKey.objects.filter(organisation=organisation).order_by("-created_at"),
        "form": form,
    }
    return render(request, "issuers/staff/keys.html", context)


@login_required
def key_revoke(request, slug, key_id):
    organisation = _owned_organisation(request, slug)
    key = get_object_or_404(SigningKey, organisation=organisation, key_id=key_id)
    form = RevokeKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signing_key_revoke(key=key, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The key %(key_id)s was revoked.") % {"key_id": key.key_id})
            return redirect("staff:keys", slug=organisation.slug)
    return render(request, "issuers/staff/key_revoke.html", {"organisation": organisation, "key": key, "form": form})
