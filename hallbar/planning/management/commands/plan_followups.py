"""Propose the year's follow-up plan from the latest risk screening and print it.

    python manage.py plan_followups --year 2026 --budget-sek 3000000 --format json

JSON: the chosen follow-ups (supplier, type, lead_region_code, participating_region_codes,
cost_sek, reason), the totals, coordinated_count, uncoordinated_count, status ("optimal" only when
proven, "time_limit" with the proven optimality_gap otherwise, "heuristic" in interactive mode)
and optimality_gap. With --save the proposal is also stored as a plan to change and approve on
the plan pages.
"""

import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hallbar.planning import services, solver
from hallbar.planning.candidates import latest_run
from hallbar.suppliers.models import Supplier


class Command(BaseCommand):
    help = "Propose the year's follow-up plan under a budget and print it."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--budget-sek", type=int, required=True)
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument("--mode", choices=["interactive", "optimal"], default="optimal")
        parser.add_argument(
            "--rel-tol",
            type=float,
            default=0.10,
            help="relative tolerance of each region's lead share (0.10 = ±10 %%)",
        )
        parser.add_argument(
            "--abs-tol",
            type=float,
            default=2.0,
            help="absolute tolerance of the lead shares, in follow-ups",
        )
        parser.add_argument(
            "--time-limit",
            type=float,
            default=solver.DEFAULT_TIME_LIMIT_S,
            help="optimal mode: seconds the exact search may take (default %(default)s)",
        )
        parser.add_argument(
            "--min-office-audits", type=int, default=0, help="least number of office audits"
        )
        parser.add_argument(
            "--min-factory-audits", type=int, default=0, help="least number of factory audits"
        )
        parser.add_argument(
            "--critical-share",
            type=float,
            default=solver.model.DEFAULT_CRITICAL_SHARE,
            help="share of the budget for critical suppliers' office audits (0.25 = 25 %%)",
        )
        parser.add_argument("--save", action="store_true", help="store the proposal as a plan")

    def handle(self, *args, **options):
        year = options["year"]
        if options["time_limit"] < 0:
            raise CommandError("--time-limit must be ≥ 0 seconds.")
        common = {
            "year": year,
            "budget_sek": options["budget_sek"],
            "rel_tol": options["rel_tol"],
            "abs_tol": options["abs_tol"],
            "mode": options["mode"],
            "time_limit_s": options["time_limit"],
            "minimum_audits": {
                "office_audit": options["min_office_audits"],
                "factory_audit": options["min_factory_audits"],
            },
            "critical_share": options["critical_share"],
        }
        if latest_run(year) is None:
            from hallbar.risk.runs import run_screening

            sys.stderr.write(f"No risk screening up to {year}: screening the spend of {year}…\n")
            run_screening(year=year)
        try:
            if options["save"]:
                plan = services.propose_plan(acting_user=None, **common)
                sys.stderr.write(f"Saved as plan {plan.public_id}\n")
            common["minimum_audits"] = {k: v for k, v in common["minimum_audits"].items() if v}
            built, result = services.run_planner(**common)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        names = dict(
            Supplier.objects.filter(
                pk__in=[built.facts[c.supplier_id].supplier_id for c in result.choices]
            ).values_list("pk", "name")
        )
        chosen = [
            {
                "supplier": names[built.facts[c.supplier_id].supplier_id],
                "supplier_id": built.facts[c.supplier_id].supplier_id,
                "type": c.type,
                "lead_region_code": c.lead_region,
                "participating_region_codes": list(c.participating_regions),
                "cost_sek": round(c.cost_sek),
                "covered_exposure": round(c.covered_exposure, 2),
                "reason": c.reason,
            }
            for c in result.choices
        ]
        data = {
            "year": year,
            "budget_sek": options["budget_sek"],
            "screening_run": str(built.run.public_id),
            "followups": chosen,
            "totals": {
                "count": len(chosen),
                "cost_sek": round(result.total_cost_sek),
                "covered_exposure": round(result.objective, 2),
                "by_type": {
                    t: sum(1 for c in chosen if c["type"] == t)
                    for t in sorted({c["type"] for c in chosen})
                },
                "lead_counts": result.lead_counts,
                "reused": len(result.reused),
            },
            "coordinated_count": result.coordinated_count,
            "uncoordinated_count": result.uncoordinated_count,
            "cost_avoided_sek": round(result.cost_avoided_sek),
            "status": result.status,
            "optimality_gap": result.gap,
            "proven_optimal": result.proven_optimal,
            "time_limit_s": result.time_limit_s,
            "critical_left_out": len(result.critical_left_out),
            "upper_bound": result.upper_bound,
            "greedy_objective": result.greedy_objective,
            "fairness_feasible": result.fairness_feasible,
            "solve_seconds": round(result.solve_seconds, 3),
            "messages": result.messages,
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        for c in chosen:
            self.stdout.write(
                f"{c['type']:<16} {c['lead_region_code']} {c['cost_sek']:>8} "
                f"{','.join(c['participating_region_codes']):<30} {c['supplier']}"
            )
        self.stdout.write(
            f"\n{len(chosen)} follow-ups, {data['totals']['cost_sek']} SEK of "
            f"{options['budget_sek']}; coordinated {result.coordinated_count} instead of "
            f"{result.uncoordinated_count} (cost avoided {data['cost_avoided_sek']} SEK); "
            f"{result.status}, proven gap {result.gap:.2e}"
        )
