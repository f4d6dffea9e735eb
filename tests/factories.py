import factory
from factory.django import DjangoModelFactory

from accounts.models import User
from practitioners.models import Practitioner

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    timezone = "America/New_York"
    password = factory.django.Password(PASSWORD)


class StaffFactory(UserFactory):
    is_staff = True


class PractitionerFactory(DjangoModelFactory):
    class Meta:
        model = Practitioner

    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda p: p.user.full_name)
    slug = factory.Sequence(lambda n: f"practitioner-{n}")
    is_listed = True
