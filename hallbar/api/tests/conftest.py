import pytest

from hallbar.api.tokens import create_token
from hallbar.core.clock import demo_today


@pytest.fixture
def token_for():
    """Return a function that makes a token for a user and returns its secret."""

    def make(user, scope="read_write", days=30):
        from datetime import timedelta

        return create_token(
            user=user,
            name=f"{user.username} system",
            scope=scope,
            expires_on=demo_today() + timedelta(days=days),
        ).secret

    return make


@pytest.fixture
def bearer(client):
    """Return a function that calls the API with a token (and no session)."""

    def call(method, url, secret, **kwargs):
        client.logout()
        return getattr(client, method)(url, headers={"Authorization": f"Bearer {secret}"}, **kwargs)

    return call
