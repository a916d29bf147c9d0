using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>
/// ["hash", v1, v2, ...]: SHA-256 over a canonical, typed encoding of the values, first 8 bytes as
/// 16 lowercase hex digits. Stable across runs, machines and versions; equal numbers hash alike
/// whatever their kind (5, 5.0 and 5.00 give one hash), so hash keys agree with "=".
/// </summary>
internal static class Hashing
{
    public static Value Hash(ReadOnlySpan<Value> args)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        foreach (var v in args) Encode(buffer, v);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(buffer.WrittenSpan, digest);
        return Value.FromString(Convert.ToHexStringLower(digest[..8]));
    }

    private static void Encode(ArrayBufferWriter<byte> o, in Value v)
    {
        switch (v.Kind)
        {
            case ValueKind.Null: Tag(o, 'z'); break;
            case ValueKind.Bool: Tag(o, v.AsBool ? 't' : 'f'); break;
            case ValueKind.Int: Long(o, 'n', v.AsInt); break;
            case ValueKind.Decimal:
                {
                    decimal d = v.AsDecimal;
                    if (d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue) Long(o, 'n', (long)d);
                    else Text(o, 'd', (d / 1.0000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    break;
                }
            case ValueKind.Float:
                {
                    double f = v.AsFloat;
                    if (f == Math.Truncate(f) && f >= -9.2233720368547758E18 && f < 9.2233720368547758E18) Long(o, 'n', (long)f);
                    else Long(o, 'x', BitConverter.DoubleToInt64Bits(f));
                    break;
                }
            case ValueKind.String: Text(o, 's', v.AsString); break;
            case ValueKind.Timestamp: Long(o, 'T', v.TimestampTicks); break;
            case ValueKind.List:
                Long(o, 'l', v.AsList.Length);
                foreach (var item in v.AsList) Encode(o, item);
                break;
            default:
                Long(o, 'm', v.AsMap.Count);
                for (int i = 0; i < v.AsMap.Count; i++)
                {
                    Text(o, 'k', v.AsMap.Keys[i]);
                    Encode(o, v.AsMap.Values[i]);
                }
                break;
        }
    }

    private static void Tag(ArrayBufferWriter<byte> o, char tag)
    {
        o.GetSpan(1)[0] = (byte)tag;
        o.Advance(1);
    }

    private static void Long(ArrayBufferWriter<byte> o, char tag, long value)
    {
        Tag(o, tag);
        BinaryPrimitives.WriteInt64LittleEndian(o.GetSpan(8), value);
        o.Advance(8);
    }

    private static void Text(ArrayBufferWriter<byte> o, char tag, string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        Long(o, tag, n);
        Encoding.UTF8.GetBytes(s, o.GetSpan(n));
        o.Advance(n);
    }
}
