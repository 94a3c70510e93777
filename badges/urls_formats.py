"""Downloads of a credential in every format, at ``/credentials/<uuid>/<file name>``.

The issuers' JWKs, which VC-JWT headers name as ``kid``, are in ``issuers.urls``.
"""
import re

from django.urls import path, register_converter

from .views import formats


class DownloadNameConverter:
    """Matches exactly the file names in ``formats.DOWNLOADS``."""

    regex = "|".join(re.escape(name) for name in formats.DOWNLOADS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DownloadNameConverter, "badge_download")

urlpatterns = [
    path(
        "credentials/<uuid:credential_id>/<badge_download:filename>",
        formats.credential_export,
        name="credential_export",
    ),
]
