using System;
using System.Collections.Generic;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// What the Get- cmdlets, tab completion and the checks before a change ask of a tenant, answered
    /// by each store in its own SQL: a store file by SQLite (<see cref="SqliteQueries"/>), a server
    /// school by PostgreSQL on the school's own tables (<see cref="Postgres.ServerQueries"/>), so a
    /// one-pupil lookup costs one pupil on either store. Both hold every text they return to a
    /// cell's length (StoredValueTooLong otherwise) and order as a store file orders.
    /// </summary>
    internal interface ITenantQueries
    {
        /// <summary>Pupils that match every filter given (none: all), by group, name and number; erased pupils are left out.</summary>
        IEnumerable<Student> Students(ICollection<string> numbers, ICollection<string> groups, bool withoutGroup, DateTime? notSeenSince);

        /// <summary>The stored number equal to <paramref name="number"/> but for leading zeros, or null.</summary>
        string NumberWithLeadingZeros(string number);

        /// <summary>Every group with its folder and counts, by folder and name.</summary>
        List<Group> Groups();

        /// <summary>Every folder with the number of groups directly in it, by path.</summary>
        List<Folder> Folders();

        /// <summary>The group of this name (case-insensitive) with its folder and counts; null when there is none.</summary>
        Group FindGroup(string name);

        /// <summary>All groups by name (case-insensitive), with their ids.</summary>
        Dictionary<string, long> GroupIds();

        /// <summary>Whether a folder with this (normalized) path exists.</summary>
        bool FolderExists(string path);

        /// <summary>Every staff member with roles and groups, by username (case-insensitive).</summary>
        Dictionary<string, StaffTable.Row> Staff();

        /// <summary>The audit log, newest first, optionally of one run, since a moment, or of one action.</summary>
        IEnumerable<AuditEntry> AuditLog(Guid? runId, DateTime? since, string action);

        /// <summary>The stored pupils with these numbers (erased ones included, with their date), by number.</summary>
        Dictionary<string, StudentEraser.Candidate> ErasureCandidates(IEnumerable<string> numbers);

        /// <summary>
        /// The pupils the tenant holds as erased, by number: the row's id and the time of the erasure as a store file
        /// writes it (a store file's own text, unchanged).
        /// </summary>
        Dictionary<string, (long Id, string ErasedUtc)> Erasures();

        /// <summary>Every stored pupil by number (erased ones included) and the group names: what an import compares against.</summary>
        Importing.StoredStudents StoredStudents();

        /// <summary>
        /// A hash of the tenant's data (all but the audit log), which a saved rollover plan records: the same
        /// while the data is, on this store; another store may hash the same data differently.
        /// </summary>
        string Fingerprint();

        /// <summary>How many pupils (not erased), groups and staff the tenant holds.</summary>
        (long Students, long Groups, long Staff) Counts();
    }
}
