using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;
using Npgsql;
using Xunit;
using static Amn.Rollover.Core.Tests.ReaderTestFiles;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>
    /// A backup and a restore as a hostile or unlucky school admin and a school board meet them: backups of one store
    /// restored into the other (other ids, the same names), names and codes swapped by hand, erased pupils, the
    /// restore's connection killed at each of its steps, and objects another role made to shadow what the restore's
    /// SQL names. The store file's SQLite is the oracle: compared by natural keys, both end as the backup holds.
    /// </summary>
    public sealed class ServerRestoreAttackTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private static void ImportStudents(TenantStore store, string file, string folder)
        {
            using var change = PlannedChange.Begin(store, Confirmation.NotAsked);
            change.Apply(work =>
            {
                using var session = new StudentImportSession(work, new StudentImportOptions { Folder = folder }, write: true);
                foreach (var record in Students(file)) session.Add(record);
                return session.Complete(file);
            });
        }

        private static void ImportStaff(TenantStore store, string file)
        {
            using var change = PlannedChange.Begin(store, Confirmation.NotAsked);
            change.Apply(work =>
            {
                StaffImporter.Apply(work, StaffImporter.Plan(work, Staff(file), new StaffImportOptions()), file);
                return true;
            });
        }

        private static void Erase(TenantStore store, params string[] numbers)
        {
            using var change = PlannedChange.Begin(store, Confirmation.NotAsked);
            StudentEraser.Erase(change, Guid.NewGuid(), StudentEraser.Find(change.Plan, numbers).Values.ToList());
        }

        /// <summary>Pupils in groups whose names differ in case only from ASCII letters on (h1/H1 folds, Ä1/ä1 does not), staff with codes.</summary>
        private TenantStore School(StoreKind kind, string name = "restoreattack")
        {
            var store = TestStores.New(kind, _temp, name);
            ImportStudents(store, WriteUtf8(_temp, name + kind + "-l.csv", "nr;voornaam;tussenvoegsel;achternaam;geboortedatum;geslacht;klas;email",
                "000123;Zoë;;de Vries;7-3-2012;V;H1;zoe@school.nl", "2;Daan;van der;Bakker;31-12-2011;M;H1;", "3;Eva;;Ödegaard;;;Ä1;",
                "4;Bram;;Smit;1-1-2010;M;a1;", "5;Anna;;Bakker;;;;", "6;Weg;;Gaat;;;B2;"), "2026-2027/Havo");
            ImportStaff(store, WriteUtf8(_temp, name + kind + "-p.csv", "gebruikersnaam;code;voornaam;achternaam;rol;klas;klas",
                "m@school.nl;MEN;Mia;Mentor;mentor, docent;H1;B2", "d@school.nl;;;Docent;docent;Ä1;", "a@school.nl;AB;Ab;Docent;docent;a1;"));
            GroupCreation.Create(store, "leeg", "Archief", null);
            return store;
        }

        /// <summary>
        /// The same natural keys and names under other ids, with other data: pupils, groups and staff created in the
        /// reverse order, groups named in another case, the codes MEN and AB swapped, a pupil and a staff member the
        /// first school lacks.
        /// </summary>
        private TenantStore OtherIds(StoreKind kind)
        {
            var store = TestStores.New(kind, _temp, "otherids");
            GroupCreation.Create(store, "LEEG", "archief", null);
            ImportStudents(store, WriteUtf8(_temp, "other" + kind + "-l.csv", "nr;voornaam;achternaam;klas",
                "99;Niet;InBackup;b2", "6;Weg;Gaat;ä1", "5;Anna;Bakker;A1", "4;Bram;Smit;h1", "3;Eva;Ödegaard;B2", "2;Daan;Bakker;a1", "000123;Zoë;de Vries;b2"), "Anders");
            ImportStaff(store, WriteUtf8(_temp, "other" + kind + "-p.csv", "gebruikersnaam;code;voornaam;achternaam;rol;klas",
                "x@school.nl;XX;Niet;InBackup;docent;b2", "A@SCHOOL.NL;MEN;Ab;Docent;mentor;h1", "D@school.nl;AB;;Docent;mentor;b2", "M@school.nl;;Mia;Mentor;docent;a1"));
            return store;
        }

        private static string Describe(Student s)
            => string.Join("|", new[] { s.Number, s.Group, s.LastSeen?.ToString("yyyy-MM-dd") }.Concat(StudentField.All.Select(f => f.StoreText(s))));

        /// <summary>The tenant by natural keys only (no ids): what two stores holding the same school hold alike.</summary>
        private static List<string> State(TenantStore store)
        {
            using var read = TestStores.Reopen(store).BeginRead();
            var q = read.Queries;
            var state = new List<string>();
            state.AddRange(q.Students(null, null, false, null).Select(s => "pupil " + Describe(s)));
            state.AddRange(q.Erasures().OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"erased {e.Key} {e.Value:s}"));
            state.AddRange(q.Groups().Select(g => $"group {g.Folder}/{g.Name} {g.StudentCount} {g.StaffCount}"));
            state.AddRange(q.Folders().Select(f => $"folder {f.Path} {f.GroupCount}"));
            state.AddRange(q.Staff().Values.OrderBy(r => r.Staff.UserName, StringComparer.Ordinal)
                .Select(r => $"staff {r.Staff.UserName}|{r.Staff.Code}|{r.Staff.FirstName}|{r.Staff.LastName}|{string.Join(",", r.Staff.Roles)}|{string.Join(",", r.Staff.Groups)}"));
            return state;
        }

        private static List<string> AuditActions(TenantStore store)
        {
            using var read = TestStores.Reopen(store).BeginRead();
            return read.Queries.AuditLog(null, null, null).Select(e => $"{e.RunId} {e.Action}").OrderBy(e => e, StringComparer.Ordinal).ToList();
        }

        private static string Fingerprint(TenantStore store) => TestStores.Reopen(store).Read(work => work.Queries.Fingerprint());

        public static TheoryData<StoreKind, StoreKind> Crossings => new TheoryData<StoreKind, StoreKind>
        {
            { StoreKind.File, StoreKind.Server }, { StoreKind.Server, StoreKind.File }, { StoreKind.Server, StoreKind.Server }, { StoreKind.File, StoreKind.File },
        };

        [SkippableTheory]
        [MemberData(nameof(Crossings))]
        public void A_backup_restored_into_a_tenant_holding_the_same_names_under_other_ids_ends_as_the_backup_with_every_audit_entry_kept(StoreKind from, StoreKind into)
        {
            var source = School(from);
            var expected = State(source);
            var backup = source.Backup(_temp.File("cross.db"));
            var target = OtherIds(into);
            var audit = AuditActions(target);
            Assert.NotEqual(expected, State(target));

            Assert.Empty(TestStores.Reopen(target).Restore(backup));

            Assert.Equal(expected, State(target));
            var after = AuditActions(target);
            Assert.Equal(audit.Count + 1, after.Count);
            Assert.Empty(audit.Except(after));
            // The oracle itself: the backup's school is the one named above.
            Assert.Contains("staff m@school.nl|MEN|Mia|Mentor|mentor,docent|B2,H1", expected);
        }

        [SkippableTheory]
        [InlineData(StoreKind.File)]
        [InlineData(StoreKind.Server)]
        public void Names_numbers_usernames_and_codes_swapped_by_hand_are_swapped_back_by_a_restore(StoreKind kind)
        {
            var store = School(kind);
            var backup = store.Backup(_temp.File("swap.db"));
            var backedUp = Fingerprint(store);
            var state = State(store);
            StoreSql.Exec(store,
                // two groups' names swapped; a group renamed to another's name in another case (the other removed first)
                "UPDATE groups SET name = 'tmp' WHERE name = 'H1'; UPDATE groups SET name = 'H1' WHERE name = 'B2'; UPDATE groups SET name = 'B2' WHERE name = 'tmp';" +
                "UPDATE students SET group_id = NULL WHERE group_id = (SELECT id FROM groups WHERE name = 'a1');" +
                "DELETE FROM staff_groups WHERE group_id = (SELECT id FROM groups WHERE name = 'a1'); DELETE FROM groups WHERE name = 'a1';" +
                "UPDATE groups SET name = 'leeG' WHERE name = 'leeg';" +
                // two pupils' numbers swapped
                "UPDATE students SET number = 'tmp' WHERE number = '2'; UPDATE students SET number = '2' WHERE number = '3'; UPDATE students SET number = '3' WHERE number = 'tmp';" +
                // a code moved to another staff member, a username in other case, two usernames swapped
                "UPDATE staff SET code = NULL WHERE code IN ('MEN', 'AB'); UPDATE staff SET code = 'men' WHERE user_name = 'a@school.nl'; UPDATE staff SET code = 'AB' WHERE user_name = 'd@school.nl';" +
                "UPDATE staff SET user_name = 'tmp@school.nl' WHERE user_name = 'm@school.nl'; UPDATE staff SET user_name = 'M@school.nl' WHERE user_name = 'd@school.nl'; UPDATE staff SET user_name = 'D@school.nl' WHERE user_name = 'tmp@school.nl';");
            Assert.NotEqual(backedUp, Fingerprint(store));

            Assert.Empty(TestStores.Reopen(store).Restore(backup));

            Assert.Equal(backedUp, Fingerprint(store));
            Assert.Equal(state, State(store));
        }

        [SkippableTheory]
        [InlineData(StoreKind.File)]
        [InlineData(StoreKind.Server)]
        public void Pupils_erased_after_the_backup_stay_erased_with_their_numbers_and_are_reported_as_erased_again(StoreKind kind)
        {
            var store = School(kind);
            Erase(store, "6");
            var backup = store.Backup(_temp.File("erase.db"));
            // After the backup: 3 erased (the backup still holds its data), 7 new and erased (the backup lacks it).
            ImportStudents(store, WriteUtf8(_temp, kind + "-nieuw.csv", "nr;voornaam;achternaam;klas", "7;Na;DeBackup;H1"), null);
            Erase(store, "3", "7");
            var erasures = TestStores.Reopen(store).Read(work => work.Queries.Erasures());

            Assert.Equal(new[] { "3" }, TestStores.Reopen(store).Restore(backup));

            var state = State(store);
            Assert.DoesNotContain(state, line => line.StartsWith("pupil 3|") || line.StartsWith("pupil 7|") || line.StartsWith("pupil 6|"));
            Assert.Equal(erasures.OrderBy(e => e.Key).Select(e => $"erased {e.Key} {e.Value:s}"), state.Where(l => l.StartsWith("erased ")));
            Assert.Equal(new[] { "3", "6", "7" }, erasures.Keys.OrderBy(k => k));
            var names = StoreSql.Scalar(store, "SELECT count(*) FROM students WHERE number IN ('3', '6', '7') AND first_name = '' AND last_name = '' AND group_id IS NULL AND erased_utc IS NOT NULL;");
            Assert.Equal(3L, Convert.ToInt64(names));
            Assert.Contains(AuditActions(store), a => a.EndsWith(" RestoreTenant"));
            using var read = TestStores.Reopen(store).BeginRead();
            Assert.EndsWith("erased again: 3", read.Queries.AuditLog(null, null, "RestoreTenant").Single().Details);
        }
        private static object Scalar(string connectionString, string sql)
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            return command.ExecuteScalar();
        }

        /// <summary>
        /// A board that kept PostgreSQL 14's public schema, where every role may create, and whose sessions name public
        /// before pg_catalog and pg_temp (by the connection string, or the role's or database's settings). Another role
        /// puts tables named as the restore's staging tables and an = operator of its own there: the restore must not
        /// copy the school into that role's tables, take rows from them, or run its code.
        /// </summary>
        [SkippableFact]
        public void A_restore_fills_no_table_and_runs_no_code_of_another_role_whatever_the_sessions_search_path()
        {
            var store = School(StoreKind.Server);
            var backup = store.Backup(_temp.File("path.db"));
            var expected = State(store);
            var backedUp = Fingerprint(store);
            StoreSql.Exec(store, "UPDATE students SET first_name = 'Ander' WHERE number = '2'; DELETE FROM staff_groups;");
            TestStores.AsOwner("GRANT CREATE ON SCHEMA public TO PUBLIC;");
            var mallory = TestStores.NewLogin();
            try
            {
                TestStores.Exec(mallory, @"
CREATE TABLE public.loot (who text, what text); GRANT ALL ON public.loot TO PUBLIC;
CREATE TABLE public.amn_restore_folders (id bigint, path text); GRANT ALL ON public.amn_restore_folders TO PUBLIC;
INSERT INTO public.amn_restore_folders VALUES (424242, 'Geplant door een ander');
CREATE FUNCTION public.spy(bigint, bigint) RETURNS boolean LANGUAGE sql AS $$ INSERT INTO public.loot VALUES (current_user, $1::text); SELECT $1 OPERATOR(pg_catalog.=) $2; $$;
CREATE FUNCTION public.spy(text, text) RETURNS boolean LANGUAGE sql AS $$ INSERT INTO public.loot VALUES (current_user, $1); SELECT $1 OPERATOR(pg_catalog.=) $2; $$;
CREATE OPERATOR public.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.spy);
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.spy);");
                foreach (var session in new[]
                {
                    TestStores.ReopenWith(store, b => b.SearchPath = "public, pg_catalog, pg_temp"),
                    TestStores.ReopenWith(store, b => b.Options = "-c search_path=public,pg_catalog,pg_temp"),
                })
                {
                    StoreSql.Exec(store, "UPDATE students SET first_name = 'Weer' WHERE number = '2';");
                    Assert.Empty(session.Restore(backup));
                }

                Assert.Equal("424242 Geplant door een ander", Scalar(mallory, "SELECT string_agg(id || ' ' || path, ', ') FROM public.amn_restore_folders;"));
                Assert.Equal("", Scalar(mallory, "SELECT coalesce(string_agg(DISTINCT who || ' ' || what, ', '), '') FROM public.loot;"));
                Assert.Equal(0L, Scalar(mallory, "SELECT count(*) FROM public.loot;"));
                Assert.Equal(backedUp, Fingerprint(store));
                Assert.Equal(expected, State(store));
            }
            finally
            {
                TestStores.Exec(mallory, "DROP OWNED BY CURRENT_USER;");
                TestStores.AsOwner("REVOKE CREATE ON SCHEMA public FROM PUBLIC;");
            }
        }

        /// <summary>
        /// The restore's connection terminated (or its statement cancelled) by the board's owner while the restore waits
        /// for a lock the owner holds at one of its steps: staging (the COPY of folders, groups and pupils done, the staff's
        /// table locked), the deletes (the pupils' table in SHARE mode), the merge (the row of a pupil the restore updates),
        /// and the commit (a group of the backup's name, written and not committed by the owner, which the restore's
        /// deferred check waits for). The school is exactly as before, the restore's copy of the backup is deleted, and the
        /// next restore works.
        /// </summary>
        [SkippableTheory]
        [InlineData("staging", false)]
        [InlineData("deletes", false)]
        [InlineData("merge", false)]
        [InlineData("commit", false)]
        [InlineData("deletes", true)]
        [InlineData("merge", true)]
        public async Task A_restore_killed_at_any_step_leaves_the_school_as_it_was_and_the_next_restore_works(string step, bool cancel)
        {
            var store = School(StoreKind.Server);
            var backup = store.Backup(_temp.File("kill.db"));
            var backedUp = Fingerprint(store);
            StoreSql.Exec(store, "UPDATE students SET first_name = 'Ander' WHERE number = '2'; DELETE FROM staff_groups; DELETE FROM groups WHERE name = 'leeg';" +
                "INSERT INTO students (id, number, first_name, last_name, created_utc, updated_utc) SELECT max(id) + 1, '99', 'Na', 'Backup', now(), now() FROM students;");
            var before = Fingerprint(store);
            var session = TestStores.Reopen(store);
            session.BusyTimeout = TimeSpan.FromMinutes(5);
            string partials() => string.Join(", ", Directory.GetFiles(session.WorkFolder, "." + session.BackupName + ".restore-*"));
            Assert.Equal("", partials());

            AmnException failure;
            using (var owner = TestStores.OpenAsOwner(store))
            using (var held = owner.BeginTransaction())
            {
                var (hold, waitsIn) = step switch
                {
                    "staging" => ("LOCK TABLE staff IN ACCESS EXCLUSIVE MODE;", "CREATE TEMP TABLE pg_temp.amn_restore_staff %"),
                    "deletes" => ("LOCK TABLE students IN SHARE MODE;", "DELETE FROM amn_school_%.students %"),
                    "merge" => ("SELECT 1 FROM students WHERE number = '2' FOR UPDATE;", "INSERT INTO amn_school_%.students %"),
                    _ => ("SET LOCAL session_replication_role = replica; INSERT INTO groups (id, name, folder_id, created_utc) SELECT 99999, 'LEEG', min(id), now() FROM folders;", "COMMIT%"),
                };
                using (var command = new NpgsqlCommand(hold, owner, held)) command.ExecuteNonQuery();
                var restore = Task.Run(() => session.Restore(backup));
                object pid = null;
                for (var polls = 0; pid == null && !restore.IsCompleted && polls < 6000; polls++)
                {
                    await Task.Delay(10);
                    pid = TestStores.HandEdit(store, "-", $"SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '{waitsIn}' LIMIT 1;");
                }
                Assert.False(restore.IsCompleted, "The restore did not wait at " + step);
                Assert.NotNull(pid);
                TestStores.HandEdit(store, "-", $"SELECT pg_{(cancel ? "cancel" : "terminate")}_backend({pid});");
                failure = await Assert.ThrowsAsync<AmnException>(() => restore);
            }
            Assert.Equal(cancel ? "TenantCommandCancelled" : "TenantConnectionLost", failure.ErrorId);
            Assert.Contains(cancel ? "cancelled the command" : "ended the session", failure.Message);
            Assert.Equal(before, Fingerprint(store));
            Assert.Equal("", partials());

            Assert.Empty(TestStores.Reopen(store).Restore(backup));
            Assert.Equal(backedUp, Fingerprint(store));
        }

        /// <summary>
        /// A name just at a cell's limit (32,767 UTF-16 characters, as Excel counts: a character outside the BMP is two)
        /// is backed up whole and restored whole into a server school and into a store file; one just over it, and one of
        /// many characters outside the BMP (which the server cuts on reading), is refused naming table, row, column and
        /// a size that is true of it, and no file is left in the backup's folder.
        /// </summary>
        [SkippableTheory]
        [InlineData("repeat('a', 32767)", null)]
        [InlineData("repeat(U&'\\+01F600', 16383) || 'a'", null)]
        [InlineData("repeat('a', 32768)", "32,768 characters or more;")]
        [InlineData("repeat(U&'\\+01F600', 16384)", "32,768 characters;")]
        [InlineData("repeat(U&'\\+01F600', 40000)", "32,768 characters or more;")]
        public void A_server_backup_holds_a_value_at_a_cells_limit_whole_and_refuses_one_over_it(string value, string refused)
        {
            var store = School(StoreKind.Server);
            StoreSql.Exec(store, $"UPDATE students SET first_name = {value} WHERE number = '2';");
            var folder = _temp.File("limit");
            Directory.CreateDirectory(folder);
            var destination = Path.Combine(folder, "limit.db");
            if (refused != null)
            {
                var e = Assert.Throws<AmnException>(() => TestStores.Reopen(store).Backup(destination));
                Assert.Equal("StoredValueTooLong", e.ErrorId);
                Assert.True(e.Message.Contains("students, the row with number '2', column first_name (" + refused, StringComparison.Ordinal), e.Message);
                Assert.Empty(Directory.GetFileSystemEntries(folder));
                // Every command's queries read the same way and say the same.
                var query = Assert.Throws<AmnException>(() => TestStores.Reopen(store).Read(work => work.Queries.Students(null, null, false, null).ToList()));
                Assert.Equal("StoredValueTooLong", query.ErrorId);
                Assert.True(query.Message.Contains("column first_name (" + refused, StringComparison.Ordinal), query.Message);
                return;
            }
            var expected = (string)StoreSql.Scalar(store, "SELECT first_name FROM students WHERE number = '2';");
            var backup = TestStores.Reopen(store).Backup(destination);
            StoreSql.Exec(store, "UPDATE students SET first_name = 'Kort' WHERE number = '2';");
            var file = TestStores.New(StoreKind.File, _temp, "limitfile");
            foreach (var target in new[] { store, file })
            {
                TestStores.Reopen(target).Restore(backup);
                using var read = TestStores.Reopen(target).BeginRead();
                Assert.Equal(expected, read.Queries.Students(new[] { "2" }, null, false, null).Single().FirstName);
            }
        }

        /// <summary>
        /// A backup while another session's write is under way holds none of it (and does not wait for it); once it has
        /// committed, all of it: compared as a store file holding what the school held.
        /// </summary>
        [SkippableTheory]
        [InlineData(StoreKind.File)]
        [InlineData(StoreKind.Server)]
        public void A_backup_during_another_sessions_write_holds_all_of_it_or_none(StoreKind kind)
        {
            var store = School(kind);
            var before = State(store);
            List<string> Backed(string name)
            {
                var file = TestStores.New(StoreKind.File, _temp, name);
                file.Restore(TestStores.Reopen(store).Backup(_temp.File(name + "-backup.db")));
                return State(file);
            }
            List<string> during;
            using (var work = TestStores.Reopen(store).BeginWrite())
            {
                var folder = work.Edits.EnsureFolder("2027-2028/Vwo");
                var group = work.Edits.InsertGroup("Tijdens", folder);
                var pupils = work.Queries.StoredStudents();
                work.Edits.Erase(pupils.Rows["4"].Id);
                work.Edits.RemoveGroups(new[] { "B2" });
                work.Edits.Audit(Guid.NewGuid(), "HandWrite", "test", null);
                during = Backed("during");
                work.Commit();
            }
            var after = State(store);
            Assert.NotEqual(before, after);
            Assert.Equal(before, during);
            Assert.Equal(after, Backed("after"));
        }

        /// <summary>
        /// A backup of an older schema is checked row by row as the store will hold it (migrated, on a private copy that is
        /// deleted after; a backup of the latest schema is read as it is), and restored into both stores.
        /// </summary>
        [SkippableTheory]
        [InlineData(StoreKind.File)]
        [InlineData(StoreKind.Server)]
        public void A_backup_of_an_older_schema_is_checked_row_by_row_and_restored(StoreKind kind)
        {
            var store = TestStores.New(kind, _temp, "schema1");
            var path = _temp.File("backup-schema1.db");
            Native.NativeSqlite.EnsureLoaded();
            using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
            {
                old.Open();
                StoreSql.Exec(old, Schema.Migrations[0] + $"PRAGMA application_id = {Schema.ApplicationId}; PRAGMA user_version = 1;" +
                    "INSERT INTO students (number, first_name, last_name, email, created_utc, updated_utc) VALUES ('1', 'Oud', 'Kind', 'geen-adres', '2024-01-01T10:00:00Z', '2024-01-02T10:00:00Z');");
            }
            string checkCopies() => string.Join(", ", Directory.GetFiles(Path.GetTempPath(), ".amn-check-*"));
            var e = Assert.Throws<AmnException>(() => store.Restore(path));
            Assert.Equal("BackupInvalid", e.ErrorId);
            Assert.Contains("geen-adres", e.Message);
            using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
            {
                old.Open();
                StoreSql.Exec(old, "UPDATE students SET email = 'oud@school.nl';");
            }
            store.Restore(path);
            Assert.Equal("", checkCopies());
            Assert.Equal(new[] { "pupil 1||2024-01-02|Oud||Kind||||oud@school.nl|" }, State(store).Where(l => l.StartsWith("pupil ")));
        }

        /// <summary>
        /// A backup whose schema's text was loosened by hand (a NOT NULL, a foreign key, a primary key dropped, the file
        /// rebuilt clean), then given a row that breaks what it no longer declares: refused before anything reaches the store,
        /// naming table, row and column, on both stores alike, and the school is as it was.
        /// </summary>
        [SkippableTheory]
        [InlineData(StoreKind.File, "students", "first_name   TEXT NOT NULL", "first_name   TEXT", "UPDATE students SET first_name = NULL WHERE number = '6';", "table students, row id 6, column first_name")]
        [InlineData(StoreKind.Server, "students", "first_name   TEXT NOT NULL", "first_name   TEXT", "UPDATE students SET first_name = NULL WHERE number = '6';", "table students, row id 6, column first_name")]
        [InlineData(StoreKind.File, "students", " REFERENCES groups(id) ON DELETE SET NULL", "", "UPDATE students SET group_id = 999 WHERE number = '2';", "table students, row id 2: it refers to a row of table groups")]
        [InlineData(StoreKind.Server, "students", " REFERENCES groups(id) ON DELETE SET NULL", "", "UPDATE students SET group_id = 999 WHERE number = '2';", "table students, row id 2: it refers to a row of table groups")]
        [InlineData(StoreKind.File, "staff_groups", ",\n    PRIMARY KEY (staff_id, group_id)", "", "INSERT INTO staff_groups SELECT * FROM staff_groups;", "table staff_groups, column staff_id, group_id: '1, ")]
        [InlineData(StoreKind.Server, "staff_groups", ",\n    PRIMARY KEY (staff_id, group_id)", "", "INSERT INTO staff_groups SELECT * FROM staff_groups;", "table staff_groups, column staff_id, group_id: '1, ")]
        public void A_backup_whose_schema_was_loosened_by_hand_is_refused_and_changes_nothing(StoreKind kind, string table, string constraint, string loosened, string tamper, string named)
        {
            var store = School(kind);
            Erase(store, "6");
            var backup = store.Backup(_temp.File("loose.db"));
            using (var file = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={backup};Pooling=False"))
            {
                file.Open();
                var sql = (string)StoreSql.Scalar(file, $"SELECT sql FROM sqlite_master WHERE name = '{table}';");
                Assert.Contains(constraint, sql);
                // The table made anew under the loosened schema, with its rows, then the file rebuilt.
                StoreSql.Exec(file, $"PRAGMA foreign_keys = OFF; ALTER TABLE {table} RENAME TO old_{table}; {sql.Replace(constraint, loosened)};" +
                    $"INSERT INTO {table} SELECT * FROM old_{table}; DROP TABLE old_{table}; {tamper} VACUUM;");
                Assert.Equal("ok", StoreSql.Scalar(file, "PRAGMA integrity_check;"));
                Assert.DoesNotContain(constraint, (string)StoreSql.Scalar(file, $"SELECT sql FROM sqlite_master WHERE name = '{table}';"));
            }
            var before = Fingerprint(store);
            var e = Assert.Throws<AmnException>(() => TestStores.Reopen(store).Restore(backup));
            Assert.True(e.ErrorId == "BackupInvalid", e.ErrorId + ": " + e.Message);
            Assert.Contains(named, e.Message);
            Assert.Equal(before, Fingerprint(store));
        }

        /// <summary>
        /// A backup whose connection the board's owner terminates while it reads (it waits for the staff's table, locked by
        /// hand, after the folders, groups and pupils are in the file): an error that says so, no file left of it in the
        /// backup's folder, and the next backup works.
        /// </summary>
        [SkippableFact]
        public async Task A_backup_killed_while_it_reads_leaves_no_file_and_the_next_backup_works()
        {
            var store = School(StoreKind.Server);
            var session = TestStores.Reopen(store);
            session.BusyTimeout = TimeSpan.FromMinutes(5);
            var folder = _temp.File("killed");
            Directory.CreateDirectory(folder);
            var destination = Path.Combine(folder, "school.db");
            AmnException failure;
            using (TestStores.HoldLock(store, "staff", "ACCESS EXCLUSIVE"))
            {
                var backup = Task.Run(() => session.Backup(destination));
                object pid = null;
                for (var polls = 0; pid == null && !backup.IsCompleted && polls < 6000; polls++)
                {
                    await Task.Delay(10);
                    pid = TestStores.HandEdit(store, "-", "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'SELECT % FROM amn_school_%.staff ORDER BY 1' LIMIT 1;");
                }
                Assert.NotNull(pid);
                TestStores.HandEdit(store, "-", $"SELECT pg_terminate_backend({pid});");
                failure = await Assert.ThrowsAsync<AmnException>(() => backup);
            }
            Assert.Equal("TenantConnectionLost", failure.ErrorId);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
            Assert.Equal(destination, session.Backup(destination));
        }

        /// <summary>
        /// A backup replaced at its path after it was checked (while the admin answers the confirmation, say) by one whose
        /// rows break an import's rules: the restore refuses it as the check would have, and the tenant is as it was.
        /// </summary>
        [SkippableTheory]
        [InlineData(StoreKind.File)]
        [InlineData(StoreKind.Server)]
        public void A_backup_replaced_after_its_check_is_checked_again_and_refused(StoreKind kind)
        {
            var store = School(kind);
            var path = store.Backup(_temp.File("checked.db"));
            var other = store.Backup(_temp.File("other.db"));
            using (var file = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={other};Pooling=False"))
            {
                file.Open();
                StoreSql.Exec(file, "UPDATE students SET first_name = 'Met' || char(7) || 'bel' WHERE number = '2';");
            }
            var checkedBackup = TenantStore.CheckBackup(path);
            File.Copy(other, path, overwrite: true);
            var before = Fingerprint(store);
            var e = Assert.Throws<AmnException>(() => TestStores.Reopen(store).Restore(checkedBackup));
            Assert.True(e.ErrorId == "BackupInvalid", e.ErrorId + ": " + e.Message);
            Assert.Contains("column first_name", e.Message);
            Assert.Equal(before, Fingerprint(store));
        }
    }
}
