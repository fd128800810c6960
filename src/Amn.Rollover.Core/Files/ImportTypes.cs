namespace Amn.Rollover.Core.Files
{
    /// <summary>What an import file holds.</summary>
    public enum ImportKind { Student, Staff }

    /// <summary>The AMN product the participants are imported for; some products need more fields.</summary>
    public enum AmnProduct { None, Talentscan, Loopbaanleren }

    /// <summary>The container format of an import file.</summary>
    public enum FileFormat { Csv, Xlsx, Xls }

    /// <summary>The record property a source column feeds.</summary>
    public enum ImportField
    {
        Ignored,
        Number,
        FirstName,
        /// <summary>Official first names: used (first word) only when there is no call-name column.</summary>
        FirstNames,
        Prefix,
        LastName,
        BirthDate,
        Gender,
        Group,
        CreboNumber,
        Email,
        UserName,
        Code,
        Roles,
        Groups,
    }
}
