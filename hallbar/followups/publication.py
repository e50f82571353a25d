"""The anonymised summary of a case, published to everyone (the public included).

Built only from structured data, never from free text people typed, so that nothing confidential
can slip through: the supplier is described by its category, sites by country and product type,
deviations by area, severity and status. No names of suppliers, sub-suppliers, sites or people;
confidential deviations are counted but not described.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from hallbar.categories.models import Category
from hallbar.followups.access import public_deviation_counts
from hallbar.followups.models import Deviation, FollowUp
from hallbar.requirements.models import SustainabilityArea
from hallbar.suppliers.models import ProductionSite, country_name


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
            counts = public_deviation_counts(deviations)
            labels = {d.area: d.get_area_display() for d in deviations}
            by_area = {labels[area]: count for area, count in counts.by_area.items()}
            lines.append(_("%(count)s deviations were found.") % {"count": counts.total})
            for area, count in sorted(by_area.items()):
                lines.append(f"– {area}: {count}")
            hidden = counts.confidential
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


# --- the public results: the one source of every public page and open-data file -----------------
#
# Pages, the open-data files and the DCAT catalogue (reporting) read published follow-ups only
# through `public_results` and `public_record`: published cases only, and of them only the
# structured, non-confidential facts below. No supplier, site, sub-supplier or person, no free
# text; a confidential deviation is counted, but its area is not given.

PUBLIC_SORTS = {
    "reference": ("reference",),
    "year": ("year", "reference"),
    "type": ("followup_type", "reference"),
    "category": ("category__name_sv", "reference"),
    "published": ("published_at", "reference"),
}
PUBLIC_DEFAULT_SORT = "-published"
AREAS = [area for area, _label in SustainabilityArea.choices]


@dataclass(frozen=True)
class PublicFilters:
    year: int | None = None
    category: str = ""  # the category's slug
    country: str = ""  # ISO 3166-1 alpha-2 of a production site in scope
    sort: str = PUBLIC_DEFAULT_SORT

    @classmethod
    def from_params(cls, params) -> "PublicFilters":
        """Read the filters from a query string, ignoring what is not a valid value."""
        year = str(params.get("year") or "").strip()
        country = str(params.get("country") or "").strip().upper()
        sort = str(params.get("sort") or "")
        return cls(
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            category=str(params.get("category") or "").strip(),
            country=country if len(country) == 2 and country.isalpha() else "",
            sort=sort if sort.lstrip("-") in PUBLIC_SORTS else PUBLIC_DEFAULT_SORT,
        )

    @property
    def filtered(self) -> bool:
        return bool(self.year or self.category or self.country)


def public_results(filters: PublicFilters | None = None) -> QuerySet[FollowUp]:
    """Return the published follow-ups matching filters, with what `public_record` reads."""
    filters = filters or PublicFilters()
    followups = FollowUp.objects.filter(published_at__isnull=False)
    if filters.year:
        followups = followups.filter(year=filters.year)
    if filters.category:
        followups = followups.filter(category__slug=filters.category)
    if filters.country:
        followups = followups.filter(
            pk__in=FollowUp.sites.through.objects.filter(
                productionsite__country=filters.country
            ).values("followup_id")
        )
    key = filters.sort.lstrip("-")
    fields = PUBLIC_SORTS.get(key, PUBLIC_SORTS["published"])
    descending = filters.sort.startswith("-")
    order = [f"-{field}" if descending else field for field in fields]
    return (
        followups.select_related("category")
        .prefetch_related(
            Prefetch("sites", queryset=ProductionSite.objects.only("id", "country")),
            Prefetch(
                "deviations",
                queryset=Deviation.objects.only(
                    "id", "followup_id", "area", "confidential", "status"
                ),
            ),
        )
        .order_by(*order)
    )


def public_choices() -> dict[str, list]:
    """Return the values the public filters offer: only those of published follow-ups."""
    published = FollowUp.objects.filter(published_at__isnull=False)
    years = sorted(set(published.values_list("year", flat=True)), reverse=True)
    categories = list(
        Category.objects.filter(followups__published_at__isnull=False).distinct().order_by("slug")
    )
    countries = set(
        ProductionSite.objects.filter(followups__published_at__isnull=False).values_list(
            "country", flat=True
        )
    )
    return {"years": years, "categories": categories, "countries": sorted(countries)}


@dataclass(frozen=True)
class PublicRecord:
    """What may be published of one follow-up: no names, no free text."""

    public_id: str
    reference: str
    year: int
    followup_type: str
    type_label: str  # in the active language
    category_slug: str
    category_sv: str
    category_en: str
    countries: list[str]  # ISO 3166-1 alpha-2 codes of the production sites in scope
    deviations: int
    deviations_by_area: dict[str, int]  # the non-confidential deviations, by area
    deviations_confidential: int
    deviations_remedied: int
    status: str
    status_label: str  # in the active language
    published_on: date

    @property
    def category_name(self) -> str:
        return self.category_en if (get_language() or "").startswith("en") else self.category_sv

    @property
    def country_names(self) -> list[str]:
        return sorted(country_name(code) for code in self.countries)


def public_record(followup: FollowUp) -> PublicRecord:
    """Return the public facts of a published follow-up (from `public_results`)."""
    if followup.published_at is None:
        raise ValueError("Only a published follow-up has a public record.")
    deviations = list(followup.deviations.all())
    counts = public_deviation_counts(deviations)
    category = followup.category
    return PublicRecord(
        public_id=str(followup.public_id),
        reference=followup.reference,
        year=followup.year,
        followup_type=followup.followup_type,
        type_label=str(followup.get_followup_type_display()),
        category_slug=category.slug if category else "",
        category_sv=category.name_sv if category else "",
        category_en=category.name_en if category else "",
        countries=sorted({site.country for site in followup.sites.all()}),
        deviations=counts.total,
        deviations_by_area={area: counts.by_area.get(area, 0) for area in AREAS},
        deviations_confidential=counts.confidential,
        deviations_remedied=sum(1 for d in deviations if d.status == Deviation.Status.REMEDIED),
        status=followup.status,
        status_label=str(followup.get_status_display()),
        published_on=timezone.localtime(followup.published_at).date(),
    )
