"""Presenters: turn the core's values into what a screen shows (Dutch text, markup with theme
variables), without widgets, SQL or derived-fact logic of their own."""
