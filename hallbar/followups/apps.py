from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "hallbar.followups"
    label = "followups"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from hallbar.followups.access import leads_or_audits_a_case_of
        from hallbar.suppliers.access import register_supply_chain_grant
        from hallbar.suppliers.merging import register_merge_mover

        # The lead of a case of a supplier and its assigned auditors read its sub-suppliers' names.
        register_supply_chain_grant(leads_or_audits_a_case_of)
        # A merged supplier's cases and reports are the kept supplier's: the reuse rule and the
        # escalation duties read them there (docs/DESIGN.md, decision log).
        register_merge_mover("followups", "followups.FollowUp")
        register_merge_mover("reports", "followups.Report")
