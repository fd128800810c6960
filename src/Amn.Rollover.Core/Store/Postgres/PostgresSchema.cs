namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>
    /// The schema of a school board's database, as forward migrations like the SQLite store's: one
    /// database holds the board, each school is a tenant, and PostgreSQL itself keeps the schools
    /// apart with row-level security. A school's rows are visible and changeable only to members of
    /// that school's role (amn.schools.role_name); the policies hold for hand-written SQL too.
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
        };

        public static int LatestVersion => Migrations.Length;
    }
}
