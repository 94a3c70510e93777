"""Staff pages: an organisation's badge statistics and the CSV export of issued badges."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from issuers.models import Organisation
from issuers.permissions import Action
from issuers.selectors import user_can

from .. import dashboard


def _organisation_for(request, slug: str, action: Action) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not user_can(user=request.user, organisation=organisation, action=action):
        raise PermissionDenied(
            _("You do not have the right to do this in %(organisation)s.") % {"organisation": organisation.name}
        )
    return organisation


def _period(request) -> int:
    try:
        months = int(request.GET.get("months", dashboard.DEFAULT_PERIOD))
    except ValueError:
        return dashboard.DEFAULT_PERIOD
    return months if months in dashboard.PERIOD_CHOICES else dashboard.DEFAULT_PERIOD


@login_required
def statistics(request, slug):
    organisation = _organisation_for(request, slug, Action.VIEW_CREDENTIALS)
    months = _period(request)
    context = {
        "organisation": organisation,
        "statistics": dashboard.issued_statistics(organisation=organisation, months=months, now=timezone.now()),
        "months": months,
        "period_choices": dashboard.PERIOD_CHOICES,
        "can_export": user_can(user=request.user, organisation=organisation, action=Action.MANAGE_ORGANISATION),
        "delimiters": dashboard.CSV_DELIMITERS,
    }
    return render(request, "badges/dashboard/statistics.html", context)


@login_required
@require_POST
def credentials_export(request, slug):
    organisation = _organisation_for(request, slug, Action.MANAGE_ORGANISATION)
    delimiter = request.POST.get("delimiter", dashboard.DEFAULT_DELIMITER)
    if delimiter not in dashboard.CSV_DELIMITERS:
        delimiter = dashboard.DEFAULT_DELIMITER
    lines = dashboard.credentials_export(organisation=organisation, actor=request.user, delimiter=delimiter)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    filename = f"{organisation.slug}-badges-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
