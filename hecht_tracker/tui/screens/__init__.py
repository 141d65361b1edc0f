"""Screens of the terminal interface: the main screen, the forms and small dialogs."""
