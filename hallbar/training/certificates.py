"""The certificate as PDF, made with WeasyPrint from a template."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import override

from hallbar.training.models import Certificate


def certificate_pdf(certificate: Certificate, *, language: str, base_url: str) -> bytes:
    """Return the PDF of certificate in language: name, module and version, date, organisation
    and the verification code with the address where it can be checked."""
    from weasyprint import HTML  # imported here: WeasyPrint loads its fonts on import

    with override(language):
        html = render_to_string(
            "training/certificate_pdf.html",
            {
                "certificate": certificate,
                "module_title": certificate.module.title_in(language),
                "verify_url": base_url.rstrip("/")
                + reverse("training:verify", args=[certificate.code]),
            },
        )
    return HTML(string=html, base_url=base_url).write_pdf()
