using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Robotics.Rewards.Sandbox;

/// <summary>
/// The sandbox's rules that need no symbols: constructs refused wherever they appear (exceptions, goto, lambdas,
/// unsafe code, attributes, stackalloc …) and the shape of the program (static classes holding methods, constants and
/// read-only fields). Each rule exists because the construct could escape the run-time budget (try/catch would
/// swallow it, goto loops are not counted), run code outside a call (attributes such as [ModuleInitializer], static
/// constructors), reach native code ([DllImport], pointers), or keep state between calls (static mutable fields).
/// </summary>
internal sealed class SyntaxRules(SandboxLimits limits) : CSharpSyntaxWalker(SyntaxWalkerDepth.Token)
{
    /// <summary>Prefix of the names the budget injector generates; programs may not declare such names.</summary>
    public const string ReservedPrefix = "__";

    private readonly List<SandboxDiagnostic> _found = new();

    public IReadOnlyList<SandboxDiagnostic> Check(SyntaxNode root)
    {
        Visit(root);
        return _found;
    }

    private void Refuse(SyntaxNode node, string message) => _found.Add(SandboxDiagnostic.At(SandboxDiagnostic.Forbidden, node, message));

    public override void Visit(SyntaxNode? node)
    {
        if (node is null) return;
        if (Refusal(node) is { } message)
        {
            Refuse(node, message);
            return; // one message per construct; its inside would only repeat it
        }
        base.Visit(node);
    }

    public override void VisitToken(SyntaxToken token)
    {
        if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText.StartsWith(ReservedPrefix, StringComparison.Ordinal)
            && token.Parent is not null && IsDeclarationName(token))
            _found.Add(SandboxDiagnostic.At(SandboxDiagnostic.Forbidden, token.GetLocation(), $"names starting with '{ReservedPrefix}' are reserved for the sandbox: '{token.ValueText}'"));
        base.VisitToken(token);
    }

    private static bool IsDeclarationName(SyntaxToken token) => token.Parent switch
    {
        BaseTypeDeclarationSyntax t => t.Identifier == token,
        MethodDeclarationSyntax m => m.Identifier == token,
        LocalFunctionStatementSyntax f => f.Identifier == token,
        VariableDeclaratorSyntax v => v.Identifier == token,
        ParameterSyntax p => p.Identifier == token,
        PropertyDeclarationSyntax p => p.Identifier == token,
        SingleVariableDesignationSyntax => true,
        _ => false,
    };

    /// <summary>Why the node is refused, or null.</summary>
    private string? Refusal(SyntaxNode node) => node switch
    {
        AttributeListSyntax a => $"attributes are not allowed ([{string.Join(", ", a.Attributes.Select(x => x.Name.ToString()))}]): they can import native code or run code outside a reward call",
        GlobalStatementSyntax => "top-level statements are not allowed: put the code in RewardProgram.Compute",
        ExternAliasDirectiveSyntax => "extern alias is not allowed",
        UsingDirectiveSyntax u when u.UnsafeKeyword.IsKind(SyntaxKind.UnsafeKeyword) => "unsafe code is not allowed",
        UnsafeStatementSyntax => "unsafe code is not allowed",
        FixedStatementSyntax => "fixed (pinning memory for pointers) is not allowed",
        PointerTypeSyntax => $"pointer types are not allowed ({node})",
        FunctionPointerTypeSyntax => "function pointers are not allowed",
        StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax =>
            "stackalloc is not allowed: stack memory is not bounded by the sandbox",
        PrefixUnaryExpressionSyntax p when p.IsKind(SyntaxKind.AddressOfExpression) || p.IsKind(SyntaxKind.PointerIndirectionExpression) =>
            "pointer operations (& and *) are not allowed",
        MemberAccessExpressionSyntax m when m.IsKind(SyntaxKind.PointerMemberAccessExpression) => "pointer member access (->) is not allowed",
        SizeOfExpressionSyntax s when s.Type is PointerTypeSyntax => "pointer types are not allowed",
        TryStatementSyntax => "try/catch/finally is not allowed: a program cannot catch the sandbox's limits; guard against bad values instead",
        ThrowStatementSyntax or ThrowExpressionSyntax => "throw is not allowed: return a reward for every state",
        GotoStatementSyntax or LabeledStatementSyntax => "goto and labels are not allowed: use a loop",
        LockStatementSyntax => "lock is not allowed: programs have no shared state to lock",
        UsingStatementSyntax => "using statements are not allowed",
        LocalDeclarationStatementSyntax l when l.UsingKeyword.IsKind(SyntaxKind.UsingKeyword) => "using declarations are not allowed",
        YieldStatementSyntax => "yield (iterators) is not allowed",
        AwaitExpressionSyntax => "await is not allowed: reward programs are synchronous",
        QueryExpressionSyntax => "LINQ query expressions are not allowed: use a loop",
        AnonymousFunctionExpressionSyntax => "lambdas and anonymous methods are not allowed: write a static helper method",
        AnonymousObjectCreationExpressionSyntax => "anonymous types are not allowed",
        CollectionExpressionSyntax => "collection expressions ([...]) are not allowed: use new double[] { ... }",
        MakeRefExpressionSyntax or RefTypeExpressionSyntax or RefValueExpressionSyntax => "__makeref, __reftype and __refvalue are not allowed",
        TypeOfExpressionSyntax => "typeof is not allowed: reflection is outside the sandbox",
        ArrayCreationExpressionSyntax a => ArrayCreation(a),
        ImplicitArrayCreationExpressionSyntax i => Elements(i.Initializer.Expressions.Count),
        InitializerExpressionSyntax i when i.IsKind(SyntaxKind.ArrayInitializerExpression) => Elements(i.Expressions.Count),
        ArrayTypeSyntax t when t.RankSpecifiers.Any(r => r.Rank > 1) => "multi-dimensional arrays are not allowed: use jagged arrays (double[][])",
        // The program's shape.
        BaseNamespaceDeclarationSyntax => null,
        ClassDeclarationSyntax c => ClassShape(c),
        BaseTypeDeclarationSyntax t => $"only static classes may be declared, not '{t.Identifier.Text}' ({t.Kind().ToString().Replace("Declaration", "").ToLowerInvariant()}): programs hold no objects",
        DelegateDeclarationSyntax => "delegate types are not allowed",
        MethodDeclarationSyntax m => MethodShape(m.Modifiers, m.TypeParameterList, m.ReturnType, m.Identifier.Text),
        LocalFunctionStatementSyntax f => MethodShape(f.Modifiers, f.TypeParameterList, f.ReturnType, f.Identifier.Text),
        FieldDeclarationSyntax f => FieldShape(f),
        PropertyDeclarationSyntax p => PropertyShape(p),
        ConstructorDeclarationSyntax => "constructors are not allowed (a static constructor would run outside a reward call)",
        DestructorDeclarationSyntax => "finalizers are not allowed",
        EventDeclarationSyntax or EventFieldDeclarationSyntax => "events are not allowed",
        OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax => "operator declarations are not allowed",
        IndexerDeclarationSyntax => "indexers are not allowed",
        _ => null,
    };

    private string? ArrayCreation(ArrayCreationExpressionSyntax a)
    {
        if (a.Initializer is not null) return Elements(a.Initializer.Expressions.Count);
        foreach (var rank in a.Type.RankSpecifiers)
        foreach (var size in rank.Sizes)
        {
            if (size is OmittedArraySizeExpressionSyntax) continue;
            if (size is not LiteralExpressionSyntax literal || !literal.IsKind(SyntaxKind.NumericLiteralExpression))
                return $"array length must be a number literal (at most {limits.MaxArrayLength}), not '{size}': allocations are bounded";
            if (literal.Token.Value is not int n || n > limits.MaxArrayLength)
                return $"array of {literal.Token.ValueText} elements is larger than the limit of {limits.MaxArrayLength}";
        }
        return null;
    }

    private string? Elements(int count) =>
        count > limits.MaxArrayLength ? $"array of {count} elements is larger than the limit of {limits.MaxArrayLength}" : null;

    private static string? ClassShape(ClassDeclarationSyntax c)
    {
        if (!c.Modifiers.Any(SyntaxKind.StaticKeyword)) return $"class '{c.Identifier.Text}' must be static: programs hold no objects (write 'public static class {c.Identifier.Text}')";
        if (c.TypeParameterList is not null) return $"generic classes are not allowed ('{c.Identifier.Text}')";
        if (c.BaseList is not null) return $"class '{c.Identifier.Text}' may not inherit or implement anything";
        return null;
    }

    private static string? MethodShape(SyntaxTokenList modifiers, TypeParameterListSyntax? typeParameters, TypeSyntax returnType, string name)
    {
        if (modifiers.Any(SyntaxKind.ExternKeyword)) return $"extern methods (native code) are not allowed: '{name}'";
        if (modifiers.Any(SyntaxKind.UnsafeKeyword)) return $"unsafe code is not allowed: '{name}'";
        if (modifiers.Any(SyntaxKind.AsyncKeyword)) return $"async methods are not allowed: '{name}'";
        if (typeParameters is not null) return $"generic methods are not allowed: '{name}'";
        if (returnType is RefTypeSyntax) return $"ref returns are not allowed: '{name}'";
        return null;
    }

    private static string? FieldShape(FieldDeclarationSyntax f)
    {
        var names = string.Join(", ", f.Declaration.Variables.Select(v => v.Identifier.Text));
        if (f.Modifiers.Any(SyntaxKind.ConstKeyword)) return null;
        if (f.Modifiers.Any(SyntaxKind.VolatileKeyword) || f.Modifiers.Any(SyntaxKind.FixedKeyword)) return $"volatile and fixed fields are not allowed: '{names}'";
        if (!f.Modifiers.Any(SyntaxKind.ReadOnlyKeyword))
            return $"static mutable field '{names}' is not allowed: it would carry state from one reward call to the next (use const or static readonly, or a local variable)";
        return null; // static readonly: its type must be immutable, which the semantic rules check
    }

    private static string? PropertyShape(PropertyDeclarationSyntax p)
    {
        if (p.AccessorList is null) return null; // expression-bodied: get only
        foreach (var accessor in p.AccessorList.Accessors)
            if (!accessor.IsKind(SyntaxKind.GetAccessorDeclaration))
                return $"property '{p.Identifier.Text}' may only have a getter: a settable static property is mutable state shared between calls";
        return null;
    }
}
