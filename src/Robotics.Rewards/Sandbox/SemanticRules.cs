using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Robotics.Rewards.Sandbox;

/// <summary>
/// The sandbox's rules on what the code refers to: every symbol an expression binds to, every type an expression has
/// or is converted to, every user-defined conversion and deconstruction, and every declared signature must pass the
/// <see cref="ApiAllowList"/>. Checking types as well as symbols catches what names alone would miss: boxing to
/// object, a string literal, a tuple holding a forbidden type.
/// </summary>
internal sealed class SemanticRules(SemanticModel model, ApiAllowList allow) : CSharpSyntaxWalker
{
    private readonly List<SandboxDiagnostic> _found = new();
    private readonly HashSet<string> _reported = new();

    public IReadOnlyList<SandboxDiagnostic> Check(SyntaxNode root)
    {
        Visit(root);
        return _found;
    }

    private void Report(SyntaxNode node, string? why)
    {
        // The same forbidden API is named once, at its first use: a list of repeats hides the other problems.
        if (why is not null && _reported.Add(why)) _found.Add(SandboxDiagnostic.At(SandboxDiagnostic.Forbidden, node, why));
    }

    public override void Visit(SyntaxNode? node)
    {
        switch (node)
        {
            case null: return;
            case UsingDirectiveSyntax:
                return; // a using names nothing by itself; what the code then refers to is checked where it is used
            case ExpressionSyntax expression:
                CheckExpression(expression);
                break;
            case MethodDeclarationSyntax or LocalFunctionStatementSyntax:
                CheckSignature(node, (IMethodSymbol?)model.GetDeclaredSymbol(node));
                break;
            case VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax field } declarator:
                if (model.GetDeclaredSymbol(declarator) is IFieldSymbol f)
                {
                    Report(declarator, allow.WhyNotType(f.Type));
                    if (!f.IsConst) Report(declarator, allow.WhyNotImmutable(f.Type) is { } why ? $"field '{f.Name}': {why}" : null);
                }
                break;
            case PropertyDeclarationSyntax property:
                if (model.GetDeclaredSymbol(property) is IPropertySymbol p)
                {
                    Report(property, allow.WhyNotType(p.Type));
                    bool auto = property.AccessorList?.Accessors.Any(a => a.Body is null && a.ExpressionBody is null) == true;
                    if (auto) Report(property, allow.WhyNotImmutable(p.Type) is { } why ? $"property '{p.Name}': {why}" : null);
                }
                break;
        }
        base.Visit(node);
    }

    private void CheckExpression(ExpressionSyntax expression)
    {
        var symbol = model.GetSymbolInfo(expression).Symbol;
        Report(expression, allow.WhyNotSymbol(symbol));
        var info = model.GetTypeInfo(expression);
        // A name that binds to a namespace has no type; a method group has no type either.
        if (symbol is not INamespaceSymbol)
        {
            Report(expression, allow.WhyNotType(info.Type));
            // A foreach collection is "converted" to IEnumerable in the model, though arrays and spans are looped by index.
            if (expression.Parent is not CommonForEachStatementSyntax loop || loop.Expression != expression)
                Report(expression, allow.WhyNotType(info.ConvertedType));
        }
        var conversion = model.GetConversion(expression);
        if (conversion.IsUserDefined) Report(expression, allow.WhyNotSymbol(conversion.MethodSymbol));
        if (expression is AssignmentExpressionSyntax { Left: TupleExpressionSyntax or DeclarationExpressionSyntax } deconstruction)
            CheckDeconstruction(deconstruction, model.GetDeconstructionInfo(deconstruction));
    }

    private void CheckDeconstruction(SyntaxNode node, DeconstructionInfo info)
    {
        Report(node, allow.WhyNotSymbol(info.Method));
        foreach (var nested in info.Nested) CheckDeconstruction(node, nested);
    }

    private void CheckSignature(SyntaxNode node, IMethodSymbol? method)
    {
        if (method is null) return;
        Report(node, allow.WhyNotType(method.ReturnType));
        foreach (var parameter in method.Parameters) Report(node, allow.WhyNotType(parameter.Type));
    }
}
