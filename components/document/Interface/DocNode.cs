using Ocht.Values;

namespace Ocht.Document;

public enum DocKind : byte { Null, Bool, Number, String, Array, Object }

/// <summary>A property of a document object, with the position of its key.</summary>
public sealed record DocProperty(string Name, DocPosition KeyPosition, DocNode Value);

/// <summary>1-based line and column in the document text.</summary>
public readonly record struct DocPosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>
/// An immutable node of a parsed pipeline document that remembers where it came from: its JSON
/// pointer and its line:column. Values substituted from <c>${env:...}</c> are marked secret.
/// </summary>
public sealed class DocNode
{
    private DocNode(DocKind kind, string pointer, DocPosition position)
    {
        Kind = kind;
        Pointer = pointer;
        Position = position;
    }

    public DocKind Kind { get; }
    public string Pointer { get; }
    public DocPosition Position { get; }
    /// <summary>The string value, or a number's literal text.</summary>
    public string? Text { get; private init; }
    public bool Bool { get; private init; }
    public IReadOnlyList<DocNode> Items { get; private init; } = [];
    public IReadOnlyList<DocProperty> Properties { get; private init; } = [];
    /// <summary>True when the value (or part of it) came from the environment: never print it.</summary>
    public bool IsSecret { get; private init; }

    public bool IsObject => Kind == DocKind.Object;
    public bool IsArray => Kind == DocKind.Array;
    public bool IsString => Kind == DocKind.String;
    public bool IsNull => Kind == DocKind.Null;

    public DocNode? this[string name]
    {
        get
        {
            foreach (var p in Properties)
                if (p.Name == name) return p.Value;
            return null;
        }
    }

    public DocProperty? Property(string name)
    {
        foreach (var p in Properties)
            if (p.Name == name) return p;
        return null;
    }

    public static DocNode Null(string pointer, DocPosition at) => new(DocKind.Null, pointer, at);
    public static DocNode FromBool(bool b, string pointer, DocPosition at) => new(DocKind.Bool, pointer, at) { Bool = b };
    public static DocNode Number(string literal, string pointer, DocPosition at) => new(DocKind.Number, pointer, at) { Text = literal };
    public static DocNode String(string s, string pointer, DocPosition at, bool secret = false) => new(DocKind.String, pointer, at) { Text = s, IsSecret = secret };
    public static DocNode Array(IReadOnlyList<DocNode> items, string pointer, DocPosition at) => new(DocKind.Array, pointer, at) { Items = items };
    public static DocNode Object(IReadOnlyList<DocProperty> properties, string pointer, DocPosition at) => new(DocKind.Object, pointer, at) { Properties = properties };

    /// <summary>The same content re-rooted at another pointer (a placeholder's value moved into place).</summary>
    public DocNode Relocate(string pointer, DocPosition at, bool secret)
    {
        return Kind switch
        {
            DocKind.Array => Array(Items.Select((item, i) => item.Relocate($"{pointer}/{i}", at, secret)).ToArray(), pointer, at),
            DocKind.Object => Object(Properties.Select(p => p with { KeyPosition = at, Value = p.Value.Relocate($"{pointer}/{DocPointer.Escape(p.Name)}", at, secret) }).ToArray(), pointer, at),
            _ => new DocNode(Kind, pointer, at) { Text = Text, Bool = Bool, IsSecret = secret || IsSecret },
        };
    }

    /// <summary>The node as a value (§2 literal rules: integral numbers are int, others decimal, exponent form float).</summary>
    public Value ToValue()
    {
        switch (Kind)
        {
            case DocKind.Null: return Value.Null;
            case DocKind.Bool: return Value.FromBool(Bool);
            case DocKind.String: return Value.FromString(Text);
            case DocKind.Number:
                return ValueText.TryParseNumber(Text, out var n) ? n : Value.FromFloat(double.Parse(Text!, System.Globalization.CultureInfo.InvariantCulture));
            case DocKind.Array: return Value.FromList(Items.Select(i => i.ToValue()).ToArray());
            default:
                var names = Properties.Select(p => p.Name).ToArray();
                return Value.FromMap(new MapValue(Schema.Of(names), Properties.Select(p => p.Value.ToValue()).ToArray()));
        }
    }

    /// <summary>A record from an object node.</summary>
    public Record ToRecord()
    {
        if (Kind != DocKind.Object) throw new InvalidOperationException("not an object");
        return new Record(Schema.Of(Properties.Select(p => p.Name).ToArray()), Properties.Select(p => p.Value.ToValue()).ToArray());
    }

    public bool TryGetInt(out long value)
    {
        value = 0;
        return Kind == DocKind.Number && long.TryParse(Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Short description of the node's JSON type for messages.</summary>
    public string Describe() => Kind switch
    {
        DocKind.Null => "null",
        DocKind.Bool => Bool ? "true" : "false",
        DocKind.Number => "number " + Text,
        DocKind.String => IsSecret ? "a string" : $"\"{Text}\"",
        DocKind.Array => "an array",
        _ => "an object",
    };

    public override string ToString() => DocWriter.ToJson(this, redactSecrets: true);
}
