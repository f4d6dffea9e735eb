from django.urls import path

from practitioners.views import directory

app_name = "practitioners"

# Fixed paths come before "<slug:slug>/"; practitioners.services.RESERVED_SLUGS keeps
# profile slugs from taking these names.
urlpatterns = [
    path("", directory.directory, name="directory"),
    # --- practitioner's area (views/area.py) ---
    # --- credentials and staff queue (views/credentials.py) ---
    # --- public profile, last ---
    path("<slug:slug>/", directory.detail, name="detail"),
]
