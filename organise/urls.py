from django.urls import path

from .views import events

app_name = "organise"

urlpatterns = [
    path("", events.index, name="index"),
    path("<slug:event>/", events.home, name="home"),
]
