from django.contrib import admin

from hallbar.funding.models import BudgetLine, FeeComponent, FeeDecision, RegionDecision


class FeeComponentInline(admin.TabularInline):
    model = FeeComponent
    extra = 0


@admin.register(FeeDecision)
class FeeDecisionAdmin(admin.ModelAdmin):
    list_display = ["reference", "from_year", "decided_on", "population_rule"]
    inlines = [FeeComponentInline]


@admin.register(RegionDecision)
class RegionDecisionAdmin(admin.ModelAdmin):
    list_display = ["region", "reference", "decided_on", "status", "annual_amount_sek"]
    list_filter = ["status"]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "description", "amount_sek"]
    list_filter = ["year", "kind"]
