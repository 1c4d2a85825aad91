using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Robotics.Envs.Tasks;

namespace Robotics.Rewards.Sandbox;

/// <summary>The outcome of compiling a program: a loaded program, or the reasons it was refused.</summary>
public sealed record CompileResult(CompiledProgram? Program, IReadOnlyList<SandboxDiagnostic> Diagnostics, TimeSpan Elapsed)
{
    public bool Ok => Program is not null;

    /// <summary>The reasons, one a line, as they are shown to a person and fed back to the LLM.</summary>
    public string Describe() => string.Join("\n", Diagnostics);
}

/// <summary>
/// Turns a reward program's source into a callable delegate, in four steps: parse; check it against the sandbox's
/// syntax rules and symbol allow-list (on the code as written, so messages point at the user's lines); rewrite it so
/// loops, calls and arrays are charged to the per-call budget; emit it to memory and load it into a collectible
/// AssemblyLoadContext. Nothing is loaded unless every check passed.
/// </summary>
public sealed class ProgramCompiler
{
    public const string EntryMethod = "Compute";
    private const string EntryClass = "__RewardEntry";
    private const int MaxCompileErrors = 20;
    /// <summary>Stack of the compiling thread; reserved, and committed only as deep as the recursion goes.</summary>
    private const int CompilerStackBytes = 256 << 20;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Regular);

    private static readonly CSharpCompilationOptions CompilationOptions = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release,
            allowUnsafe: false,
            nullableContextOptions: NullableContextOptions.Disable,
            deterministic: true,
            concurrentBuild: false)
        .WithMetadataImportOptions(MetadataImportOptions.Public); // internals of referenced assemblies stay invisible

    /// <summary>
    /// What programs compile against: the whole framework, the state view and the helper library. The framework's
    /// dangerous parts (File lives beside Math in the core library) are refused by the allow-list, not by leaving
    /// assemblies out, so an attempt to use Process or HttpClient is named as forbidden rather than as unknown.
    /// </summary>
    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == runtimeDirectory);
        var paths = framework
            .Concat([typeof(FrankaState).Assembly.Location, typeof(Core.Shaping.Tolerance).Assembly.Location, typeof(ProgramCompiler).Assembly.Location])
            .Distinct();
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    });

    public ProgramCompiler(SandboxLimits? limits = null)
    {
        Limits = limits ?? SandboxLimits.Default;
        Limits.Validate();
    }

    public SandboxLimits Limits { get; }

    /// <summary>
    /// Compiles on a thread of its own with a large stack: Roslyn and the rule walkers recurse per nesting level, and
    /// where they run out of stack they throw (caught here as a refusal) instead of overflowing the caller's thread.
    /// </summary>
    public CompileResult Compile(string source)
    {
        var clock = Stopwatch.StartNew();
        if (source.Length > Limits.MaxSourceLength)
            return new(null, [new SandboxDiagnostic(SandboxDiagnostic.Forbidden, 0, 0, $"the program has {source.Length} characters, more than the limit of {Limits.MaxSourceLength}")], clock.Elapsed);
        if (NestingCheck.Find(source) is { } tooDeep) return new(null, [tooDeep], clock.Elapsed);

        CompileResult? result = null;
        ExceptionDispatchInfo? failure = null;
        var worker = new Thread(() =>
        {
            try
            {
                result = CompileHere(source, clock);
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, CompilerStackBytes) { Name = "reward-program-compiler" };
        worker.Start();
        worker.Join();
        if (failure?.SourceException is InsufficientExecutionStackException)
            return new(null, [new SandboxDiagnostic(SandboxDiagnostic.Forbidden, 0, 0, "the program is nested too deeply to compile")], clock.Elapsed);
        failure?.Throw();
        return result!;
    }

    private CompileResult CompileHere(string source, Stopwatch clock)
    {
        CompileResult Refused(IEnumerable<SandboxDiagnostic> reasons) => new(null, reasons.ToList(), clock.Elapsed);
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions, path: "program.cs");
        var root = tree.GetRoot();
        if (NestingCheck.FindInTree(root) is { } tooDeep) return Refused([tooDeep]);
        var compilation = CSharpCompilation.Create($"reward-program-{Guid.NewGuid():N}", [tree], References.Value, CompilationOptions);
        var model = compilation.GetSemanticModel(tree);

        // Sandbox violations first: they are what must change, and an escape attempt often fails to compile too.
        var forbidden = new SyntaxRules(Limits).Check(root)
            .Concat(new SemanticRules(model, new ApiAllowList(compilation.Assembly)).Check(root))
            .OrderBy(d => d.Line).ThenBy(d => d.Column).ToList();
        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Take(MaxCompileErrors)
            .Select(d => SandboxDiagnostic.At(SandboxDiagnostic.Compile, d.Location, $"{d.Id}: {d.GetMessage()}"))
            .ToList();
        if (forbidden.Count > 0 || errors.Count > 0) return Refused(forbidden.Concat(errors));

        if (FindEntry(compilation, out var entryProblem) is not { } entry)
            return Refused([new SandboxDiagnostic(SandboxDiagnostic.Compile, 0, 0, entryProblem!)]);

        var guarded = CSharpSyntaxTree.Create((CSharpSyntaxNode)new BudgetInjector().Visit(root), ParseOptions, path: "program.guarded.cs");
        var entryTree = CSharpSyntaxTree.ParseText(EntrySource(entry), ParseOptions, path: "entry.cs");
        var runnable = compilation.ReplaceSyntaxTree(tree, guarded).AddSyntaxTrees(entryTree);
        using var image = new MemoryStream();
        var emitted = runnable.Emit(image);
        if (!emitted.Success)
        {
            // The rules accepted the code but the rewrite broke it: a sandbox bug, reported rather than hidden.
            var first = emitted.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
            throw new InvalidOperationException($"the sandbox's budget rewrite does not compile ({first}); please report this program");
        }
        image.Position = 0;
        var context = new AssemblyLoadContext(compilation.AssemblyName, isCollectible: true);
        var assembly = context.LoadFromStream(image);
        var invoke = assembly.GetType(EntryClass, throwOnError: true)!.GetMethod("Invoke")!;
        return new CompileResult(new CompiledProgram(source, invoke, context, Limits), [], clock.Elapsed);
    }

    /// <summary>The one static `Compute(FrankaState, ReadOnlySpan&lt;float&gt;)` returning a number, callable from outside its class.</summary>
    private static IMethodSymbol? FindEntry(CSharpCompilation compilation, out string? problem)
    {
        const string Expected = "public static double Compute(in FrankaState state, ReadOnlySpan<float> action) in a public static class";
        var candidates = compilation.GetSymbolsWithName(EntryMethod, SymbolFilter.Member).OfType<IMethodSymbol>().ToList();
        var matching = candidates.Where(m => m.IsStatic && m.Parameters.Length == 2
            && m.Parameters[0].Type is INamedTypeSymbol { Name: nameof(FrankaState) } && m.Parameters[0].RefKind is RefKind.None or RefKind.In
            && m.Parameters[1].Type is INamedTypeSymbol { Name: "ReadOnlySpan" } && m.Parameters[1].RefKind == RefKind.None
            && m.ReturnType.SpecialType is SpecialType.System_Double or SpecialType.System_Single).ToList();
        problem = matching.Count switch
        {
            0 when candidates.Count > 0 => $"'{candidates[0].ToDisplayString()}' does not have the entry point's signature: {Expected}",
            0 => $"no entry point: declare {Expected}",
            > 1 => $"{matching.Count} Compute methods match the entry point; keep one",
            _ => null,
        };
        if (problem is not null) return null;
        var method = matching[0];
        for (ISymbol s = method; s is not INamespaceSymbol; s = s.ContainingSymbol)
            if (s.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                problem = $"'{s.Name}' is private; the entry point must be reachable: {Expected}";
                return null;
            }
        return method;
    }

    private static string EntrySource(IMethodSymbol entry) => $$"""
        public static class {{EntryClass}}
        {
            public static double Invoke(in global::Robotics.Envs.Tasks.FrankaState state, global::System.ReadOnlySpan<float> action) =>
                {{entry.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}}.{{EntryMethod}}(state, action);
        }
        """;
}
