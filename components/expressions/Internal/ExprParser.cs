using Ocht.Document;
using Ocht.Values;

namespace Ocht.Expressions;

/// <summary>Document node to <see cref="Expr"/>, with every problem reported at its position.</summary>
internal static class ExprParser
{
    private static readonly string[] SpecialNames = ["lit", "get"];

    public static Expr? Parse(DocNode node, Diagnostics diagnostics, FieldScope scope)
    {
        int before = diagnostics.Count;
        var expr = ParseNode(node, diagnostics, scope);
        return diagnostics.Count == before ? expr : null;
    }

    private static Expr? ParseNode(DocNode node, Diagnostics d, FieldScope scope)
    {
        switch (node.Kind)
        {
            case DocKind.String:
                return node.Text!.StartsWith(':') ? ParseField(node, node.Text[1..], split: true, d, scope) : new Literal(node.ToValue(), node);
            case DocKind.Number or DocKind.Bool or DocKind.Null:
                return new Literal(node.ToValue(), node);
            case DocKind.Object:
                d.Add(node, "an expression cannot be an object; write [\"lit\", {...}] for a map value");
                return null;
        }
        if (node.Items.Count == 0)
        {
            d.Add(node, "an empty list is not an expression; an application starts with its operator, e.g. [\"=\", \":status\", \"paid\"]");
            return null;
        }
        var head = node.Items[0];
        if (!head.IsString)
        {
            d.Add(head, $"an expression list starts with an operator name, found {head.Describe()}; write [\"lit\", [...]] for a list value");
            return null;
        }
        string op = head.Text!;
        var args = node.Items.Skip(1).ToArray();
        switch (op)
        {
            case "lit":
                if (args.Length != 1) { d.Add(node, $"\"lit\" takes 1 argument, found {args.Length}"); return null; }
                return new Literal(args[0].ToValue(), node);
            case "get":
                if (args.Length != 1 || !args[0].IsString) { d.Add(node, "\"get\" takes one field name as text, e.g. [\"get\", \"price.usd\"]"); return null; }
                return ParseField(args[0], args[0].Text!, split: false, d, scope, node);
        }
        var def = Catalog.Find(op);
        if (def is null)
        {
            string hint = Suggest.Hint(op, Catalog.All.Select(f => f.Spec.Name).Concat(SpecialNames));
            string extra = op == "desc" ? "; \"desc\" is only allowed in sort keys" : "";
            d.Add(head, $"unknown operator \"{op}\"{hint}{extra}");
            foreach (var a in args) ParseNode(a, d, scope);
            return null;
        }
        var spec = def.Spec;
        if (args.Length < spec.MinArgs || args.Length > spec.MaxArgs)
            d.Add(node, $"\"{op}\" takes {spec.ArityText}, found {args.Length}: {spec.Signature}");
        var parsed = new List<Expr>(args.Length);
        bool ok = true;
        foreach (var a in args)
        {
            var e = ParseNode(a, d, scope);
            if (e is null) ok = false;
            else parsed.Add(e);
        }
        return ok ? new Call(op, parsed, node) : null;
    }

    private static FieldRef? ParseField(DocNode node, string text, bool split, Diagnostics d, FieldScope scope, DocNode? owner = null)
    {
        if (text.Length == 0)
        {
            d.Add(node, split ? "\":\" alone is not a field reference; write \":name\"" : "\"get\" needs a field name");
            return null;
        }
        string[] path = split ? text.Split('.') : [text];
        if (path.Any(p => p.Length == 0))
        {
            d.Add(node, $"\":{text}\" has an empty part; a path is written \":a.b\" (use [\"get\", \"{text}\"] for a name with dots)");
            return null;
        }
        if (!scope.Has(path[0]))
        {
            string hint = Suggest.Hint(path[0], scope.Fields!);
            d.Add(node, $"unknown field \"{path[0]}\"{hint} (fields here: {Fields(scope)})");
            return null;
        }
        return new FieldRef(path, owner ?? node);
    }

    private static string Fields(FieldScope scope) =>
        scope.Fields!.Count <= 12 ? string.Join(", ", scope.Fields) : string.Join(", ", scope.Fields.Take(12)) + ", ...";
}
