"""Staff pages of the badge template library and the statistics, for the ``staff`` namespace.

The library paths start with "library/", which the organisation pages
would read as an organisation slug, so these patterns must come before
``<slug:slug>/`` in ``staff_patterns``.
"""
from django.urls import path

from .views import dashboard, library

staff_extra_patterns = [
    path("library/", library.library_index, name="library"),
    path("library/import/", library.library_import, name="library_import"),
    path("library/<slug:code>/", library.library_template, name="library_template"),
    path("library/<slug:code>/copy/", library.library_copy, name="library_copy"),
    path("<slug:slug>/statistics/", dashboard.statistics, name="statistics"),
    path("<slug:slug>/statistics/export.csv", dashboard.credentials_export, name="credentials_export"),
]
