using System;
using System.Text.Json;
using System.Threading;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Store;
using Npgsql;
using Xunit;
using static Amn.Rollover.Core.Tests.ReaderTestFiles;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>
    /// Issue 27's attacks, one test each, as a school's admin tries them with psql on the board's server.
    /// Each of them failed on the board of shared tables with row-level security (before migration 3).
    /// </summary>
    public sealed partial class PostgresIsolationTests
    {
        [SkippableFact]
        public void Another_school_holding_the_modules_advisory_lock_keys_does_not_make_a_write_busy()
        {
            CreateBoard();
            var schoolA = Convert.ToInt32(Scalar(Owner, "SELECT id FROM amn.schools WHERE name = 'School A';"));
            using var bob = new NpgsqlConnection(Bob);
            bob.Open();
            // The key the module once used for a school's write lock: (application id, school id), session-level.
            using (var command = new NpgsqlCommand($"SELECT pg_advisory_lock({Schema.ApplicationId}, {schoolA}), pg_advisory_lock({Schema.ApplicationId}, 0);", bob))
                command.ExecuteNonQuery();
            var school = TenantStore.OpenSchool(Alice, "School A");
            school.BusyTimeout = TimeSpan.FromSeconds(2);
            using var temp = new TempFolder();
            Assert.Equal(1, Import(school, WriteUtf8(temp, "a.csv", "nr;voornaam;achternaam;klas", "A-002;Nieuw;Kind;A1")).Created);
        }

        [SkippableFact]
        public void Another_school_locking_every_table_it_can_lock_does_not_stall_a_write()
        {
            CreateBoard();
            using var bob = new NpgsqlConnection(Bob);
            bob.Open();
            using var held = bob.BeginTransaction();
            foreach (var sql in new[]
            {
                "LOCK TABLE students, groups, folders, staff, staff_roles, staff_groups, state IN ACCESS EXCLUSIVE MODE;",
                "LOCK TABLE audit_log IN ROW EXCLUSIVE MODE;",
                "LOCK TABLE amn.schools, amn.schema_info IN ACCESS SHARE MODE;",
            })
                using (var command = new NpgsqlCommand(sql, bob, held)) command.ExecuteNonQuery();
            var school = TenantStore.OpenSchool(Alice, "School A");
            school.BusyTimeout = TimeSpan.FromSeconds(2);
            using var temp = new TempFolder();
            var file = WriteUtf8(temp, "a.csv", "nr;voornaam;achternaam;klas", "A-002;Nieuw;Kind;A1");
            StudentImportResult result = null;
            Assert.True(EndsWhileHeld(bob, () => result = Import(school, file)), "Alice's write waited for Bob's locks");
            Assert.Equal(1, result.Created);
            Assert.Equal(2L, Scalar(Alice, "SELECT count(*) FROM students;"));
        }

        /// <summary>
        /// A school's own admin can lock the school's tables by hand; then every command of the module on that
        /// school, a read or a write, ends in TenantBusy after the busy timeout, while the lock is still held.
        /// </summary>
        [SkippableFact]
        public void A_lock_held_by_hand_on_any_table_of_the_own_school_ends_a_command_in_TenantBusy_while_it_is_still_held()
        {
            CreateBoard();
            using var temp = new TempFolder();
            var file = WriteUtf8(temp, "a.csv", "nr;voornaam;achternaam;klas", "A-002;Nieuw;Kind;A1");
            foreach (var table in new[] { "students", "groups", "folders", "staff", "staff_roles", "staff_groups", "state" })
            {
                using var hand = new NpgsqlConnection(Alice);
                hand.Open();
                using var held = hand.BeginTransaction();
                using (var command = new NpgsqlCommand($"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE;", hand, held)) command.ExecuteNonQuery();
                foreach (var (what, command) in new (string, Action<TenantStore>)[] { ("read", s => s.GetInfo()), ("write", s => Import(s, file)) })
                {
                    var school = TenantStore.OpenSchool(Alice, "School A"); // a new session: nothing of the school kept
                    school.BusyTimeout = TimeSpan.FromSeconds(1);
                    Exception outcome = null;
                    Assert.True(EndsWhileHeld(hand, () => outcome = Record.Exception(() => command(school))), $"the {what} waited until the lock on {table} was released");
                    // Each command works in the school's own SQL on the tables it needs: the counts read the pupils, groups and
                    // staff; the student import takes the school's lock (state) and reads and writes pupils, groups and folders.
                    var needsTable = what == "write" ? table != "staff" && table != "staff_roles" && table != "staff_groups" : table == "students" || table == "groups" || table == "staff";
                    if (needsTable || outcome != null)
                        Assert.True(outcome is AmnException e && e.ErrorId == "TenantBusy", $"the {what} with {table} locked ended in {outcome?.GetType().Name}: {outcome?.Message}");
                }
            }
            Assert.Equal("A-001,A-002", Scalar(Alice, "SELECT string_agg(number, ',' ORDER BY number) FROM students;")); // imported while only a staff table was locked
        }

        [SkippableFact]
        public void Ids_another_school_takes_ahead_do_not_make_an_import_fail()
        {
            CreateBoard();
            // Bob fills ids just ahead of the highest he can see, in every table an import adds to.
            Exec(Bob, "INSERT INTO folders (id, path) SELECT m + g, 'map' || g FROM (SELECT max(id) AS m FROM folders) x, generate_series(1, 100) g;");
            Exec(Bob, "INSERT INTO groups (id, name, folder_id, created_utc) SELECT m + g, 'B' || g, (SELECT min(id) FROM folders), now() FROM (SELECT coalesce(max(id), 0) AS m FROM groups) x, generate_series(1, 100) g;");
            Exec(Bob, "INSERT INTO students (id, number, first_name, last_name, created_utc, updated_utc) SELECT m + g, 'B-1' || g, 'Vooruit', 'Kind', now(), now() FROM (SELECT max(id) AS m FROM students) x, generate_series(1, 100) g;");
            var school = TenantStore.OpenSchool(Alice, "School A");
            using var temp = new TempFolder();
            var file = WriteUtf8(temp, "a.csv", "nr;voornaam;achternaam;klas", "A-002;Nieuw;Kind;A1", "A-003;Ook;Nieuw;A2");
            var result = school.Write(work =>
            {
                var plan = StudentImporter.Plan(work.Queries, Students(file), new StudentImportOptions { Folder = "2026-2027" });
                StudentImporter.Apply(work.Edits, plan, file);
                return plan;
            });
            Assert.Equal(2, result.Created);
            Assert.Equal(3L, Scalar(Alice, "SELECT count(*) FROM students;"));
            Assert.Equal(101L, Scalar(Bob, "SELECT count(*) FROM students;"));
        }

        [SkippableFact]
        public void A_duplicate_key_error_never_reveals_that_another_school_holds_an_id()
        {
            CreateBoard();
            var b = SchemaOf("School B");
            Exec(Owner, $"INSERT INTO {b}.students (id, number, first_name, last_name, created_utc, updated_utc) VALUES (77, 'B-077', 'Kind', 'Van Bob', now(), now());");
            // Alice takes the id Bob's pupil has: her school has no row 77, so nothing is in the way.
            Assert.Equal(1, Exec(Alice, "INSERT INTO students (id, number, first_name, last_name, created_utc, updated_utc) VALUES (77, 'B-077', 'Kind', 'Van Alice', now(), now());"));
            // Her own ids are checked as ever.
            Assert.Equal("23505", SqlState(() => Exec(Alice, "INSERT INTO students (id, number, first_name, last_name, created_utc, updated_utc) VALUES (77, 'A-077', 'Kind', 'Dubbel', now(), now());")));
        }

        [SkippableFact]
        public void The_planners_estimates_on_the_own_school_say_nothing_of_another_schools_pupils()
        {
            CreateBoard();
            var b = SchemaOf("School B");
            Exec(Owner, $"INSERT INTO {b}.students (id, number, first_name, last_name, created_utc, updated_utc) SELECT 100 + g, 'B-' || g, 'Kind', 'Geheim', now(), now() FROM generate_series(1, 2000) g;");
            Exec(Owner, "ANALYZE;");
            double Estimate(string name)
            {
                var plan = (string)Scalar(Alice, $"EXPLAIN (FORMAT JSON) SELECT * FROM students WHERE last_name = '{name}';");
                using var json = JsonDocument.Parse(plan);
                return json.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
            }
            Assert.Equal(Estimate("Onbekend"), Estimate("Geheim"));
        }

        [SkippableFact]
        public void No_sequence_of_the_board_is_a_school_roles_to_use_or_read()
        {
            CreateBoard();
            foreach (var user in new[] { Alice, Bob })
            {
                Assert.Equal(0L, Scalar(user, "SELECT count(*) FROM (SELECT oid FROM pg_class WHERE relkind = 'S' OFFSET 0) s WHERE has_sequence_privilege(oid, 'USAGE, SELECT, UPDATE');"));
                var sequences = ((string)Scalar(Owner, "SELECT string_agg(oid::regclass::text, ',') FROM pg_class WHERE relkind = 'S';") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
                foreach (var sequence in sequences)
                    Assert.Equal("42501", SqlState(() => Exec(user, $"SELECT nextval('{sequence}');")));
            }
        }

        /// <summary>
        /// Runs <paramref name="work"/> while <paramref name="holder"/> holds its locks, and says whether it ended with
        /// them still held. So that a command which waits for them cannot hang the test run, the holder's session
        /// is ended after a minute: the command then goes on, and the test fails on this answer, not on a time.
        /// </summary>
        private bool EndsWhileHeld(NpgsqlConnection holder, Action work)
        {
            var pid = holder.ProcessID;
            var released = 0;
            using (new Timer(_ =>
            {
                Interlocked.Exchange(ref released, 1);
                try { Exec(Owner, $"SELECT pg_terminate_backend({pid});"); }
                catch (NpgsqlException) { } // the test fails on the answer all the same
            }, null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan))
                work();
            return Volatile.Read(ref released) == 0
                && (long)Scalar(Owner, $"SELECT count(*) FROM pg_locks WHERE pid = {pid} AND granted;") > 0;
        }
    }
}
