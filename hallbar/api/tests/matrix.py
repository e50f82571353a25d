"""The API tokens' pages and the API's write and job operations in the access matrix
(``hallbar/core/tests/test_access_matrix.py``).

alice's token is made the first time a case asks for it, inside the matrix's world (whose
transaction is rolled back at the end). The write operations answer only POST: a GET is 405
for everyone, before any authentication; who may write through them is
``hallbar/api/tests/test_api_access.py``'s matrix.
"""

from datetime import timedelta

from hallbar.api.tokens import create_token
from hallbar.core.clock import demo_today


def alice_token(world):
    cached = getattr(world, "_alice_token", None)
    if cached:
        return cached
    token = create_token(
        user=world.cast.alice,
        name="Avtalssystem",
        scope="read",
        expires_on=demo_today() + timedelta(days=30),
    ).token
    world._alice_token = token
    return token


def api_cases(case, *, everyone, members):
    expires = (demo_today() + timedelta(days=30)).isoformat()
    token = {"name": "System", "scope": "read", "expires_on": expires}
    owners = ("secretariat", "alice")
    return [
        case("tokens:token-list", readers=everyone, writers=everyone, data=token),
        case(
            "tokens:token-revoke",
            lambda w: (alice_token(w).public_id,),
            readers=owners,
            writers=owners,
        ),
        *(
            case(name, readers=everyone, status=405, anonymous=405)
            for name in (
                "api:upsert_contracts",
                "api:upsert_suppliers",
                "api:upload_spend",
                "api:start_screening",
            )
        ),
        case("api:get_import", lambda w: (w.import_job.public_id,), readers=owners),
        case("api:get_job", lambda w: (w.job.public_id,), readers=members),
    ]
