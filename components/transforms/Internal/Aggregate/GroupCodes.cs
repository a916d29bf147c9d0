using System.Numerics;
using Ocht.Values;

namespace Ocht.Transforms;

/// <summary>
/// Finds groups by one or two key fields without building or hashing whole keys: each field's values get
/// small codes (equal keys, one code: <see cref="Value"/>'s equality is key equality), and the codes
/// index a table of groups. Text met again as the same instance, as a source's text cache hands it out,
/// finds its code by a reference check. Meant for the usual few groups: when the table would pass
/// <see cref="MaxSlots"/> it lets go of it, and the group table answers alone.
/// </summary>
internal sealed class GroupCodes
{
    private const int MaxSlots = 1 << 18;
    private readonly FieldCodes[] _fields;
    // Group of codes (c0, c1) at c0 << _secondBits | c1; one field: at c0.
    private Group?[]? _table = new Group?[64];
    private int _secondBits;

    private GroupCodes(int fields)
    {
        _fields = new FieldCodes[fields];
        for (int k = 0; k < fields; k++) _fields[k] = new FieldCodes();
        _secondBits = fields == 2 ? 3 : 0;
    }

    /// <summary>Codes for <paramref name="keyFields"/> key fields; null when there are none or more than two.</summary>
    public static GroupCodes? For(int keyFields) => keyFields is 1 or 2 ? new GroupCodes(keyFields) : null;

    /// <summary>The group whose key is <paramref name="cells"/> at <paramref name="slots"/> (-1: null), created in
    /// <paramref name="table"/> when new.</summary>
    public Group Find(ReadOnlySpan<Value> cells, int[] slots, GroupTable table, Value[] scratch)
    {
        if (_table is not { } groups) return table.Find(cells, slots, scratch, out _);
        int index = _fields[0].Code(slots[0] >= 0 ? ref cells[slots[0]] : ref Value.Null);
        if (index < 0) return GiveUpAndFind(cells, slots, table, scratch);
        if (_fields.Length == 2)
        {
            int second = _fields[1].Code(slots[1] >= 0 ? ref cells[slots[1]] : ref Value.Null);
            if (second < 0) return GiveUpAndFind(cells, slots, table, scratch);
            if (second >> _secondBits != 0)
            {
                if (WidenSecond(groups, second) is not { } wider) return table.Find(cells, slots, scratch, out _);
                groups = wider;
            }
            index = (index << _secondBits) | second;
        }
        if ((uint)index >= (uint)groups.Length)
        {
            if (Grow(groups, index) is not { } grown) return table.Find(cells, slots, scratch, out _);
            groups = grown;
        }
        return groups[index] ??= table.Find(cells, slots, scratch, out _);
    }

    /// <summary>Forgets which codes lead to which group (groups were taken back).</summary>
    public void ForgetGroups() => _table?.AsSpan().Clear();

    private Group GiveUpAndFind(ReadOnlySpan<Value> cells, int[] slots, GroupTable table, Value[] scratch)
    {
        GiveUp();
        return table.Find(cells, slots, scratch, out _);
    }

    /// <summary>From now on the group table answers alone; the codes go too (they would only hold memory).</summary>
    private Group?[]? GiveUp()
    {
        foreach (var field in _fields) field.Clear();
        return _table = null;
    }

    /// <summary>Room for <paramref name="index"/>; null (given up) past <see cref="MaxSlots"/>.</summary>
    private Group?[]? Grow(Group?[] groups, int index)
    {
        long size = (long)BitOperations.RoundUpToPowerOf2((uint)index + 1);
        if (size > MaxSlots) return GiveUp();
        Array.Resize(ref groups, (int)size);
        return _table = groups;
    }

    /// <summary>Room for second codes up to <paramref name="code"/>: each row of the table gets wider; null
    /// (given up) past <see cref="MaxSlots"/>.</summary>
    private Group?[]? WidenSecond(Group?[] groups, int code)
    {
        int bits = 32 - BitOperations.LeadingZeroCount((uint)code);
        int rows = groups.Length >> _secondBits;
        if ((long)rows << bits > MaxSlots) return GiveUp();
        var wider = new Group?[Math.Max(64, rows << bits)];
        for (int row = 0; row < rows; row++)
            groups.AsSpan(row << _secondBits, 1 << _secondBits).CopyTo(wider.AsSpan(row << bits));
        _secondBits = bits;
        return _table = wider;
    }

    private sealed class FieldCodes
    {
        private const int SlotBits = 8, Slots = 1 << SlotBits;
        private readonly Dictionary<Value, int> _codes = new();
        private readonly string?[] _texts = new string?[Slots];
        private readonly int[] _textCodes = new int[Slots];

        /// <summary>The value's code; -1 for a float, which equals ints and decimals by value without that
        /// equality being transitive (two decimals that differ can both equal one float): codes per field
        /// could then join keys the group table keeps apart.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public int Code(in Value v)
        {
            if (v.Kind == ValueKind.Float) return -1;
            if (v.Kind != ValueKind.String) return Lookup(v);
            var text = v.AsString;
            // The high bits of a multiplicative hash: QuickHash's low bits alone tell little apart (two-letter codes).
            int slot = (int)((uint)Value.QuickHash(text) * 0x9E3779B1u >> (32 - SlotBits));
            if (ReferenceEquals(_texts[slot], text)) return _textCodes[slot];
            int code = Lookup(v);
            _texts[slot] = text;
            _textCodes[slot] = code;
            return code;
        }

        public void Clear()
        {
            _codes.Clear();
            _codes.TrimExcess();
            Array.Clear(_texts);
        }

        private int Lookup(in Value v)
        {
            if (!_codes.TryGetValue(v, out int code)) _codes.Add(v, code = _codes.Count);
            return code;
        }
    }
}
