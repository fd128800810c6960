namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>A school on a board's PostgreSQL server that the connecting user may use.</summary>
    public sealed class SchoolTenant
    {
        public string Name { get; internal set; }
        public string Database { get; internal set; }
        public string Server { get; internal set; }

        /// <summary>The school's database role: its admins are made members of it (GRANT role TO user).</summary>
        public string Role { get; internal set; }

        public override string ToString() => Name;
    }
}
