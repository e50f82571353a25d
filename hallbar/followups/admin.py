from django.contrib import admin

from hallbar.followups.models import FollowUp, Questionnaire, Report


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["reference", "supplier", "followup_type", "status", "lead_region", "year"]
    list_filter = ["status", "followup_type", "year"]
    search_fields = ["reference", "supplier__name"]
    raw_id_fields = ["supplier", "contracts", "sites"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "clause", "level", "version"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["kind", "supplier", "received_on", "status"]
    raw_id_fields = ["supplier", "followup"]
