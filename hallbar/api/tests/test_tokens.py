"""Personal API tokens: hashed, scoped, expiring, revocable; their page and their last use."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hallbar.api.models import ApiToken
from hallbar.api.tokens import (
    LAST_USE_PRECISION,
    READ_ONLY_TOKEN,
    create_token,
    find_token,
    revoke_token,
)
from hallbar.core.clock import demo_today

pytestmark = pytest.mark.django_db

REGIONS = reverse("api:list_regions")


def test_the_secret_is_not_stored_only_its_sha256(cast):
    new = create_token(user=cast.alice, name="Avtalssystem", scope="read", expires_on=demo_today())
    token = ApiToken.objects.get()
    assert new.secret.startswith("hb_") and len(new.secret) > 40
    assert token.secret_hash == hashlib.sha256(new.secret.encode()).hexdigest()
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert not any(new.secret in value for value in stored)
    assert token.prefix == new.secret[:10]
    assert find_token(new.secret) == token
    assert find_token(new.secret + "x") is None


def test_a_token_acts_as_its_person_with_the_same_access(cast, token_for, bearer):
    # Given a token of a supplier contact (who may not see the regions) and one of a buyer
    charlie, alice = token_for(cast.charlie), token_for(cast.alice)
    # When each calls the regions, without a session
    # Then the buyer gets them and the supplier contact gets what the pages give: 404
    assert bearer("get", REGIONS, alice).status_code == 200
    assert bearer("get", REGIONS, charlie).status_code == 404


def test_no_token_bad_token_expired_and_revoked_get_401_json(cast, token_for, bearer, client):
    secret = token_for(cast.alice)
    assert client.get(REGIONS).status_code == 401
    for wrong in ("", "hb_nothing", "x" * 500, secret[:-1]):
        response = bearer("get", REGIONS, wrong)
        assert response.status_code == 401 and response.json() == {"detail": "Unauthorized"}
    token = ApiToken.objects.get()
    # expired: valid through its last day, refused the day after
    token.expires_on = demo_today()
    token.save()
    assert bearer("get", REGIONS, secret).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_on=demo_today() - timedelta(days=1))
    assert bearer("get", REGIONS, secret).status_code == 401
    # revoked
    ApiToken.objects.filter(pk=token.pk).update(expires_on=demo_today())
    revoke_token(token, acting_user=cast.alice)
    response = bearer("get", REGIONS, secret)
    assert response.status_code == 401 and response["Content-Type"].startswith("application/json")


def test_a_bad_token_is_refused_even_beside_a_session(cast, client):
    client.force_login(cast.alice)
    assert client.get(REGIONS).status_code == 200
    response = client.get(REGIONS, headers={"Authorization": "Bearer hb_wrong"})
    assert response.status_code == 401


def test_a_read_token_may_not_write(cast, token_for, bearer):
    read, write = token_for(cast.secretariat, "read"), token_for(cast.secretariat)
    url = reverse("api:start_screening")
    # When a read token posts, it is refused with 403 before anything is looked at
    response = bearer("post", url, read, data={"year": 1999}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == str(READ_ONLY_TOKEN)  # in the platform's language
    # and the same call with a read-write token gets past the gate (the year has no spend)
    response = bearer("post", url, write, data={"year": 1999}, content_type="application/json")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "year" and "1999" in error["message"]


def test_an_inactive_persons_token_is_refused(cast, token_for, bearer):
    secret = token_for(cast.alice)
    cast.alice.is_active = False
    cast.alice.save()
    assert bearer("get", REGIONS, secret).status_code == 401


def test_last_use_is_kept_at_most_once_a_minute(cast, token_for, bearer):
    secret = token_for(cast.alice)
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    bearer("get", REGIONS, secret)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    bearer("get", REGIONS, secret)
    assert ApiToken.objects.get().last_used_at == first  # within the minute: not written
    earlier = first - LAST_USE_PRECISION
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    bearer("get", REGIONS, secret)
    assert ApiToken.objects.get().last_used_at > earlier


def test_expiry_is_required_and_at_most_a_year_ahead(cast, client_for):
    client = client_for(cast.alice)
    url = reverse("tokens:token-list")
    today = timezone.localdate()
    for expires_on in (
        "",
        (today - timedelta(days=1)).isoformat(),
        (today + timedelta(days=367)).isoformat(),
    ):
        response = client.post(url, {"name": "X", "scope": "read", "expires_on": expires_on})
        assert response.status_code == 200
        assert response.context["form"].errors["expires_on"], expires_on
    assert not ApiToken.objects.exists()


def test_the_page_shows_a_new_secret_once_and_lists_tokens(cast, client_for):
    client = client_for(cast.alice)
    url = reverse("tokens:token-list")
    expires = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(
        url, {"name": "Avtalssystem", "scope": "read_write", "expires_on": expires}
    )
    assert response.status_code == 200
    secret = response.context["new"].secret
    assert secret.encode() in response.content
    assert response["Cache-Control"] == "no-store"
    # When the page is opened again, the token is listed by its prefix, never its secret
    again = client.get(url)
    assert b"Avtalssystem" in again.content
    assert ApiToken.objects.get().prefix.encode() in again.content
    assert secret.encode() not in again.content


def test_revoking_asks_first_and_only_the_owner_or_the_secretariat_may(cast, client_for, token_for):
    token_for(cast.alice)
    token = ApiToken.objects.get()
    url = reverse("tokens:token-revoke", args=[token.public_id])
    # Bob and a supplier contact cannot see it (404); nothing changes
    for other in (cast.bob, cast.charlie):
        assert client_for(other).get(url).status_code == 404
        assert client_for(other).post(url).status_code == 404
    assert ApiToken.objects.get().revoked_at is None
    # Alice is asked to confirm; the GET revokes nothing
    client = client_for(cast.alice)
    assert client.get(url).status_code == 200
    assert ApiToken.objects.get().revoked_at is None
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == cast.alice


def test_the_secretariat_sees_and_revokes_every_token(cast, client_for, token_for):
    token_for(cast.alice)
    token = ApiToken.objects.get()
    page = client_for(cast.secretariat).get(reverse("tokens:token-list"))
    assert page.context["others"] == [token]
    # Bob sees only his own (none)
    assert client_for(cast.bob).get(reverse("tokens:token-list")).context["own"] == []
    client = client_for(cast.secretariat)
    assert client.post(reverse("tokens:token-revoke", args=[token.public_id])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == cast.secretariat


def test_the_settings_page_links_to_the_tokens(cast, client_for):
    page = client_for(cast.alice).get(reverse("account:language"))
    assert reverse("tokens:token-list").encode() in page.content


def test_every_use_of_a_token_is_in_the_audit_log(cast, token_for, bearer):
    from hallbar.core.audit import verify_chain
    from hallbar.core.models import AuditEvent

    secret = token_for(cast.alice)
    token = ApiToken.objects.get()
    bearer("get", REGIONS, secret)
    bearer("get", REGIONS, secret)
    bearer("get", REGIONS, secret + "x")  # an unknown secret names no token
    uses = AuditEvent.objects.filter(kind=AuditEvent.Kind.TOKEN_USED).order_by("pk")
    assert [(e.actor_id, e.object_id, e.detail["path"]) for e in uses] == [
        (cast.alice.pk, str(token.public_id), REGIONS)
    ] * 2
    assert verify_chain().ok
