"""Settings of Merkkipaja's own features."""
from .env import env_str

# Public base URL of this service: credential ids, issuer DIDs, links and QR
# codes are built from it, so it must not change once badges are issued.
MERKKIPAJA_BASE_URL = env_str("MERKKIPAJA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Name of the service shown in page titles and footers.
MERKKIPAJA_SITE_NAME = env_str("MERKKIPAJA_SITE_NAME", "Merkkipaja")

# Largest badge image or logo accepted, in bytes.
MERKKIPAJA_MAX_IMAGE_BYTES = int(env_str("MERKKIPAJA_MAX_IMAGE_BYTES", str(2 * 1024 * 1024)))
