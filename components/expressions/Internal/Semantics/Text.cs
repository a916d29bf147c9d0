using System.Text;
using System.Text.RegularExpressions;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>Text functions of §3. Positions and lengths count Unicode characters (scalar values), not UTF-16 units.</summary>
internal static class Text
{
    /// <summary>How long one regex match may run before the record is rejected with "regex-timeout".</summary>
    public static readonly TimeSpan RegexTimeLimit = TimeSpan.FromMilliseconds(200);

    /// <summary>Any non-null value as text: scalars in their output form, lists and maps as JSON.</summary>
    public static string Of(in Value v) => v.Kind == ValueKind.String ? v.AsString : ValueText.Format(v);

    public static Value Concat(ReadOnlySpan<Value> args)
    {
        var sb = new StringBuilder();
        foreach (var a in args)
            if (!a.IsNull) sb.Append(Of(a));
        return Value.FromString(sb.ToString());
    }

    public static Value Length(in Value v) => v.Kind switch
    {
        ValueKind.List => Value.FromInt(v.AsList.Length),
        ValueKind.Map => Value.FromInt(v.AsMap.Count),
        _ => Value.FromInt(CountRunes(Of(v))),
    };

    /// <summary>["substr", s, start, length?]: 0-based start; past the end gives "".</summary>
    public static Value Substring(in Value s, long start, long? length)
    {
        if (start < 0) throw EvalException.Type($"\"substr\" start must be 0 or more, found {start}", 1);
        if (length is < 0) throw EvalException.Type($"\"substr\" length must be 0 or more, found {length}", 2);
        string text = Of(s);
        if (!HasSurrogates(text))
        {
            if (start >= text.Length) return Value.FromString("");
            long take = Math.Min(length ?? long.MaxValue, text.Length - start);
            return Value.FromString(text.Substring((int)start, (int)take));
        }
        var sb = new StringBuilder();
        long index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (index >= start && (length is null || index < start + length)) sb.Append(rune.ToString());
            index++;
        }
        return Value.FromString(sb.ToString());
    }

    public static Value Replace(in Value s, in Value from, in Value to)
    {
        string f = Of(from);
        return f.Length == 0 ? Value.FromString(Of(s)) : Value.FromString(Of(s).Replace(f, Of(to), StringComparison.Ordinal));
    }

    public static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant, RegexTimeLimit);

    public static Value Matches(string text, Regex regex)
    {
        try { return Value.FromBool(regex.IsMatch(text)); }
        catch (RegexMatchTimeoutException)
        {
            throw new EvalException(Rejection.Kinds.RegexTimeout,
                $"\"matches\" took longer than {RegexTimeLimit.TotalMilliseconds} ms on a text of {text.Length} characters (pattern {regex})", 0);
        }
    }

    public static int CountRunes(string s)
    {
        if (!HasSurrogates(s)) return s.Length;
        int n = 0;
        foreach (var _ in s.EnumerateRunes()) n++;
        return n;
    }

    private static bool HasSurrogates(string s) => s.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;
}
