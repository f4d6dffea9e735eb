"""The client's waitlist pages (issue 17): joining from the week of times, leaving from their
bookings area, and the page an offer email links to. Logged-in clients only (a visitor is
sent to log in and comes back: LoginRequiredMiddleware); each entry and offer is loaded for
its own client, anyone else gets 404. The writes are sessions.waitlist's."""

from datetime import timedelta
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sessions import holds
from sessions.access import client_waitlist_entry, client_waitlist_offer
from sessions.forms.booking import format_start
from sessions.forms.waitlist import WaitlistForm
from sessions.models import WaitlistOffer
from sessions.views.booking import _closed, _fresh_times, _length, _listed_practitioner
from sessions.waitlist import (
    WaitlistRefused,
    decline_offer,
    join_waitlist,
    last_day_to_wait,
    leave_waitlist,
    offer_is_free,
    settle_claims,
)

# How far ahead a new entry waits by default.
DEFAULT_WEEKS = 4


@require_http_methods(["GET", "POST"])
def waitlist_join(request: HttpRequest, slug: str, length_id: int) -> HttpResponse:
    """Join the practitioner's waitlist for this length: which days, which parts of the
    day, between which dates (all in the client's own zone)."""
    practitioner = _listed_practitioner(slug)
    length = _length(practitioner, length_id, active_only=True)
    if closed := _closed(request, practitioner):
        return closed
    now = timezone.now()
    today = timezone.localdate(now)  # the viewer's zone (accounts.middleware)
    horizon = last_day_to_wait(
        practitioner=practitioner, now=now, zone=timezone.get_current_timezone()
    )
    initial = {
        "weekdays": [str(n) for n in range(7)],
        "parts": ["0", "1", "2"],
        "first_day": today,
        "last_day": min(today + timedelta(weeks=DEFAULT_WEEKS), horizon),
    }
    form = WaitlistForm(request.POST or None, initial=initial, today=today)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            join_waitlist(
                client=request.user,
                practitioner=practitioner,
                length=length,
                weekdays=form.weekday_mask(),
                parts=form.part_mask(),
                first_day=form.cleaned_data["first_day"],
                last_day=form.cleaned_data["last_day"],
                now=now,
            )
        except WaitlistRefused as refused:
            error = str(refused)
        else:
            messages.success(
                request,
                _(
                    "You are on %(name)s's waitlist. We will email you when a time that suits "
                    "you frees up."
                )
                % {"name": practitioner.display_name},
            )
            return redirect(f"{reverse('sessions:my-bookings')}#waitlist")
    context = {
        "practitioner": practitioner,
        "length": length,
        "form": form,
        "error": error,
        "horizon": horizon,
        "slots_url": reverse(
            "sessions:slots", kwargs={"slug": practitioner.slug, "length_id": length.pk}
        ),
    }
    return render(request, "sessions/waitlist/join.html", context)


@require_POST
def waitlist_leave(request: HttpRequest, code: UUID) -> HttpResponse:
    """The client leaves one of their waitlist entries."""
    entry = client_waitlist_entry(request, code)
    if leave_waitlist(entry=entry):
        messages.success(
            request,
            _("You have left %(name)s's waitlist.") % {"name": entry.practitioner.display_name},
        )
    else:
        messages.info(request, _("That waitlist entry had already ended."))
    return redirect(f"{reverse('sessions:my-bookings')}#waitlist")


@require_http_methods(["GET"])
def waitlist_offer(request: HttpRequest, code: UUID) -> HttpResponse:
    """The page an offer email links to: book the time (the normal review page, through
    book_session) or let it pass to the next person. A time taken meanwhile, or an offer
    that ran out, is said kindly, with the other free times that day."""
    offer = client_waitlist_offer(request, code)
    entry = offer.entry
    practitioner, length = entry.practitioner, entry.length
    now = timezone.now()
    # Booked already (from the review page, by any link): the offer says so at once.
    if settle_claims(offers=WaitlistOffer.objects.filter(pk=offer.pk), now=now):
        offer.status = WaitlistOffer.Status.CLAIMED
    live = offer.is_live(now)
    # The client's own hold on the time (from opening its review page) leaves it free to them.
    mine = holds.own_hold(request, practitioner=practitioner, starts_at=offer.starts_at)
    free = live and length.service.is_active and offer_is_free(offer, now, mine=mine)
    review_url = reverse(
        "sessions:review",
        kwargs={
            "slug": practitioner.slug,
            "length_id": length.pk,
            "start": format_start(offer.starts_at),
        },
    )
    context = {
        "offer": offer,
        "entry": entry,
        "practitioner": practitioner,
        "length": length,
        "live": live,
        "free": free,
        "ends_at": offer.starts_at + timedelta(minutes=length.minutes),
        "book_url": f"{review_url}?{urlencode({'offer': offer.code})}",
        "slots_url": reverse(
            "sessions:slots", kwargs={"slug": practitioner.slug, "length_id": length.pk}
        ),
        "fresh": None,
    }
    if live and not free and length.service.is_active:
        context["fresh"] = _fresh_times(request, practitioner, length, offer.starts_at)
    return render(request, "sessions/waitlist/offer.html", context)


@require_POST
def waitlist_decline(request: HttpRequest, code: UUID) -> HttpResponse:
    """The client lets an offered time pass to the next person waiting."""
    offer = client_waitlist_offer(request, code)
    if decline_offer(offer=offer):
        messages.success(
            request,
            _("Thank you: the time passes to the next person waiting. You stay on the waitlist."),
        )
    else:
        messages.info(request, _("This offer was no longer open."))
    return redirect(f"{reverse('sessions:my-bookings')}#waitlist")
