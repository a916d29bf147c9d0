using System.Text;

namespace Ocht.Workspace;

/// <summary>Rows of cells printed in aligned columns; numeric columns are right-aligned.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public override string ToString()
    {
        var all = _rows.Prepend(headers).ToArray();
        int[] widths = headers.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        bool[] numeric = headers.Select((_, i) => _rows.Count > 0 && _rows.All(r => r[i].Length > 0 && r[i].All(char.IsAsciiDigit))).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            var cells = row.Select((cell, i) => numeric[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
            text.Append(string.Join("  ", cells).TrimEnd()).Append('\n');
        }
        return text.ToString();
    }
}
