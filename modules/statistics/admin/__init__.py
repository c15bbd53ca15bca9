"""The committee's side of daily statistics in the Wagtail admin, one module per concern:
`config` (indicators, categories, daily forms), `review` (completeness board, review,
exceptions) and `dashboard` (the indicators dashboard). `wagtail_hooks` imports them."""
