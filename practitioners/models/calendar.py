"""A practitioner's calendar: weekly hours, dates that differ, and time off."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from reflexbook.lib.text import single_line


class WeeklyHours(models.Model):
    """A range of working time on one weekday, in the practitioner's time zone."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, pgettext_lazy("weekday", "Monday")
        TUESDAY = 1, pgettext_lazy("weekday", "Tuesday")
        WEDNESDAY = 2, pgettext_lazy("weekday", "Wednesday")
        THURSDAY = 3, pgettext_lazy("weekday", "Thursday")
        FRIDAY = 4, pgettext_lazy("weekday", "Friday")
        SATURDAY = 5, pgettext_lazy("weekday", "Saturday")
        SUNDAY = 6, pgettext_lazy("weekday", "Sunday")

    practitioner = models.ForeignKey(
        "practitioners.Practitioner", on_delete=models.CASCADE, related_name="weekly_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField(gettext_lazy("from"))
    ends = models.TimeField(gettext_lazy("until"))

    class Meta:
        ordering = ["weekday", "starts"]
        verbose_name_plural = gettext_lazy("weekly hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lt=models.F("ends")),
                name="practitioners_weeklyhours_starts_before_ends",
                violation_error_message=gettext_lazy("A range must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class DateException(models.Model):
    """One date that differs from the weekly hours: extra hours, or closed all day."""

    class Kind(models.TextChoices):
        EXTRA = "extra", gettext_lazy("Extra hours")
        CLOSED = "closed", gettext_lazy("Closed all day")

    practitioner = models.ForeignKey(
        "practitioners.Practitioner", on_delete=models.CASCADE, related_name="date_exceptions"
    )
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    starts = models.TimeField(gettext_lazy("from"), null=True, blank=True)
    ends = models.TimeField(gettext_lazy("until"), null=True, blank=True)

    class Meta:
        ordering = ["date", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="closed", starts__isnull=True, ends__isnull=True)
                | Q(kind="extra", starts__lt=models.F("ends")),
                name="practitioners_dateexception_shape",
                violation_error_message=gettext_lazy(
                    "Extra hours need a start before their end; a closed day has no times."
                ),
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.CLOSED:
            return f"{self.date:%Y-%m-%d} closed"
        return f"{self.date:%Y-%m-%d} {self.starts:%H:%M}–{self.ends:%H:%M}"


class TimeOff(models.Model):
    """A stretch of time off (stored in UTC; entered in the practitioner's zone)."""

    practitioner = models.ForeignKey(
        "practitioners.Practitioner", on_delete=models.CASCADE, related_name="time_off"
    )
    starts_at = models.DateTimeField(gettext_lazy("from"))
    ends_at = models.DateTimeField(gettext_lazy("until"))
    reason = models.CharField(max_length=200, blank=True, validators=[single_line])

    class Meta:
        ordering = ["starts_at"]
        verbose_name_plural = gettext_lazy("time off")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="practitioners_timeoff_starts_before_ends",
                violation_error_message=gettext_lazy("Time off must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"


class FreedTime(models.Model):
    """An outbox row: time on the practitioner's calendar became free (a cancellation, a
    decline, a move, time off or a closed day removed, hours extended), written in the same
    transaction as the change, so no crash between the change and the waitlist offers can
    lose it. sessions.waitlist works through the rows (run_due_jobs, and once right after
    the commit): a worker claims one with a conditional UPDATE (`claimed_until`, a lease) and
    marks it done when nobody waiting can be offered anything more from it."""

    class Cause(models.TextChoices):
        CANCELLED = "cancelled", gettext_lazy("A booking was cancelled")
        DECLINED = "declined", gettext_lazy("A request was declined")
        RESCHEDULED = "rescheduled", gettext_lazy("A booking was moved")
        TIME_OFF_REMOVED = "time_off_removed", gettext_lazy("Time off was removed")
        CLOSED_DAY_REMOVED = "closed_day_removed", gettext_lazy("A closed day was removed")
        EXTRA_HOURS = "extra_hours", gettext_lazy("Extra hours were added")
        HOURS_EXTENDED = "hours_extended", gettext_lazy("Weekly hours were extended")

    practitioner = models.ForeignKey(
        "practitioners.Practitioner", on_delete=models.CASCADE, related_name="freed_times"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cause = models.CharField(max_length=20, choices=Cause.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # A worker's lease on the row: another worker leaves it alone until then.
    claimed_until = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = gettext_lazy("freed times")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(done_at__isnull=True),
                name="freedtime_pending",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="practitioners_freedtime_starts_before_ends",
                violation_error_message=gettext_lazy("Freed time must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.get_cause_display()}: {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"
