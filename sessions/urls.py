from django.urls import path  # noqa: F401 - the sections below fill in

app_name = "sessions"

urlpatterns = [
    # --- client booking flow and client area (views/booking.py) ---
    # --- practitioner agenda, actions and calendar feed (views/agenda.py) ---
    # --- intake (views/intake.py) ---
]
