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


# The secretariat manages people in the admin (core/admin_site.py): accounts, their roles and
# organisations. Only a superuser grants superuser status or Django permissions.
SUPERUSER_ONLY = ["is_superuser", "groups", "user_permissions"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    secretariat_may_change = True
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]

    def secretariat_may_change_object(self, obj) -> bool:
        # a superuser's account (and password) only another superuser changes
        return obj is None or not obj.is_superuser

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, *SUPERUSER_ONLY]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    secretariat_may_change = True
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
    secretariat_may_change = True
    list_display = ["user", "role", "organisation", "area", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "organisation__name"]
