"""Everything that touches the SQLite file; the rest of the program sees only :class:`Store`.

- ``store``: the facade the doors use (``hecht_tracker.storage.store.Store``).
- ``connection``: opening, guarding and migrating the file; the transaction helper; SQLite's
  errors as Dutch :class:`~hecht_tracker.core.errors.DatabaseError`.
- ``repository``: all SQL reads and writes of records, links and the journal.
- ``writer``: the steps of a write (checks, defaults, versions, journal rows, imports).
- ``publisher``: SEQUENCE and LAST-MODIFIED for calendar subscribers, kept incrementally.
- ``schema``: the migrations; ``seed``: Hecht's default data.
"""
