from django.db import models
from django.utils.translation import pgettext_lazy


class JobRun(models.Model):
    """The last run of one periodic job of sessions.jobs (and, under RUN, of the whole
    `run_due_jobs`): when it started and finished, whether it worked, how many things it
    handled. One row per job, updated each run; /readyz reads RUN's `finished_at`."""

    RUN = "run_due_jobs"

    class Outcome(models.TextChoices):
        OK = "ok", pgettext_lazy("job outcome", "Worked")
        FAILED = "failed", pgettext_lazy("job outcome", "Failed")

    name = models.CharField(max_length=80, unique=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    handled = models.PositiveIntegerField(default=0)
    # The exception's class only: a message could carry a client's details.
    error = models.CharField(max_length=200, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}: {self.outcome or 'running'}"
