namespace Rebooking;

/// <summary>Marks a text property that may hold line breaks (LF, CR); every other control character is still refused.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AllowsLineBreaksAttribute : Attribute;
