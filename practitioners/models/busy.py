"""Busy times imported from the practitioner's own calendars (issue 17): the secret iCal
addresses they pasted, each feed's fetch status, and the busy intervals it gave (UTC start and
end only, within the booking horizon; no titles or descriptions are ever stored).
practitioners.busy_import fetches and replaces them; sessions.availability reads them."""

import uuid
from urllib.parse import urlsplit

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from reflexbook.lib.text import single_line


class BusyCalendar(models.Model):
    """One calendar feed of a practitioner's. The address is a secret (anyone holding it
    reads their diary): it is shown only masked (`masked_address`) once saved."""

    practitioner = models.ForeignKey(
        "practitioners.Practitioner", on_delete=models.CASCADE, related_name="busy_calendars"
    )
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=80, validators=[single_line])
    url = models.CharField(gettext_lazy("secret address"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last attempt, successful or not: the job fetches each feed every 15 minutes.
    fetched_at = models.DateTimeField(null=True, blank=True)
    # The last good copy: when it was read, what the server called it, how far it was
    # expanded (a 304 keeps the intervals only while they still reach past the horizon).
    succeeded_at = models.DateTimeField(null=True, blank=True)
    etag = models.CharField(max_length=200, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    covered_until = models.DateTimeField(null=True, blank=True)
    # The last attempt's error in words (never the address), cleared by the next success.
    error = models.CharField(max_length=300, blank=True)
    error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "url"],
                name="practitioners_busycalendar_one_per_address",
                violation_error_message=gettext_lazy(
                    "You have already added this calendar address."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.masked_address})"

    @property
    def masked_address(self) -> str:
        """The address with its secret hidden: scheme and server only."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.hostname or ''}/…"


class BusyInterval(models.Model):
    """A stretch (UTC) when a practitioner's own calendar says they are busy. The
    practitioner is stored too, for the slot finder's (practitioner, time) lookups and for the
    public_version trigger."""

    calendar = models.ForeignKey(BusyCalendar, on_delete=models.CASCADE, related_name="intervals")
    practitioner = models.ForeignKey(
        "practitioners.Practitioner", on_delete=models.CASCADE, related_name="busy_intervals"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["practitioner", "starts_at"], name="practitioners_busy_when"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="practitioners_busyinterval_starts_before_ends",
                violation_error_message=gettext_lazy("A busy time must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"
