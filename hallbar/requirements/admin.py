"""Read-only admin views: the library changes only through its services (lifecycle and history)."""

from django.contrib import admin

from hallbar.requirements.models import (
    CodeCommitment,
    CodeInstrument,
    CodeOfConduct,
    ContractClause,
    Criterion,
    ProcessRequirement,
    ZeroToleranceItem,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CommitmentInline(ReadOnlyInline):
    model = CodeCommitment


class InstrumentInline(ReadOnlyInline):
    model = CodeInstrument


class ZeroToleranceInline(ReadOnlyInline):
    model = ZeroToleranceItem


class ProcessRequirementInline(ReadOnlyInline):
    model = ProcessRequirement


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CodeOfConduct)
class CodeOfConductAdmin(ReadOnlyAdmin):
    list_display = ["version", "title", "status", "published_at"]
    list_filter = ["status"]
    inlines = [CommitmentInline, InstrumentInline, ZeroToleranceInline]


@admin.register(ContractClause)
class ContractClauseAdmin(ReadOnlyAdmin):
    list_display = ["version", "title", "status", "reporting_days", "vite_per_week_sek"]
    list_filter = ["status"]
    inlines = [ProcessRequirementInline]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["identifier", "version", "title", "level", "criterion_type", "area", "status"]
    list_filter = ["status", "level", "criterion_type", "area"]
    search_fields = ["identifier", "title"]
