"""Use cases the doors share (CLI, TUI, feed): each reads the store once, hands plain values to
the pure core and renderers, and writes back what it made, so every door does a step the same
way. :mod:`.report` makes the weekly report; :mod:`.calendars` makes and keeps the calendars."""
