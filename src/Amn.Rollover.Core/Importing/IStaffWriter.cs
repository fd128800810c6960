using System;
using System.Collections.Generic;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.Importing
{
    /// <summary>
    /// Where a staff import writes its staff, roles and links: a store's SQLite (<see cref="Store.StaffTable.Writer"/>),
    /// or a server school's own tables (Store.Postgres.ServerStaffWriter). Call <see cref="Flush"/> when done;
    /// changes still pending are otherwise not written.
    /// </summary>
    internal interface IStaffWriter : IDisposable
    {
        /// <summary>Adds a staff member; returns the id the row gets.</summary>
        long Insert(Staff staff);

        void Update(long id, Staff staff);

        /// <summary>Takes a staff member's stored code away, so another row of the same import can take it.</summary>
        void ReleaseCode(long id);

        /// <summary>Makes these the staff member's roles, replacing the stored ones.</summary>
        void SetRoles(long id, IEnumerable<string> roles);

        /// <summary>Links a staff member to a group (nothing when linked already).</summary>
        void AddLink(long staffId, long groupId);

        void RemoveLink(long staffId, long groupId);

        void Flush();
    }
}
