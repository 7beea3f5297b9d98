from django.urls import path

from .urls_programme import urlpatterns as programme_urls
from .views import events

app_name = "organise"

urlpatterns = [
    path("", events.index, name="index"),
    *programme_urls,  # before <slug:event>/: "new/" is a page, not an event
    path("<slug:event>/", events.home, name="home"),
]
