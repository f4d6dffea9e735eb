from django.conf import settings
from django.db import models
from django.urls import reverse


class PractitionerQuerySet(models.QuerySet):
    def listed(self):
        """Profiles the public directory shows."""
        return self.filter(is_listed=True)


class Practitioner(models.Model):
    """A practitioner's profile, one per practitioner user; filled in after sign-up."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practitioner"
    )
    display_name = models.CharField("display name", max_length=150)
    slug = models.SlugField("URL name", max_length=80, unique=True)
    is_listed = models.BooleanField(
        "listed in the directory",
        default=False,
        help_text="Off until the profile is complete.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PractitionerQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("practitioners:detail", kwargs={"slug": self.slug})
