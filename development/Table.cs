using System.Text;
using Ocht.Values;

namespace Ocht.Development;

/// <summary>Records as an aligned text table: one column per field (in order of first appearance),
/// numbers right-aligned, null shown as "null", long cells cut.</summary>
public static class Table
{
    private const int MaxCellWidth = 40;

    public static void Show(IEnumerable<Record> records, int maxRows = 20) => Console.Write(Render(records, maxRows));

    public static string Render(IEnumerable<Record> records, int maxRows = 20)
    {
        var all = records.ToList();
        var shown = all.Take(maxRows).ToList();
        var fields = shown.SelectMany(r => r.Schema.Names).Distinct(StringComparer.Ordinal).ToArray();
        if (fields.Length == 0) return $"({all.Count} records)\n";
        var cells = shown.Select(r => fields.Select(f => Cell(r[f])).ToArray()).ToList();
        var numeric = fields.Select((_, i) => shown.All(r => r[fields[i]].IsNull || r[fields[i]].IsNumber)).ToArray();
        var widths = fields.Select((f, i) => cells.Select(row => row[i].Length).Prepend(f.Length).Max()).ToArray();

        var text = new StringBuilder();
        void Line(IEnumerable<string> row) => text.Append(string.Join("  ", row.Select((c, i) => numeric[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd()).Append('\n');
        Line(fields);
        Line(widths.Select(w => new string('-', w)));
        foreach (var row in cells) Line(row);
        text.Append(all.Count > shown.Count ? $"({shown.Count} of {all.Count} records)\n" : $"({all.Count} record{(all.Count == 1 ? "" : "s")})\n");
        return text.ToString();
    }

    private static string Cell(Value value)
    {
        string text = value.IsNull ? "null" : ValueText.Format(value).ReplaceLineEndings(" ");
        return text.Length <= MaxCellWidth ? text : text[..(MaxCellWidth - 1)] + "…";
    }
}
