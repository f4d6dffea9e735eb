"""A practitioner's calendar: weekly hours, dates that differ, and time off."""

from django.db import models
from django.db.models import Q

from reflexbook.lib.text import single_line


class WeeklyHours(models.Model):
    """A range of working time on one weekday, in the practitioner's time zone."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    practitioner = models.ForeignKey(
        "practitioners.Practitioner", on_delete=models.CASCADE, related_name="weekly_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField("from")
    ends = models.TimeField("until")

    class Meta:
        ordering = ["weekday", "starts"]
        verbose_name_plural = "weekly hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lt=models.F("ends")),
                name="practitioners_weeklyhours_starts_before_ends",
                violation_error_message="A range must end after it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class DateException(models.Model):
    """One date that differs from the weekly hours: extra hours, or closed all day."""

    class Kind(models.TextChoices):
        EXTRA = "extra", "Extra hours"
        CLOSED = "closed", "Closed all day"

    practitioner = models.ForeignKey(
        "practitioners.Practitioner", on_delete=models.CASCADE, related_name="date_exceptions"
    )
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    starts = models.TimeField("from", null=True, blank=True)
    ends = models.TimeField("until", null=True, blank=True)

    class Meta:
        ordering = ["date", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="closed", starts__isnull=True, ends__isnull=True)
                | Q(kind="extra", starts__lt=models.F("ends")),
                name="practitioners_dateexception_shape",
                violation_error_message="Extra hours need a start before their end; a closed day has no times.",
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
    starts_at = models.DateTimeField("from")
    ends_at = models.DateTimeField("until")
    reason = models.CharField(max_length=200, blank=True, validators=[single_line])

    class Meta:
        ordering = ["starts_at"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="practitioners_timeoff_starts_before_ends",
                violation_error_message="Time off must end after it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"
