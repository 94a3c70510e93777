"""Fixed-window rate limits counted in the database, so that every web node shares them."""
import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .codes import rate_key
from .models import RateLimitCounter

# scope -> (maximum attempts, window in seconds)
LIMITS = {
    "sign_in_address": (5, 3600),
    "sign_in_ip": (30, 3600),
    "claim_code_earner": (10, 3600),
    "claim_code_ip": (30, 3600),
    "email_add_earner": (10, 3600),
}


def _window_start(now: datetime.datetime, seconds: int) -> datetime.datetime:
    epoch = int(now.timestamp())
    return datetime.datetime.fromtimestamp(epoch - epoch % seconds, tz=datetime.timezone.utc)


def hit(scope: str, source: str, *, now: datetime.datetime | None = None) -> bool:
    """Count one attempt of ``scope`` from ``source``; return False when the limit is exceeded."""
    limit, seconds = LIMITS[scope]
    key = rate_key(scope, source)
    start = _window_start(now or timezone.now(), seconds)
    counters = RateLimitCounter.objects.filter(key=key, window_start=start)
    # UPDATE ... SET count = count + 1 is atomic in the database; the insert
    # of a window's first attempt may race with another node's, so a unique
    # violation falls back to the update.
    if not counters.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateLimitCounter.objects.create(key=key, window_start=start, count=1)
        except IntegrityError:
            counters.update(count=F("count") + 1)
    return counters.values_list("count", flat=True).first() <= limit


def purge_expired(*, now: datetime.datetime | None = None) -> int:
    longest = max(seconds for _limit, seconds in LIMITS.values())
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=longest)
    deleted, _ = RateLimitCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted
