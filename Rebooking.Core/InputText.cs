using System.Collections;
using System.Globalization;
using System.Reflection;

namespace Rebooking;

/// <summary>
/// The rule for every text the service accepts (API bodies, console forms, imports): no NUL or other C0 control
/// character (line breaks only where a field allows them), no DEL or C1 control, and no bidirectional embedding,
/// override or isolate (U+202A–U+202E, U+2066–U+2069), which would make a link or a name display reversed. Such
/// text never reaches an SMS, an e-mail, a page or a CSV file, because it is refused where it comes in.
/// </summary>
public static class InputText
{
    public const string Message = "Contains a control character or a bidirectional formatting character (U+{0:X4} at position {1}); remove it.";

    /// <summary>The index of the first forbidden character in <paramref name="value"/>, or -1.</summary>
    public static int FindForbidden(string? value, bool allowLineBreaks = false)
    {
        if (value is null) return -1;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (allowLineBreaks && c is '\n' or '\r') continue;
            if (char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069') return i;
        }
        return -1;
    }

    /// <summary>The error message for <paramref name="value"/>, or null when it is acceptable.</summary>
    public static string? Problem(string? value, bool allowLineBreaks = false) =>
        FindForbidden(value, allowLineBreaks) is var i and >= 0 ? string.Format(CultureInfo.InvariantCulture, Message, (int)value![i], i) : null;

    /// <summary>
    /// Every text in <paramref name="request"/> that breaks the rule, by its camelCase path as the contract names
    /// fields (<c>offices[2].name</c>): string properties, lists of strings, and nested objects and lists of this
    /// code base's own types. Properties marked <see cref="AllowsLineBreaksAttribute"/> may hold LF and CR.
    /// </summary>
    public static Dictionary<string, string[]> Check(object? request)
    {
        var errors = new Dictionary<string, string[]>();
        Walk(request, "", allowLineBreaks: false, errors, depth: 0);
        return errors;
    }

    static void Walk(object? value, string path, bool allowLineBreaks, Dictionary<string, string[]> errors, int depth)
    {
        if (value is null || depth > 8) return;
        switch (value)
        {
            case string text:
                if (Problem(text, allowLineBreaks) is { } problem) errors[path.Length == 0 ? "body" : path] = [problem];
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = $"{path}.{entry.Key}".TrimStart('.');
                    if (entry.Key is string k && Problem(k) is { } keyProblem) errors[key] = [keyProblem];
                    Walk(entry.Value, key, allowLineBreaks, errors, depth + 1);
                }
                return;
            case IEnumerable list:
                var index = 0;
                foreach (var item in list) Walk(item, $"{path}[{index++}]", allowLineBreaks, errors, depth + 1);
                return;
        }
        var type = value.GetType();
        if (type.Namespace is not { } ns || !ns.StartsWith(nameof(Rebooking), StringComparison.Ordinal)) return;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.PropertyType.IsValueType) continue;
            var name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            Walk(property.GetValue(value), path.Length == 0 ? name : $"{path}.{name}",
                property.GetCustomAttribute<AllowsLineBreaksAttribute>() is not null, errors, depth + 1);
        }
    }
}
