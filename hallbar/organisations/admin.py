from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from hallbar.organisations import sso
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


class ExternalIdentityForm(forms.ModelForm):
    """An identity at a configured single sign-on provider (docs/sso.md)."""

    provider = forms.ChoiceField(label=_("identity provider"), choices=())
    uid = forms.CharField(
        label=_("identifier"),
        max_length=191,
        help_text=_("The value of the provider's identifier claim, e.g. the HSA-id."),
    )

    class Meta:
        model = SocialAccount
        fields = ["provider", "uid"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(app["provider_id"], app["name"]) for app in sso.providers()]
        current = self.instance.provider if self.instance.pk else ""
        if current and current not in dict(choices):
            choices.append((current, current))
        self.fields["provider"].choices = choices


class ExternalIdentityInline(admin.TabularInline):
    """The person's identities at the single sign-on providers: each logs in as this user."""

    model = SocialAccount
    form = ExternalIdentityForm
    extra = 0
    fields = ["provider", "uid", "last_login"]
    readonly_fields = ["last_login"]
    verbose_name = _("single sign-on identity")
    verbose_name_plural = _("single sign-on identities")


# allauth's other models are not used: providers come from the environment (HALLBAR_OIDC_PROVIDERS),
# no token is stored, and e-mail addresses are the users' own field.
for _model in (SocialApp, SocialToken, EmailAddress):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


# The secretariat manages people in the admin (core/admin_site.py): accounts, their roles and
# organisations. Only a superuser grants superuser status or Django permissions.
SUPERUSER_ONLY = ["is_superuser", "groups", "user_permissions"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    secretariat_may_change = True
    inlines = [MembershipInline, ExternalIdentityInline]
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
