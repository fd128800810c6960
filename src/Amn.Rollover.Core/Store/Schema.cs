namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// The store's schema as a list of forward migrations. Migration n brings a store from version
    /// n-1 to version n; the version lives in PRAGMA user_version. Never edit a released migration:
    /// add a new one.
    /// </summary>
    internal static class Schema
    {
        /// <summary>PRAGMA application_id of a tenant store: "AMNR".</summary>
        public const int ApplicationId = 0x414D4E52;

        public static readonly string[] Migrations =
        {
            // 1: the whole AMN administration of one school.
            @"
CREATE TABLE folders (
    id    INTEGER PRIMARY KEY,
    path  TEXT NOT NULL UNIQUE COLLATE NOCASE
);
INSERT INTO folders (path) VALUES ('');

CREATE TABLE groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    folder_id   INTEGER NOT NULL REFERENCES folders(id),
    created_utc TEXT NOT NULL
);
CREATE INDEX groups_folder ON groups(folder_id);

CREATE TABLE students (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    first_name   TEXT NOT NULL,
    prefix       TEXT,
    last_name    TEXT NOT NULL,
    birth_date   TEXT,
    gender       TEXT CHECK (gender IN ('M', 'V', 'X')),
    crebo_number TEXT,
    email        TEXT,
    user_name    TEXT,
    group_id     INTEGER REFERENCES groups(id) ON DELETE SET NULL,
    created_utc  TEXT NOT NULL,
    updated_utc  TEXT NOT NULL
);
CREATE INDEX students_group ON students(group_id);

CREATE TABLE staff (
    id          INTEGER PRIMARY KEY,
    user_name   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    code        TEXT UNIQUE COLLATE NOCASE,
    first_name  TEXT,
    prefix      TEXT,
    last_name   TEXT NOT NULL,
    email       TEXT,
    created_utc TEXT NOT NULL,
    updated_utc TEXT NOT NULL
);

CREATE TABLE roles (
    name TEXT PRIMARY KEY
);
INSERT INTO roles (name) VALUES ('applicatiebeheerder'), ('regievoerder'), ('mentor'), ('docent');

CREATE TABLE staff_roles (
    staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    role     TEXT NOT NULL REFERENCES roles(name),
    PRIMARY KEY (staff_id, role)
);

CREATE TABLE staff_groups (
    staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, group_id)
);
CREATE INDEX staff_groups_group ON staff_groups(group_id);

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    run_id   TEXT NOT NULL,
    at_utc   TEXT NOT NULL,
    user     TEXT NOT NULL,
    action   TEXT NOT NULL,
    target   TEXT,
    details  TEXT
);
CREATE INDEX audit_log_run ON audit_log(run_id);
",
            // 2: privacy. When a pupil was last in an imported student file (for retention), when a
            // pupil's personal data was erased (the number stays, marked used), and the machine of
            // each audit entry.
            @"
ALTER TABLE students ADD COLUMN last_seen_date TEXT;
ALTER TABLE students ADD COLUMN erased_utc TEXT;
UPDATE students SET last_seen_date = substr(updated_utc, 1, 10);
ALTER TABLE audit_log ADD COLUMN machine TEXT;
",
        };

        public static int LatestVersion => Migrations.Length;
    }
}
