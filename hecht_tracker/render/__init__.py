"""Pure renderers: calendars (ICS) and reports, from a snapshot and "today"; no store."""
