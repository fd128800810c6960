using System;
using System.Collections.Generic;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// The changes every command that changes a tenant is made of (the imports, the rollover, New-AmnGroup,
    /// Remove-AmnGroup, Set-AmnStaffGroupLink, Remove-AmnStaff, Remove-AmnStudent, Restore-AmnTenant), made by each store in its
    /// own SQL inside the write they belong to: on a server school straight on the school's tables, so a
    /// command costs the rows it changes.
    /// </summary>
    internal interface ITenantEdits
    {
        /// <summary>The id of a folder (a normalized path), creating it and its parent folders when missing.</summary>
        long EnsureFolder(string path);

        /// <summary>Adds a group; returns its id.</summary>
        long InsertGroup(string name, long folderId);

        /// <summary>Removes groups (by name, case-insensitive) and their staff links; their pupils stay, without a group.</summary>
        void RemoveGroups(IReadOnlyCollection<string> names);

        /// <summary>Removes a folder (a normalized path) that holds no groups.</summary>
        void DeleteFolder(string path);

        /// <summary>Removes a staff member with their roles and links.</summary>
        void DeleteStaff(long staffId);

        /// <summary>Links a staff member to a group (nothing when linked already), or removes that link.</summary>
        void SetLink(long staffId, long groupId, bool linked);

        /// <summary>Erases a pupil's personal data and group, keeping the number with the erasure's time (nothing when erased already).</summary>
        void Erase(long studentId);

        /// <summary>Where an import writes its pupils, creating their groups in <paramref name="folder"/>.</summary>
        Importing.IStudentWriter StudentWriter(string folder);

        /// <summary>Where a staff import writes its staff, roles and links.</summary>
        Importing.IStaffWriter StaffWriter();

        /// <summary>Notes today as the day these stored pupils (ids) were last in an imported student file.</summary>
        void MarkSeen(HashSet<long> unchanged);

        /// <summary>
        /// A restore: every row but the audit log's replaced by the rows of the SQLite store file at
        /// <paramref name="storeFile"/> (of this module's schema), each with its id.
        /// </summary>
        void ReplaceData(string storeFile);

        /// <summary>Adds an entry to the audit log, by the current user on this machine, now.</summary>
        void Audit(Guid runId, string action, string target, string details);
    }
}
