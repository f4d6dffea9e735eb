"""Admin: the reflex point catalogue and bookings, read-only. Intake forms and session records
are not in the admin: staff read them through the app's pages, which record every read."""

from django.contrib import admin

from sessions.models import Booking, ReflexPoint


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
        "cancellation_reason",
        "decline_reason",
        "reschedule_count",
        "created_at",
        "updated_at",
    ]
