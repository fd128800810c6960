using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Npgsql;

namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>
    /// A school board's PostgreSQL database: many schools, each a tenant kept apart by PostgreSQL's
    /// row-level security. The board's IT sets it up once with an owner's connection (the schema,
    /// migrated forward like the SQLite store's, and a role per school); a school's admins are
    /// members of that school's role and see and change only that school.
    /// </summary>
    public static class SchoolBoardDatabase
    {
        /// <summary>Creates the schema, or migrates it forward; refuses, untouched, a database with a newer schema.</summary>
        public static int Provision(string ownerConnectionString)
        {
            using (var connection = Open(ownerConnectionString))
            using (var transaction = connection.BeginTransaction())
            return PostgresErrors.Guard(connection.Database, Server(connection), () =>
            {
                try
                {
                    // One provisioning of this database at a time, also across machines.
                    Execute(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext('amn.provision'));");
                    // The group role belongs to the whole server: two databases set up at once may both make it.
                    Execute(connection, transaction, $"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{PostgresSchema.UsersRole}') THEN CREATE ROLE {PostgresSchema.UsersRole} NOLOGIN; END IF; " +
                        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;");
                    var version = SchemaVersion(connection, transaction);
                    if (version > PostgresSchema.LatestVersion) throw SchemaTooNew(connection, version);
                    for (var next = version + 1; next <= PostgresSchema.LatestVersion; next++)
                    {
                        Execute(connection, transaction, PostgresSchema.Migrations[next - 1]);
                        Execute(connection, transaction, $"UPDATE amn.schema_info SET version = {next};");
                    }
                    transaction.Commit();
                    return PostgresSchema.LatestVersion;
                }
                catch (PostgresException e) when (e.SqlState == "42501")
                {
                    throw new AmnException("SchoolBoardSetupDenied", AmnErrorCategory.PermissionDenied, Messages.Format("BoardSetupNeedsOwner", connection.UserName, connection.Database, Server(connection)), connection.Database, e);
                }
            });
        }

        /// <summary>
        /// Adds a school and its role (NOLOGIN; grant it to the school's admins); returns the role's
        /// name (see <see cref="RoleName"/>). A school that exists already is left as it is and its
        /// role returned; a name that differs from one only in case is refused, and so is a role
        /// that exists already: it is never adopted, because its members would see the school.
        /// </summary>
        public static string AddSchool(string ownerConnectionString, string school)
        {
            if (string.IsNullOrWhiteSpace(school)) throw new AmnException("SchoolNameMissing", AmnErrorCategory.InvalidArgument, Messages.Get("SchoolNeedsName"), school);
            var name = school.Trim().Normalize();
            using (var connection = Open(ownerConnectionString))
            using (var transaction = connection.BeginTransaction())
            return PostgresErrors.Guard(connection.Database, Server(connection), () =>
            {
                using (var existing = new NpgsqlCommand("SELECT name, role_name FROM amn.schools WHERE lower(name) = lower(@name);", connection, transaction))
                {
                    existing.Parameters.AddWithValue("name", name);
                    using (var reader = existing.ExecuteReader())
                        if (reader.Read())
                        {
                            if (reader.GetString(0) == name) return reader.GetString(1);
                            throw new AmnException("SchoolNameTaken", AmnErrorCategory.ResourceExists, Messages.Format("SchoolNameTaken", name, reader.GetString(0)), name);
                        }
                }
                var id = Convert.ToInt32(Scalar(connection, transaction, "SELECT nextval(pg_get_serial_sequence('amn.schools', 'id'));"));
                var role = RoleName((uint)Scalar(connection, transaction, "SELECT oid FROM pg_database WHERE datname = current_database();"), id, name);
                CreateRole(connection, transaction, role);
                Execute(connection, transaction, $"GRANT {PostgresSchema.UsersRole} TO {role};");
                using (var insert = new NpgsqlCommand("INSERT INTO amn.schools (id, name, role_name) VALUES (@id, @name, @role); SELECT amn.create_school_schema(@id, @role); " +
                    $"INSERT INTO {PostgresSchema.SchoolSchema(id)}.folders (id, path) VALUES (1, '');", connection, transaction))
                {
                    insert.Parameters.AddWithValue("id", id);
                    insert.Parameters.AddWithValue("name", name);
                    insert.Parameters.AddWithValue("role", role);
                    insert.ExecuteNonQuery();
                }
                transaction.Commit();
                return role;
            });
        }

        private static void CreateRole(NpgsqlConnection connection, NpgsqlTransaction transaction, string role)
        {
            try { Execute(connection, transaction, $"CREATE ROLE {role} NOLOGIN;"); }
            catch (PostgresException e) when (e.SqlState == "42710")
            {
                throw new AmnException("SchoolRoleExists", AmnErrorCategory.ResourceExists, Messages.Format("SchoolRoleExists", role, connection.Database, Server(connection)), role, e);
            }
            catch (PostgresException e) when (e.SqlState == "42501")
            {
                throw new AmnException("SchoolBoardSetupDenied", AmnErrorCategory.PermissionDenied, Messages.Format("BoardSetupNeedsCreateRole", connection.UserName, connection.Database, Server(connection)), connection.Database, e);
            }
        }

        /// <summary>The schools the connecting user may see (Get-AmnTenant -ListAvailable), with the database and server they are in.</summary>
        public static List<SchoolTenant> Schools(string connectionString)
        {
            var schools = new List<SchoolTenant>();
            using (var connection = Open(connectionString))
            return PostgresErrors.Guard(connection.Database, Server(connection), () =>
            {
                if (SchemaVersion(connection, null) == 0) throw NotProvisioned(connection);
                using (var command = new NpgsqlCommand("SELECT name, role_name FROM amn.schools ORDER BY name;", connection))
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) schools.Add(new SchoolTenant { Name = reader.GetString(0), Role = reader.GetString(1), Database = connection.Database, Server = Server(connection) });
                return schools;
            });
        }

        /// <summary>A connection string with the credential's user name and password in it (so no password is typed into a script).</summary>
        public static string WithCredential(string connectionString, string userName, string password)
        {
            var builder = Builder(connectionString);
            builder.Username = userName;
            builder.Password = password;
            return builder.ConnectionString;
        }

        /// <summary>The user name a connection string logs in as (for a password prompt).</summary>
        public static string UserName(string connectionString) => Builder(connectionString).Username;

        /// <summary>"database 'amn' on 'host:5432'", for messages: never the password.</summary>
        public static string Describe(string connectionString)
        {
            var builder = Builder(connectionString);
            return Messages.Format("DatabaseOnServer", builder.Database, builder.Host, builder.Port);
        }

        private static NpgsqlConnectionStringBuilder Builder(string connectionString)
        {
            try { return new NpgsqlConnectionStringBuilder(connectionString); }
            catch (ArgumentException e) { throw new AmnException("ConnectionStringInvalid", AmnErrorCategory.InvalidArgument, Messages.Format("ConnectionStringInvalid", e.Message), null, e); }
        }

        /// <summary>
        /// The role of a school: amn_&lt;database oid&gt;_&lt;school id&gt;_&lt;school&gt;, only lower case letters,
        /// digits and underscores, so it is safe in SQL text. Roles belong to the whole cluster, so the
        /// name starts with what is unique there (the database's oid and the school's id): no two
        /// schools of any databases on one server can get the same role. The school's name only makes
        /// it readable.
        /// </summary>
        public static string RoleName(uint databaseOid, int schoolId, string school)
        {
            var name = $"amn_{databaseOid}_{schoolId}_{Identifier(school)}";
            return (name.Length <= 63 ? name : name.Substring(0, 63)).TrimEnd('_');
        }

        /// <summary>Lower case letters, digits and single underscores only: safe in SQL text and in a file name.</summary>
        internal static string Identifier(string text) => Regex.Replace(text.Trim().ToLowerInvariant(), "[^a-z0-9]+", "_").Trim('_');

        /// <summary>The id of a school the connecting user may use; TenantNotFound otherwise (row-level security hides the others).</summary>
        internal static int SchoolId(NpgsqlConnection server, NpgsqlTransaction transaction, string school)
        {
            using (var command = new NpgsqlCommand("SELECT id FROM amn.schools WHERE name = @name", server, transaction))
            {
                command.Parameters.AddWithValue("name", school);
                var id = command.ExecuteScalar();
                if (id == null)
                    throw new AmnException("TenantNotFound", AmnErrorCategory.ObjectNotFound,
                        Messages.Format("NoSuchSchool", school, server.Database, server.Host), school);
                return (int)id;
            }
        }

        internal static NpgsqlConnection Open(string connectionString)
        {
            var builder = Builder(connectionString);
            // No idle connections left behind: an admin's session opens one or two per command, and a
            // board's server serves many sessions. A connection string can still ask for pooling.
            if (!Regex.IsMatch(connectionString, @"(^|;)\s*pooling\s*=", RegexOptions.IgnoreCase)) builder.Pooling = false;
            // The module's SQL names every table by its schema and means PostgreSQL's own functions and operators: a search
            // path of the session's (the connection string's, the role's or the database's) that names a schema another
            // role can create in before pg_catalog or pg_temp would let that role's tables and operators stand in for them.
            builder.SearchPath = "pg_catalog, pg_temp";
            var connection = new NpgsqlConnection(builder.ConnectionString);
            try
            {
                connection.Open();
                return connection;
            }
            catch (Exception e) when (e is NpgsqlException || e is TimeoutException)
            {
                connection.Dispose();
                throw NotReached(builder, e);
            }
        }

        /// <summary>Why a server could not be used, naming the server and database but never the password.</summary>
        private static AmnException NotReached(NpgsqlConnectionStringBuilder builder, Exception e)
        {
            var where = Messages.Format("DatabaseOnServerAs", builder.Database, builder.Host, builder.Port, builder.Username);
            // Npgsql says so in words only: the server asked for a password, and none was given or found in a pgpass file.
            if (!(e is PostgresException) && string.IsNullOrEmpty(builder.Password) && e.Message.StartsWith("No password has been provided", StringComparison.Ordinal))
                return new AmnException("TenantPasswordNeeded", AmnErrorCategory.PermissionDenied, Messages.Format("ServerNeedsPassword", where), builder.Database, e);
            switch ((e as PostgresException)?.SqlState)
            {
                case "28P01":
                case "28000":
                    return new AmnException("TenantLoginFailed", AmnErrorCategory.PermissionDenied, Messages.Format("ServerLoginRefused", where), builder.Database, e);
                case "3D000":
                    return new AmnException("TenantNotFound", AmnErrorCategory.ObjectNotFound, Messages.Format("NoSuchDatabase", where), builder.Database, e);
                default:
                    return new AmnException("TenantUnreachable", AmnErrorCategory.ConnectionError, Messages.Format("ServerUnreachable", where), builder.Database, e);
            }
        }

        /// <summary>host:port, as messages name a server.</summary>
        internal static string Server(NpgsqlConnection connection) => $"{connection.Host}:{connection.Port}";

        internal static AmnException NotProvisioned(NpgsqlConnection connection)
            => new AmnException("TenantNotProvisioned", AmnErrorCategory.ObjectNotFound,
                Messages.Format("NoSchoolBoard", connection.Database, Server(connection)), connection.Database);

        internal static AmnException SchemaTooNew(NpgsqlConnection connection, int version)
            => new AmnException("TenantSchemaTooNew", AmnErrorCategory.InvalidData,
                Messages.Format("BoardSchemaTooNew", connection.Database, Server(connection), version, PostgresSchema.LatestVersion), connection.Database);

        internal static int SchemaVersion(NpgsqlConnection connection, NpgsqlTransaction transaction)
        {
            using (var command = new NpgsqlCommand("SELECT to_regclass('amn.schema_info') IS NOT NULL;", connection, transaction))
                if (!(bool)command.ExecuteScalar()) return 0;
            using (var command = new NpgsqlCommand("SELECT version FROM amn.schema_info;", connection, transaction))
                return Convert.ToInt32(command.ExecuteScalar());
        }

        private static object Scalar(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
        {
            using (var command = new NpgsqlCommand(sql, connection, transaction)) return command.ExecuteScalar();
        }

        private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
        {
            using (var command = new NpgsqlCommand(sql, connection, transaction)) command.ExecuteNonQuery();
        }
    }
}
