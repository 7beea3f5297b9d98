from django.contrib import admin

from .models import Meeting, MeetingBlock, MeetingRequest, MeetingSettings, Table


@admin.register(MeetingSettings)
class MeetingSettingsAdmin(admin.ModelAdmin):
    list_display = ["event", "enabled", "request_expiry", "open_requests_limit"]


@admin.register(MeetingBlock)
class MeetingBlockAdmin(admin.ModelAdmin):
    list_display = ["event", "starts_at", "ends_at", "slot_minutes"]


@admin.register(Table)
class TableAdmin(admin.ModelAdmin):
    list_display = ["event", "name", "capacity"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["requester", "recipient", "slot_start", "status", "expires_at"]
    list_filter = ["status"]
    # Changes go through the services (locks, commitments, facts).
    readonly_fields = [f.name for f in MeetingRequest._meta.fields]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["table", "starts_at", "status", "sequence"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Meeting._meta.fields]
