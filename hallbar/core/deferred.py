"""Messages written now and read later, each reader in their own language.

A generated message (a timeline line, a mail) is stored as its English msgid and parameters and
translated when it is read: ``deferred(gettext_noop("Answer due %(date)s."), date=day)``. Wrap the
msgid in ``gettext_noop`` so that makemessages finds it. Parameters are plain text, numbers,
dates, a choice of a model field (``choice_of(deviation, "severity")``, shown by its label) or
another deferred message. Text that people write is stored as it is and shown as written.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.utils import formats
from django.utils.translation import gettext, ngettext

Deferred = dict[str, Any]


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        return value  # a deferred message or an encoded choice
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return {"number": str(value)}
    return "" if value is None else str(value)


def deferred(msgid: str, **params: Any) -> Deferred:
    """Return a message to translate when it is read."""
    return {"msgid": msgid, "params": {key: _encode(value) for key, value in params.items()}}


def deferred_plural(singular: str, plural: str, count: int, **params: Any) -> Deferred:
    """Return a message with a singular and a plural form, chosen by count when read."""
    message = deferred(singular, count=count, **params)
    message["plural"] = plural
    message["n"] = count
    return message


def choice_of(instance: Any, field: str) -> dict[str, str]:
    """Return the value of a choice field, to be shown by its label in the reader's language."""
    return {"choice": f"{instance._meta.label}.{field}", "value": getattr(instance, field)}


def _decode(value: Any) -> str:
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return str(value)
    if "msgid" in value:
        return render(value)
    if "date" in value:
        return value["date"]
    if "number" in value:
        return formats.number_format(Decimal(value["number"]), use_l10n=True, force_grouping=True)
    if "choice" in value:
        label, _dot, field = value["choice"].rpartition(".")
        try:
            choices = dict(apps.get_model(label)._meta.get_field(field).flatchoices)
        except LookupError:
            return str(value.get("value", ""))
        return str(choices.get(value["value"], value["value"]))
    return ""


def render(message: Deferred) -> str:
    """Return the message in the active language."""
    params = {key: _decode(value) for key, value in (message.get("params") or {}).items()}
    if "plural" in message:
        text = ngettext(message["msgid"], message["plural"], int(message.get("n", 0)))
    else:
        text = gettext(message["msgid"])
    return text % params if params else text
