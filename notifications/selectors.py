"""Reading the outbox for staff pages."""
from .models import OutboxEmail


def latest_email(*, kind: str, related_id) -> OutboxEmail | None:
    """Return the newest email of ``kind`` about the object ``related_id``, if any."""
    return OutboxEmail.objects.filter(kind=kind, related_id=str(related_id)).order_by("-created_at").first()
