from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django_tasks_db import admin as _tasks_admin  # noqa: F401 (registers DBTaskResult)
from django_tasks_db.models import DBTaskResult

from accounts.models import StaffAction, User


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", ("email_verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal details"), {"fields": ["full_name", "phone", "timezone"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "email_verified_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


# Task rows name who was emailed about what, and a failed one carries a traceback: not for
# browsing. Importing django-tasks-db's admin first makes the unregister independent of the
# order of INSTALLED_APPS.
admin.site.unregister(DBTaskResult)


@admin.register(StaffAction)
class StaffActionAdmin(admin.ModelAdmin):
    """The staff activity log, to read and search: no row can be added, changed or deleted
    here (the log is append-only; accounts.activity writes it)."""

    list_display = ["at", "actor", "action", "subject_type", "subject_label"]
    list_filter = ["action", "subject_type"]
    search_fields = ["actor__email", "subject_id", "subject_label"]
    date_hierarchy = "at"
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
