"""Declarative maturity models and their rules (package data)."""
