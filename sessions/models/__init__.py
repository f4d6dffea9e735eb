from sessions.models.booking import Booking, BookingQuerySet, Reminder
from sessions.models.intake import IntakeAccess, IntakeForm

__all__ = ["Booking", "BookingQuerySet", "IntakeAccess", "IntakeForm", "Reminder"]
