"""The agency portal's incidents, under /<lang>/portal/incidents/."""

from django.urls import path

from . import views

app_name = "tickets_portal"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/reassign/", views.request_reassign, name="request-reassign"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
]
