"""Shared web plumbing: templating with Danish filters, htmx helpers, error pages, headers."""
