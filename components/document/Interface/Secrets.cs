namespace Ocht.Document;

/// <summary>
/// The values read from the environment for one document. Anything printed about the document
/// (errors, logs, explain, API responses) goes through <see cref="Redact"/>.
/// </summary>
public sealed class Secrets
{
    private readonly List<string> _values = new();

    public static readonly Secrets None = new();

    public bool IsEmpty => _values.Count == 0;

    public void Add(string value)
    {
        // One-character values would redact half of every message; they are hidden in explain
        // (the node is secret) but cannot be scrubbed from free text meaningfully.
        if (value.Length >= 2 && !_values.Contains(value))
        {
            _values.Add(value);
            _values.Sort((a, b) => b.Length.CompareTo(a.Length));
        }
    }

    public string Redact(string text)
    {
        foreach (var secret in _values)
            text = text.Replace(secret, DocWriter.Redacted, StringComparison.Ordinal);
        return text;
    }
}
