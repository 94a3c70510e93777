"""Removal of expired one-time links, claim links and rate-limit counters."""
import logging

from django.utils import timezone

from . import accounts, ratelimit
from .models import ClaimToken

logger = logging.getLogger(__name__)


def purge_expired() -> int:
    """Delete expired secrets and counters in the database; enqueues no task, so it returns 0."""
    now = timezone.now()
    tokens = accounts.purge_expired_tokens(now=now)
    claim_tokens, _rows = ClaimToken.objects.filter(expires_at__lt=now).delete()
    counters = ratelimit.purge_expired(now=now)
    if tokens or claim_tokens or counters:
        logger.info("Purged %s tokens, %s claim links and %s rate-limit counters", tokens, claim_tokens, counters)
    return 0
