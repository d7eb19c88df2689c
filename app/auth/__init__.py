"""Accounts, sign-in, server-side sessions, CSRF and per-project roles."""
