from django.contrib import admin

from .models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "attempts", "next_attempt_at", "created_at", "sent_at")
    list_filter = ("status", "kind")
    readonly_fields = [field.name for field in OutboxEmail._meta.fields]
