"""Owners' audit trail page and its CSV export."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import audit
from .forms import AuditFilterForm
from .models import AuditEvent, Organisation
from .permissions import Action
from .selectors import audit_actors, audit_events, user_can
from .services import audit_record

PAGE_SIZE = 50


def _audit_organisation(request, slug) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not user_can(user=request.user, organisation=organisation, action=Action.VIEW_AUDIT):
        raise PermissionDenied(
            _("Only an owner of %(organisation)s can read its audit trail.") % {"organisation": organisation.name}
        )
    return organisation


def _filtered_events(data, organisation: Organisation):
    """Return the filter form and the events it selects; invalid filters are shown and left out."""
    recorded_actions = AuditEvent.objects.filter(organisation=organisation).values_list("action", flat=True).distinct()
    form = AuditFilterForm(
        data, action_choices=audit.action_choices(recorded_actions), people=audit_actors(organisation)
    )
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    events = audit_events(
        organisation=organisation,
        action=filters.get("action") or "",
        actor_id=filters.get("person"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    return form, events


@login_required
def audit_trail(request, slug):
    organisation = _audit_organisation(request, slug)
    form, events = _filtered_events(request.GET or None, organisation)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "organisation": organisation,
        "form": form,
        "page": page,
        "rows": audit.rows_for_page(page.object_list, organisation),
        "query": query.urlencode(),
        "filters": [(name, value) for name, value in query.items() if name in form.fields],
    }
    return render(request, "issuers/staff/audit.html", context)


@login_required
@require_POST
def audit_export(request, slug):
    """Download the filtered audit trail as CSV; the download itself is an audit event."""
    organisation = _audit_organisation(request, slug)
    form, events = _filtered_events(request.POST, organisation)
    audit_record(
        action="audit.export",
        organisation=organisation,
        actor=request.user,
        target=organisation,
        details={"rows": events.count()},
    )
    response = StreamingHttpResponse(audit.csv_lines(events), content_type="text/csv; charset=utf-8")
    filename = f"{organisation.slug}-audit-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
