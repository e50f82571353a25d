from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "hallbar.followups"
    label = "followups"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from hallbar.core.cleanup import register_cleanup
        from hallbar.core.retention import register_retention_rule
        from hallbar.followups.files import clean_partial_uploads

        # What a killed upload of evidence left behind (`manage.py cleanup`).
        register_cleanup("evidence uploads", clean_partial_uploads)
        from hallbar.followups.retention import expire_evidence, expire_interview_notes

        register_retention_rule("evidence_files", expire_evidence)
        register_retention_rule("interview_notes", expire_interview_notes)
        from hallbar.contracts.selectors import register_termination_date
        from hallbar.core.sections import Section, register_section
        from hallbar.followups.access import leads_or_audits_a_case_of
        from hallbar.followups.selectors import termination_decided_on
        from hallbar.followups.views import (
            contract_zero_tolerance_alert,
            supplier_followups_section,
        )
        from hallbar.suppliers.access import register_supply_chain_grant
        from hallbar.suppliers.merging import register_merge_mover

        # The lead of a case of a supplier and its assigned auditors read its sub-suppliers' names.
        register_supply_chain_grant(leads_or_audits_a_case_of)
        # The supplier and contract pages show what follow-up knows, without importing it.
        register_section(
            "suppliers:supplier-detail",
            Section(
                slot="status",
                template="followups/partials/supplier_followups.html",
                context=supplier_followups_section,
            ),
        )
        register_section(
            "contracts:contract-detail",
            Section(
                slot="alerts",
                template="followups/partials/contract_zero_tolerance.html",
                context=contract_zero_tolerance_alert,
            ),
        )
        # A contract terminated by a sanction is in force up to the day it was decided.
        register_termination_date(termination_decided_on)
        # A merged supplier's cases and reports are the kept supplier's: the reuse rule and the
        # escalation duties read them there (docs/DESIGN.md, decision log).
        register_merge_mover("followups", "followups.FollowUp")
        register_merge_mover("reports", "followups.Report")
        from hallbar.core.search import Searcher, register_searcher
        from hallbar.followups.search import more_followups, search_followups

        register_searcher(
            Searcher("followups", _("Follow-up cases"), search_followups, more_followups, order=30)
        )
