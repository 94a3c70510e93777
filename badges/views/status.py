"""The published Bitstring Status Lists."""
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control

from ..models import StatusList


@cache_control(no_cache=True, public=True)
def status_list(request, list_id):
    """Serve the signed ``BitstringStatusListCredential`` of one list.

    ``no-cache`` makes wallets and verifiers revalidate, so a revocation is
    visible to them on their next check.
    """
    item = get_object_or_404(StatusList, public_id=list_id)
    response = HttpResponse(item.document.encode("utf-8"), content_type="application/vc+ld+json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response
