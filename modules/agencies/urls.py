from django.urls import path

from . import views

app_name = "roster"
urlpatterns = [
    path("", views.roster_list, name="list"),
    path("add/", views.roster_add, name="add"),
    path("<int:pk>/edit/", views.roster_edit, name="edit"),
    path("<int:pk>/toggle-active/", views.roster_toggle_active, name="toggle-active"),
    path("import/", views.roster_import, name="import"),
    path("import/template.<str:format>", views.roster_template, name="template"),
    path("export/", views.roster_export, name="export"),
]
