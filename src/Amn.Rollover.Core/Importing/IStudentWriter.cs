using System;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.Importing
{
    /// <summary>
    /// Where an import's pupils are written, row by row as they are planned: a store's SQLite
    /// (<see cref="StudentWriter"/>), or a server school's own tables (Store.Postgres.ServerStudentWriter).
    /// Call <see cref="Flush"/> when done; rows still pending are otherwise not written.
    /// </summary>
    internal interface IStudentWriter : IDisposable
    {
        /// <summary>A planned row: a new pupil is added, a changed one written (creating its group on first use).</summary>
        void Write(StudentImportRow row);

        /// <summary>Writes a stored pupil's values back (an update, or the undo of one).</summary>
        void Restore(long id, Student student);

        /// <summary>Undoes a new pupil's write.</summary>
        void Delete(string number);

        /// <summary>Removes a group this import created when no pupil ended up in it.</summary>
        void DropGroup(string name);

        void Flush();
    }
}
