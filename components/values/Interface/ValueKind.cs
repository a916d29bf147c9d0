namespace Ocht.Values;

/// <summary>The value types of pipeline-v1 §2. The numeric order is also the cross-kind sort rank.</summary>
public enum ValueKind : byte
{
    Null = 0,
    Bool,
    Int,
    Decimal,
    Float,
    String,
    Timestamp,
    List,
    Map,
}
