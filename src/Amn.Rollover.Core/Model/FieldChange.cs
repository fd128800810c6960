namespace Amn.Rollover.Core.Model
{
    /// <summary>One field an import changes, with its old and new value.</summary>
    public sealed class FieldChange
    {
        public FieldChange(string field, string oldValue, string newValue)
        {
            Field = field;
            OldValue = oldValue;
            NewValue = newValue;
        }

        public string Field { get; }
        public string OldValue { get; }
        public string NewValue { get; }

        public override string ToString() => $"{Field}: {Show(OldValue)} -> {Show(NewValue)}";

        private static string Show(string value) => string.IsNullOrEmpty(value) ? Messages.Get("EmptyValue") : value;
    }
}
