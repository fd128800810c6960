namespace Amn.Rollover.Core.Files
{
    /// <summary>
    /// The one rule for rows that share a key (a pupil's participant number, a staff member's
    /// username), used by the reader, the student import and the staff import alike: an exact repeat
    /// of an earlier row counts once, with a DuplicateRow warning; rows with the key and different
    /// data all fail, with DuplicateNumber or DuplicateUserName.
    /// </summary>
    public static class DuplicateKeys
    {
        public const string RepeatId = "DuplicateRow";

        /// <summary>DuplicateNumber for pupils, DuplicateUserName for staff.</summary>
        public static string ConflictId(ImportKind kind) => kind == ImportKind.Student ? "DuplicateNumber" : "DuplicateUserName";

        /// <summary>The warning on a row that repeats row <paramref name="firstRow"/> exactly.</summary>
        public static ImportProblem Repeat(int row, int firstRow, string column, string key)
            => new ImportProblem(row, column, key, RepeatId, Messages.Format("RowRepeated", row, firstRow));

        /// <summary>The error on a row whose key is also on row <paramref name="otherRow"/> with different data.</summary>
        public static ImportProblem Conflict(ImportKind kind, int row, int otherRow, string column, string key)
            => new ImportProblem(row, column, key, ConflictId(kind), Messages.Format(kind == ImportKind.Student ? "DuplicateNumber" : "DuplicateUserName", row, key, otherRow));

        /// <summary>The error on the first of such rows, found when a later one is read.</summary>
        public static ImportProblem ConflictFurtherOn(ImportKind kind, int row, string column, string key)
            => new ImportProblem(row, column, key, ConflictId(kind), Messages.Format(kind == ImportKind.Student ? "DuplicateNumberFurtherOn" : "DuplicateUserNameFurtherOn", row, key));

    }
}
