"""Staff pages of bulk issuing: upload or type a list, preview, confirm, follow the progress."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from issuers.permissions import Action

from ..bulk import services
from ..forms import ISSUE_AS_NETWORK, ISSUE_AS_ORGANISATION
from ..bulk.forms import TypedListForm, UploadForm
from ..bulk.messages import column_label, describe_file_problem, describe_row_error
from ..bulk.models import BulkJob, JobSource, JobStatus, RowStatus
from ..bulk.parsing import FileProblem
from ..bulk.template_file import template_csv, template_xlsx
from .staff import _attach_errors, _organisation_for


def _job_for(request, slug, job_id) -> tuple:
    organisation = _organisation_for(request, slug, Action.ISSUE)
    # A job of another organisation is not found, whatever the user's roles there.
    job = get_object_or_404(BulkJob.objects.select_related("badge"), pk=job_id, organisation=organisation)
    return organisation, job


@login_required
def bulk_jobs(request, slug):
    organisation = _organisation_for(request, slug, Action.ISSUE)
    jobs = (
        BulkJob.objects.filter(organisation=organisation)
        .select_related("badge")
        .annotate(
            total_rows=Count("rows"),
            issued_rows=Count("rows", filter=Q(rows__status=RowStatus.ISSUED)),
        )[:100]
    )
    return render(request, "badges/bulk/jobs.html", {"organisation": organisation, "jobs": jobs})


@login_required
def bulk_upload(request, slug):
    organisation = _organisation_for(request, slug, Action.ISSUE)
    initial = {"default_language": translation.get_language() or "fi"}
    if request.GET.get("badge"):
        initial["badge"] = organisation.badges.filter(slug=request.GET["badge"]).first()
    form = UploadForm(request.POST or None, request.FILES or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        job = _create_from_upload(request, form)
        if job is not None:
            return redirect("staff:bulk_job", slug=organisation.slug, job_id=job.pk)
    return render(request, "badges/bulk/upload.html", {"organisation": organisation, "form": form})


def _create_from_upload(request, form) -> BulkJob | None:
    upload = form.cleaned_data["file"]
    replaces = None
    if form.cleaned_data.get("replaces"):
        replaces = BulkJob.objects.filter(
            pk=form.cleaned_data["replaces"], organisation=form.cleaned_data["badge"].organisation
        ).first()
    try:
        # The size is checked before the file is read into memory.
        if upload.size > settings.MERKKIPAJA_BULK_MAX_BYTES:
            raise FileProblem("too_large", size=upload.size, max=settings.MERKKIPAJA_BULK_MAX_BYTES)
        table = services.parse_upload(upload.read(), upload.name or "")
        return services.job_create(
            badge=form.cleaned_data["badge"],
            table=table,
            source=JobSource.FILE,
            file_name=upload.name or "",
            default_language=form.cleaned_data["default_language"],
            language=translation.get_language() or "fi",
            actor=request.user,
            replaces=replaces,
            issue_as_network=form.issue_as_network,
        )
    except FileProblem as problem:
        form.add_error("file", describe_file_problem(problem))
    except ValidationError as error:
        _attach_errors(form, error)
    return None


@login_required
def bulk_typed(request, slug):
    organisation = _organisation_for(request, slug, Action.ISSUE)
    form = TypedListForm(
        request.POST or None, organisation=organisation, initial={"default_language": translation.get_language() or "fi"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            table = services.parse_typed(
                data["recipients"],
                issued_on=data["issued_on"],
                evidence_narrative=data.get("evidence_narrative") or "",
                evidence_url=data.get("evidence_url") or "",
            )
            job = services.job_create(
                badge=data["badge"],
                table=table,
                source=JobSource.TYPED,
                default_language=data["default_language"],
                language=translation.get_language() or "fi",
                actor=request.user,
                issue_as_network=form.issue_as_network,
            )
        except FileProblem as problem:
            form.add_error("recipients", describe_file_problem(problem))
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            return redirect("staff:bulk_job", slug=organisation.slug, job_id=job.pk)
    return render(request, "badges/bulk/typed.html", {"organisation": organisation, "form": form})


def _error_lines(job, rows) -> list[dict]:
    lines = []
    for row in rows:
        for error in row.errors:
            problem, fix = describe_row_error(error)
            lines.append({
                "number": row.number,
                "column": column_label(job, error.get("column", "")),
                "problem": problem,
                "fix": fix,
                "value": error.get("value", ""),
            })
    return lines


@login_required
def bulk_job(request, slug, job_id):
    organisation, job = _job_for(request, slug, job_id)
    rows = list(job.rows.select_related("credential").order_by("number"))
    by_status = {status: [row for row in rows if row.status == status] for status in RowStatus.values}
    context = {
        "organisation": organisation,
        "job": job,
        "counts": services.job_counts(job),
        "rows": by_status,
        "error_lines": _error_lines(job, by_status[RowStatus.INVALID] + by_status[RowStatus.FAILED]),
        "ignored_headers": job.ignored_headers,
        "upload_form": UploadForm(
            organisation=organisation,
            initial={"badge": job.badge, "replaces": job.pk, "default_language": translation.get_language(),
                     "issue_as": ISSUE_AS_NETWORK if job.issue_as_network else ISSUE_AS_ORGANISATION},
        ),
    }
    if job.status == JobStatus.PREVIEW:
        template = "badges/bulk/preview.html"
    elif job.is_unfinished:
        template = "badges/bulk/progress.html"
    else:
        template = "badges/bulk/report.html"
    return render(request, template, context)


def _run_showing_errors(request, action, **kwargs) -> bool:
    """Run a job action and show its validation errors as messages; return whether it succeeded."""
    try:
        action(**kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    return True


@login_required
@require_POST
def bulk_start(request, slug, job_id):
    organisation, job = _job_for(request, slug, job_id)
    _run_showing_errors(request, services.job_start, job=job, actor=request.user)
    return redirect("staff:bulk_job", slug=organisation.slug, job_id=job.pk)


@login_required
@require_POST
def bulk_discard(request, slug, job_id):
    organisation, job = _job_for(request, slug, job_id)
    if not _run_showing_errors(request, services.job_discard, job=job, actor=request.user):
        return redirect("staff:bulk_job", slug=organisation.slug, job_id=job.pk)
    messages.success(request, _("The list was removed. Nothing was issued from it."))
    return redirect("staff:bulk_upload", slug=organisation.slug)


@login_required
def bulk_progress(request, slug, job_id):
    """Return the job's progress as JSON for the progress page's script."""
    _organisation, job = _job_for(request, slug, job_id)
    counts = services.job_counts(job)
    return JsonResponse({
        "status": job.status,
        "done": job.status == JobStatus.DONE,
        "processed": counts["processed"],
        "to_process": counts["to_process"],
        "percent": counts["percent"],
        "issued": counts[RowStatus.ISSUED],
        "existing": counts[RowStatus.EXISTING],
        "failed": counts[RowStatus.FAILED],
        "text": _("%(processed)d of %(total)d rows processed") % {
            "processed": counts["processed"], "total": counts["to_process"]},
    })


@login_required
def bulk_template(request, slug, extension):
    _organisation_for(request, slug, Action.ISSUE)
    today = timezone.localdate()
    if extension == "csv":
        response = HttpResponse(template_csv(today), content_type="text/csv; charset=utf-8")
    elif extension == "xlsx":
        response = HttpResponse(
            template_xlsx(today),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="merkit-pohja.{extension}"'
    return response
