"""The request type of views behind the login.

LoginRequiredMiddleware sends anonymous visitors to the login page before any view runs, so a
view that is not marked `login_not_required` always has a signed-in `User` on its request. This
class says so to the type checker; at run time requests are Django's own.
"""

from django.http import HttpRequest

from hallbar.organisations.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
