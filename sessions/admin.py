"""Admin: the reflex point catalogue and bookings, read-only. Intake forms, clearance notes,
check-ins, session records and the access log are not in the admin: staff read health data
through the app's pages, which log every read (sessions.audit). The booking admin therefore
shows no health data either: no flags, no pinned intake, and none of the free text that may
carry health words (the client's message, the safety note, the cancel and decline reasons)."""

from django.contrib import admin

from sessions.models import Booking, JobRun, ReflexPoint


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReflexPoint)
class ReflexPointAdmin(ReadOnlyAdmin):
    """Loaded by migration from sessions/data/reflex_points.yaml; slugs never change."""

    list_display = ["name", "map", "side", "region", "surface", "zones", "slug"]
    list_filter = ["map", "side", "surface"]
    search_fields = ["name", "slug", "body_area"]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    """Who booked whom and when; changes go through the app so each one is checked."""

    list_display = ["starts_at", "practitioner", "client", "minutes", "status", "created_at"]
    list_filter = ["status"]
    # Never a free-text field: a search is a read too.
    search_fields = ["practitioner__display_name", "client__email", "client__full_name"]
    list_select_related = ["practitioner", "client"]
    date_hierarchy = "starts_at"
    fields = [
        "code",
        "client",
        "practitioner",
        "service",
        "minutes",
        "price",
        "starts_at",
        "ends_at",
        "status",
        "is_late_cancellation",
        "cancelled_at",
        "reschedule_count",
        "created_at",
        "updated_at",
    ]


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    """Each periodic job's last run (run_due_jobs writes them): when, whether it worked."""

    list_display = ["name", "outcome", "finished_at", "handled", "error", "last_ok_at"]
