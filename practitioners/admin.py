from django.contrib import admin

from practitioners.models import (
    Certification,
    CertificationEvent,
    CertificationEvidence,
    Practitioner,
    Service,
    ServiceLength,
)


class ServiceLengthInline(admin.TabularInline):
    model = ServiceLength
    extra = 0


@admin.register(Practitioner)
class PractitionerAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "city", "is_hidden", "accepting_new_clients"]
    list_filter = ["is_hidden", "accepting_new_clients", "offers_foot", "offers_hand", "offers_ear"]
    search_fields = ["display_name", "user__email", "city"]
    list_select_related = ["user"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "practitioner", "buffer_minutes", "is_active"]
    list_select_related = ["practitioner"]
    inlines = [ServiceLengthInline]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EvidenceInline(ReadOnlyInline):
    model = CertificationEvidence
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = CertificationEvent
    fields = ["at", "actor", "from_state", "to_state", "reason"]
    readonly_fields = fields


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    """Read-only: decisions are made in the verification queue, so each one is recorded."""

    list_display = [
        "practitioner",
        "kind",
        "state",
        "credential_id",
        "ce_cycle_end",
        "submitted_at",
    ]
    list_filter = ["state", "kind"]
    search_fields = ["practitioner__display_name", "credential_id"]
    list_select_related = ["practitioner"]
    inlines = [EvidenceInline, EventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CertificationEvent)
class CertificationEventAdmin(admin.ModelAdmin):
    list_display = ["certification", "at", "actor", "from_state", "to_state"]
    list_select_related = ["certification__practitioner", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
