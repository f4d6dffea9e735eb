import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from reflexbook.lib.storage import private_storage


def _export_path(instance, filename):
    return f"exports/{instance.code}/{uuid.uuid4().hex}.zip"


class DataExport(models.Model):
    """An export built in the background (sessions.exports): a client's data or a
    practitioner's practice, as a zip in private storage, fetched through a signed link that
    expires (EXPORT_LINK_DAYS) by its owner only. Deleted with its file by run_due_jobs once
    the link has expired."""

    class Kind(models.TextChoices):
        CLIENT = "client", gettext_lazy("Your data")
        PRACTICE = "practice", gettext_lazy("Practice export")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(storage=private_storage, upload_to=_export_path, blank=True)
    # The bookings whose session records a practice export holds, as [booking id, client id]:
    # each download of it logs a read of those records (sessions.audit).
    record_reads = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.code} of {self.owner_id}"

    @property
    def is_ready(self) -> bool:
        return self.ready_at is not None and bool(self.file)
