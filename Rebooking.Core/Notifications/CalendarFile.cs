namespace Rebooking.Notifications;

/// <summary>An .ics file for the citizen's calendar.</summary>
public sealed record CalendarFile(string FileName, string Content);
