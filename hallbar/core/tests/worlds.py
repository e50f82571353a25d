"""Test worlds built once for a module: inside a transaction that is rolled back when the module
ends, with each test's own changes rolled back with the test (pytest-django's savepoints)."""

from django.db import connection, transaction
from django.test import override_settings


def rolled_back_world(django_db_blocker, tmp_path_factory, name: str, build, **settings):
    """Yield what build() makes, built once inside a transaction that is rolled back at the end.

    For module-scoped fixtures: the data directory is private and passwords hash fast.
    """
    data_dir = tmp_path_factory.mktemp(name)
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DATA_DIR=data_dir,
        MEDIA_ROOT=data_dir / "uploads",
        **settings,
    ):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                built = build()
                # Check the deferred foreign keys of what build() wrote now, once. Left pending,
                # every test's teardown checked them all again (Django's TestCase checks them
                # before rolling the test back, and the roll-back puts them back in the queue):
                # about 0.25 s per test on PostgreSQL.
                connection.check_constraints()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        try:
            yield built
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
