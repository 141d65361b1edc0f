"""The terminal interface: a Textual app on the same store the CLI uses."""
