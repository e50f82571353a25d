from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from hallbar.organisations.models import (
    AreaCategory,
    AreaMembership,
    Membership,
    Organisation,
    PopulationFigure,
    ProcurementArea,
    Region,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["organisation", "role", "area", "is_active"]
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "org_number"]
    list_filter = ["kind"]
    search_fields = ["name", "org_number"]


class PopulationInline(admin.TabularInline):
    model = PopulationFigure
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["county_code", "organisation", "county_name", "iso_code"]
    inlines = [PopulationInline]


class AreaMembershipInline(admin.TabularInline):
    model = AreaMembership
    extra = 0


class AreaCategoryInline(admin.TabularInline):
    model = AreaCategory
    extra = 0


@admin.register(ProcurementArea)
class ProcurementAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    inlines = [AreaMembershipInline, AreaCategoryInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organisation", "area", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "organisation__name"]
