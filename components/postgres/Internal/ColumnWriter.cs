using Ocht.Values;

namespace Ocht.Postgres;

/// <summary>A column of the target table as the catalog describes it (domains by their base type).</summary>
internal sealed class TableColumn
{
    public string Name { get; set; } = "";
    /// <summary>The type as PostgreSQL prints it, e.g. "character varying(20)".</summary>
    public string Display { get; set; } = "";
    /// <summary>The base type's internal name, e.g. "varchar".</summary>
    public string Type { get; set; } = "";
    public int TypMod { get; set; }
    public bool NotNull { get; set; }
}

/// <summary>
/// Checks a value against one column's type before it goes into COPY, so a record that does not fit is
/// rejected with the column and the reason instead of failing the whole batch on the server; then
/// writes it in the column's binary format. Conversions are only the lossless ones (plus floats).
/// </summary>
internal sealed class ColumnWriter
{
    private enum Kind : byte { Int16, Int32, Int64, Numeric, Float32, Float64, Bool, Text, Uuid, Date, Timestamp, TimestampTz, Json, Jsonb }

    private readonly Kind _kind;
    private readonly int _maxChars = -1;
    private readonly int _integerDigits = -1, _scale = -1;

    private ColumnWriter(TableColumn column, Kind kind)
    {
        Column = column;
        _kind = kind;
        if (kind == Kind.Text && column.TypMod >= 4) _maxChars = column.TypMod - 4;
        if (kind == Kind.Numeric && column.TypMod >= 4)
        {
            int precision = ((column.TypMod - 4) >> 16) & 0xFFFF;
            _scale = (short)((column.TypMod - 4) & 0xFFFF);
            _integerDigits = precision - _scale;
        }
    }

    public TableColumn Column { get; }

    /// <summary>smallint, integer or bigint: values compare as exactly in PostgreSQL as here.</summary>
    public bool IsInteger => _kind is Kind.Int16 or Kind.Int32 or Kind.Int64;

    /// <summary>The writer for a column, or null when the sink cannot write its type.</summary>
    public static ColumnWriter? For(TableColumn column)
    {
        Kind? kind = column.Type switch
        {
            "int2" => Kind.Int16,
            "int4" => Kind.Int32,
            "int8" => Kind.Int64,
            "numeric" => Kind.Numeric,
            "float4" => Kind.Float32,
            "float8" => Kind.Float64,
            "bool" => Kind.Bool,
            "text" or "varchar" or "bpchar" or "citext" => Kind.Text,
            "uuid" => Kind.Uuid,
            "date" => Kind.Date,
            "timestamp" => Kind.Timestamp,
            "timestamptz" => Kind.TimestampTz,
            "json" => Kind.Json,
            "jsonb" => Kind.Jsonb,
            _ => null,
        };
        return kind is { } k ? new ColumnWriter(column, k) : null;
    }

    /// <summary>Why the value cannot go into this column, or null when it can.</summary>
    public string? Check(in Value v)
    {
        if (v.IsNull) return Column.NotNull ? $"column \"{Column.Name}\" is NOT NULL and the value is null" : null;
        bool fits = _kind switch
        {
            Kind.Int16 => v.Kind == ValueKind.Int && v.AsInt is >= short.MinValue and <= short.MaxValue,
            Kind.Int32 => v.Kind == ValueKind.Int && v.AsInt is >= int.MinValue and <= int.MaxValue,
            Kind.Int64 => v.Kind == ValueKind.Int,
            Kind.Numeric => v.Kind is ValueKind.Int or ValueKind.Decimal && FitsPrecision(v.ToDecimal()),
            Kind.Float32 or Kind.Float64 => v.IsNumber,
            Kind.Bool => v.Kind == ValueKind.Bool,
            Kind.Text => v.Kind == ValueKind.String && !HasNul(v) && (_maxChars < 0 || CharCount(v.AsString) <= _maxChars),
            Kind.Uuid => v.Kind == ValueKind.String && Guid.TryParse(v.AsString, out _),
            Kind.Date => v.Kind == ValueKind.Timestamp && v.TimestampTicks % TimeSpan.TicksPerDay == 0,
            Kind.Timestamp or Kind.TimestampTz => v.Kind == ValueKind.Timestamp,
            Kind.Jsonb => !HasNul(v),
            _ => true,
        };
        return fits ? null : $"column \"{Column.Name}\" ({Column.Display}) cannot take {Describe(v)}{Why(v)}";
    }

    private string Why(in Value v) => _kind switch
    {
        Kind.Int16 or Kind.Int32 when v.Kind == ValueKind.Int => ": out of range",
        Kind.Numeric when v.Kind is ValueKind.Int or ValueKind.Decimal => $": more than {_integerDigits} digits before the point",
        Kind.Text or Kind.Jsonb when HasNul(v) => ": it contains the character U+0000, which PostgreSQL cannot store in text or jsonb",
        Kind.Text when v.Kind == ValueKind.String => $": longer than {_maxChars} characters",
        Kind.Uuid when v.Kind == ValueKind.String => ": not a UUID",
        Kind.Date when v.Kind == ValueKind.Timestamp => ": it has a time of day",
        _ => "",
    };

    /// <summary>Whether the value (or, in a list or map, any string or key in it) holds U+0000: the server would
    /// refuse the whole COPY over it, so the record is rejected here instead.</summary>
    private static bool HasNul(in Value v)
    {
        switch (v.Kind)
        {
            case ValueKind.String: return v.AsString.Contains('\0');
            case ValueKind.List:
                foreach (var item in v.AsList)
                    if (HasNul(item)) return true;
                return false;
            case ValueKind.Map:
                foreach (var key in v.AsMap.Keys.Names)
                    if (key.Contains('\0')) return true;
                foreach (var item in v.AsMap.Values)
                    if (HasNul(item)) return true;
                return false;
            default: return false;
        }
    }

    private static string Describe(in Value v)
    {
        string text = ValueJson.ToJson(v);
        if (text.Length > 60) text = text[..57] + "...";
        string kind = v.Kind switch
        {
            ValueKind.String => "text",
            _ => v.Kind.ToString().ToLowerInvariant(),
        };
        return $"{kind} {text}";
    }

    private bool FitsPrecision(decimal d)
    {
        if (_integerDigits < 0 || _integerDigits > 28) return true;
        decimal rounded = _scale is >= 0 and <= 28 ? Math.Round(d, _scale, MidpointRounding.AwayFromZero) : d;
        return Math.Abs(rounded) < Pow10(_integerDigits);
    }

    private static decimal Pow10(int n)
    {
        decimal r = 1;
        for (int i = 0; i < n; i++) r *= 10;
        return r;
    }

    /// <summary>Characters as PostgreSQL counts them (code points), counting only when it matters.</summary>
    private int CharCount(string s) => s.Length <= _maxChars ? s.Length : s.EnumerateRunes().Count();

    /// <summary>Encodes a value that passed <see cref="Check"/> as one field of a binary COPY row.</summary>
    public void Encode(CopyBuffer into, in Value v)
    {
        if (v.IsNull)
        {
            into.WriteNull();
            return;
        }
        switch (_kind)
        {
            case Kind.Int16: into.WriteInt16Field((short)v.AsInt); break;
            case Kind.Int32: into.WriteInt32Field((int)v.AsInt); break;
            case Kind.Int64: into.WriteInt64Field(v.AsInt); break;
            case Kind.Numeric: into.WriteNumericField(v.ToDecimal()); break;
            case Kind.Float32: into.WriteFloat32Field((float)v.ToDouble()); break;
            case Kind.Float64: into.WriteFloat64Field(v.ToDouble()); break;
            case Kind.Bool: into.WriteBoolField(v.AsBool); break;
            case Kind.Text: into.WriteTextField(v.AsString); break;
            case Kind.Uuid: into.WriteUuidField(Guid.Parse(v.AsString)); break;
            case Kind.Date: into.WriteInt32Field(PgDays(v.TimestampTicks)); break;
            case Kind.Timestamp or Kind.TimestampTz: into.WriteInt64Field(PgMicroseconds(v.TimestampTicks)); break;
            case Kind.Json: into.WriteJsonField(v, jsonb: false); break;
            default: into.WriteJsonField(v, jsonb: true); break;
        }
    }

    private static readonly long PgEpochTicks = new DateTime(2000, 1, 1).Ticks;
    private static readonly int PgEpochDay = new DateOnly(2000, 1, 1).DayNumber;

    /// <summary>Microseconds since 2000-01-01, the smallest and largest instants as -infinity and infinity (as Npgsql maps them).</summary>
    private static long PgMicroseconds(long ticks) =>
        ticks == DateTime.MaxValue.Ticks ? long.MaxValue
        : ticks == DateTime.MinValue.Ticks ? long.MinValue
        : (ticks - PgEpochTicks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>Days since 2000-01-01, the first and last days as -infinity and infinity.</summary>
    private static int PgDays(long ticks)
    {
        var day = DateOnly.FromDateTime(new DateTime(ticks));
        return day == DateOnly.MaxValue ? int.MaxValue : day == DateOnly.MinValue ? int.MinValue : day.DayNumber - PgEpochDay;
    }

    /// <summary>The column type <c>create</c> gives a field of this kind (the kind of its first non-null value).</summary>
    public static string CreateType(ValueKind kind) => kind switch
    {
        ValueKind.Bool => "boolean",
        ValueKind.Int => "bigint",
        ValueKind.Decimal => "numeric",
        ValueKind.Float => "double precision",
        ValueKind.Timestamp => "timestamptz",
        ValueKind.List or ValueKind.Map => "jsonb",
        _ => "text",
    };
}
