from django.urls import path

from . import actions, views

app_name = "tickets_room"
urlpatterns = [
    path("", views.board, name="board"),
    path("board/data/", views.board_json, name="board-data"),
    path("tickets/", views.ticket_index, name="tickets"),
    path("tickets/new/", views.ticket_create, name="create"),
    path("tickets/<str:reference>/", views.ticket_detail, name="ticket"),
    path("tickets/<str:reference>/<slug:action>/", actions.ticket_action, name="action"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("metrics/", views.metrics, name="metrics"),
    path("metrics/export/", views.metrics_export, name="metrics-export"),
]
