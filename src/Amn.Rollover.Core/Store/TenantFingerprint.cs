using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// A hash of a tenant's data (every table but the audit log), so a saved rollover plan is applied
    /// only to the store it was made against. The file's bytes would not do: a checkpoint or a
    /// vacuum changes them without changing the data.
    /// </summary>
    public static class TenantFingerprint
    {
        internal static string Compute(SqliteConnection connection, SqliteTransaction transaction)
        {
            using (var sha = SHA256.Create())
            {
                var buffer = new StringBuilder();
                foreach (var table in TenantRestore.Tables(connection, transaction, "main").Where(t => t != TenantRestore.AuditTable).OrderBy(t => t, StringComparer.Ordinal))
                {
                    Append(sha, buffer.Clear().Append("table ").Append(table).Append('\n'));
                    using (var command = connection.CreateCommand())
                    {
                        command.Transaction = transaction;
                        var columns = TenantRestore.Columns(connection, transaction, "main", table).Count;
                        command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY {string.Join(", ", Enumerable.Range(1, columns))};";
                        using (var reader = command.ExecuteReader())
                            while (reader.Read())
                            {
                                buffer.Clear();
                                for (var i = 0; i < reader.FieldCount; i++)
                                    buffer.Append(reader.IsDBNull(i) ? "\u0000" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('\u001f');
                                Append(sha, buffer.Append('\n'));
                            }
                    }
                }
                sha.TransformFinalBlock(new byte[0], 0, 0);
                return Hex(sha.Hash);
            }
        }

        public static string Hex(byte[] hash) => string.Concat(hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

        private static void Append(HashAlgorithm sha, StringBuilder text)
        {
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }
    }
}
