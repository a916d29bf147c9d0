using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Ocht.Workspace;

/// <summary>A type declared at namespace level (nested types cannot be more visible than their container).</summary>
internal sealed record TypeDeclaration(string Name, int Line, bool IsPublic, int PublicMembers);

/// <summary>A dotted name as written in code, e.g. <c>Ocht.Model.Explain</c>, <c>File.ReadAllText</c> or <c>Random</c>;
/// it starts where no member access precedes it, so <c>plan.Path</c> is the chain <c>plan.Path</c>, never <c>Path</c>.</summary>
internal sealed record DottedName(IReadOnlyList<string> Segments, int Line);

/// <summary>One C# file of a brick, parsed (syntax only): what the checks and info read from it.
/// Comments and string contents are trivia or single tokens, so nothing in them counts as code.</summary>
internal sealed class SourceFile
{
    private SourceFile(string relativePath, IReadOnlyList<TypeDeclaration> types, IReadOnlyList<DottedName> names,
        IReadOnlyList<(string Assembly, int Line)> internalsVisibleTo, int codeLines)
    {
        RelativePath = relativePath;
        Types = types;
        Names = names;
        InternalsVisibleTo = internalsVisibleTo;
        CodeLines = codeLines;
    }

    public string RelativePath { get; }
    public IReadOnlyList<TypeDeclaration> Types { get; }
    /// <summary>Every dotted name in code, except the file's own namespace declaration.</summary>
    public IReadOnlyList<DottedName> Names { get; }
    /// <summary>[assembly: InternalsVisibleTo("...")] attributes.</summary>
    public IReadOnlyList<(string Assembly, int Line)> InternalsVisibleTo { get; }
    /// <summary>Lines holding at least one token: neither blank nor only comments.</summary>
    public int CodeLines { get; }

    public static SourceFile Parse(string root, string path)
    {
        var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path), path: path);
        var unit = tree.GetCompilationUnitRoot();
        var tokens = unit.DescendantTokens().ToArray();
        int codeLines = tokens.Select(Line).Distinct().Count();
        return new SourceFile(Paths.Relative(root, path), TopLevelTypes(unit), DottedNames(tokens), Grants(unit), codeLines);
    }

    private static int Line(SyntaxToken token) => token.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    private static TypeDeclaration[] TopLevelTypes(CompilationUnitSyntax unit) =>
        unit.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .OfType<MemberDeclarationSyntax>()
            .Where(m => m is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax)
            .Select(m => new TypeDeclaration(TypeName(m), Line(NameToken(m)), m.Modifiers.Any(SyntaxKind.PublicKeyword), PublicMembers(m)))
            .ToArray();

    private static SyntaxToken NameToken(MemberDeclarationSyntax m) => m switch
    {
        BaseTypeDeclarationSyntax t => t.Identifier,
        DelegateDeclarationSyntax d => d.Identifier,
        _ => m.GetFirstToken(),
    };

    private static string TypeName(MemberDeclarationSyntax m) => NameToken(m).ValueText;

    /// <summary>Members a caller outside the brick can use: public ones, an interface's members, enum
    /// values and a record's positional parameters.</summary>
    private static int PublicMembers(MemberDeclarationSyntax type) => type switch
    {
        EnumDeclarationSyntax e => e.Members.Count,
        InterfaceDeclarationSyntax i => i.Members.Count,
        TypeDeclarationSyntax t => (t.ParameterList?.Parameters.Count ?? 0) + t.Members.Count(m => m.Modifiers.Any(SyntaxKind.PublicKeyword)),
        _ => 0,
    };

    private static DottedName[] DottedNames(SyntaxToken[] tokens)
    {
        var names = new List<DottedName>();
        for (int i = 0; i < tokens.Length; i++)
        {
            if (!tokens[i].IsKind(SyntaxKind.IdentifierToken) || !StartsChain(tokens, i)) continue;
            var segments = new List<string> { tokens[i].ValueText };
            int end = i;
            while (end + 2 < tokens.Length && tokens[end + 1].IsKind(SyntaxKind.DotToken) && tokens[end + 2].IsKind(SyntaxKind.IdentifierToken))
            {
                end += 2;
                segments.Add(tokens[end].ValueText);
            }
            if (!(i > 0 && tokens[i - 1].IsKind(SyntaxKind.NamespaceKeyword))) names.Add(new DottedName(segments, Line(tokens[i])));
            i = end;
        }
        return names.ToArray();
    }

    /// <summary>A dotted name starts at an identifier that is not a member of something before it
    /// (<c>global::</c> only roots it).</summary>
    private static bool StartsChain(SyntaxToken[] tokens, int i)
    {
        if (i == 0) return true;
        var before = tokens[i - 1];
        if (before.IsKind(SyntaxKind.ColonColonToken)) return i >= 2 && tokens[i - 2].IsKind(SyntaxKind.GlobalKeyword);
        return !before.IsKind(SyntaxKind.DotToken) && !before.IsKind(SyntaxKind.MinusGreaterThanToken);
    }

    private static (string, int)[] Grants(CompilationUnitSyntax unit) =>
        unit.AttributeLists.SelectMany(list => list.Attributes)
            .Where(a => a.Name.ToString().Split('.')[^1] is "InternalsVisibleTo" or "InternalsVisibleToAttribute")
            .Select(a => (a.ArgumentList?.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax literal ? literal.Token.ValueText : "",
                Line(a.GetFirstToken())))
            .ToArray();
}
