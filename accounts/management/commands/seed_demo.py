from datetime import time

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from practitioners.models import Practitioner, Service, WeeklyHours
from practitioners.services import practitioner_signup

STAFF = [("admin@example.com", "demo-pass-1", "Alex Admin")]
PRACTITIONERS = [
    ("maya@example.com", "demo-pass-2", "Maya Okafor", "America/New_York", True),
    ("tom@example.com", "demo-pass-3", "Tom Lindqvist", "Europe/London", False),
]
CLIENTS = [
    ("client@example.com", "demo-pass-4", "Chris Client", "America/Chicago"),
    ("sam@example.com", "demo-pass-5", "Sam Rivera", "America/Los_Angeles"),
]


def _complete_profile(practitioner: Practitioner) -> None:
    practitioner.city, practitioner.region = "Portland", "Oregon"
    practitioner.save()
    service = Service.objects.create(practitioner=practitioner, name="Foot reflexology")
    service.lengths.create(minutes=30, price=45)
    service.lengths.create(minutes=60, price=80)
    for weekday in range(5):
        WeeklyHours.objects.create(
            practitioner=practitioner, weekday=weekday, starts=time(9), ends=time(17)
        )


class Command(BaseCommand):
    help = "Create demo staff, practitioners and clients; safe to run again (changes nothing)."

    @transaction.atomic
    def handle(self, *args, **options):
        logins = []
        for email, password, name in STAFF:
            if not User.objects.filter(email=email).exists():
                User.objects.create_superuser(email=email, password=password, full_name=name)
            logins.append(("staff", email, password))
        for email, password, name, zone, listed in PRACTITIONERS:
            if not User.objects.filter(email=email).exists():
                user = practitioner_signup(
                    email=email, password=password, full_name=name, timezone=zone
                )
                if listed:
                    _complete_profile(user.practitioner)
            logins.append(("practitioner", email, password))
        for email, password, name, zone in CLIENTS:
            if not User.objects.filter(email=email).exists():
                User.objects.create_user(
                    email=email, password=password, full_name=name, timezone=zone
                )
            logins.append(("client", email, password))
        for role, email, password in logins:
            self.stdout.write(f"{role:<13} {email:<22} {password}")
