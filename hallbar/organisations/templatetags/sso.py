"""The login page's single sign-on buttons and whether it shows the password form."""

from django import template

from hallbar.organisations import sso

register = template.Library()


@register.simple_tag
def sso_login_buttons() -> list[dict[str, str]]:
    """Return a button (label in the reader's language, URL) per configured provider."""
    return sso.login_buttons()


@register.simple_tag
def password_login_enabled() -> bool:
    return sso.password_login_enabled()
