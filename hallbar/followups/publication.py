"""The anonymised summary of a case, published to everyone (the public included).

Built only from structured data, never from free text people typed, so that nothing confidential
can slip through: the supplier is described by its category, sites by country and product type,
deviations by area, severity and status. No names of suppliers, sub-suppliers, sites or people;
confidential deviations are counted but not described.
"""

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import override

from hallbar.followups.models import Deviation, FollowUp
from hallbar.suppliers.models import country_name


def anonymised_sites(followup: FollowUp) -> list[str]:
    """Return the sites in scope as "country (products)", without names."""
    seen: dict[str, set[str]] = {}
    for site in followup.sites.all():
        products = (site.products or "").split(",")[0].strip()
        seen.setdefault(country_name(site.country), set()).add(products)
    return [
        f"{country} ({', '.join(sorted(p for p in products if p))})" if any(products) else country
        for country, products in sorted(seen.items())
    ]


def build_summary(followup: FollowUp) -> str:
    """Return the summary text, in Swedish (the language of the published results)."""
    with override("sv"):
        category = followup.category.name_sv if followup.category else _("goods")
        lines = [
            _("Follow-up %(ref)s (%(year)s): %(type)s of a supplier of %(category)s.")
            % {
                "ref": followup.reference,
                "year": followup.year,
                "type": followup.get_followup_type_display(),
                "category": category.lower(),
            }
        ]
        sites = anonymised_sites(followup)
        if sites:
            lines.append(_("Production in scope: %(sites)s.") % {"sites": "; ".join(sites)})
        deviations = list(followup.deviations.all())
        if not deviations:
            lines.append(_("No deviations were found."))
        else:
            by_area = Counter(d.get_area_display() for d in deviations if not d.confidential)
            lines.append(_("%(count)s deviations were found.") % {"count": len(deviations)})
            for area, count in sorted(by_area.items()):
                lines.append(f"– {area}: {count}")
            hidden = sum(1 for d in deviations if d.confidential)
            if hidden:
                lines.append(
                    _("%(count)s deviations are confidential and not described.")
                    % {"count": hidden}
                )
            remedied = sum(1 for d in deviations if d.status == Deviation.Status.REMEDIED)
            lines.append(
                _("Remedied so far: %(done)s of %(count)s.")
                % {"done": remedied, "count": len(deviations)}
            )
            if any(d.zero_tolerance for d in deviations):
                lines.append(_("At least one deviation was a zero-tolerance deviation."))
        lines.append(_("Status: %(status)s.") % {"status": followup.get_status_display()})
        return "\n".join(lines)
