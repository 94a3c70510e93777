"""Staff pages of bulk issuing, for the ``staff`` namespace."""
from django.urls import path, re_path

from .views import bulk

bulk_patterns = [
    path("<slug:slug>/bulk/", bulk.bulk_jobs, name="bulk_jobs"),
    path("<slug:slug>/bulk/new/", bulk.bulk_upload, name="bulk_upload"),
    path("<slug:slug>/bulk/typed/", bulk.bulk_typed, name="bulk_typed"),
    re_path(r"^(?P<slug>[-a-zA-Z0-9_]+)/bulk/template\.(?P<extension>csv|xlsx)$", bulk.bulk_template, name="bulk_template"),
    path("<slug:slug>/bulk/<uuid:job_id>/", bulk.bulk_job, name="bulk_job"),
    path("<slug:slug>/bulk/<uuid:job_id>/start/", bulk.bulk_start, name="bulk_start"),
    path("<slug:slug>/bulk/<uuid:job_id>/discard/", bulk.bulk_discard, name="bulk_discard"),
    path("<slug:slug>/bulk/<uuid:job_id>/progress.json", bulk.bulk_progress, name="bulk_progress"),
]
