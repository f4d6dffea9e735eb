from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_run_due_jobs_deletes_only_expired_login_sessions(capsys):
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(days=1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(days=1))
    call_command("run_due_jobs")
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert "delete_expired_login_sessions: 1" in capsys.readouterr().out
