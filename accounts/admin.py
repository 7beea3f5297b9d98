from allauth.mfa.admin import AuthenticatorAdmin as BaseAuthenticatorAdmin
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User
from .validators import refuse_control_characters


class PlainTextAdminMixin:
    """For a ModelAdmin or an inline: the text fields made from model fields
    refuse control characters (validators.py). Fields a custom form declares
    get them from accounts.forms.PlainTextMixin."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            refuse_control_characters({db_field.name: field})
        return field


@admin.register(User)
class UserAdmin(PlainTextAdminMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "affiliation", "is_staff", "is_active"]
    search_fields = ["email", "name", "affiliation"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {"fields": ("name", "affiliation", "country", "preferred_language")},
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),
    )


class AuthenticatorAdmin(BaseAuthenticatorAdmin):
    """Lists who set up which second factor, and deletes a lost one so its owner
    can set up another. Never shows the secrets (a code generator's key, the
    recovery codes); nobody adds one for someone else."""

    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
