from django.apps import AppConfig


class SessionsConfig(AppConfig):
    # Our bookings, intake forms and session records. Django's own login-sessions app is
    # also called "sessions", so this one takes the label "reflex_sessions".
    name = "sessions"
    label = "reflex_sessions"
    verbose_name = "Bookings and session records"
