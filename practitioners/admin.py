from django.contrib import admin

from practitioners.models import Practitioner


@admin.register(Practitioner)
class PractitionerAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "is_listed", "created_at"]
    list_filter = ["is_listed"]
    search_fields = ["display_name", "user__email"]
    list_select_related = ["user"]
    prepopulated_fields = {"slug": ["display_name"]}
