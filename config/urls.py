from django.contrib import admin
from django.urls import include, path

from . import health, staff_login

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    # Before the admin's own: staff sign in and out through allauth.
    path("admin/login/", staff_login.admin_login),
    path("admin/logout/", staff_login.admin_logout),
    # Organiser pages the admin hosted until they moved to /organise/.
    path("admin/registrations/", include("organise.moved_urls")),
    path("admin/", admin.site.urls),
    path("organise/", include("organise.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("registrations.urls")),
    path("", include("meetings.urls")),
    path("", include("events.urls")),
]

handler500 = "config.errors.server_error"
