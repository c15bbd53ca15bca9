"""The operations room's own pages (/<lang>/operations/), for operators and the wall screen.

access.py   who may use the room (`room_view`)
board.py    the board's rows, countdowns and counts (page, JSON endpoint, list)
views.py    board, board JSON, all tickets, new incident, ticket page, attachments, metrics
detail.py   a ticket's page and its action forms; actions.py posts the actions
forms.py    filters, the incident form, the action forms, the metrics period
"""
