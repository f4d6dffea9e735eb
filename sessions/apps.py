from django.apps import AppConfig


class SessionsConfig(AppConfig):
    # Our bookings, intake forms and session records. Django's own login-sessions app is
    # also called "sessions", so this one takes the label "reflex_sessions".
    name = "sessions"
    label = "reflex_sessions"
    verbose_name = "Bookings and session records"

    def ready(self):
        # practitioners announces calendar changes; only sessions knows the bookings that,
        # with them, decide the cached next free time.
        from practitioners.freed_time import time_freed
        from practitioners.services import calendar_changed
        from sessions.next_free import on_calendar_changed
        from sessions.waitlist import on_time_freed

        calendar_changed.connect(on_calendar_changed, dispatch_uid="sessions.next_free")
        # Time freed on a calendar (an outbox row committed): try the waitlist offers now.
        time_freed.connect(on_time_freed, dispatch_uid="sessions.waitlist")
