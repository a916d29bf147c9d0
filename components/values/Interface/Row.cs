namespace Ocht.Values;

/// <summary>A view of one record's cells with its schema: what expressions evaluate against.</summary>
public readonly ref struct Row(Schema schema, ReadOnlySpan<Value> cells)
{
    public Schema Schema { get; } = schema;
    public ReadOnlySpan<Value> Cells { get; } = cells;

    public Value this[string field] => Schema.IndexOf(field) is var i and >= 0 ? Cells[i] : Value.Null;

    public static Row Of(Batch batch, int row) => new(batch.Schema, batch.Row(row));
    public static Row Of(Record record) => new(record.Schema, record.Values);
}
