from django.contrib import admin

from hallbar.core.models import HistoryEntry


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "object_repr", "actor", "content_type"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr"]
    readonly_fields = [f.name for f in HistoryEntry._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
