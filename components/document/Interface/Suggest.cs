namespace Ocht.Document;

/// <summary>"Did you mean": the closest candidate by edit distance (with transpositions), if close enough.</summary>
public static class Suggest
{
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (string.Equals(candidate, input, StringComparison.OrdinalIgnoreCase))
                return candidate;
            // "integer" means "int", "dead" means "dead-letter": a prefix either way is a strong hint.
            if (Math.Min(input.Length, candidate.Length) >= 3
                && (input.StartsWith(candidate, StringComparison.OrdinalIgnoreCase) || candidate.StartsWith(input, StringComparison.OrdinalIgnoreCase)))
                return candidate;
            int d = Distance(input.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance || (d == bestDistance && string.CompareOrdinal(candidate, best) < 0))
            {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.Max(1, Math.Min(3, (input.Length + 2) / 3));
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    /// <summary>"; did you mean "x"?" or empty.</summary>
    public static string Hint(string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } s ? $"; did you mean \"{s}\"?" : "";
}
