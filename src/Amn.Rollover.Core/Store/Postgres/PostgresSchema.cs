namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>
    /// The schema of a school board's database, as forward migrations like the SQLite store's: one
    /// database holds the board, each school is a tenant, and PostgreSQL itself keeps the schools
    /// apart. Since migration 3 each school's rows are in a schema of its own that only members of
    /// that school's role (amn.schools.role_name) may use; amn.schools shows each user only the
    /// schools of their roles (row-level security). This holds for hand-written SQL too.
    /// </summary>
    internal static class PostgresSchema
    {
        /// <summary>The group role every school role is a member of: it holds the table privileges, the policies narrow them.</summary>
        public const string UsersRole = "amn_users";

        public static readonly string[] Migrations =
        {
            // 1: the AMN administration of every school of the board.
            @"
CREATE SCHEMA amn;
CREATE TABLE amn.schema_info (version integer NOT NULL);
INSERT INTO amn.schema_info (version) VALUES (0);

CREATE TABLE amn.schools (
    id          serial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    role_name   text NOT NULL UNIQUE,
    created_utc timestamptz NOT NULL DEFAULT now()
);

-- A row that points at another row points at one of its own school: the foreign keys include
-- school_id, so no school's rows can reference another school's (a foreign-key check does not see
-- row-level security). The large tables (students, audit_log) name their school without a foreign
-- key: the policies already admit only the user's schools, and a key check per row halves a bulk load.
CREATE TABLE amn.folders (
    id        bigserial PRIMARY KEY,
    school_id integer NOT NULL REFERENCES amn.schools(id),
    path      text NOT NULL,
    UNIQUE (school_id, id)
);
CREATE UNIQUE INDEX folders_path ON amn.folders (school_id, lower(path));

CREATE TABLE amn.groups (
    id          bigserial PRIMARY KEY,
    school_id   integer NOT NULL REFERENCES amn.schools(id),
    name        text NOT NULL,
    folder_id   bigint NOT NULL,
    created_utc timestamptz NOT NULL,
    UNIQUE (school_id, id),
    FOREIGN KEY (school_id, folder_id) REFERENCES amn.folders (school_id, id)
);
CREATE UNIQUE INDEX groups_name ON amn.groups (school_id, lower(name));

CREATE TABLE amn.students (
    id             bigserial PRIMARY KEY,
    school_id      integer NOT NULL,
    number         text NOT NULL,
    first_name     text NOT NULL,
    prefix         text,
    last_name      text NOT NULL,
    birth_date     date,
    gender         text CHECK (gender IN ('M', 'V', 'X')),
    crebo_number   text,
    email          text,
    user_name      text,
    group_id       bigint,
    created_utc    timestamptz NOT NULL,
    updated_utc    timestamptz NOT NULL,
    last_seen_date date,
    erased_utc     timestamptz,
    UNIQUE (school_id, number),
    FOREIGN KEY (school_id, group_id) REFERENCES amn.groups (school_id, id) ON DELETE SET NULL (group_id)
);
CREATE INDEX students_group ON amn.students (group_id);

CREATE TABLE amn.staff (
    id          bigserial PRIMARY KEY,
    school_id   integer NOT NULL REFERENCES amn.schools(id),
    user_name   text NOT NULL,
    code        text,
    first_name  text,
    prefix      text,
    last_name   text,
    email       text,
    created_utc timestamptz NOT NULL,
    updated_utc timestamptz NOT NULL,
    UNIQUE (school_id, id)
);
CREATE UNIQUE INDEX staff_user_name ON amn.staff (school_id, lower(user_name));
CREATE UNIQUE INDEX staff_code ON amn.staff (school_id, lower(code));

CREATE TABLE amn.staff_roles (
    staff_id  bigint NOT NULL,
    school_id integer NOT NULL,
    role      text NOT NULL CHECK (role IN ('applicatiebeheerder', 'regievoerder', 'mentor', 'docent')),
    PRIMARY KEY (staff_id, role),
    FOREIGN KEY (school_id, staff_id) REFERENCES amn.staff (school_id, id) ON DELETE CASCADE
);

CREATE TABLE amn.staff_groups (
    staff_id  bigint NOT NULL,
    group_id  bigint NOT NULL,
    school_id integer NOT NULL,
    PRIMARY KEY (staff_id, group_id),
    FOREIGN KEY (school_id, staff_id) REFERENCES amn.staff (school_id, id) ON DELETE CASCADE,
    FOREIGN KEY (school_id, group_id) REFERENCES amn.groups (school_id, id) ON DELETE CASCADE
);

CREATE TABLE amn.audit_log (
    id        bigserial PRIMARY KEY,
    school_id integer NOT NULL,
    run_id    uuid NOT NULL,
    at_utc    timestamptz NOT NULL,
    ""user""    text NOT NULL,
    machine   text,
    action    text NOT NULL,
    target    text,
    details   text
);
CREATE INDEX audit_log_run ON amn.audit_log (run_id);

-- Isolation. A school role sees the schools it is a member of; every other table shows and takes
-- only rows of those schools. FORCE: the policies bind the tables' owner as well.
ALTER TABLE amn.schools ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_of ON amn.schools FOR SELECT USING (pg_has_role(current_user, role_name, 'MEMBER'));

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['folders', 'groups', 'students', 'staff', 'staff_roles', 'staff_groups', 'audit_log'] LOOP
        EXECUTE format('ALTER TABLE amn.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE amn.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY own_school ON amn.%I USING (school_id IN (SELECT id FROM amn.schools)) WITH CHECK (school_id IN (SELECT id FROM amn.schools))', t);
    END LOOP;
END $$;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'amn_users') THEN CREATE ROLE amn_users NOLOGIN; END IF;
END $$;
GRANT USAGE ON SCHEMA amn TO amn_users;
GRANT SELECT ON amn.schools, amn.schema_info TO amn_users;
GRANT SELECT, INSERT, UPDATE, DELETE ON amn.folders, amn.groups, amn.students, amn.staff, amn.staff_roles, amn.staff_groups TO amn_users;
GRANT SELECT, INSERT ON amn.audit_log TO amn_users;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA amn TO amn_users;
",
            // 2: statistics after a bulk write. A school's tenant is rewritten in one transaction; until
            // autovacuum analyzes the tables, the planner takes a new 100,000-pupil table for empty, and
            // the foreign keys' per-row checks of the next write scan it whole (minutes instead of seconds).
            // Only a table's owner may ANALYZE: the function runs as the owner, for the school roles.
            @"
CREATE FUNCTION amn.refresh_statistics() RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    ANALYZE amn.folders, amn.groups, amn.students, amn.staff, amn.staff_roles, amn.staff_groups;
END $$;
REVOKE ALL ON FUNCTION amn.refresh_statistics() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION amn.refresh_statistics() TO amn_users;
",
            // 3: a schema of its own for each school. Row-level security left the tables, their locks,
            // sequences and statistics shared: one school's login could lock every school's pupils,
            // take the write lock key of another, fill the shared sequences ahead of it, and read
            // from EXPLAIN, pg_stats and nextval what another school holds. Now each school's rows
            // live in tables of the schema amn_school_<id>, owned by the board's owner and granted to
            // that school's role alone; nothing of one school is an object another school's role can
            // name. Ids are kept for life and come from the school's own rows (there is no sequence);
            // the keys are checked at commit, so a write may apply its rows in any order;
            // the school's write lock is its own table state (see SchoolBoardStorage.TakeLock); state's
            // version says whether anything changed since a session last read the school.
            // Every change of a school's tables, also one written by hand in psql, raises its version.
            @"
CREATE FUNCTION amn.school_changed() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE format('UPDATE %I.state SET version = version + 1', TG_TABLE_SCHEMA);
    RETURN NULL;
END $$;

CREATE FUNCTION amn.create_school_schema(school integer, role text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE s text := 'amn_school_' || school; t text;
BEGIN
    EXECUTE format('CREATE SCHEMA %I', s);
    EXECUTE format('CREATE TABLE %I.state (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), version bigint NOT NULL DEFAULT 0)', s);
    EXECUTE format('INSERT INTO %I.state DEFAULT VALUES', s);
    EXECUTE format('CREATE TABLE %I.folders (id bigint PRIMARY KEY, path text NOT NULL, EXCLUDE USING btree (lower(path) WITH =) DEFERRABLE INITIALLY DEFERRED)', s);
    EXECUTE format('CREATE TABLE %1$I.groups (id bigint PRIMARY KEY, name text NOT NULL, folder_id bigint NOT NULL REFERENCES %1$I.folders (id) DEFERRABLE INITIALLY DEFERRED, created_utc timestamptz NOT NULL,
        EXCLUDE USING btree (lower(name) WITH =) DEFERRABLE INITIALLY DEFERRED)', s);
    EXECUTE format('CREATE TABLE %1$I.students (
        id bigint PRIMARY KEY, number text NOT NULL UNIQUE DEFERRABLE INITIALLY DEFERRED, first_name text NOT NULL, prefix text, last_name text NOT NULL,
        birth_date date, gender text CHECK (gender IN (''M'', ''V'', ''X'')), crebo_number text, email text, user_name text,
        group_id bigint REFERENCES %1$I.groups (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
        created_utc timestamptz NOT NULL, updated_utc timestamptz NOT NULL, last_seen_date date, erased_utc timestamptz)', s);
    EXECUTE format('CREATE INDEX students_group ON %I.students (group_id)', s);
    EXECUTE format('CREATE TABLE %I.staff (id bigint PRIMARY KEY, user_name text NOT NULL, code text, first_name text, prefix text, last_name text, email text, created_utc timestamptz NOT NULL, updated_utc timestamptz NOT NULL,
        EXCLUDE USING btree (lower(user_name) WITH =) DEFERRABLE INITIALLY DEFERRED, EXCLUDE USING btree (lower(code) WITH =) DEFERRABLE INITIALLY DEFERRED)', s);
    EXECUTE format('CREATE TABLE %1$I.staff_roles (staff_id bigint NOT NULL REFERENCES %1$I.staff (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        role text NOT NULL CHECK (role IN (''applicatiebeheerder'', ''regievoerder'', ''mentor'', ''docent'')), PRIMARY KEY (staff_id, role))', s);
    EXECUTE format('CREATE TABLE %1$I.staff_groups (staff_id bigint NOT NULL REFERENCES %1$I.staff (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        group_id bigint NOT NULL REFERENCES %1$I.groups (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, PRIMARY KEY (staff_id, group_id))', s);
    EXECUTE format('CREATE INDEX staff_groups_group ON %I.staff_groups (group_id)', s);
    EXECUTE format('CREATE TABLE %I.audit_log (id bigint PRIMARY KEY, run_id uuid NOT NULL, at_utc timestamptz NOT NULL, ""user"" text NOT NULL, machine text, action text NOT NULL, target text, details text)', s);
    FOREACH t IN ARRAY ARRAY['folders', 'groups', 'students', 'staff', 'staff_roles', 'staff_groups', 'audit_log'] LOOP
        EXECUTE format('CREATE TRIGGER changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I.%I FOR EACH STATEMENT EXECUTE FUNCTION amn.school_changed()', s, t);
    END LOOP;
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', s);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %1$I.folders, %1$I.groups, %1$I.students, %1$I.staff, %1$I.staff_roles, %1$I.staff_groups TO %2$I', s, role);
    EXECUTE format('GRANT SELECT, INSERT ON %I.audit_log TO %I', s, role);
    EXECUTE format('GRANT SELECT, UPDATE ON %I.state TO %I', s, role);
END $$;
REVOKE ALL ON FUNCTION amn.create_school_schema(integer, text) FROM PUBLIC;

DO $$
DECLARE school record; s text;
BEGIN
    FOR school IN SELECT id, role_name FROM amn.schools ORDER BY id LOOP
        s := 'amn_school_' || school.id;
        PERFORM amn.create_school_schema(school.id, school.role_name);
        EXECUTE format('INSERT INTO %I.folders SELECT id, path FROM amn.folders WHERE school_id = $1', s) USING school.id;
        EXECUTE format('INSERT INTO %I.groups SELECT id, name, folder_id, created_utc FROM amn.groups WHERE school_id = $1', s) USING school.id;
        EXECUTE format('INSERT INTO %I.students SELECT id, number, first_name, prefix, last_name, birth_date, gender, crebo_number, email, user_name, group_id, created_utc, updated_utc, last_seen_date, erased_utc FROM amn.students WHERE school_id = $1', s) USING school.id;
        EXECUTE format('INSERT INTO %I.staff SELECT id, user_name, code, first_name, prefix, last_name, email, created_utc, updated_utc FROM amn.staff WHERE school_id = $1', s) USING school.id;
        EXECUTE format('INSERT INTO %I.staff_roles SELECT staff_id, role FROM amn.staff_roles WHERE school_id = $1', s) USING school.id;
        EXECUTE format('INSERT INTO %I.staff_groups SELECT staff_id, group_id FROM amn.staff_groups WHERE school_id = $1', s) USING school.id;
        EXECUTE format('INSERT INTO %I.audit_log SELECT id, run_id, at_utc, ""user"", machine, action, target, details FROM amn.audit_log WHERE school_id = $1', s) USING school.id;
        EXECUTE format('INSERT INTO %1$I.folders SELECT coalesce(max(id), 0) + 1, '''' FROM %1$I.folders HAVING NOT coalesce(bool_or(path = ''''), false)', s);
    END LOOP;
END $$;

DROP FUNCTION amn.refresh_statistics();
DROP TABLE amn.staff_groups, amn.staff_roles, amn.students, amn.staff, amn.groups, amn.folders, amn.audit_log;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA amn FROM amn_users;
",
            // 4: a staff member's last name is required on the server, as in a store file (3 left it out; the
            // test that holds both schemas to the same fields found it). A name missing on the server becomes empty.
            @"
ALTER FUNCTION amn.create_school_schema(integer, text) RENAME TO create_school_tables;
CREATE FUNCTION amn.create_school_schema(school integer, role text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM amn.create_school_tables(school, role);
    EXECUTE format('ALTER TABLE %I.staff ALTER COLUMN last_name SET NOT NULL', 'amn_school_' || school);
END $$;
REVOKE ALL ON FUNCTION amn.create_school_schema(integer, text), amn.create_school_tables(integer, text) FROM PUBLIC;

DO $$
DECLARE school record;
BEGIN
    FOR school IN SELECT id FROM amn.schools ORDER BY id LOOP
        EXECUTE format('UPDATE %I.staff SET last_name = '''' WHERE last_name IS NULL', 'amn_school_' || school.id);
        EXECUTE format('ALTER TABLE %I.staff ALTER COLUMN last_name SET NOT NULL', 'amn_school_' || school.id);
    END LOOP;
END $$;
",
            // 5: folder paths, group names, usernames and codes are one when they are one to the module: ASCII letters
            // folded only (lower(x COLLATE ""C""), ServerQueries.NoCase, as SQLite's NOCASE), never by the database's
            // locale. Schema 3's lower(x) folded İ onto i and ẞ onto ß, so the server refused at its commit what the
            // planner and a store file take as two (the staff import and the rollover of a whole school).
            // The checks still pending from the migrations before (their copy of the rows) run now: a table with pending
            // checks cannot be altered.
            @"
SET CONSTRAINTS ALL IMMEDIATE;
CREATE FUNCTION amn.fold_keys_as_the_module(s text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conname, conrelid::regclass AS tbl FROM pg_constraint WHERE contype = 'x' AND connamespace = s::regnamespace LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tbl, c.conname);
    END LOOP;
    EXECUTE format('ALTER TABLE %I.folders ADD CONSTRAINT folders_path_nocase EXCLUDE USING btree (lower(path COLLATE ""C"") WITH =) DEFERRABLE INITIALLY DEFERRED', s);
    EXECUTE format('ALTER TABLE %I.groups ADD CONSTRAINT groups_name_nocase EXCLUDE USING btree (lower(name COLLATE ""C"") WITH =) DEFERRABLE INITIALLY DEFERRED', s);
    EXECUTE format('ALTER TABLE %I.staff ADD CONSTRAINT staff_user_name_nocase EXCLUDE USING btree (lower(user_name COLLATE ""C"") WITH =) DEFERRABLE INITIALLY DEFERRED', s);
    EXECUTE format('ALTER TABLE %I.staff ADD CONSTRAINT staff_code_nocase EXCLUDE USING btree (lower(code COLLATE ""C"") WITH =) DEFERRABLE INITIALLY DEFERRED', s);
END $$;

CREATE OR REPLACE FUNCTION amn.create_school_schema(school integer, role text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM amn.create_school_tables(school, role);
    EXECUTE format('ALTER TABLE %I.staff ALTER COLUMN last_name SET NOT NULL', 'amn_school_' || school);
    PERFORM amn.fold_keys_as_the_module('amn_school_' || school);
END $$;
REVOKE ALL ON FUNCTION amn.create_school_schema(integer, text), amn.fold_keys_as_the_module(text) FROM PUBLIC;

DO $$
DECLARE school record;
BEGIN
    FOR school IN SELECT id FROM amn.schools ORDER BY id LOOP
        PERFORM amn.fold_keys_as_the_module('amn_school_' || school.id);
    END LOOP;
END $$;
",
        };

        /// <summary>The schema that holds a school's tables.</summary>
        public static string SchoolSchema(int schoolId) => "amn_school_" + schoolId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public static int LatestVersion => Migrations.Length;
    }
}
