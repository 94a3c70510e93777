"""Settings of Merkkipaja's own features."""
from .env import env_str

# Public base URL of this service: credential ids, issuer DIDs, links and QR
# codes are built from it, so it must not change once badges are issued.
MERKKIPAJA_BASE_URL = env_str("MERKKIPAJA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Name of the service shown in page titles and footers.
MERKKIPAJA_SITE_NAME = env_str("MERKKIPAJA_SITE_NAME", "Merkkipaja")

# Largest badge image or logo accepted, in bytes.
MERKKIPAJA_MAX_IMAGE_BYTES = int(env_str("MERKKIPAJA_MAX_IMAGE_BYTES", str(2 * 1024 * 1024)))

from .env import env_bool  # noqa: E402

# Fetching documents for the badge verifier (badges.fetching). Private,
# loopback and other non-public addresses are never fetched unless this is
# set; tests set it to reach servers on 127.0.0.1.
MERKKIPAJA_FETCH_ALLOW_PRIVATE = env_bool("MERKKIPAJA_FETCH_ALLOW_PRIVATE", False)

# Tests only: path of a JSON file mapping URL prefixes to local URLs, such
# as {"https://issuer.example/": "http://127.0.0.1:8123/"}. Empty turns it
# off; config.checks rejects it in production.
MERKKIPAJA_FETCH_URL_MAP = env_str("MERKKIPAJA_FETCH_URL_MAP", "")

# Largest response body read from another server, in bytes.
MERKKIPAJA_FETCH_MAX_BYTES = int(env_str("MERKKIPAJA_FETCH_MAX_BYTES", str(1024 * 1024)))

# Time limit of one fetch, connection, redirects and reading included, in seconds.
MERKKIPAJA_FETCH_TIMEOUT_SECONDS = float(env_str("MERKKIPAJA_FETCH_TIMEOUT_SECONDS", "5"))

# Bulk issuing (badges.bulk): the largest upload in bytes, the most
# recipients in one file or typed list, the seconds without a heartbeat
# after which the worker's sweep restarts an unfinished job, and the hours
# an unconfirmed preview (with its personal data) is kept.
MERKKIPAJA_BULK_MAX_BYTES = int(env_str("MERKKIPAJA_BULK_MAX_BYTES", str(2 * 1024 * 1024)))
MERKKIPAJA_BULK_MAX_ROWS = int(env_str("MERKKIPAJA_BULK_MAX_ROWS", "2000"))
MERKKIPAJA_BULK_STALE_SECONDS = float(env_str("MERKKIPAJA_BULK_STALE_SECONDS", "60"))
MERKKIPAJA_BULK_PREVIEW_HOURS = float(env_str("MERKKIPAJA_BULK_PREVIEW_HOURS", "24"))
