"""Serving over HTTP: the calendar subscription feed."""
