using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Robotics.Rewards.Sandbox;

/// <summary>
/// Rewrites an accepted program so it runs under <see cref="ProgramGuard"/>'s budget: a Tick() at the top of every
/// loop body, Enter()/Exit() around every method, local function and getter body (counting calls and bounding
/// recursion), and Track(...) around every array it creates. With goto, try/catch and lambdas refused, loops and calls
/// are the only ways to run long or deep, so counting them bounds every program. Runs after the rules have accepted
/// the original code, whose line numbers the compile errors keep.
/// </summary>
internal sealed class BudgetInjector : CSharpSyntaxRewriter
{
    private const string Guard = "global::Robotics.Rewards.Sandbox.ProgramGuard";
    private static readonly StatementSyntax Tick = ParseStatement($"{Guard}.Tick();");
    private static readonly StatementSyntax Enter = ParseStatement($"{Guard}.Enter();");
    private static readonly StatementSyntax Exit = ParseStatement($"{Guard}.Exit();");
    private static readonly ExpressionSyntax Track = ParseExpression($"{Guard}.Track");

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var visited = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        if (visited.Body is null && visited.ExpressionBody is null) return visited; // partial declaration
        return visited.WithBody(Guarded(visited.Body, visited.ExpressionBody, IsVoid(visited.ReturnType)))
                      .WithExpressionBody(null).WithSemicolonToken(default);
    }

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var visited = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        return visited.WithBody(Guarded(visited.Body, visited.ExpressionBody, IsVoid(visited.ReturnType)))
                      .WithExpressionBody(null).WithSemicolonToken(default);
    }

    public override SyntaxNode? VisitPropertyDeclaration(PropertyDeclarationSyntax node)
    {
        var visited = (PropertyDeclarationSyntax)base.VisitPropertyDeclaration(node)!;
        if (visited.ExpressionBody is null) return visited; // accessors were guarded one by one
        var getter = AccessorDeclaration(SyntaxKind.GetAccessorDeclaration, Guarded(null, visited.ExpressionBody, returnsVoid: false));
        return visited.WithExpressionBody(null).WithSemicolonToken(default).WithAccessorList(AccessorList(SingletonList(getter)));
    }

    public override SyntaxNode? VisitAccessorDeclaration(AccessorDeclarationSyntax node)
    {
        var visited = (AccessorDeclarationSyntax)base.VisitAccessorDeclaration(node)!;
        if (visited.Body is null && visited.ExpressionBody is null) return visited; // auto-property
        return visited.WithBody(Guarded(visited.Body, visited.ExpressionBody, returnsVoid: false))
                      .WithExpressionBody(null).WithSemicolonToken(default);
    }

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
    {
        var visited = (ForStatementSyntax)base.VisitForStatement(node)!;
        return visited.WithStatement(Ticked(visited.Statement));
    }

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node)
    {
        var visited = (WhileStatementSyntax)base.VisitWhileStatement(node)!;
        return visited.WithStatement(Ticked(visited.Statement));
    }

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node)
    {
        var visited = (DoStatementSyntax)base.VisitDoStatement(node)!;
        return visited.WithStatement(Ticked(visited.Statement));
    }

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node)
    {
        var visited = (ForEachStatementSyntax)base.VisitForEachStatement(node)!;
        return visited.WithStatement(Ticked(visited.Statement));
    }

    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node)
    {
        var visited = (ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!;
        return visited.WithStatement(Ticked(visited.Statement));
    }

    public override SyntaxNode? VisitArrayCreationExpression(ArrayCreationExpressionSyntax node) =>
        Tracked((ExpressionSyntax)base.VisitArrayCreationExpression(node)!);

    public override SyntaxNode? VisitImplicitArrayCreationExpression(ImplicitArrayCreationExpressionSyntax node) =>
        Tracked((ExpressionSyntax)base.VisitImplicitArrayCreationExpression(node)!);

    /// <summary>`double[] a = { 1, 2 };` allocates too: it becomes `Track(new double[] { 1, 2 })`.</summary>
    public override SyntaxNode? VisitVariableDeclaration(VariableDeclarationSyntax node)
    {
        var visited = (VariableDeclarationSyntax)base.VisitVariableDeclaration(node)!;
        if (visited.Type is not ArrayTypeSyntax arrayType) return visited;
        return visited.WithVariables(SeparatedList(visited.Variables.Select(v =>
            v.Initializer?.Value is InitializerExpressionSyntax initializer && initializer.IsKind(SyntaxKind.ArrayInitializerExpression)
                ? v.WithInitializer(v.Initializer.WithValue(Tracked(ArrayCreationExpression(arrayType.WithoutTrivia(), initializer))))
                : v)));
    }

    private static ExpressionSyntax Tracked(ExpressionSyntax creation) =>
        InvocationExpression(Track, ArgumentList(SingletonSeparatedList(Argument(creation))));

    private static BlockSyntax Ticked(StatementSyntax body) =>
        body is BlockSyntax block ? block.WithStatements(block.Statements.Insert(0, Tick)) : Block(Tick, body);

    /// <summary>{ Enter(); try { body } finally { Exit(); } }: Exit runs on every return path.</summary>
    private static BlockSyntax Guarded(BlockSyntax? body, ArrowExpressionClauseSyntax? expressionBody, bool returnsVoid)
    {
        var inner = body ?? Block(returnsVoid
            ? ExpressionStatement(expressionBody!.Expression)
            : ReturnStatement(expressionBody!.Expression));
        return Block(Enter, TryStatement(inner, default, FinallyClause(Block(Exit))));
    }

    private static bool IsVoid(TypeSyntax type) => type is PredefinedTypeSyntax p && p.Keyword.IsKind(SyntaxKind.VoidKeyword);
}
