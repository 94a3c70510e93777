from django.contrib import admin

from .models import AuditEvent, Invitation, Membership, Organisation, SigningKey


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "email", "is_network", "network", "may_issue_as_network"]
    list_filter = ["is_network", "may_issue_as_network"]
    search_fields = ["name", "slug"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = ["organisation", "key_id", "algorithm", "created_at", "retired_at", "revoked_at"]
    # The encrypted private key is never shown, not even as ciphertext.
    exclude = ["encrypted_private_key"]
    readonly_fields = ["organisation", "key_id", "algorithm", "public_key", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organisation", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "organisation"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "email", "role", "created_at", "expires_at", "accepted_at", "cancelled_at"]
    list_filter = ["role", "organisation"]
    # Owners send, resend and cancel invitations on the staff pages, which
    # write the audit trail, so the admin only shows them.
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
