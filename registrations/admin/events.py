"""What registrations adds to the schedule's event and session admins, as mixins:
registration types and questions as inlines of the event, the default questions
for a new event, links to the organiser tools, and capacity changes routed through
registrations.services.capacity so waiting people move up when places grow.

config/admin.py puts them before events' EventAdmin and SessionAdmin and
registers the result; nothing here registers or replaces an admin.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TranslationStackedInline

from accounts.admin import PlainTextAdminMixin
from accounts.forms import PlainTextMixin
from events import access
from events.access import Capability

from ..models import Question, RegistrationType
from ..services import capacity
from ..services.questions import create_default_questions


class QuestionForm(PlainTextMixin, forms.ModelForm):
    choices_text = forms.CharField(
        label=gettext_lazy("choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "For one-choice and several-choice questions: one a line."
        ),
    )

    class Meta:
        model = Question
        fields = [
            "label", "help_text", "kind", "required", "is_sensitive",
            "registration_types", "position",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choices_text"].initial = "\n".join(self.instance.choices or [])

    def clean(self):
        cleaned = super().clean()
        choices = []
        for line in cleaned.get("choices_text", "").splitlines():
            if line.strip() and line.strip() not in choices:
                choices.append(line.strip())
        refused = "choices_text" in self.errors  # already told why
        has_choices = cleaned.get("kind") in Question.CHOICE_KINDS
        if has_choices and not choices and not refused:
            self.add_error("choices_text", _("Give at least one choice."))
        cleaned["choices"] = choices if has_choices else []
        return cleaned

    def save(self, commit=True):
        self.instance.choices = self.cleaned_data["choices"]
        return super().save(commit)


class EventChildInline(PlainTextAdminMixin, TranslationStackedInline):
    """Names, descriptions, labels and help in each language (modeltranslation)."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return True  # the event's admin decided who sees the event

    def has_add_permission(self, request, obj=None):
        return obj is None or access.may(
            request, Capability.MANAGE_REGISTRATIONS, obj.pk
        )

    has_change_permission = has_delete_permission = has_add_permission


class RegistrationTypeInline(EventChildInline):
    model = RegistrationType
    fields = [
        ("name", "position"),
        "description",
        ("quota", "invitation_only"),
        ("sale_starts_at", "sale_ends_at"),
        "fee_note",
    ]
    classes = ["collapse"]


class QuestionInline(EventChildInline):
    model = Question
    form = QuestionForm
    fields = [
        ("label", "key"),
        "help_text",
        ("kind", "required", "is_sensitive", "position"),
        "choices_text",
        "registration_types",
    ]
    readonly_fields = ["key"]
    classes = ["collapse"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("registration_types")
        if field is not None:  # only this event's types (the class is per call)
            field.queryset = RegistrationType.objects.filter(event=obj)
            field.help_text = _("Leave empty to ask every registration type.")
        return formset


def organiser_tools_links(event) -> str:
    """The event's pages in the organiser area."""
    pages = [
        (reverse(name, kwargs={"event": event.slug}), label)
        for name, label in [
            ("organise:home", _("The event's home")),
            ("organise:registrations", _("Registrations")),
            ("organise:invitations", _("Invitations")),
        ]
    ]
    return format_html_join(" · ", '<a href="{}">{}</a>', pages)


def _with_readonly(model_admin, fields, name: str) -> list[str]:
    """`fields` with `name` after the admin's declared read-only fields, before
    those it adds per object (a published event's slug, a session's event)."""
    fields = list(fields)
    fields.insert(len(model_admin.readonly_fields), name)
    return fields


class EventAdminRegistrationsMixin:
    """For events.admin.EventAdmin: types and questions, tools, capacity moves."""

    def get_inlines(self, request, obj):
        return [
            *super().get_inlines(request, obj),
            RegistrationTypeInline,
            QuestionInline,
        ]

    def get_readonly_fields(self, request, obj=None):
        return _with_readonly(
            self, super().get_readonly_fields(request, obj), "organiser_tools"
        )

    @admin.display(description=gettext_lazy("organiser tools"))
    def organiser_tools(self, event):
        if event.pk is None:
            return "–"
        return organiser_tools_links(event)

    def save_capacity(self, request, event, new_capacity):
        capacity.change_event_capacity(
            event=event, capacity=new_capacity, actor=request.user
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not RegistrationType:
            super().save_formset(request, form, formset, change)
            return
        # A quota change may free places: the service promotes the waitlist.
        quota_changes = []
        for type_form in formset.forms:
            instance = type_form.instance
            if (
                instance.pk
                and type_form not in formset.deleted_forms
                and "quota" in type_form.changed_data
            ):
                quota_changes.append((instance, type_form.cleaned_data["quota"]))
                instance.quota = type_form.initial.get("quota")
        formset.save()
        for registration_type, quota in quota_changes:
            capacity.change_type_quota(
                registration_type=registration_type, capacity=quota, actor=request.user
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            create_default_questions(form.instance)


class SessionAdminRegistrationsMixin:
    """For events.admin.SessionAdmin: the attendee list, seat changes that promote."""

    def get_readonly_fields(self, request, obj=None):
        return _with_readonly(
            self, super().get_readonly_fields(request, obj), "attendees"
        )

    @admin.display(description=gettext_lazy("attendees"))
    def attendees(self, session):
        if session.pk is None:
            return "–"
        url = (
            reverse("organise:registrations", kwargs={"event": session.event.slug})
            + f"?session={session.pk}"
        )
        return format_html('<a href="{}">{}</a>', url, _("List of attendees"))

    def save_capacity(self, request, session, new_capacity):
        capacity.change_session_capacity(
            session=session, capacity=new_capacity, actor=request.user
        )
