import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy


def of_present_clients(queryset: models.QuerySet, client: str = "client") -> models.QuerySet:
    """`queryset` without the rows of clients who erased their account (issue 16): the one
    rule that keeps a retained record set out of every list and page. The default managers
    of Booking, IntakeForm and SessionRecord apply it; `client` is the path to the client's
    id from the queryset's model. Only sessions.erasure and the retained view read past it
    (each model's `all_objects`), and the practice report's counts, which name no one."""
    return queryset.filter(~Exists(ErasureRequest.objects.filter(client_id=OuterRef(client))))


class ErasureRequestQuerySet(models.QuerySet):
    def pending(self):
        """Requests whose retained records are not purged yet."""
        return self.filter(purged_at__isnull=True)

    def due(self, now):
        """Pending requests whose retention period has ended."""
        return self.pending().filter(retention_ends_at__lte=now)


class ErasureRequest(models.Model):
    """A client's request to delete their account (sessions.erasure.erase_client): when,
    until when the practice keeps their signed records (RECORD_RETENTION_YEARS from the last
    session), when those were purged, and what was done, as counts. No name, no address and
    no health text: the row outlives the account it was about (client becomes empty)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasure",
    )
    requested_at = models.DateTimeField()
    last_session_at = models.DateTimeField(null=True, blank=True)
    retention_ends_at = models.DateTimeField()
    purged_at = models.DateTimeField(null=True, blank=True)
    # What was done, as counts by kind ({"bookings_cancelled": 1, "records_kept": 2, ...}).
    detail = models.JSONField(default=dict, blank=True)

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["retention_ends_at", "pk"]
        indexes = [models.Index(fields=["purged_at", "retention_ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(retention_ends_at__gte=models.F("requested_at")),
                name="reflex_sessions_erasurerequest_retention_after_request",
                violation_error_message=gettext_lazy(
                    "The retention period ends after the request."
                ),
            ),
        ]

    def __str__(self):
        return f"Erasure {self.code} requested {self.requested_at:%Y-%m-%d}"

    @property
    def is_pending(self) -> bool:
        return self.purged_at is None
