using Npgsql;
using Npgsql.PostgresTypes;
using Ocht.Values;

namespace Ocht.Postgres;

/// <summary>How one result column becomes Ocht values (§2); chosen once per query from the column's type.</summary>
internal enum ColumnReader : byte
{
    Bool,
    Int16,
    Int32,
    Int64,
    Numeric,
    Float32,
    Float64,
    Text,
    Uuid,
    Date,
    Timestamp,
    Json,
}

internal static class ColumnReaders
{
    /// <summary>The reader for a column's type (domains by their base type), or null when unsupported.</summary>
    public static ColumnReader? For(PostgresType type) => type switch
    {
        PostgresDomainType domain => For(domain.BaseType),
        _ => type.InternalName switch
        {
            "bool" => ColumnReader.Bool,
            "int2" => ColumnReader.Int16,
            "int4" => ColumnReader.Int32,
            "int8" => ColumnReader.Int64,
            "numeric" => ColumnReader.Numeric,
            "float4" => ColumnReader.Float32,
            "float8" => ColumnReader.Float64,
            "text" or "varchar" or "bpchar" or "name" or "citext" or "char" => ColumnReader.Text,
            "uuid" => ColumnReader.Uuid,
            "date" => ColumnReader.Date,
            "timestamp" or "timestamptz" => ColumnReader.Timestamp,
            "json" or "jsonb" => ColumnReader.Json,
            _ => null,
        },
    };

    /// <summary>Reads a non-null cell. Throws InvalidCastException, OverflowException or FormatException
    /// for values Ocht cannot hold (numeric NaN or beyond decimal, infinite dates, JSON numbers out of range).</summary>
    public static Value Read(NpgsqlDataReader reader, int column, ColumnReader kind) => kind switch
    {
        ColumnReader.Bool => Value.FromBool(reader.GetBoolean(column)),
        ColumnReader.Int16 => Value.FromInt(reader.GetInt16(column)),
        ColumnReader.Int32 => Value.FromInt(reader.GetInt32(column)),
        ColumnReader.Int64 => Value.FromInt(reader.GetInt64(column)),
        ColumnReader.Numeric => Value.FromDecimal(reader.GetDecimal(column)),
        ColumnReader.Float32 => Value.FromFloat(reader.GetFloat(column)),
        ColumnReader.Float64 => Value.FromFloat(reader.GetDouble(column)),
        ColumnReader.Text => Value.FromString(reader.GetString(column)),
        ColumnReader.Uuid => Value.FromString(reader.GetGuid(column).ToString()),
        ColumnReader.Date => Value.FromTimestamp(reader.GetFieldValue<DateOnly>(column).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)),
        // timestamptz comes as UTC; timestamp without zone as Unspecified, which Ocht takes as UTC.
        ColumnReader.Timestamp => Value.FromTimestamp(reader.GetDateTime(column)),
        _ => ValueJson.Parse(reader.GetString(column)),
    };
}
