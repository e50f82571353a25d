"""Read-only admin views: analyses, parameters and editions change only through their services."""

from django.contrib import admin

from hallbar.risk.models import DataEdition, LikelihoodAdjustment, MethodSettings, RiskAnalysis


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


_ADJUSTMENT_FIELDS = ("area", "country", "likelihood", "rationale", "created_by", "created_at")


class AdjustmentInline(admin.TabularInline):
    model = LikelihoodAdjustment
    extra = 0
    can_delete = False
    fields = _ADJUSTMENT_FIELDS
    readonly_fields = _ADJUSTMENT_FIELDS

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RiskAnalysis)
class RiskAnalysisAdmin(ReadOnlyAdmin):
    list_display = ["category", "product", "version", "status", "approved_at", "computed_at"]
    list_filter = ["status", "category"]
    search_fields = ["product", "category__name_sv", "category__name_en"]
    inlines = [AdjustmentInline]


@admin.register(MethodSettings)
class MethodSettingsAdmin(ReadOnlyAdmin):
    list_display = ["version", "created_at", "created_by", "change_note"]


@admin.register(DataEdition)
class DataEditionAdmin(ReadOnlyAdmin):
    list_display = ["kind", "label", "filename", "sha256", "loaded_at"]
    list_filter = ["kind"]
