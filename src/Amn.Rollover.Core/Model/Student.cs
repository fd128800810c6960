using System;

namespace Amn.Rollover.Core.Model
{
    /// <summary>A participant (deelnemer) as stored in the tenant.</summary>
    public sealed class Student
    {
        public string Number { get; set; }
        public string FirstName { get; set; }
        public string Prefix { get; set; }
        public string LastName { get; set; }
        /// <summary>Dutch order: first name, prefix, last name, without a double space when there is no prefix.</summary>
        public string FullName => PersonName.Full(FirstName, Prefix, LastName);
        public DateTime? BirthDate { get; set; }
        public string Gender { get; set; }
        public string Group { get; set; }
        public string CreboNumber { get; set; }
        public string Email { get; set; }
        public string UserName { get; set; }
        /// <summary>The last day the pupil was in an imported student file (for retention: Get-AmnStudent -NotSeenSince).</summary>
        public DateTime? LastSeen { get; set; }

        public override string ToString() => $"{Number} {FullName}";
    }

    /// <summary>A group (groep/klas) as stored in the tenant.</summary>
    public sealed class Group
    {
        public string Name { get; set; }
        /// <summary>The folder path, such as 2026-2027/Havo; empty for the root folder.</summary>
        public string Folder { get; set; }
        public long StudentCount { get; set; }
        public long StaffCount { get; set; }

        public override string ToString() => Name;
    }

    /// <summary>A staff member (personeelslid) as stored in the tenant.</summary>
    public sealed class Staff
    {
        public string UserName { get; set; }
        public string Code { get; set; }
        public string FirstName { get; set; }
        public string Prefix { get; set; }
        public string LastName { get; set; }
        public string FullName => PersonName.Full(FirstName, Prefix, LastName);
        public string Email { get; set; }
        public TextList Roles { get; set; } = TextList.Empty;
        public TextList Groups { get; set; } = TextList.Empty;

        public override string ToString() => UserName;
    }

    /// <summary>A link between a staff member and a group.</summary>
    public sealed class StaffGroupLink
    {
        public StaffGroupLink(string userName, string group)
        {
            UserName = userName;
            Group = group;
        }

        public string UserName { get; }
        public string Group { get; }

        public override string ToString() => $"{UserName} -> {Group}";
    }

    /// <summary>A folder of groups, such as 2026-2027/Havo; the root folder has the empty path.</summary>
    public sealed class Folder
    {
        public string Path { get; set; }
        public long GroupCount { get; set; }

        public override string ToString() => Path;
    }

    internal static class PersonName
    {
        public static string Full(string first, string prefix, string last)
        {
            var parts = new[] { first, prefix, last };
            return string.Join(" ", Array.FindAll(parts, p => !string.IsNullOrWhiteSpace(p)));
        }
    }
}
