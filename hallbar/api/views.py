"""The page of one's personal API tokens: the list, a new token (its secret shown once), revoking."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hallbar.api.access import (
    access_token_for_revoke,
    can_make_tokens,
    sees_all_tokens,
    tokens_visible_to,
)
from hallbar.api.forms import TokenForm
from hallbar.api.tokens import create_token, revoke_token
from hallbar.organisations.http import AuthenticatedHttpRequest


def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the person's tokens (the secretariat: everyone's) and make a new one on POST.

    A new token's secret is shown on the answer to the POST and never again: the page is
    rendered, not redirected to, so that the secret is in no URL and no session.
    """
    if not can_make_tokens(request.user):
        raise Http404
    form = TokenForm(request.POST or None)
    new = None
    if request.method == "POST" and form.is_valid():
        new = create_token(user=request.user, **form.cleaned_data)
        form = TokenForm()
    tokens = tokens_visible_to(request.user)
    all_tokens = sees_all_tokens(request.user)
    response = render(
        request,
        "api/token_list.html",
        {
            "form": form,
            "new": new,
            "own": [t for t in tokens if t.user_id == request.user.pk],
            "others": [t for t in tokens if t.user_id != request.user.pk] if all_tokens else [],
            "sees_all": all_tokens,
        },
    )
    if new is not None:
        response["Cache-Control"] = "no-store"
    return response


def token_revoke(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    """Ask to confirm, then revoke the token (an own one; any for the secretariat)."""
    token = access_token_for_revoke(request.user, public_id)
    if request.method == "POST":
        revoke_token(token, acting_user=request.user)
        messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
        return redirect("tokens:token-list")
    return render(request, "api/token_revoke.html", {"token": token})
