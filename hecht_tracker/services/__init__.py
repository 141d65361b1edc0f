"""Use cases shared by the doors (CLI, TUI, feed): each reads the store, calls the pure core and
renderers, and writes back what it made."""
