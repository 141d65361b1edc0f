"""The database schema as a list of migrations; ``PRAGMA user_version`` is the index reached.

Each step runs inside the migration transaction. Never edit a released step: add a new one.
"""

from __future__ import annotations

# 'HECH' in ASCII: marks a file as a hecht-tracker database (PRAGMA application_id).
APPLICATION_ID = 0x48454348

_ENUM_CHECKS = {
    "status": "('planned','in_progress','done','postponed','cancelled')",
    "health": "('on_track','at_risk','off_track')",
    "kind": "('meeting','theme_session','deadline','deliverable','decision')",
    "visibility": "('public','internal')",
}

# Version 1: programmes, goals, milestones with their links, actions and agreements, journal.
_V1 = f"""
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE programme (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL CHECK (trim(name) <> ''),
    period TEXT NOT NULL DEFAULT '',
    budget TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE goal (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    programme_id INTEGER NOT NULL REFERENCES programme(id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL CHECK (trim(title) <> ''),
    horizon TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    health TEXT CHECK (health IN {_ENUM_CHECKS["health"]}),
    health_reason TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE milestone (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    programme_id INTEGER REFERENCES programme(id),
    title TEXT NOT NULL CHECK (trim(title) <> ''),
    date TEXT NOT NULL,
    start_time TEXT,
    end_time TEXT,
    location TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN {_ENUM_CHECKS["kind"]}),
    status TEXT NOT NULL CHECK (status IN {_ENUM_CHECKS["status"]}),
    health TEXT CHECK (health IN {_ENUM_CHECKS["health"]}),
    health_reason TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL DEFAULT '',
    documents_due TEXT,
    documents_sent TEXT,
    baseline_date TEXT,
    visibility TEXT NOT NULL CHECK (visibility IN {_ENUM_CHECKS["visibility"]}),
    description TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    sequence INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX milestone_date ON milestone(date);
CREATE TABLE milestone_goal (
    milestone_id INTEGER NOT NULL REFERENCES milestone(id) ON DELETE CASCADE,
    goal_id INTEGER NOT NULL REFERENCES goal(id) ON DELETE CASCADE,
    PRIMARY KEY (milestone_id, goal_id)
);
CREATE TABLE milestone_dependency (
    milestone_id INTEGER NOT NULL REFERENCES milestone(id) ON DELETE CASCADE,
    depends_on_id INTEGER NOT NULL REFERENCES milestone(id) ON DELETE CASCADE,
    PRIMARY KEY (milestone_id, depends_on_id),
    CHECK (milestone_id <> depends_on_id)
);
CREATE TABLE action (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('action','agreement')),
    title TEXT NOT NULL CHECK (trim(title) <> ''),
    programme_id INTEGER REFERENCES programme(id),
    goal_id INTEGER REFERENCES goal(id) ON DELETE SET NULL,
    milestone_id INTEGER REFERENCES milestone(id) ON DELETE SET NULL,
    owner TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    done_date TEXT,
    status TEXT NOT NULL CHECK (status IN {_ENUM_CHECKS["status"]}),
    description TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    field TEXT,
    old TEXT,
    new TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER journal_is_append_only_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'het journaal kan niet worden gewijzigd'); END;
CREATE TRIGGER journal_is_append_only_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'het journaal kan niet worden gewijzigd'); END;
"""

# Version 2: the Hecht24 benefits register with dated measurements.
_V2 = """
CREATE TABLE benefit (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    programme_id INTEGER REFERENCES programme(id),
    title TEXT NOT NULL CHECK (trim(title) <> ''),
    category TEXT NOT NULL CHECK (category IN
        ('organisational','financial','service','societal','digital','employer')),
    status TEXT NOT NULL CHECK (status IN ('achieved','in_progress','expected','not_achieved')),
    owner TEXT NOT NULL DEFAULT '',
    indicator TEXT NOT NULL DEFAULT '',
    baseline TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL DEFAULT '',
    realisation_date TEXT,
    evidence TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE measurement (
    id INTEGER PRIMARY KEY,
    benefit_id INTEGER NOT NULL REFERENCES benefit(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    value TEXT NOT NULL CHECK (trim(value) <> ''),
    note TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
);
CREATE INDEX measurement_benefit ON measurement(benefit_id, date);
"""

# Version 3: what calendar subscribers last saw of each milestone, so SEQUENCE and
# LAST-MODIFIED rise exactly when that changes; the default documents-due date kept up to date
# on every write (reading it then needs no holiday calendar); the bodies whose public calendars
# have shown a milestone and whether its papers deadline was ever published (so the calendars
# can withdraw them); a journal index for the report.
_V3 = """
ALTER TABLE milestone ADD COLUMN public_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE milestone ADD COLUMN published TEXT;
ALTER TABLE milestone ADD COLUMN documents_due_default TEXT;
ALTER TABLE milestone ADD COLUMN published_bodies TEXT NOT NULL DEFAULT '[]';
ALTER TABLE milestone ADD COLUMN papers_published INTEGER NOT NULL DEFAULT 0;
UPDATE milestone SET published = updated;
CREATE INDEX journal_at ON journal(at);
"""

# Version 4: a version per record, raised by one on every write, so a write based on a stale
# copy can be refused; a change number on the journal grouping the rows of one write (the id of
# its first row). Rows written before version 4 each become a change of their own: grouping
# them by timestamp would merge unrelated writes made in the same second, and an undo must
# never take back more than was done together. Indexes serve the narrow queries of a single
# write: followers of a milestone, milestones of a goal, actions of a goal; and the order in
# which milestones are listed, so a list is read in order instead of sorted.
_V4 = """
ALTER TABLE programme ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE goal ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE milestone ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE action ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE benefit ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE journal ADD COLUMN change INTEGER;
DROP TRIGGER journal_is_append_only_update;
UPDATE journal SET change = id;
CREATE TRIGGER journal_is_append_only_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'het journaal kan niet worden gewijzigd'); END;
CREATE INDEX journal_change ON journal(change);
CREATE INDEX milestone_dependency_follower ON milestone_dependency(depends_on_id);
CREATE INDEX milestone_goal_goal ON milestone_goal(goal_id);
CREATE INDEX action_goal ON action(goal_id);
DROP INDEX milestone_date;
CREATE INDEX milestone_order ON milestone(date, coalesce(start_time, ''), id);
"""

# Version 5: calendar events serialised once and kept, per milestone and variant (see
# hecht_tracker.render.ics.events), with the source they were made from (public hash,
# SEQUENCE, stamps and the renderer's fingerprint); an export only makes the ones whose source
# changed. Derived data: rewritten at will, never journalled, gone with its milestone.
_V5 = """
CREATE TABLE calendar_event (
    milestone_id INTEGER NOT NULL REFERENCES milestone(id) ON DELETE CASCADE,
    variant TEXT NOT NULL,
    source TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (milestone_id, variant)
);
"""

# Version 6: the calendar files an export wrote, per folder, with the digest of what they were
# made from and their size and modification time, so an export that would write the same bytes
# can tell from the index alone, without reading the kept events or the files. Derived data.
# And what an undo took out (a record, or what a removed record was), per journal row, so redo
# and the undo of a removal put it back exactly, with the same id and uid.
_V6 = """
CREATE TABLE calendar_file (
    folder TEXT NOT NULL,
    name TEXT NOT NULL,
    digest TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    PRIMARY KEY (folder, name)
);
CREATE TABLE undo_snapshot (
    journal_id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    data TEXT NOT NULL
);
"""

# Version 7: one record's journal (its details, "Logboek per record", its last date move) is
# read by the record, not by a scan of the whole journal.
_V7 = """
CREATE INDEX journal_record ON journal(entity, entity_id);
"""

# Version 8: each milestone's and action's text for ``list --json``, kept beside its row and
# made by SQLite itself when a write commits (see Repository.refresh_list_json), so a list is
# a read of finished text. Derived data: any change to the row or its links empties it (the
# triggers below, which catch a hand edit too), and a reader makes an empty one on the spot.
_V8 = """
ALTER TABLE milestone ADD COLUMN list_json TEXT;
ALTER TABLE action ADD COLUMN list_json TEXT;
CREATE INDEX milestone_list_json_missing ON milestone(id) WHERE list_json IS NULL;
CREATE INDEX action_list_json_missing ON action(id) WHERE list_json IS NULL;
CREATE TRIGGER milestone_list_json_stale AFTER UPDATE ON milestone
WHEN OLD.list_json IS NOT NULL AND NEW.list_json IS OLD.list_json
BEGIN UPDATE milestone SET list_json = NULL WHERE id = NEW.id; END;
CREATE TRIGGER action_list_json_stale AFTER UPDATE ON action
WHEN OLD.list_json IS NOT NULL AND NEW.list_json IS OLD.list_json
BEGIN UPDATE action SET list_json = NULL WHERE id = NEW.id; END;
CREATE TRIGGER milestone_goal_added_list_json AFTER INSERT ON milestone_goal
BEGIN UPDATE milestone SET list_json = NULL WHERE id = NEW.milestone_id; END;
CREATE TRIGGER milestone_goal_removed_list_json AFTER DELETE ON milestone_goal
BEGIN UPDATE milestone SET list_json = NULL WHERE id = OLD.milestone_id; END;
CREATE TRIGGER milestone_goal_changed_list_json AFTER UPDATE ON milestone_goal
BEGIN UPDATE milestone SET list_json = NULL WHERE id IN (OLD.milestone_id, NEW.milestone_id); END;
CREATE TRIGGER milestone_dependency_added_list_json AFTER INSERT ON milestone_dependency
BEGIN UPDATE milestone SET list_json = NULL WHERE id = NEW.milestone_id; END;
CREATE TRIGGER milestone_dependency_removed_list_json AFTER DELETE ON milestone_dependency
BEGIN UPDATE milestone SET list_json = NULL WHERE id = OLD.milestone_id; END;
CREATE TRIGGER milestone_dependency_changed_list_json AFTER UPDATE ON milestone_dependency
BEGIN UPDATE milestone SET list_json = NULL WHERE id IN (OLD.milestone_id, NEW.milestone_id); END;
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8)
SCHEMA_VERSION = len(MIGRATIONS)
