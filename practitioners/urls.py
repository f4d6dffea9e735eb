from django.urls import path

from practitioners import views

app_name = "practitioners"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<slug:slug>/", views.detail, name="detail"),
]
