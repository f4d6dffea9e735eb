import pytest

from tests.factories import IntakeFormFactory


@pytest.fixture
def intake(client_user):
    """`client_user`'s signed intake with no health flags (a file may define its own)."""
    return IntakeFormFactory(client=client_user)
