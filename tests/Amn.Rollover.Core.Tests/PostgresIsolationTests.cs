using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Store;
using Amn.Rollover.Core.Store.Postgres;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit;
using static Amn.Rollover.Core.Tests.ReaderTestFiles;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>
    /// A school board's database on a real PostgreSQL server (the Test task starts one and sets
    /// AMN_TEST_POSTGRES): each test gets a database of its own; the schools are kept apart by
    /// PostgreSQL itself, which a school's admin cannot get round even with hand-written SQL.
    /// </summary>
    public sealed partial class PostgresIsolationTests : IDisposable
    {
        private readonly string _server = Environment.GetEnvironmentVariable("AMN_TEST_POSTGRES");
        private readonly string _database = "amn_test_" + Guid.NewGuid().ToString("N").Substring(0, 10);
        private readonly List<string> _roles = new List<string>();
        private readonly List<string> _databases = new List<string>();
        private readonly TempFolder _temp = new TempFolder();

        private string Owner => new NpgsqlConnectionStringBuilder(_server) { Database = _database, Pooling = false }.ConnectionString;
        private readonly Dictionary<string, string> _schemaOf = new Dictionary<string, string>();

        /// <summary>As a user, with the user's school's schema first on the search path (hand-written SQL names its tables plainly).</summary>
        private string As(string user)
            => new NpgsqlConnectionStringBuilder(_server) { Database = _database, Username = user, Pooling = false, SearchPath = _schemaOf.TryGetValue(user, out var schema) ? schema : null }.ConnectionString;

        private string SchemaOf(string school) => (string)Scalar(Owner, $"SELECT 'amn_school_' || id FROM amn.schools WHERE name = '{school}';");

        private void CreateDatabase()
        {
            Skip.If(string.IsNullOrEmpty(_server), "No PostgreSQL server: the Test task starts one and sets AMN_TEST_POSTGRES.");
            Exec(new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString, $"CREATE DATABASE {_database};");
        }

        /// <summary>A board with schools A and B, an admin of each (alice, bob), one pupil in each.</summary>
        private void CreateBoard()
        {
            CreateDatabase();
            Assert.Equal(PostgresSchema.LatestVersion, SchoolBoardDatabase.Provision(Owner));
            var a = SchoolBoardDatabase.AddSchool(Owner, "School A");
            var b = SchoolBoardDatabase.AddSchool(Owner, "School B");
            _roles.AddRange(new[] { a, b, _database + "_alice", _database + "_bob" });
            _schemaOf[_database + "_alice"] = SchemaOf("School A");
            _schemaOf[_database + "_bob"] = SchemaOf("School B");
            Exec(Owner, $"CREATE ROLE {_database}_alice LOGIN; GRANT {a} TO {_database}_alice; CREATE ROLE {_database}_bob LOGIN; GRANT {b} TO {_database}_bob;");
            foreach (var (user, number) in new[] { ("alice", "A-001"), ("bob", "B-001") })
                Exec(As(_database + "_" + user),
                    $"INSERT INTO students (id, number, first_name, last_name, created_utc, updated_utc) VALUES (1, '{number}', 'Kind', 'Van {user}', now(), now());");
        }

        private string Alice => As(_database + "_alice");
        private string Bob => As(_database + "_bob");

        [SkippableFact]
        public void A_school_admin_sees_and_changes_only_their_own_school_even_with_hand_written_SQL()
        {
            CreateBoard();
            Assert.Equal(new[] { "School A" }, SchoolNames(Alice));
            Assert.Equal(new[] { "School B" }, SchoolNames(Bob));
            Assert.Equal(new[] { "School A", "School B" }, SchoolNames(Owner));

            Assert.Equal("A-001", Scalar(Alice, "SELECT string_agg(number, ',') FROM students;"));
            var b = SchemaOf("School B");
            foreach (var sql in new[]
            {
                $"SELECT count(*) FROM {b}.students;",
                $"UPDATE {b}.students SET first_name = 'Gewijzigd';",
                $"DELETE FROM {b}.students;",
                $"INSERT INTO {b}.students (id, number, first_name, last_name, created_utc, updated_utc) VALUES (9, 'B-999', 'In', 'B', now(), now());",
                $"SELECT version FROM {b}.state FOR UPDATE;",
                $"SET ROLE {_roles[1]};",
                "TRUNCATE students;",
                "DROP TABLE students;",
                "INSERT INTO amn.schools (name, role_name) VALUES ('Mine', 'x');",
                "UPDATE audit_log SET details = 'x';",
                "DELETE FROM audit_log;",
            })
                Assert.Equal("42501", SqlState(() => Exec(Alice, sql)));

            // Bob's pupil is as it was.
            Assert.Equal("Kind Van bob", Scalar(Owner, $"SELECT first_name || ' ' || last_name FROM {b}.students WHERE number = 'B-001';"));
        }

        [SkippableFact]
        public void No_school_can_lock_fill_the_sequences_of_or_read_the_statistics_of_another_school()
        {
            CreateBoard();
            var a = SchemaOf("School A");
            // School A's tables are objects Bob cannot name: no lock, no EXPLAIN, no statistics.
            foreach (var table in new[] { "students", "groups", "folders", "staff", "staff_roles", "staff_groups", "audit_log", "state" })
            {
                Assert.Equal("42501", SqlState(() => Exec(Bob, $"BEGIN; LOCK TABLE {a}.{table} IN ACCESS EXCLUSIVE MODE; COMMIT;")));
                Assert.Equal("42501", SqlState(() => Exec(Bob, $"EXPLAIN SELECT * FROM {a}.{table};")));
            }
            Assert.Equal(0L, Scalar(Bob, $"SELECT count(*) FROM pg_stats WHERE schemaname = '{a}';"));
            Exec(Owner, $"ANALYZE {a}.students;");
            Assert.Equal(0L, Scalar(Bob, $"SELECT count(*) FROM pg_stats WHERE schemaname = '{a}';"));
            // The board's sequences are no school's to use.
            Assert.Equal("42501", SqlState(() => Exec(Bob, "SELECT nextval('amn.schools_id_seq');")));
            Assert.Equal(0L, Scalar(Bob, "SELECT count(*) FROM information_schema.role_usage_grants WHERE object_type = 'SEQUENCE';"));

            // Bob locks all he can, his own school's tables and the advisory key space, in an open transaction:
            // Alice's writes go on.
            using var bob = new NpgsqlConnection(Bob);
            bob.Open();
            using var held = bob.BeginTransaction();
            foreach (var sql in new[] { "LOCK TABLE students, groups, folders, staff, staff_roles, staff_groups, state IN ACCESS EXCLUSIVE MODE;", "LOCK TABLE amn.schools, amn.schema_info IN ACCESS SHARE MODE;", $"SELECT pg_advisory_lock({Schema.ApplicationId}, 1), pg_advisory_lock({Schema.ApplicationId}, 2);" })
                using (var command = new NpgsqlCommand(sql, bob, held)) command.ExecuteNonQuery();
            var school = TenantStore.OpenSchool(Alice, "School A");
            school.BusyTimeout = TimeSpan.FromSeconds(2);
            using var temp = new TempFolder();
            var file = WriteUtf8(temp, "a.csv", "nr;voornaam;achternaam;klas", "A-002;Nieuw;Kind;A1");
            Assert.Equal(1, Import(school, file).Created);
            Assert.Equal(2L, Scalar(Alice, "SELECT count(*) FROM students;"));
        }

        [SkippableFact]
        public void A_lock_a_school_admin_holds_by_hand_on_the_own_school_is_waited_for_at_most_the_busy_timeout()
        {
            CreateBoard();
            using var hand = new NpgsqlConnection(Alice);
            hand.Open();
            using var held = hand.BeginTransaction();
            using (var command = new NpgsqlCommand("LOCK TABLE students IN ACCESS EXCLUSIVE MODE;", hand, held)) command.ExecuteNonQuery();
            var school = TenantStore.OpenSchool(Alice, "School A");
            school.BusyTimeout = TimeSpan.FromSeconds(1);
            Assert.Equal("TenantBusy", Assert.Throws<AmnException>(() => school.GetInfo()).ErrorId);
            var messages = new List<string>();
            using (var command = new NpgsqlCommand("SELECT version FROM state FOR UPDATE;", hand, held)) command.ExecuteNonQuery();
            var e = Assert.Throws<AmnException>(() => school.BeginWrite(messages.Add));
            Assert.Equal("TenantBusy", e.ErrorId);
            Assert.Single(messages);
        }

        [SkippableFact]
        public void Twenty_concurrent_writers_of_one_school_all_get_their_turn()
        {
            CreateBoard();
            var school = TenantStore.OpenSchool(Alice, "School A");
            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            var writers = Enumerable.Range(1, 20).Select(i => new System.Threading.Thread(() =>
            {
                try
                {
                    var own = TenantStore.OpenSchool(Alice, "School A");
                    own.BusyTimeout = TimeSpan.FromSeconds(60);
                    own.Write(work =>
                    {
                        System.Threading.Thread.Sleep(100);
                        work.Edits.InsertGroup($"G{i}", work.Edits.EnsureFolder(""));
                        return true;
                    });
                }
                catch (AmnException e) { failures.Add(e.ErrorId); }
            })).ToList();
            writers.ForEach(t => t.Start());
            writers.ForEach(t => t.Join());
            Assert.Empty(failures);
            Assert.Equal(20L, Scalar(Alice, "SELECT count(*) FROM groups;"));
        }

        [SkippableFact]
        public void A_row_keeps_its_id_and_an_unchanged_reimport_writes_no_pupil_row()
        {
            CreateBoard();
            using var temp = new TempFolder();
            var lines = new List<string> { "nr;voornaam;achternaam;klas" };
            for (var i = 1; i <= 500; i++) lines.Add($"{i:D6};Kind{i};Jansen;G{i % 10}");
            var file = WriteUtf8(temp, "leerlingen.csv", lines.ToArray());
            var school = TenantStore.OpenSchool(Alice, "School A");
            Assert.Equal(500, Import(school, file).Created);
            string Rows() => (string)Scalar(Alice, "SELECT string_agg(id || ':' || xmin, ',' ORDER BY id) FROM students;");
            var before = Rows();
            var again = TenantStore.OpenSchool(Alice, "School A");   // another session, which reads the school anew
            Assert.Equal(500, Import(again, file).Unchanged);
            Assert.Equal(before, Rows());

            // One pupil changed: that one row is written, and every id stays.
            lines[3] = "000003;Kind3;Pietersen;G3";
            var changed = WriteUtf8(temp, "gewijzigd.csv", lines.ToArray());
            Assert.Equal(1, Import(school, changed).Updated);
            var after = Rows().Split(',');
            Assert.Equal(before.Split(',').Select(r => r.Split(':')[0]), after.Select(r => r.Split(':')[0]));
            Assert.Single(before.Split(',').Zip(after, (x, y) => x == y), same => !same);
        }

        [SkippableFact]
        public void A_change_written_by_hand_is_seen_by_a_session_that_read_the_school_before()
        {
            CreateBoard();
            var school = TenantStore.OpenSchool(Alice, "School A");
            Assert.Equal(1L, school.GetInfo().StudentCount);
            Exec(Alice, "INSERT INTO students (id, number, first_name, last_name, created_utc, updated_utc) VALUES (2, 'A-002', 'Met', 'De Hand', now(), now());");
            Assert.Equal(2L, school.GetInfo().StudentCount);
        }

        [SkippableFact]
        public void Role_names_do_not_collide_across_databases_so_one_school_admin_cannot_reach_the_other_database()
        {
            CreateDatabase();
            var other = _database + "_noord";
            Exec(new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString, $"CREATE DATABASE {other};");
            _databases.Add(other);
            var otherOwner = new NpgsqlConnectionStringBuilder(Owner) { Database = other }.ConnectionString;
            SchoolBoardDatabase.Provision(Owner);
            SchoolBoardDatabase.Provision(otherOwner);
            // 'Noord Lyceum' in <db> and 'Lyceum' in <db>_noord: amn_<db>_noord_lyceum, both, by the old rule.
            var first = SchoolBoardDatabase.AddSchool(Owner, "Noord Lyceum");
            var second = SchoolBoardDatabase.AddSchool(otherOwner, "Lyceum");
            _roles.AddRange(new[] { first, second, _database + "_carol" });
            Assert.NotEqual(first, second);

            Exec(Owner, $"CREATE ROLE {_database}_carol LOGIN; GRANT {first} TO {_database}_carol;");
            var carolThere = new NpgsqlConnectionStringBuilder(As(_database + "_carol")) { Database = other }.ConnectionString;
            Assert.Empty(SchoolNames(carolThere));
            Assert.Equal("TenantNotFound", Assert.Throws<AmnException>(() => TenantStore.OpenSchool(carolThere, "Lyceum")).ErrorId);
        }

        [SkippableFact]
        public void A_role_that_exists_already_is_refused_never_adopted()
        {
            CreateBoard();
            // The old rule's name for a school 'Preexisting', made beforehand and granted to Bob.
            var squatted = "amn_" + _database + "_preexisting";
            _roles.Add(squatted);
            Exec(Owner, $"CREATE ROLE {squatted} NOLOGIN; GRANT {squatted} TO {_database}_bob;");
            var role = SchoolBoardDatabase.AddSchool(Owner, "Preexisting");
            _roles.Add(role);
            Assert.NotEqual(squatted, role);
            Assert.Equal(new[] { "School B" }, SchoolNames(As(_database + "_bob")));

            // A role of the name the new school would get is refused, and nothing is added.
            var next = Convert.ToInt32(Scalar(Owner, "SELECT max(id) + 1 FROM amn.schools;"));
            var databaseOid = Convert.ToUInt32(Scalar(Owner, "SELECT oid FROM pg_database WHERE datname = current_database();"));
            var taken = SchoolBoardDatabase.RoleName(databaseOid, next, "Bezet");
            _roles.Add(taken);
            Exec(Owner, $"CREATE ROLE {taken} NOLOGIN;");
            var e = Assert.Throws<AmnException>(() => SchoolBoardDatabase.AddSchool(Owner, "Bezet"));
            Assert.Equal("SchoolRoleExists", e.ErrorId);
            Assert.Contains(taken, e.Message);
            Assert.Equal(0L, Scalar(Owner, "SELECT count(*) FROM amn.schools WHERE name = 'Bezet';"));
        }

        [SkippableFact]
        public void Adding_a_school_again_returns_its_role_and_a_name_that_differs_only_in_case_is_refused()
        {
            CreateBoard();
            var role = Scalar(Owner, "SELECT role_name FROM amn.schools WHERE name = 'School A';");
            Assert.Equal(role, SchoolBoardDatabase.AddSchool(Owner, "School A"));
            var e = Assert.Throws<AmnException>(() => SchoolBoardDatabase.AddSchool(Owner, "school a"));
            Assert.Equal("SchoolNameTaken", e.ErrorId);
            Assert.Contains("School A", e.Message);
            Assert.Equal(2L, Scalar(Owner, "SELECT count(*) FROM amn.schools;"));
        }

        [SkippableFact]
        public void Set_up_without_the_rights_it_needs_names_the_missing_right_and_changes_nothing()
        {
            CreateDatabase();
            // An owner of the database without CREATEROLE may create the schema but not a school's role.
            var owner = _database + "_owner";
            var stranger = _database + "_stranger";
            _roles.AddRange(new[] { owner, stranger });
            Exec(new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString,
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'amn_users') THEN CREATE ROLE amn_users NOLOGIN; END IF; END $$; " +
                $"CREATE ROLE {owner} LOGIN; CREATE ROLE {stranger} LOGIN; ALTER DATABASE {_database} OWNER TO {owner}; GRANT amn_users TO {owner} WITH ADMIN OPTION;");
            Assert.Equal("SchoolBoardSetupDenied", Assert.Throws<AmnException>(() => SchoolBoardDatabase.Provision(As(stranger))).ErrorId);
            Assert.Equal(0L, Scalar(Owner, "SELECT count(*) FROM pg_namespace WHERE nspname = 'amn';"));

            SchoolBoardDatabase.Provision(As(owner));
            var e = Assert.Throws<AmnException>(() => SchoolBoardDatabase.AddSchool(As(owner), "School C"));
            Assert.Equal("SchoolBoardSetupDenied", e.ErrorId);
            Assert.Contains("CREATEROLE", e.Message);
            Assert.Equal(0L, Scalar(Owner, "SELECT count(*) FROM amn.schools;"));
        }

        [SkippableFact]
        public void A_board_set_up_with_the_shared_tables_of_schema_2_keeps_its_data_ids_and_isolation_after_the_migration()
        {
            CreateDatabase();
            // The board as schema version 2 left it: every school's rows in the shared tables.
            Exec(Owner, PostgresSchema.Migrations[0] + PostgresSchema.Migrations[1] + "UPDATE amn.schema_info SET version = 2;");
            var (a, b) = (_database + "_old_a", _database + "_old_b");
            _roles.AddRange(new[] { a, b, _database + "_alice", _database + "_bob" });
            Exec(Owner, $"CREATE ROLE {a} NOLOGIN; GRANT amn_users TO {a}; CREATE ROLE {b} NOLOGIN; GRANT amn_users TO {b};" +
                $"INSERT INTO amn.schools (name, role_name) VALUES ('School A', '{a}'), ('School B', '{b}');" +
                "INSERT INTO amn.folders (school_id, path) SELECT id, '' FROM amn.schools;" +
                "INSERT INTO amn.groups (school_id, name, folder_id, created_utc) SELECT f.school_id, 'H4a', f.id, now() FROM amn.folders f;" +
                "INSERT INTO amn.students (school_id, number, first_name, last_name, group_id, created_utc, updated_utc) SELECT g.school_id, 'N-' || g.school_id, 'Kind', 'Oud', g.id, now(), now() FROM amn.groups g;" +
                "INSERT INTO amn.audit_log (school_id, run_id, at_utc, \"user\", action) SELECT id, gen_random_uuid(), now(), 'u', 'ImportStudents' FROM amn.schools;" +
                $"CREATE ROLE {_database}_alice LOGIN; GRANT {a} TO {_database}_alice; CREATE ROLE {_database}_bob LOGIN; GRANT {b} TO {_database}_bob;");
            var idBefore = Scalar(Owner, "SELECT s.id FROM amn.students s JOIN amn.schools k ON k.id = s.school_id WHERE k.name = 'School A';");

            Assert.Equal(PostgresSchema.LatestVersion, SchoolBoardDatabase.Provision(Owner));
            _schemaOf[_database + "_alice"] = SchemaOf("School A");
            _schemaOf[_database + "_bob"] = SchemaOf("School B");
            Assert.Equal(idBefore, Scalar(Alice, "SELECT id FROM students;"));
            Assert.Equal("N-1|H4a", Scalar(Alice, "SELECT s.number || '|' || g.name FROM students s JOIN groups g ON g.id = s.group_id;"));
            Assert.Equal(1L, Scalar(Alice, "SELECT count(*) FROM audit_log;"));
            Assert.Equal("42501", SqlState(() => Exec(Bob, $"SELECT count(*) FROM {SchemaOf("School A")}.students;")));
            Assert.Equal(0L, Scalar(Owner, "SELECT count(*) FROM pg_tables WHERE schemaname = 'amn' AND tablename = 'students';"));

            var school = TenantStore.OpenSchool(Alice, "School A");
            Assert.Equal(1L, school.GetInfo().StudentCount);
            using var temp = new TempFolder();
            Assert.Equal(1, Import(school, WriteUtf8(temp, "a.csv", "nr;voornaam;achternaam;klas", "N-2;Nieuw;Kind;H4a")).Created);
            Assert.Equal(2L, Scalar(Alice, "SELECT count(*) FROM students;"));
            Assert.Equal(1L, Scalar(Bob, "SELECT count(*) FROM students;"));
            // Migration 5 folded the old school's keys as the module does: İ and i are two letters, h and H one.
            Exec(Alice, "INSERT INTO groups (id, name, folder_id, created_utc) SELECT id + 100, 'İ' || name, folder_id, now() FROM groups;" +
                "INSERT INTO groups (id, name, folder_id, created_utc) SELECT id + 200, 'i' || name, folder_id, now() FROM groups WHERE id < 100;");
            Assert.Equal("23P01", SqlState(() => Exec(Alice, "INSERT INTO groups (id, name, folder_id, created_utc) SELECT id + 300, 'h4A', folder_id, now() FROM groups WHERE id < 100;")));
        }

        [SkippableFact]
        public void A_database_with_a_newer_schema_is_refused_untouched_and_provisioning_again_changes_nothing()
        {
            CreateDatabase();
            SchoolBoardDatabase.Provision(Owner);
            Assert.Equal(PostgresSchema.LatestVersion, SchoolBoardDatabase.Provision(Owner));
            Exec(Owner, "UPDATE amn.schema_info SET version = 99;");
            var e = Assert.Throws<AmnException>(() => SchoolBoardDatabase.Provision(Owner));
            Assert.Equal("TenantSchemaTooNew", e.ErrorId);
            Assert.Contains(_database, e.Message);
            Assert.Equal("TenantSchemaTooNew", Assert.Throws<AmnException>(() => TenantStore.OpenSchool(Owner, "School A")).ErrorId);
            Assert.Equal(99, Convert.ToInt32(Scalar(Owner, "SELECT version FROM amn.schema_info;")));
        }

        [SkippableFact]
        public void A_wrong_database_or_an_unreachable_server_is_a_clear_error_without_the_password()
        {
            Skip.If(string.IsNullOrEmpty(_server), "No PostgreSQL server.");
            var missing = new NpgsqlConnectionStringBuilder(_server) { Database = "amn_no_such_db", Password = "geheim123", Pooling = false }.ConnectionString;
            var e = Assert.Throws<AmnException>(() => SchoolNames(missing));
            Assert.Equal("TenantNotFound", e.ErrorId);
            Assert.Contains("amn_no_such_db", e.Message);
            Assert.DoesNotContain("geheim123", e.Message);

            var unreachable = new NpgsqlConnectionStringBuilder(_server) { Port = 1, Password = "geheim123", Timeout = 3, Pooling = false }.ConnectionString;
            e = Assert.Throws<AmnException>(() => SchoolNames(unreachable));
            Assert.Equal("TenantUnreachable", e.ErrorId);
            Assert.Contains("127.0.0.1:1", e.Message);
            Assert.DoesNotContain("geheim123", e.Message);
        }

        [SkippableFact]
        public void A_wrong_password_is_a_clear_error_that_does_not_repeat_it()
        {
            CreateBoard();
            // The test server asks only this user for a password (build/BuildHelpers.ps1).
            _roles.Add("amn_password_test");
            Exec(Owner, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'amn_password_test') THEN CREATE ROLE amn_password_test LOGIN; END IF; END $$; ALTER ROLE amn_password_test PASSWORD 'juist-wachtwoord';");
            var wrong = new NpgsqlConnectionStringBuilder(_server) { Database = _database, Username = "amn_password_test", Password = "fout-wachtwoord", Pooling = false }.ConnectionString;
            var right = new NpgsqlConnectionStringBuilder(wrong) { Password = "juist-wachtwoord" }.ConnectionString;
            Skip.IfNot(LoginRefused(wrong), "This server does not ask amn_password_test for a password.");
            var e = Assert.Throws<AmnException>(() => TenantStore.OpenSchool(wrong, "School A"));
            Assert.Equal("TenantLoginFailed", e.ErrorId);
            Assert.Contains(_database, e.Message);
            Assert.DoesNotContain("fout-wachtwoord", e.Message);
            // No password at all (and no pgpass file): the error says a password is needed, and how to give it.
            var none = new NpgsqlConnectionStringBuilder(wrong) { Password = null, Passfile = _temp.File("no-pgpass") }.ConnectionString;
            File.WriteAllText(_temp.File("no-pgpass"), "");
            e = Assert.Throws<AmnException>(() => TenantStore.OpenSchool(none, "School A"));
            Assert.Equal("TenantPasswordNeeded", e.ErrorId);
            Assert.Contains("-Credential", e.Message);
            // Logged in, but a role without the board's rights: a clear error too, not the server's text.
            Assert.Equal("TenantAccessDenied", Assert.Throws<AmnException>(() => TenantStore.OpenSchool(right, "School A")).ErrorId);
        }

        private static bool LoginRefused(string connectionString)
        {
            try { SchoolNames(connectionString); return false; }
            catch (AmnException e) { return e.ErrorId == "TenantLoginFailed"; }
        }

        [SkippableFact]
        public void A_school_moves_from_its_store_file_to_the_server_and_back_unchanged()
        {
            CreateBoard();
            using var temp = new TempFolder();
            var laptop = SchoolOnALaptop(temp);
            var alice = Alice;

            var school = TenantStore.OpenSchool(alice, "School A");
            Assert.Equal("PostgreSQL", school.Kind);
            school.Restore(laptop);
            Assert.Equal(3L, Scalar(alice, "SELECT count(*) FROM students;"));   // A-001, the pupil already there, was replaced
            Assert.Equal("RestoreTenant", Scalar(alice, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1;"));
            var back = school.Backup(temp.File("terug.db"));

            Assert.Equal(Signature(laptop), Signature(back));
            Assert.Equal(Schema.LatestVersion, TenantStore.CheckBackup(back).SchemaVersion);
            Assert.False(File.Exists(back + "-wal"));
            // Bob's school is untouched, and Bob cannot open Alice's.
            Assert.Equal(1L, Scalar(Bob, "SELECT count(*) FROM students;"));
            Assert.Equal("TenantNotFound", Assert.Throws<AmnException>(() => TenantStore.OpenSchool(Bob, "School A")).ErrorId);
            Assert.Equal(3L, Scalar(alice, "SELECT count(*) FROM students;"));
        }

        /// <summary>
        /// The two schemas are written in two dialects; this keeps them to one set of fields: every table of a
        /// school has the same columns (by name: a column added later comes last in a store file), NULL or NOT NULL alike, the server's types the store's
        /// (bigint for INTEGER, text, date, timestamptz or uuid for TEXT), and the personal fields are the catalogue's.
        /// </summary>
        [SkippableFact]
        public void A_school_on_the_server_and_a_store_file_hold_the_same_fields_as_the_field_catalogue()
        {
            CreateBoard();
            using var temp = new TempFolder();
            var file = TenantStore.Open(temp.File("school.db"));
            var tables = new[] { "folders", "groups", "students", "staff", "staff_roles", "staff_groups", "audit_log" };
            using var local = StoreSql.OpenFile(file);
            var differences = new List<string>();
            foreach (var table in tables)
            {
                var inFile = new List<string>();
                using (var command = local.CreateCommand())
                {
                    command.CommandText = $"SELECT name, type, \"notnull\" OR pk FROM pragma_table_info('{table}') ORDER BY cid;";
                    using var reader = command.ExecuteReader();
                    while (reader.Read()) inFile.Add($"{reader.GetString(0)} {(reader.GetString(1) == "INTEGER" ? "integer" : "text")} {(reader.GetInt64(2) != 0 ? "not null" : "null")}");
                }
                var onServer = ((string)Scalar(Owner, $@"SELECT string_agg(column_name || ' ' ||
                        CASE WHEN data_type = 'bigint' THEN 'integer' WHEN data_type IN ('text', 'date', 'timestamp with time zone', 'uuid') THEN 'text' ELSE data_type END || ' ' ||
                        CASE WHEN is_nullable = 'NO' THEN 'not null' ELSE 'null' END, '|' ORDER BY ordinal_position)
                    FROM information_schema.columns WHERE table_schema = '{SchemaOf("School A")}' AND table_name = '{table}';")).Split('|');
                differences.AddRange(inFile.Except(onServer).Select(c => $"{table}: the store file has '{c}'"));
                differences.AddRange(onServer.Except(inFile).Select(c => $"{table}: the server has '{c}'"));
            }
            Assert.Empty(differences);
            string Columns(string table) => (string)Scalar(Owner, $"SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = '{SchemaOf("School A")}' AND table_name = '{table}';");
            Assert.Contains("," + string.Join(",", Model.StudentField.All.Select(f => f.Column)) + ",", Columns("students"));
            Assert.Contains("," + string.Join(",", Model.StaffField.All.Select(f => f.Column)) + ",", Columns("staff"));
            var dates = (string)Scalar(Owner, $"SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = '{SchemaOf("School A")}' AND table_name = 'students' AND data_type = 'date';");
            Assert.Equal(string.Join(",", Model.StudentField.All.Where(f => f.IsDate).Select(f => f.Column).Concat(new[] { "last_seen_date" })), dates);
        }

        [SkippableFact]
        public void New_pupils_go_in_through_binary_COPY_into_the_own_school_only()
        {
            CreateBoard();
            using var temp = new TempFolder();
            var lines = new List<string> { "nr;voornaam;tussenvoegsel;achternaam;geboortedatum;geslacht;klas;email" };
            for (var i = 1; i <= 2000; i++) lines.Add($"{i:D6};Kind{i};{(i % 3 == 0 ? "van" : "")};Jansen;{i % 28 + 1}-3-2012;{(i % 2 == 0 ? "M" : "V")};G{i % 70};");
            var file = WriteUtf8(temp, "nieuw.csv", lines.ToArray());
            var alice = Alice;
            var school = TenantStore.OpenSchool(alice, "School A");
            Assert.Equal(2000, Import(school, file).Created);
            Assert.Equal(2001L, Scalar(alice, "SELECT count(*) FROM students;"));
            Assert.Equal(70L, Scalar(alice, "SELECT count(*) FROM groups;"));
            Assert.Equal("000003|Kind3|van|Jansen|2012-03-04|V|G3", Scalar(alice,
                "SELECT s.number || '|' || s.first_name || '|' || s.prefix || '|' || s.last_name || '|' || s.birth_date || '|' || s.gender || '|' || g.name FROM students s JOIN groups g ON g.id = s.group_id WHERE s.number = '000003';"));
            // Dates, times and uuids went in binary: the server holds the times they were made at, in UTC.
            Assert.Equal(0L, Scalar(alice, "SELECT count(*) FROM students WHERE number <> 'A-001' AND (abs(extract(epoch FROM now() - created_utc)) > 300 OR created_utc <> updated_utc OR last_seen_date <> current_date);"));
            Assert.Equal(1L, Scalar(alice, "SELECT count(*) FROM audit_log WHERE abs(extract(epoch FROM now() - at_utc)) < 300 AND run_id IS NOT NULL;"));
            Assert.Equal(0L, Scalar(alice, "SELECT count(*) FROM students WHERE number <> 'A-001' AND birth_date NOT BETWEEN '2012-03-01' AND '2012-03-28';"));
            Assert.Equal(1L, Scalar(Bob, "SELECT count(*) FROM students;"));
            var more = WriteUtf8(temp, "meer.csv", "nr;voornaam;achternaam;klas", "900001;Laat;Aangemeld;G1", "900002;Ook;Laat;G999", "000003;Kind3;Jansen;G4");
            var second = Import(school, more);
            Assert.Equal((2, 1, 0), (second.Created, second.Moved, second.Updated)); // 000003 changed group only: Moved
            Assert.Equal(71L, Scalar(alice, "SELECT count(*) FROM groups;"));
            Assert.Equal("G4", Scalar(alice, "SELECT g.name FROM students s JOIN groups g ON g.id = s.group_id WHERE s.number = '000003';"));
            Assert.Equal(2L, Scalar(alice, "SELECT count(*) FROM audit_log WHERE action = 'ImportStudents';"));
        }

        [SkippableFact]
        public void A_write_that_is_not_committed_leaves_the_school_as_it_was_and_a_second_writer_waits_for_the_first()
        {
            CreateBoard();
            var alice = Alice;
            var school = TenantStore.OpenSchool(alice, "School A");
            school.BusyTimeout = TimeSpan.FromSeconds(1);
            var messages = new List<string>();
            using (var work = school.BeginWrite())
            {
                work.Edits.InsertGroup("Tijdelijk", work.Edits.EnsureFolder(""));
                work.Edits.Erase(work.Queries.ErasureCandidates(new[] { "A-001" })["A-001"].Id);
                // The lock is the school's only: Bob's school takes writes meanwhile.
                var bobs = TenantStore.OpenSchool(Bob, "School B");
                bobs.Write(bob => bob.Edits.InsertGroup("Van Bob", bob.Edits.EnsureFolder("")));
                Assert.Equal("TenantBusy", Assert.Throws<AmnException>(() => school.BeginWrite(messages.Add)).ErrorId);
                // not committed
            }
            Assert.NotEmpty(messages);
            Assert.Equal("A-001 0", Scalar(alice, "SELECT string_agg(number || ' ' || (erased_utc IS NOT NULL)::int, ',') FROM students;"));
            Assert.Equal(0L, Scalar(alice, "SELECT count(*) FROM groups WHERE name = 'Tijdelijk';"));
            Assert.Equal(1L, Scalar(Bob, "SELECT count(*) FROM groups WHERE name = 'Van Bob';"));
            using (school.BeginWrite()) { } // the lock went with the first write
        }

        private static StudentImportResult Import(TenantStore store, string file)
            => store.Write(work =>
            {
                var plan = StudentImporter.Plan(work.Queries, Students(file), new StudentImportOptions());
                StudentImporter.Apply(work.Edits, plan, file);
                return plan;
            });

        /// <summary>A school's store file: pupils in groups in a folder (one erased), staff with roles and links.</summary>
        private static string SchoolOnALaptop(TempFolder temp)
        {
            var path = temp.File("laptop.db");
            var store = TenantStore.Open(path);
            var students = WriteUtf8(temp, "l.csv", "nr;voornaam;tussenvoegsel;achternaam;geboortedatum;geslacht;klas;email",
                "001;Zoë;;Jansen;7-3-2012;V;H4a;zoe@school.nl", "002;Daan;van der;Berg;31-12-2011;M;H4b;", "003;Eva;;Bos;;;H4b;");
            var staff = WriteUtf8(temp, "p.csv", "gebruikersnaam;code;achternaam;rol;klas;klas", "m@school.nl;MEN;Mentor;mentor, docent;H4a;H4b", "d@school.nl;;Docent;docent;H4b;");
            store.Write(work =>
            {
                var pupils = StudentImporter.Plan(work.Queries, Students(students), new StudentImportOptions { Folder = "2026-2027" });
                StudentImporter.Apply(work.Edits, pupils, students);
                var people = StaffImporter.Plan(work, Staff(staff), new StaffImportOptions());
                StaffImporter.Apply(work, people, staff);
                work.Edits.Erase(work.Queries.ErasureCandidates(new[] { "003" })["003"].Id);
                return true;
            });
            return path;
        }

        /// <summary>What a store file holds, by natural keys (ids differ between the stores).</summary>
        private static string Signature(string path)
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = @"
SELECT 's|' || s.number || '|' || s.first_name || '|' || coalesce(s.prefix, '') || '|' || s.last_name || '|' || coalesce(s.birth_date, '') || '|' || coalesce(s.gender, '') || '|' ||
       coalesce(s.email, '') || '|' || coalesce(g.name, '') || '|' || s.created_utc || '|' || coalesce(s.last_seen_date, '') || '|' || coalesce(s.erased_utc, '')
  FROM students s LEFT JOIN groups g ON g.id = s.group_id
UNION ALL SELECT 'g|' || g.name || '|' || f.path || '|' || g.created_utc FROM groups g JOIN folders f ON f.id = g.folder_id
UNION ALL SELECT 'f|' || path FROM folders
UNION ALL SELECT 't|' || st.user_name || '|' || coalesce(st.code, '') || '|' || st.last_name || '|' ||
       coalesce((SELECT group_concat(role) FROM (SELECT role FROM staff_roles WHERE staff_id = st.id ORDER BY role)), '') || '|' ||
       coalesce((SELECT group_concat(name) FROM (SELECT g.name FROM staff_groups sg JOIN groups g ON g.id = sg.group_id WHERE sg.staff_id = st.id ORDER BY g.name)), '')
  FROM staff st
ORDER BY 1;";
            var lines = new List<string>();
            using (var reader = command.ExecuteReader()) while (reader.Read()) lines.Add(reader.GetString(0));
            Assert.True(lines.Count > 8, "the store holds the school");
            return string.Join("\n", lines);
        }

        private static string[] SchoolNames(string connectionString) => SchoolBoardDatabase.Schools(connectionString).Select(s => s.Name).ToArray();

        private static int Exec(string connectionString, string sql)
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            return command.ExecuteNonQuery();
        }

        private static object Scalar(string connectionString, string sql)
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            return command.ExecuteScalar();
        }

        private static string SqlState(Action action)
        {
            var e = Assert.Throws<PostgresException>(action);
            return e.SqlState;
        }

        public void Dispose()
        {
            _temp.Dispose();
            if (string.IsNullOrEmpty(_server)) return;
            var server = new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString;
            try
            {
                foreach (var database in _databases.Append(_database)) Exec(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE);");
                foreach (var role in _roles) Exec(server, $"DROP ROLE IF EXISTS {role};");
            }
            catch (PostgresException) { } // the server goes away with the test run anyway
        }
    }
}
