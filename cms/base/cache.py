"""Full-page cache for anonymous public pages."""
