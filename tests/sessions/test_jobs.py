from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_run_due_jobs_deletes_only_expired_login_sessions(capsys):
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(days=1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(days=1))
    call_command("run_due_jobs")
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert "delete_expired_login_sessions: 1" in capsys.readouterr().out


def test_a_failing_job_is_recorded_and_the_others_still_run(monkeypatch, capsys):
    from sessions import jobs
    from sessions.models import JobRun

    def broken() -> int:
        raise RuntimeError("cannot reach the mail server")

    monkeypatch.setattr(jobs, "JOBS", [broken, jobs.delete_lapsed_holds])
    with pytest.raises(CommandError, match="1 job\\(s\\) failed: broken"):
        call_command("run_due_jobs")
    assert "broken: failed (see the log)" in capsys.readouterr().out
    failed = JobRun.objects.get(name="broken")
    assert (failed.outcome, failed.error, failed.last_ok_at) == ("failed", "RuntimeError", None)
    assert JobRun.objects.get(name="delete_lapsed_holds").outcome == "ok"
    run = JobRun.objects.get(name=JobRun.RUN)
    assert (run.outcome, run.error) == ("failed", "broken")
