"""The monthly digest: one e-mail a month to each region's sustainability contacts and buyers.

What a person reads (each item with an absolute link, ``HALLBAR_BASE_URL``):
- results published in the period for the suppliers their region buys from (the suppliers of the
  region's active contracts), among the cases they may see (``followups_visible_to``);
- deviations recorded in the period, and deviations closed out in it, in those cases. What the
  reader learns of each deviation is decided by follow-up's access layer: the digest is a
  per-case view, so a deviation they may not see (``deviations_counted_for``) is not mentioned
  at all, not even by area; one they may see is named (``deviation_label_for``) with its area and
  severity, except a confidential one (``mail_counts_deviation_by_area_only``), of which even its
  lead reads only a count per area: never its heading, text or supplier. The digest carries no
  descriptions at all: it points, and the case page (behind the log-in) describes. Grievances
  and reports are never in it;
- the region's figures of the period's year (``figures.year_figures``), the national value
  beside, whatever figures are defined.

The period is a calendar month ("YYYY-MM"), by default the one before today. Items are dated by
when they happened in hallbar: a result by its publication, a deviation by when it was recorded
(so that one recorded late is in the next digest, not missed), a closure by its closed-out date.

Each person gets one digest a period however often the job runs: a ``DigestDelivery`` row is
written in the transaction that sends the mail (a unique row per person and period), so a second
run, or a second worker, skips them. A person with nothing new in the period gets no mail (the
figures alone are not news) and no row, so a closure dated back into the period by a later
verification still reaches them. A person who switched the digest off (``User.monthly_digest``)
gets nothing. Each mail is in the person's language (``User.mail_language``).
"""

import calendar
import logging
import smtplib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hallbar.contracts.models import Contract
from hallbar.followups.access import (
    CaseAccess,
    case_access,
    deviation_label_for,
    deviations_counted_for,
    followups_visible_to,
    mail_counts_deviation_by_area_only,
)
from hallbar.followups.models import Deviation, FollowUp
from hallbar.followups.notifications import absolute_url
from hallbar.organisations.models import DIGEST_ROLES, Organisation, Region, User
from hallbar.reporting.figures import Figure, year_figures
from hallbar.reporting.formatting import format_figure
from hallbar.reporting.models import DigestDelivery
from hallbar.suppliers.models import Supplier

logger = logging.getLogger(__name__)

# --- the period ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A calendar month."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Period":
        """Return the period of "YYYY-MM"; ValueError otherwise."""
        try:
            year, month = (int(part) for part in text.strip().split("-"))
        except ValueError:
            raise ValueError(_("The period must be YYYY-MM.")) from None
        if not (1 <= month <= 12 and 2000 <= year <= 9999) or len(text.strip()) != 7:
            raise ValueError(_("The period must be YYYY-MM."))
        return cls(year, month)

    @classmethod
    def before(cls, day: date) -> "Period":
        """Return the calendar month before the one day is in."""
        last = day.replace(day=1) - timedelta(days=1)
        return cls(last.year, last.month)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def moments(self) -> tuple[datetime, datetime]:
        """Return the period's start and the next period's start, local midnights."""
        start = timezone.make_aware(datetime.combine(self.first, time.min))
        end = timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))
        return start, end

    def __str__(self) -> str:
        return self.key


# --- what one person reads -----------------------------------------------------------------


@dataclass(frozen=True)
class ResultItem:
    reference: str
    supplier: str
    category: str
    published_on: date
    url: str


@dataclass(frozen=True)
class DeviationItem:
    reference: str
    supplier: str
    label: str
    area: str
    severity: str
    zero_tolerance: bool
    on: date  # recorded on, or closed out on
    url: str


@dataclass(frozen=True)
class AreaCount:
    """Confidential deviations the reader may see, counted by area only (a mail leaves hallbar)."""

    area: str
    count: int

    @property
    def text(self) -> str:
        return ngettext(
            "%(count)s confidential deviation: %(area)s",
            "%(count)s confidential deviations: %(area)s",
            self.count,
        ) % {"count": self.count, "area": self.area}


@dataclass(frozen=True)
class FigureLine:
    label: str
    value: str
    national: str


@dataclass(frozen=True)
class RegionFigures:
    region: str
    year: int
    lines: list[FigureLine]
    url: str


@dataclass
class Digest:
    user: User
    period: Period
    regions: list[Region]
    results: list[ResultItem] = field(default_factory=list)
    deviations: list[DeviationItem] = field(default_factory=list)
    deviations_by_area: list[AreaCount] = field(default_factory=list)
    closures: list[DeviationItem] = field(default_factory=list)
    closures_by_area: list[AreaCount] = field(default_factory=list)
    figures: list[RegionFigures] = field(default_factory=list)

    @property
    def has_news(self) -> bool:
        """Return whether anything happened in the period (the figures alone are not news)."""
        return bool(
            self.results
            or self.deviations
            or self.deviations_by_area
            or self.closures
            or self.closures_by_area
        )


def digest_regions(user: User) -> list[Region]:
    """Return the regions whose digest user reads: where they are a contact or buyer."""
    return list(
        Region.objects.filter(pk__in=user.region_ids(*DIGEST_ROLES))
        .select_related("organisation")
        .order_by("county_code")
    )


def region_suppliers(regions: list[Region]) -> QuerySet[Supplier]:
    """Return the suppliers the regions buy from: those of their active contracts."""
    return Supplier.objects.filter(
        contracts__status=Contract.Status.ACTIVE, contracts__regions__in=regions
    ).distinct()


def digest_cases(user: User, regions: list[Region]) -> QuerySet[FollowUp]:
    """Return the cases of the regions' suppliers that user may see."""
    return followups_visible_to(user).filter(supplier__in=region_suppliers(regions))


def _figure_lines(figures: list[Figure]) -> list[FigureLine]:
    return [
        FigureLine(
            label=figure.label,
            value=format_figure(figure.value, figure.unit),
            national=format_figure(figure.national, figure.unit),
        )
        for figure in figures
    ]


def _deviation_item(access: CaseAccess, deviation: Deviation, on: date) -> DeviationItem:
    followup = access.followup
    return DeviationItem(
        reference=f"{followup.reference}-{deviation.number}",
        supplier=followup.supplier.name,
        label=deviation_label_for(access, deviation),
        area=deviation.get_area_display(),
        severity=deviation.get_severity_display(),
        zero_tolerance=deviation.zero_tolerance,
        on=on,
        url=absolute_url("followups:followup-detail", followup.public_id),
    )


def _by_area(deviations: list[Deviation]) -> list[AreaCount]:
    counts = Counter(d.get_area_display() for d in deviations)
    return [AreaCount(area, count) for area, count in sorted(counts.items())]


def build_digest(user: User, period: Period, *, figures_cache: dict | None = None) -> Digest:
    """Return what user reads in the digest of period, in the active language."""
    regions = digest_regions(user)
    digest = Digest(user=user, period=period, regions=regions)
    if not regions:
        return digest
    start, end = period.moments()
    cases = digest_cases(user, regions)
    published = (
        cases.filter(published_at__gte=start, published_at__lt=end)
        .select_related("supplier", "category")
        .order_by("published_at", "reference")
    )
    digest.results = [
        ResultItem(
            reference=case.reference,
            supplier=case.supplier.name,
            category=case.category.name if case.category else "",
            published_on=timezone.localdate(case.published_at),
            url=absolute_url("results:detail", case.public_id),
        )
        for case in published
        if case.published_at is not None
    ]

    accesses: dict[int, CaseAccess] = {}

    def access_of(followup: FollowUp) -> CaseAccess:
        if followup.pk not in accesses:
            accesses[followup.pk] = case_access(user, followup)
        return accesses[followup.pk]

    deviations = deviations_counted_for(
        user, Deviation.objects.filter(followup__in=cases)
    ).select_related("followup__supplier", "requirement")
    recorded = deviations.filter(created_at__gte=start, created_at__lt=end).order_by(
        "created_at", "pk"
    )
    hidden: list[Deviation] = []
    for deviation in recorded:
        access = access_of(deviation.followup)
        if mail_counts_deviation_by_area_only(access, deviation):
            hidden.append(deviation)
        else:
            on = timezone.localdate(deviation.created_at)
            digest.deviations.append(_deviation_item(access, deviation, on))
    digest.deviations_by_area = _by_area(hidden)

    closed = deviations.filter(
        closed_out_on__gte=period.first, closed_out_on__lte=period.last
    ).order_by("closed_out_on", "pk")
    hidden = []
    for deviation in closed:
        access = access_of(deviation.followup)
        if mail_counts_deviation_by_area_only(access, deviation):
            hidden.append(deviation)
        elif deviation.closed_out_on is not None:
            digest.closures.append(_deviation_item(access, deviation, deviation.closed_out_on))
    digest.closures_by_area = _by_area(hidden)

    cache = figures_cache if figures_cache is not None else {}
    language = translation.get_language()
    for region in regions:
        key = (region.pk, period.year, language)
        if key not in cache:
            national_key = ("national", period.year, language)
            if national_key not in cache:
                cache[national_key] = year_figures(period.year)
            national = cache[national_key]
            cache[key] = _figure_lines(year_figures(period.year, region, national=national).figures)
        digest.figures.append(
            RegionFigures(
                region=region.name,
                year=period.year,
                lines=cache[key],
                url=absolute_url("reporting:dashboard") + f"?year={period.year}",
            )
        )
    return digest


# --- sending -------------------------------------------------------------------------------


def recipients(period: Period) -> QuerySet[User]:
    """Return who is due the digest of period: active region contacts and buyers with an e-mail
    address who have not switched it off and have not had this period's digest."""
    return (
        User.objects.filter(
            is_active=True,
            monthly_digest=True,
            memberships__is_active=True,
            memberships__role__in=DIGEST_ROLES,
            memberships__organisation__kind=Organisation.Kind.REGION,
        )
        .exclude(email="")
        .exclude(digest_deliveries__period=period.key)
        .distinct()
        .order_by("pk")
    )


def compose(digest: Digest) -> EmailMultiAlternatives:
    """Return the digest's mail (text and HTML), in the active language."""
    context = {
        "digest": digest,
        "month": formats.date_format(digest.period.first, "F Y"),
        "regions": ", ".join(region.name for region in digest.regions),
        "settings_url": absolute_url("account:language"),
        "followups_url": absolute_url("followups:followup-list"),
        "language": translation.get_language(),
    }
    subject = _("hallbar: what is new for your region in %(month)s") % {"month": context["month"]}
    text = render_to_string("reporting/mail/digest.txt", context)
    html = render_to_string("reporting/mail/digest.html", context)
    message = EmailMultiAlternatives(subject, text, None, [digest.user.email])
    message.attach_alternative(html, "text/html")
    return message


@dataclass
class DigestRun:
    period: Period
    sent: int = 0
    nothing_new: int = 0
    already_sent: int = 0
    failed: int = 0  # the mail server refused: no row, so the next run tries again
    digests: list[Digest] = field(default_factory=list)  # the dry run's, to print


def _record_and_send(digest: Digest, message: EmailMultiAlternatives) -> bool:
    """Write the delivery row and send in one transaction; False if it was already sent."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                DigestDelivery.objects.create(user=digest.user, period=digest.period.key)
        except IntegrityError:
            return False  # another run got there first
        message.send()  # a failure rolls the row back: the next run tries again
    return True


def send_digests(period: Period | None = None, *, dry_run: bool = False) -> DigestRun:
    """Send the digest of period (default: last month) to everyone due it; return the counts.

    A dry run builds every digest and sends and records nothing.
    """
    period = period or Period.before(timezone.localdate())
    run = DigestRun(period=period)
    figures_cache: dict = {}
    for user in recipients(period):
        with translation.override(user.mail_language):
            digest = build_digest(user, period, figures_cache=figures_cache)
            if not digest.has_news:
                run.nothing_new += 1
                continue
            if dry_run:
                run.digests.append(digest)
                continue
            message = compose(digest)
        try:
            if _record_and_send(digest, message):
                run.sent += 1
            else:
                run.already_sent += 1
        except (OSError, smtplib.SMTPException):
            # one refused address must not hold up everyone after it
            logger.exception("The digest of %s to user %s was not sent", period, user.pk)
            run.failed += 1
    return run
