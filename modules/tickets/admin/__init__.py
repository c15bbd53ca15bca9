"""The committee's side of the operations room in the Wagtail admin, one module per concern:
`config` (categories, priorities, zones, landmarks, routing rules), `sla` (SLA policies and
business calendars) and `menu` (the "Operations room" menu). `wagtail_hooks` imports them."""
