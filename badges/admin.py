from django.contrib import admin

from .models import BadgeClass, BadgeTemplate, BadgeVersion, Credential, StatusList


class BadgeVersionInline(admin.TabularInline):
    model = BadgeVersion
    extra = 0
    fields = ["number", "name", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(BadgeClass)
class BadgeClassAdmin(admin.ModelAdmin):
    list_display = ["slug", "organisation", "status"]
    list_filter = ["status", "organisation"]
    inlines = [BadgeVersionInline]


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["id", "organisation", "issuer_profile", "badge_version", "issued_on"]
    list_filter = ["organisation"]
    # Signed documents are immutable: the admin only shows them.
    readonly_fields = [field.name for field in Credential._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BadgeTemplate)
class BadgeTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "source", "source_modified"]
    search_fields = ["code"]


@admin.register(StatusList)
class StatusListAdmin(admin.ModelAdmin):
    list_display = ["public_id", "organisation", "purpose", "size", "updated_at"]
    readonly_fields = ["public_id", "organisation", "purpose", "size", "document"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
