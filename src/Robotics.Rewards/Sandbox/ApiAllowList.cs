using Microsoft.CodeAnalysis;

namespace Robotics.Rewards.Sandbox;

/// <summary>
/// The APIs a reward program may touch, decided per symbol: a type is allowed if it is listed here, a number type,
/// a tuple or array of allowed types, or the program's own; a member is allowed if its type is allowed and every type
/// in its signature is too. The signature rule is what keeps the list short and closed: Vector3.CopyTo(float[]) is
/// harmless, but Vector3.ToString() returns a string and object.GetType() a Type, so neither passes, and nothing
/// reachable from the list can lead back out of it.
/// </summary>
internal sealed class ApiAllowList(IAssemblySymbol program)
{
    private static readonly HashSet<string> Types =
    [
        "System.Math", "System.MathF",
        "System.Numerics.Vector2", "System.Numerics.Vector3", "System.Numerics.Vector4",
        "System.Numerics.Quaternion", "System.Numerics.Matrix4x4",
        "Robotics.Envs.Tasks.FrankaState",
        "Robotics.Core.Shaping.Tolerance", "Robotics.Core.Shaping.Sigmoid",
    ];

    /// <summary>Every public type of these namespaces: the helper library written for programs.</summary>
    private static readonly string[] Namespaces = ["Robotics.Rewards.Library"];

    private static readonly HashSet<SpecialType> Numbers =
    [
        SpecialType.System_Boolean, SpecialType.System_Char, SpecialType.System_SByte, SpecialType.System_Byte,
        SpecialType.System_Int16, SpecialType.System_UInt16, SpecialType.System_Int32, SpecialType.System_UInt32,
        SpecialType.System_Int64, SpecialType.System_UInt64, SpecialType.System_Single, SpecialType.System_Double,
    ];

    /// <summary>The action arrives as a ReadOnlySpan&lt;float&gt;: it may be read, not sliced, copied out or pinned.</summary>
    private static readonly HashSet<string> SpanMembers = ["Length", "IsEmpty", "this[]"];

    /// <summary>Immutable value types: what a static readonly field may hold without becoming shared mutable state.</summary>
    private static readonly HashSet<string> ImmutableValues =
    [
        "System.Numerics.Vector2", "System.Numerics.Vector3", "System.Numerics.Vector4", "System.Numerics.Quaternion",
        "System.Numerics.Matrix4x4", "Robotics.Envs.Tasks.FrankaState", "Robotics.Core.Shaping.Sigmoid",
    ];

    /// <summary>What the usual escape routes are, so a refusal says why in words an LLM can act on.</summary>
    private static readonly (string Prefix, string Why)[] Hints =
    [
        ("System.IO", "files"), ("System.Net", "network"), ("System.Diagnostics.Process", "processes"),
        ("System.Diagnostics", "diagnostics"), ("System.Environment", "the environment (variables, exit)"),
        ("System.AppDomain", "the app domain"), ("System.Reflection", "reflection"), ("System.Activator", "reflection (Activator)"),
        ("System.Type", "reflection"), ("System.Runtime.Loader", "dynamic loading"), ("System.Runtime.InteropServices", "native interop"),
        ("System.Runtime.CompilerServices", "compiler services and unsafe memory access"), ("System.Threading", "threads and tasks"),
        ("System.GC", "the garbage collector"), ("System.Console", "the console"), ("System.Random", "randomness: rewards must be deterministic"),
        ("System.String", "strings"), ("System.Object", "objects and boxing"), ("System.Collections", "collections: use arrays and loops"),
        ("System.Linq", "LINQ: use loops"), ("System.Func", "delegates"), ("System.Action", "delegates"), ("System.Delegate", "delegates"),
        ("System.Span", "spans"), ("System.Buffer", "raw memory"), ("System.Runtime", "the runtime"), ("System.Security", "security APIs"),
        ("Microsoft.Win32", "the registry"), ("Robotics.Rewards.Sandbox", "the sandbox itself"),
    ];

    /// <summary>Null if the type may be used, else why not.</summary>
    public string? WhyNotType(ITypeSymbol? type)
    {
        switch (type)
        {
            case null or IErrorTypeSymbol: return null; // unresolved: the compiler reports it
            case IDynamicTypeSymbol: return "dynamic is not allowed (late binding can reach any API)";
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol: return $"pointer type {type.ToDisplayString()} is not allowed";
            case ITypeParameterSymbol: return $"type parameter {type.Name} is not allowed";
            case IArrayTypeSymbol array:
                if (array.Rank != 1) return "multi-dimensional arrays are not allowed";
                return WhyNotType(array.ElementType) is { } elementWhy ? $"array of a forbidden type: {elementWhy}" : null;
            case INamedTypeSymbol named:
                if (IsProgramType(named)) return null;
                if (named.SpecialType == SpecialType.System_Void || Numbers.Contains(named.SpecialType)) return null;
                if (named.IsTupleType)
                {
                    foreach (var element in named.TupleElements)
                        if (WhyNotType(element.Type) is { } why) return why;
                    return null;
                }
                var name = FullName(named);
                if (name == "System.ReadOnlySpan" && named.TypeArguments is [{ SpecialType: SpecialType.System_Single }]) return null;
                if (Types.Contains(name)) return null;
                if (named.DeclaredAccessibility == Accessibility.Public && Namespaces.Contains(named.ContainingNamespace?.ToDisplayString())) return null;
                return $"{Describe(named.OriginalDefinition.ToDisplayString(), name)}";
            default:
                return $"{type.ToDisplayString()} is not allowed";
        }
    }

    /// <summary>Null if the symbol may be used, else why not.</summary>
    public string? WhyNotSymbol(ISymbol? symbol)
    {
        switch (symbol)
        {
            case null or INamespaceSymbol or IPreprocessingSymbol: return null;
            case IAliasSymbol alias: return WhyNotSymbol(alias.Target);
            case ITypeSymbol type: return WhyNotType(type);
            case ILocalSymbol local: return WhyNotType(local.Type);
            case IParameterSymbol parameter: return WhyNotType(parameter.Type);
            case IDiscardSymbol discard: return WhyNotType(discard.Type);
            case ILabelSymbol: return "labels are not allowed";
            case IEventSymbol e: return Describe(e.ToDisplayString(), FullName(e.ContainingType));
            case IMethodSymbol { MethodKind: MethodKind.LocalFunction }: return null; // declared here; its signature is checked there
            case IMethodSymbol method when method.ReducedFrom is { } extension: return WhyNotSymbol(extension);
            case IMethodSymbol or IPropertySymbol or IFieldSymbol: return WhyNotMember(symbol);
            default: return $"{symbol.Kind} {symbol.ToDisplayString()} is not allowed";
        }
    }

    private string? WhyNotMember(ISymbol member)
    {
        var owner = member.ContainingType;
        if (owner is null) return null;
        if (IsProgramType(owner)) return null;
        if (owner.SpecialType == SpecialType.System_Array && member.Name == "Length") return null; // every array's length
        if (WhyNotType(owner) is not null)
        {
            if (member.Name == "GetType") return $"{member.ToDisplayString()} is not allowed (reflection)";
            return Describe(member.ToDisplayString(), FullName(owner));
        }
        if (FullName(owner) == "System.ReadOnlySpan")
        {
            var name = member is IPropertySymbol { IsIndexer: true } ? "this[]" : member.Name;
            return SpanMembers.Contains(name) ? null : $"{member.ToDisplayString()} is not allowed: read the action with action[i] and action.Length";
        }
        foreach (var type in SignatureTypes(member))
            if (WhyNotType(type) is { } why) return $"{member.ToDisplayString()} is not allowed: its signature uses a forbidden type ({why})";
        return null;
    }

    /// <summary>Why a static readonly field (or get-only auto-property) of this type would be mutable shared state, or null.</summary>
    public string? WhyNotImmutable(ITypeSymbol type)
    {
        if (Numbers.Contains(type.SpecialType)) return null;
        if (type is INamedTypeSymbol { IsTupleType: true } tuple)
            return tuple.TupleElements.Select(e => WhyNotImmutable(e.Type)).FirstOrDefault(w => w is not null);
        if (type is INamedTypeSymbol named && ImmutableValues.Contains(FullName(named))) return null;
        return $"a static readonly field of type {type.ToDisplayString()} can still be changed through it, so state would leak between calls; use const, a number or vector field, or a local";
    }

    private static IEnumerable<ITypeSymbol> SignatureTypes(ISymbol member)
    {
        switch (member)
        {
            case IMethodSymbol m:
                yield return m.ReturnType;
                foreach (var p in m.Parameters) yield return p.Type;
                foreach (var t in m.TypeArguments) yield return t;
                break;
            case IPropertySymbol p:
                yield return p.Type;
                foreach (var q in p.Parameters) yield return q.Type;
                break;
            case IFieldSymbol f:
                yield return f.Type;
                break;
        }
    }

    private bool IsProgramType(INamedTypeSymbol type) => SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, program);

    /// <summary>Namespace-qualified name without type arguments, e.g. "System.IO.File", "System.ReadOnlySpan".</summary>
    public static string FullName(INamedTypeSymbol type)
    {
        var prefix = type.ContainingType is { } outer ? FullName(outer)
                   : type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null;
        return prefix is null ? type.Name : $"{prefix}.{type.Name}";
    }

    private static string Describe(string what, string ownerName)
    {
        foreach (var (prefix, why) in Hints)
            if (Matches(ownerName, prefix)) return $"{what} is not allowed ({why})";
        return $"{what} is not allowed (outside the reward API: Math, MathF, System.Numerics vectors, FrankaState, Robotics.Rewards.Library)";
    }

    /// <summary>"System.IO" matches System.IO.File and System.IOException, not System.IObservable.</summary>
    private static bool Matches(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal)
        && (name.Length == prefix.Length || name[prefix.Length] is '.' or '`' || char.IsUpper(name[prefix.Length]));
}
