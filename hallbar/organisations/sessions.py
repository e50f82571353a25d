"""Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS in total.

The middleware keeps two times in the session of a signed-in person: when the session was first
used after the login and when it was last used. A request after either limit logs the person out
and sends them to the login page (LoginRequiredMiddleware) with a message saying why. Times come
from `timezone.now()`, so tests move the clock (hallbar.core.clock) instead of waiting.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

STARTED = "hallbar_session_started"
LAST_SEEN = "hallbar_session_last_seen"
# The last-seen time is written at most this often (seconds), not on every request.
TOUCH_EVERY = 60


@receiver(user_logged_in)
def _start_again(sender, request, user, **kwargs) -> None:
    # Django keeps the session's data across a login: the new login's times start now.
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(STARTED, None)
        session.pop(LAST_SEEN, None)


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = timezone.now().timestamp()
            started, last_seen = session.get(STARTED), session.get(LAST_SEEN)
            if started is not None and last_seen is not None:
                if now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                    self._end(request, "idle")
                elif now - started > settings.SESSION_MAX_HOURS * 3600:
                    self._end(request, "total")
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = timezone.now().timestamp()
            if session.get(STARTED) is None:
                session[STARTED] = now
            last_seen = session.get(LAST_SEEN)
            if last_seen is None or now - last_seen >= TOUCH_EVERY:
                session[LAST_SEEN] = now
        return response

    def _end(self, request: HttpRequest, reason: str) -> None:
        logout(request)
        if reason == "idle":
            text = _(
                "You were logged out after %(minutes)s minutes without activity. Log in again "
                "to continue."
            ) % {"minutes": settings.SESSION_IDLE_MINUTES}
        else:
            text = _(
                "You were logged out: a login lasts at most %(hours)s hours. Log in again to "
                "continue."
            ) % {"hours": settings.SESSION_MAX_HOURS}
        messages.info(request, text)
