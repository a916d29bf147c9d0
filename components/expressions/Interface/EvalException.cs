using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>
/// A record cannot be evaluated (type error, arithmetic error, regex timeout): the record is
/// rejected with this reason (§6). <see cref="Operand"/> says which argument was at fault so the
/// message can name its field.
/// </summary>
public sealed class EvalException : Exception
{
    public EvalException(string kind, string message, int? operand = null, string? field = null) : base(message)
    {
        Kind = kind;
        Operand = operand;
        Field = field;
    }

    /// <summary>One of <see cref="Rejection.Kinds"/>.</summary>
    public string Kind { get; }
    public int? Operand { get; }
    public string? Field { get; }

    public override string Message => Field is null ? base.Message : $"{base.Message} (field \"{Field}\")";

    internal EvalException WithField(string field) => new(Kind, base.Message, null, field);

    public static EvalException Type(string message, int? operand = null) => new(Rejection.Kinds.Type, message, operand);
    public static EvalException Arithmetic(string message, int? operand = null) => new(Rejection.Kinds.Arithmetic, message, operand);
}
