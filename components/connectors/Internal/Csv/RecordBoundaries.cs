namespace Ocht.Connectors;

/// <summary>
/// Finds where CSV records end without parsing them, so a file can be cut into chunks that decode
/// independently. A quote opens a quoted field only at the start of a field (after the delimiter or a
/// line break), as CsvHelper reads it; a stray quote elsewhere changes nothing; inside quotes a doubled
/// quote is an escaped one. Vectorised searches jump from quote to quote, so the scan costs little
/// next to parsing.
/// </summary>
internal static class RecordBoundaries
{
    /// <summary>The offset just after the last line break that ends a record in <paramref name="s"/>
    /// (which starts at a record boundary), or -1 when no record ends in it.</summary>
    public static int LastEnd(ReadOnlySpan<byte> s, byte delimiter)
    {
        int pos = 0, last = -1;
        while (pos < s.Length)
        {
            int q = s[pos..].IndexOf((byte)'"');
            int outsideEnd = q < 0 ? s.Length : pos + q;
            int nl = s[pos..outsideEnd].LastIndexOf((byte)'\n');
            if (nl >= 0) last = pos + nl + 1;
            if (q < 0) return last;
            pos = outsideEnd + 1;
            byte before = outsideEnd == 0 ? (byte)'\n' : s[outsideEnd - 1];
            if (before != delimiter && before != '\n' && before != '\r') continue; // a stray quote
            while (true)
            {
                int c = s[pos..].IndexOf((byte)'"');
                if (c < 0) return last; // the quoted field goes on past this block
                pos += c + 1;
                if (pos == s.Length) return last; // cannot tell yet whether this quote is doubled
                if (s[pos] != '"') break;
                pos++;
            }
        }
        return last;
    }

    /// <summary>The offset just after the line break that ends the first record, or -1 when it does not end in <paramref name="s"/>.</summary>
    public static int FirstEnd(ReadOnlySpan<byte> s, byte delimiter)
    {
        int pos = 0;
        while (pos < s.Length)
        {
            int q = s[pos..].IndexOf((byte)'"');
            int outsideEnd = q < 0 ? s.Length : pos + q;
            int nl = s[pos..outsideEnd].IndexOf((byte)'\n');
            if (nl >= 0) return pos + nl + 1;
            if (q < 0) return -1;
            pos = outsideEnd + 1;
            byte before = outsideEnd == 0 ? (byte)'\n' : s[outsideEnd - 1];
            if (before != delimiter && before != '\n' && before != '\r') continue;
            while (true)
            {
                int c = s[pos..].IndexOf((byte)'"');
                if (c < 0) return -1;
                pos += c + 1;
                if (pos == s.Length) return -1;
                if (s[pos] != '"') break;
                pos++;
            }
        }
        return -1;
    }
}
