namespace Ocht.Document;

/// <summary>
/// One problem with a document: where (JSON pointer and line:column) and what, phrased for the
/// user, ideally with what was meant. Messages never contain secret values.
/// </summary>
public sealed record Diagnostic(string Pointer, DocPosition Position, string Message)
{
    /// <summary><c>file:line:col: /pointer: message</c> (pointer omitted for the document root).</summary>
    public string Format(string? file)
    {
        string where = file is null ? Position.ToString() : $"{file}:{Position}";
        return Pointer.Length == 0 ? $"{where}: {Message}" : $"{where}: {Pointer}: {Message}";
    }

    public override string ToString() => Format(null);
}

/// <summary>Collects diagnostics so validation can report every error at once.</summary>
public sealed class Diagnostics
{
    private readonly List<Diagnostic> _items = new();

    public IReadOnlyList<Diagnostic> Items => _items;
    public bool HasErrors => _items.Count > 0;
    public int Count => _items.Count;

    public void Add(DocNode at, string message) => _items.Add(new Diagnostic(at.Pointer, at.Position, message));
    public void Add(string pointer, DocPosition at, string message) => _items.Add(new Diagnostic(pointer, at, message));
    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    /// <summary>An error about a property's key (unknown option): points at the key itself.</summary>
    public void AddAtKey(DocNode owner, DocProperty property, string message) =>
        _items.Add(new Diagnostic(DocPointer.Child(owner.Pointer, property.Name), property.KeyPosition, message));

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    /// <summary>Sorted by position, duplicates removed.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        _items.Distinct().OrderBy(d => d.Position.Line).ThenBy(d => d.Position.Column).ThenBy(d => d.Pointer, StringComparer.Ordinal).ToArray();
}
