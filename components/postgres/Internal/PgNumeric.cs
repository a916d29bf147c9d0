using System.Buffers.Binary;

namespace Ocht.Postgres;

/// <summary>
/// A decimal in PostgreSQL's binary numeric format: int16 digit count, int16 weight (of the first digit,
/// in powers of 10000), int16 sign, int16 display scale, then base-10000 digits, most significant first,
/// grouped from the decimal point. Leading and trailing zero digits are left out, as PostgreSQL does.
/// </summary>
internal static class PgNumeric
{
    private const ushort Positive = 0x0000, Negative = 0x4000;
    /// <summary>A decimal's 96-bit mantissa padded to whole fraction groups has at most 32 decimal digits: 8 groups (+1 spare).</summary>
    private const int MaxGroups = 9;
    public const int MaxBytes = 8 + 2 * MaxGroups;

    private static readonly uint[] PowersOfTen = [1, 10, 100, 1000];

    public static int Write(decimal d, Span<byte> into)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(d, bits);
        int scale = (bits[3] >> 16) & 0xFF;
        bool negative = bits[3] < 0;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];

        // Pad the fraction to whole groups of four digits so the groups line up with the decimal point.
        int pad = (4 - scale % 4) % 4;
        mantissa *= PowersOfTen[pad];
        int fractionGroups = (scale + pad) / 4;

        Span<ushort> groups = stackalloc ushort[MaxGroups]; // least significant first
        int count = 0;
        while (mantissa != 0)
        {
            groups[count++] = (ushort)(mantissa % 10000);
            mantissa /= 10000;
        }
        int weight = count - 1 - fractionGroups;
        int low = 0;
        while (low < count && groups[low] == 0) low++; // trailing zero digits of the fraction
        int digits = count - low;
        if (digits == 0) weight = 0;

        BinaryPrimitives.WriteInt16BigEndian(into, (short)digits);
        BinaryPrimitives.WriteInt16BigEndian(into[2..], (short)weight);
        BinaryPrimitives.WriteUInt16BigEndian(into[4..], negative && digits > 0 ? Negative : Positive);
        BinaryPrimitives.WriteInt16BigEndian(into[6..], (short)scale);
        int at = 8;
        for (int g = count - 1; g >= low; g--, at += 2) BinaryPrimitives.WriteInt16BigEndian(into[at..], (short)groups[g]);
        return at;
    }
}
