from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "hallbar.planning"
    label = "planning"
    verbose_name = _("Follow-up plan")

    def ready(self) -> None:
        from hallbar.core.jobs import register_job_kind
        from hallbar.planning import services
        from hallbar.planning.jobs import APPROVAL, APPROVAL_JOB
        from hallbar.suppliers.merging import register_merge_mover

        register_job_kind(APPROVAL, APPROVAL_JOB)

        # A merged supplier's planned follow-ups, other organisations' follow-ups (the reuse
        # rule) and waived duties are the kept supplier's (docs/DESIGN.md, decision log).
        register_merge_mover(
            "plan_items",
            "planning.PlanItem",
            refuse=services.merge_refusal,
            stays=services.plan_items_staying,
        )
        register_merge_mover("external_followups", "planning.ExternalFollowUp")
        register_merge_mover("duty_waivers", "planning.DutyWaiver", stays=services.waivers_staying)
