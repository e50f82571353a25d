"""The Swedish and English message files are complete, compiled, and cover every UI string."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_message_is_translated_and_compiled(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    missing = [
        e.msgid
        for e in po.translated_entries()
        if compiled.get((e.msgctxt, e.msgid), (None, None))[0 if not e.msgid_plural else 1]
        in (None, "", {})
    ]
    assert missing == [], "run `make messages` to recompile the .mo files"


def test_message_files_cover_every_string_in_the_code(tmp_path):
    """Extract the strings again with makemessages and compare with the committed catalogue."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed: cannot re-extract the strings")
    root = Path(settings.BASE_DIR)
    work = tmp_path / "project"
    shutil.copytree(
        root,
        work,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", "bench", "*.mo"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "sv",
            "--no-obsolete",
            "--no-location",
            "-i",
            "bench/*",
        ],
        cwd=work,
        check=True,
        capture_output=True,
    )
    extracted = {e.msgid for e in polib.pofile(str(work / "locale/sv/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(LOCALE / "sv/LC_MESSAGES/django.po"))}
    assert extracted - committed == set(), "new strings: run `make messages` and translate them"
