using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;

namespace Rebooking.Tenants.Import;

/// <summary>One row of an import as delivered: field names are matched case-insensitively, values are text.</summary>
public sealed class ImportRow(int index, IReadOnlyDictionary<string, string?> fields, bool isObject = true)
{
    /// <summary>0-based position in the JSON array, or among the CSV data rows (the header not counted).</summary>
    public int Index { get; } = index;

    /// <summary>False when a JSON array element was not an object.</summary>
    public bool IsObject { get; } = isObject;

    public string? this[string field] => fields.TryGetValue(field, out var value) ? value : null;
}

/// <summary>The body was not a well-formed JSON array or CSV table: the import is refused whole.</summary>
public sealed class ImportFormatException(string message) : Exception(message);

/// <summary>A row the import refused, by index and field (camelCase, as in the contract).</summary>
public sealed record ImportError(int Index, string Field, string Message);

/// <summary>The answer of an import: valid rows are stored, invalid ones reported.</summary>
public sealed record ImportResult(int Imported, int Updated, IReadOnlyList<ImportError> Errors);

public static class ImportReader
{
    /// <summary>Reads a JSON array of objects. Throws <see cref="ImportFormatException"/> for anything else.</summary>
    public static async Task<IReadOnlyList<ImportRow>> ReadJsonAsync(Stream body, CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, default, ct);
        }
        catch (JsonException e)
        {
            throw new ImportFormatException($"The body is not well-formed JSON: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new ImportFormatException("The body must be a JSON array of rows.");
            var rows = new List<ImportRow>(document.RootElement.GetArrayLength());
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    rows.Add(new ImportRow(index++, new Dictionary<string, string?>(), isObject: false));
                    continue;
                }
                var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                foreach (var property in element.EnumerateObject())
                    fields[property.Name] = property.Value.ValueKind switch
                    {
                        JsonValueKind.Null or JsonValueKind.Undefined => null,
                        JsonValueKind.String => property.Value.GetString(),
                        _ => property.Value.GetRawText(),
                    };
                rows.Add(new ImportRow(index++, fields));
            }
            return rows;
        }
    }

    /// <summary>Reads CSV with a header row of the contract's field names; empty cells are null.</summary>
    public static IReadOnlyList<ImportRow> ReadCsv(TextReader body)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true,
            DetectDelimiterValues = [",", ";", "\t"],
            TrimOptions = TrimOptions.Trim,
            BadDataFound = null,
        };
        try
        {
            using var csv = new CsvReader(body, config);
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
                throw new ImportFormatException("The CSV body needs a header row with the field names.");
            var rows = new List<ImportRow>();
            var index = 0;
            while (csv.Read())
            {
                var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < header.Length; i++)
                {
                    var value = i < csv.Parser.Count ? csv.GetField(i) : null;
                    fields[header[i]] = string.IsNullOrEmpty(value) || value.Equals("null", StringComparison.OrdinalIgnoreCase) ? null : value;
                }
                rows.Add(new ImportRow(index++, fields));
            }
            return rows;
        }
        catch (CsvHelperException e)
        {
            throw new ImportFormatException($"The CSV body could not be read: {e.Message}");
        }
    }
}
