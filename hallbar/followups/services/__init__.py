"""Every change to a follow-up case: one atomic function per change, each writing the timeline.

Views, the API, commands and tasks call these. Each checks the state machine (states.py) and the
process's own rules (escalation, what must exist before a move), and raises ValidationError with
a message for the user when a rule says no.
"""

from hallbar.contracts.selectors import participating_regions
from hallbar.followups.services.audits import order_audit, save_audit
from hallbar.followups.services.cases import (
    CaseSpec,
    can_publish,
    cancel_followup,
    close_followup,
    find_suppliers,
    lead_area_for,
    next_reference,
    open_followup,
    open_followups,
    open_followups_in_bulk,
    publish_summary,
)
from hallbar.followups.services.common import ANSWER_DAYS, PLAN_DAYS
from hallbar.followups.services.deviations import (
    DEVIATION_STATES,
    record_deviation,
    record_sanction,
    report_action_done,
    review_action_plan,
    save_action_plan,
    set_supplier_description,
    verify_action,
    vite_due,
    vite_weeks,
)
from hallbar.followups.services.remedies import (
    record_remedy,
    reject_remedy,
    report_remedy,
    verify_remedy,
)
from hallbar.followups.services.reports import report_is_late, submit_report, triage_report
from hallbar.followups.services.self_assessment import (
    assess,
    build_questionnaire,
    missing_answers,
    questionnaire_for,
    return_for_completion,
    save_answers,
    send_self_assessment,
)

__all__ = [
    "CaseSpec",
    "ANSWER_DAYS",
    "DEVIATION_STATES",
    "PLAN_DAYS",
    "assess",
    "build_questionnaire",
    "can_publish",
    "cancel_followup",
    "close_followup",
    "find_suppliers",
    "lead_area_for",
    "next_reference",
    "open_followup",
    "open_followups",
    "open_followups_in_bulk",
    "order_audit",
    "participating_regions",
    "publish_summary",
    "questionnaire_for",
    "record_deviation",
    "record_remedy",
    "reject_remedy",
    "report_remedy",
    "record_sanction",
    "report_action_done",
    "report_is_late",
    "return_for_completion",
    "review_action_plan",
    "save_action_plan",
    "set_supplier_description",
    "missing_answers",
    "save_answers",
    "save_audit",
    "send_self_assessment",
    "submit_report",
    "triage_report",
    "verify_action",
    "verify_remedy",
    "vite_due",
    "vite_weeks",
]
