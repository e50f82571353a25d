"""The cooperation's strategy documents as reference and demo data: `load_strategy()`.

Three documents, summarised in our own words: the programme declaration 2030, the strategy
2023–2025 and the strategic plan 2026–2030. Each goal is measured by figures of
`figures.DEFINITIONS`; an indicator whose figure is not defined (yet) is skipped with a logged
warning, and a later load adds it once the figure exists.

Idempotent: a period is found by kind and years, a goal by period and position, an indicator by
goal and figure, a target by indicator and year; what exists is left as it is (the secretariat
may have changed it), only what is missing is added.
"""

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from hallbar.reporting import services
from hallbar.reporting.figures import DEFINITIONS
from hallbar.reporting.models import Direction, Goal, Indicator, IndicatorTarget, StrategyPeriod

logger = logging.getLogger(__name__)

Kind = StrategyPeriod.Kind


@dataclass(frozen=True)
class IndicatorSpec:
    figure_key: str
    targets: dict[int, int | Decimal]
    direction: str = Direction.HIGHER


@dataclass(frozen=True)
class GoalSpec:
    title_sv: str
    title_en: str
    description_sv: str
    description_en: str
    area_sv: str = ""
    area_en: str = ""
    indicators: list[IndicatorSpec] = field(default_factory=list)


@dataclass(frozen=True)
class PeriodSpec:
    kind: str
    start_year: int
    end_year: int
    name_sv: str
    name_en: str
    vision_sv: str
    vision_en: str
    adopted_on: date | None = None
    adopted_by_sv: str = ""
    adopted_by_en: str = ""
    goals: list[GoalSpec] = field(default_factory=list)


def _rising(start: int, end: int, first: int, step: int) -> dict[int, int | Decimal]:
    return {year: first + step * (year - start) for year in range(start, end + 1)}


# A goal measured by a figure the figures module does not define (any more) has its indicator
# skipped with a warning; a later load adds it once the figure exists.

AREA_FOLLOW_UP = (
    "Nationellt samordnad avtalsuppföljning",
    "Nationally coordinated contract follow-up",
)
AREA_COMPETENCE = ("Kompetensutveckling", "Competence development")
AREA_COMMUNICATION = ("Strategisk kommunikation", "Strategic communication")

STRATEGY: list[PeriodSpec] = [
    PeriodSpec(
        kind=Kind.PROGRAMME_DECLARATION,
        start_year=2023,
        end_year=2030,
        name_sv="Programförklaring 2030",
        name_en="Programme declaration 2030",
        vision_sv="Välfärd genom världsledande hållbar upphandling.",
        vision_en="Welfare through world-leading sustainable procurement.",
        goals=[
            GoalSpec(
                "Regionerna följer upp sina leverantörer tillsammans",
                "The regions follow up their suppliers together",
                "Uppföljningen av hållbarhetskraven i avtalen samordnas nationellt, så att en "
                "uppföljning som en region leder kommer alla regioner som köper av samma "
                "leverantör till godo.",
                "Follow-up of the sustainability requirements in contracts is coordinated "
                "nationally, so that a follow-up led by one region benefits every region buying "
                "from the same supplier.",
                *AREA_FOLLOW_UP,
                indicators=[IndicatorSpec("followups_total", _rising(2023, 2030, 10, 4))],
            ),
            GoalSpec(
                "Alla som upphandlar och förvaltar avtal har den kunskap som behövs",
                "Everyone who procures and manages contracts has the knowledge needed",
                "Upphandlare, avtalsförvaltare och hållbarhetsstrateger utbildas i kraven, "
                "riskerna och uppföljningen, med ett gemensamt utbildningspaket.",
                "Buyers, contract managers and sustainability strategists are trained in the "
                "requirements, the risks and follow-up, with a shared training package.",
                *AREA_COMPETENCE,
                indicators=[
                    IndicatorSpec("training_certificates", _rising(2023, 2030, 100, 50)),
                    IndicatorSpec("training_completion", _rising(2023, 2030, 40, 7)),
                ],
            ),
            GoalSpec(
                "Arbetet och resultaten är kända och öppet redovisade",
                "The work and its results are known and openly reported",
                "Samverkan berättar om sitt arbete för leverantörer, politiker och allmänheten "
                "och publicerar anonymiserade sammanfattningar av uppföljningarna.",
                "The cooperation communicates its work to suppliers, politicians and the public "
                "and publishes anonymised summaries of its follow-ups.",
                *AREA_COMMUNICATION,
                indicators=[IndicatorSpec("summaries_published", _rising(2023, 2030, 2, 1))],
            ),
        ],
    ),
    PeriodSpec(
        kind=Kind.STRATEGY,
        start_year=2023,
        end_year=2025,
        name_sv="Strategi 2023–2025",
        name_en="Strategy 2023–2025",
        vision_sv="Välfärd genom världsledande hållbar upphandling.",
        vision_en="Welfare through world-leading sustainable procurement.",
        goals=[
            GoalSpec(
                "Fler leverantörer följs upp gemensamt",
                "More suppliers are followed up jointly",
                "Antalet nationellt samordnade uppföljningar ökar varje år.",
                "The number of nationally coordinated follow-ups grows every year.",
                *AREA_FOLLOW_UP,
                indicators=[IndicatorSpec("followups_total", {2023: 8, 2024: 12, 2025: 16})],
            ),
            GoalSpec(
                "Ett gemensamt utbildningspaket används i alla regioner",
                "A shared training package is used in every region",
                "Utbildningen i hållbara leveranskedjor når upphandlare i samtliga regioner.",
                "Training in sustainable supply chains reaches buyers in every region.",
                *AREA_COMPETENCE,
                indicators=[
                    IndicatorSpec("training_certificates", {2023: 50, 2024: 100, 2025: 150})
                ],
            ),
            GoalSpec(
                "Resultaten av uppföljningarna redovisas öppet",
                "The results of the follow-ups are reported openly",
                "En anonymiserad sammanfattning publiceras för avslutade uppföljningar.",
                "An anonymised summary is published for completed follow-ups.",
                *AREA_COMMUNICATION,
                indicators=[IndicatorSpec("summaries_published", {2023: 2, 2024: 3, 2025: 4})],
            ),
        ],
    ),
    PeriodSpec(
        kind=Kind.STRATEGIC_PLAN,
        start_year=2026,
        end_year=2030,
        name_sv="Strategisk plan 2026–2030",
        name_en="Strategic plan 2026–2030",
        vision_sv="Uppdrag: att identifiera, bedöma, förebygga och begränsa negativ påverkan på "
        "människor och miljö i regionernas leveranskedjor, som ett bidrag till Agenda 2030 och "
        "delmål 12.7 om hållbar offentlig upphandling.",
        vision_en="Mission: to identify, assess, prevent and mitigate adverse impacts on people "
        "and the environment in the regions' supply chains, as a contribution to the 2030 "
        "Agenda and SDG target 12.7 on sustainable public procurement.",
        adopted_on=date(2025, 10, 30),
        adopted_by_sv="Styrgruppen",
        adopted_by_en="The steering group",
        goals=[
            GoalSpec(
                "Aktuella bedömningar av hållbarhetsrisker",
                "Up-to-date sustainability risk assessments",
                "Riskerna i de prioriterade inköpskategorierna bedöms på nytt när underlaget "
                "ändras, så att uppföljningen riktas dit riskerna är störst.",
                "The risks of the prioritised purchasing categories are reassessed when the "
                "evidence changes, so that follow-up goes where the risks are greatest.",
                "Identifiera och bedöma",
                "Identify and assess",
                indicators=[
                    IndicatorSpec("risk_analyses_current", _rising(2026, 2030, 60, 10)),
                ],
            ),
            GoalSpec(
                "Samordnade och verkningsfulla krav",
                "Coordinated and effective requirements",
                "Regionerna ställer samma hållbarhetskrav, ur det gemensamma kravbiblioteket, "
                "och kraven är möjliga att följa upp.",
                "The regions set the same sustainability requirements, from the shared library, "
                "and the requirements can be followed up.",
                "Förebygga",
                "Prevent",
                indicators=[
                    IndicatorSpec("harmonisation_index", _rising(2026, 2030, 60, 8)),
                ],
            ),
            GoalSpec(
                "Granska och säkerställa efterlevnad",
                "Review and ensure compliance",
                "Leverantörerna granskas genom självskattningar och revisioner, avvikelser "
                "åtgärdas och resultaten redovisas.",
                "Suppliers are reviewed through self-assessments and audits, deviations are "
                "remedied and the results are reported.",
                "Begränsa och åtgärda",
                "Mitigate and remedy",
                indicators=[
                    IndicatorSpec("followups_total", _rising(2026, 2030, 18, 4)),
                    IndicatorSpec("summaries_published", _rising(2026, 2030, 5, 2)),
                    IndicatorSpec("cases_closed_remedied", _rising(2026, 2030, 4, 2)),
                    IndicatorSpec(
                        "deviations_median_days",
                        _rising(2026, 2030, 120, -10),
                        Direction.LOWER,
                    ),
                ],
            ),
        ],
    ),
]


@transaction.atomic
def load_strategy(specs: list[PeriodSpec] | None = None) -> int:
    """Add the strategy periods, goals, indicators and targets that are missing; return how many
    things were added (0 on a second load)."""
    added = 0
    for spec in STRATEGY if specs is None else specs:
        period = StrategyPeriod.objects.filter(
            kind=spec.kind, start_year=spec.start_year, end_year=spec.end_year
        ).first()
        if period is None:
            period = services.save_period(
                period=None,
                acting_user=None,
                name_sv=spec.name_sv,
                name_en=spec.name_en,
                kind=spec.kind,
                start_year=spec.start_year,
                end_year=spec.end_year,
                adopted_on=spec.adopted_on,
                adopted_by_sv=spec.adopted_by_sv,
                adopted_by_en=spec.adopted_by_en,
                vision_sv=spec.vision_sv,
                vision_en=spec.vision_en,
            )
            added += 1
        for position, goal_spec in enumerate(spec.goals, start=1):
            added += _load_goal(period, position, goal_spec)
    return added


def _load_goal(period: StrategyPeriod, position: int, spec: GoalSpec) -> int:
    added = 0
    goal = Goal.objects.filter(period=period, position=position).first()
    if goal is None:
        goal = services.save_goal(
            goal=None,
            period=period,
            acting_user=None,
            position=position,
            title_sv=spec.title_sv,
            title_en=spec.title_en,
            description_sv=spec.description_sv,
            description_en=spec.description_en,
            area_sv=spec.area_sv,
            area_en=spec.area_en,
        )
        added += 1
    for number, indicator_spec in enumerate(spec.indicators, start=1):
        key = indicator_spec.figure_key
        if key not in DEFINITIONS:
            logger.warning(
                "The goal %r of %s is measured by the figure %r, which is not defined: its "
                "indicator is skipped.",
                spec.title_en,
                period.name_en,
                key,
            )
            continue
        indicator = Indicator.objects.filter(goal=goal, figure_key=key).first()
        if indicator is None:
            indicator = services.save_indicator(
                indicator=None,
                goal=goal,
                acting_user=None,
                position=number,
                figure_key=key,
                direction=indicator_spec.direction,
            )
            added += 1
        have = set(
            IndicatorTarget.objects.filter(indicator=indicator).values_list("year", flat=True)
        )
        missing = {
            year: Decimal(value)
            for year, value in indicator_spec.targets.items()
            if year not in have and period.covers(year)
        }
        if missing:
            added += services.set_targets(indicator=indicator, targets=missing, acting_user=None)
    return added
