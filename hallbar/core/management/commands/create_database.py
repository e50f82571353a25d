"""`manage.py create_database`: create the PostgreSQL database DATABASE_URL names if missing."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Create the PostgreSQL database that DATABASE_URL names, when it does not exist yet "
        "(connecting to the server's 'postgres' database). SQLite creates its file itself."
    )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("Nothing to do: the database is not PostgreSQL.")
            return
        import psycopg
        from psycopg import sql

        database = connection.settings_dict
        params = {
            key: value
            for key, value in {
                "host": database.get("HOST"),
                "port": database.get("PORT"),
                "user": database.get("USER"),
                "password": database.get("PASSWORD"),
            }.items()
            if value
        }
        name = str(database["NAME"])
        try:
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as server:
                exists = server.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                ).fetchone()
                if exists:
                    self.stdout.write(f"The database {name} exists.")
                    return
                server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.Error as error:
            raise CommandError(f"The database {name} could not be created: {error}") from None
        self.stdout.write(f"Created the database {name}.")
