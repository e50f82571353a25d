from django.contrib import admin

from hallbar.categories.models import Category, CategoryPrioritisation


class PrioritisationInline(admin.TabularInline):
    model = CategoryPrioritisation
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_sv", "name_en", "slug"]
    search_fields = ["name_sv", "name_en"]
    inlines = [PrioritisationInline]
