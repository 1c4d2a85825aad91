using NUnit.Framework;
using System.Diagnostics;
using Robotics.Envs.Tasks;
using Robotics.Rewards.Sandbox;

namespace Robotics.Rewards.Tests;

/// <summary>
/// Programs that try to get out of the sandbox. Each compile-time attempt must be refused with a message naming what
/// it used, and nothing it asked for may have happened (no file, no variable, the test process alive). Each run-time
/// attempt compiles, and its call must come back as a failure of the right kind, quickly.
/// </summary>
public class SandboxEscapeTests
{
    private static readonly string Marker = Path.Combine(Path.GetTempPath(), $"robo-sandbox-marker-{Environment.ProcessId}");
    private const string EnvVariable = "ROBO_SANDBOX_ESCAPED";

    private static readonly ProgramCompiler Compiler = new();

    private static readonly FrankaState State = new(
        Hand: new(0, 0.6f, 0.2f), GripperOpening: 1, LeftPad: new(0.01f, 0.6f, 0.2f), RightPad: new(-0.01f, 0.6f, 0.2f),
        Object: new(0, 0.45f, 0.02f), ObjectOrientation: System.Numerics.Quaternion.Identity, Object2: default, Object2Orientation: default,
        Goal: new(0.05f, 0.65f, 0.02f), HandInitial: new(0, 0.6f, 0.2f), ObjectInitial: new(0, 0.45f, 0.02f), Joint: 0);
    private static readonly float[] Action = [0.5f, -0.25f, 0, 1];

    /// <summary>(name, program, a fragment the refusal must contain).</summary>
    public static IEnumerable<TestCaseData> CompileTimeEscapes()
    {
        TestCaseData Body(string name, string body, string expected, string members = "") =>
            new TestCaseData(Programs.WithBody(body, members), expected).SetName($"Refused_{name}");

        yield return Body("FileRead", """return System.IO.File.ReadAllText("/etc/hostname").Length;""", "System.IO.File.ReadAllText");
        yield return Body("FileWrite", $$"""System.IO.File.WriteAllText(@"{{Marker}}", "escaped"); return 0;""", "System.IO.File.WriteAllText");
        yield return Body("FileStream", $$"""var f = new System.IO.FileStream(@"{{Marker}}", System.IO.FileMode.Create); return f.Length;""", "System.IO.FileStream");
        yield return Body("Http", """return new System.Net.Http.HttpClient().GetStringAsync("http://127.0.0.1:9/").Result.Length;""", "System.Net.Http.HttpClient");
        yield return Body("Socket", """var s = new System.Net.Sockets.TcpClient("127.0.0.1", 9); return 0;""", "System.Net.Sockets.TcpClient");
        yield return Body("ProcessStart", $$"""System.Diagnostics.Process.Start("touch", @"{{Marker}}"); return 0;""", "System.Diagnostics.Process.Start");
        yield return Body("EnvironmentExit", """System.Environment.Exit(3); return 0;""", "System.Environment.Exit");
        yield return Body("EnvironmentFailFast", """System.Environment.FailFast("x"); return 0;""", "System.Environment.FailFast");
        yield return Body("EnvironmentVariable", $$"""System.Environment.SetEnvironmentVariable("{{EnvVariable}}", "1"); return 0;""", "System.Environment.SetEnvironmentVariable");
        yield return Body("ReflectionTypeGetType", """return System.Type.GetType("System.IO.File").GetMethods().Length;""", "System.Type.GetType");
        yield return Body("ReflectionGetType", """return state.GetType().GetFields().Length;""", "GetType() is not allowed (reflection)");
        yield return Body("Typeof", """return typeof(System.IO.File).GetMethods().Length;""", "typeof is not allowed");
        yield return Body("AssemblyLoad", """return System.Reflection.Assembly.Load(new byte[16]).GetTypes().Length;""", "System.Reflection.Assembly.Load");
        yield return Body("AppDomain", """return System.AppDomain.CurrentDomain.GetAssemblies().Length;""", "System.AppDomain");
        yield return Body("Activator", """return System.Activator.CreateInstance<System.Random>().NextDouble();""", "System.Activator.CreateInstance");
        yield return Body("Dynamic", """dynamic d = state; return d.Hand.X;""", "dynamic is not allowed");
        yield return Body("UnsafeBlock", """unsafe { double x = 1; double* p = &x; return *p; }""", "unsafe code is not allowed");
        yield return Body("PointerMethod", """return 0;""", "unsafe code is not allowed", "static unsafe double Peek(double* p) => *p;");
        yield return Body("FunctionPointer", """delegate*<double> f = null; return 0;""", "function pointers are not allowed");
        yield return Body("UnsafeAs", """return System.Runtime.CompilerServices.Unsafe.As<FrankaState, double>(ref System.Runtime.CompilerServices.Unsafe.AsRef(in state));""", "System.Runtime.CompilerServices.Unsafe");
        yield return Body("MarshalAlloc", """System.Runtime.InteropServices.Marshal.AllocHGlobal(1 << 30); return 0;""", "System.Runtime.InteropServices.Marshal.AllocHGlobal");
        yield return Body("DllImport", """return getpid();""", "System.Runtime.InteropServices.DllImportAttribute",
            """[System.Runtime.InteropServices.DllImport("libc")] static extern int getpid();""");
        yield return Body("LibraryImport", """return getpid();""", "System.Runtime.InteropServices.LibraryImportAttribute",
            """[System.Runtime.InteropServices.LibraryImport("libc")] private static partial int getpid();""");
        yield return Body("ExternWithoutAttribute", """return Peek();""", "extern methods", "static extern double Peek();");
        yield return Body("ModuleInitializer", """return 0;""", "[System.Runtime.CompilerServices.ModuleInitializer]",
            $$"""[System.Runtime.CompilerServices.ModuleInitializer] internal static void Init() { System.IO.File.WriteAllText(@"{{Marker}}", "x"); }""");
        yield return Body("StaticConstructor", """return 0;""", "constructors are not allowed", "static RewardProgram() { while (true) { } }");
        yield return Body("Thread", """new System.Threading.Thread(Spin).Start(); return 0;""", "System.Threading.Thread", "static void Spin() { while (true) { } }");
        yield return Body("TaskRun", """System.Threading.Tasks.Task.Run(Spin); return 0;""", "System.Threading.Tasks.Task.Run", "static void Spin() { while (true) { } }");
        yield return Body("ThreadPool", """System.Threading.ThreadPool.QueueUserWorkItem(Spin); return 0;""", "System.Threading.ThreadPool", "static void Spin(object o) { while (true) { } }");
        yield return Body("Interlocked", """double x = 0; System.Threading.Interlocked.Exchange(ref x, 1); return x;""", "System.Threading.Interlocked");
        yield return Body("GC", """System.GC.Collect(); return 0;""", "System.GC.Collect");
        yield return Body("Console", """System.Console.WriteLine("hello"); return 0;""", "System.Console.WriteLine");
        yield return Body("StaticMutableField", """calls += 1; return calls;""", "static mutable field 'calls'", "static double calls;");
        yield return Body("StaticReadonlyArray", """memory[0] += 1; return memory[0];""", "static readonly field of type double[]", "static readonly double[] memory = new double[1];");
        yield return Body("SettableProperty", """Count += 1; return Count;""", "may only have a getter", "static double Count { get; set; }");
        yield return Body("InstanceClass", """return 0;""", "must be static", "class Counter { public double N; }");
        yield return Body("Struct", """return 0;""", "only static classes may be declared", "struct Memory { public double N; }");
        yield return Body("Stackalloc", """System.Span<double> big = stackalloc double[100000000]; return big[0];""", "stackalloc is not allowed");
        yield return Body("HugeArrayLiteral", """var a = new double[500000000]; return a.Length;""", "larger than the limit");
        yield return Body("ArraySizeFromState", """int n = 1000000000 + (int)state.Joint; var a = new double[n]; return a[0];""", "array length must be a number literal");
        yield return Body("TryCatchSwallowsBudget", """try { while (true) { } } catch { } return 1;""", "try/catch/finally is not allowed");
        yield return Body("Throw", """throw new System.Exception("x");""", "throw is not allowed");
        yield return Body("GotoLoop", """again: goto again;""", "goto and labels are not allowed");
        yield return Body("Lambda", """System.Func<double> f = () => 1; return f();""", "lambdas and anonymous methods are not allowed");
        yield return Body("Boxing", """object o = state.Hand.X; return o.GetHashCode();""", "objects and boxing");
        yield return Body("Linq", """return System.Linq.Enumerable.Sum(new double[] { 1, 2 });""", "System.Linq.Enumerable.Sum");
        yield return Body("Random", """return new System.Random().NextDouble();""", "System.Random");
        yield return Body("String", """string s = "reward"; return s.Length;""", "strings");
        yield return Body("SandboxGuard", """Robotics.Rewards.Sandbox.ProgramGuard.Exit(); return 0;""", "the sandbox itself");
        yield return Body("ReservedName", """double __budget = 1; return __budget;""", "reserved for the sandbox");
        yield return Body("MakeRef", """double x = 1; var r = __makeref(x); return 0;""", "__makeref");
        yield return Body("GenericMethod", """return Id(1.0);""", "generic methods are not allowed", "static T Id<T>(T x) => x;");
        yield return Body("ActionSlice", """return action.Slice(1).Length;""", "read the action with action[i]");
    }

    [TestCaseSource(nameof(CompileTimeEscapes))]
    public void CompileTimeEscapeIsRefusedNamingWhatItUsed(string source, string expected)
    {
        var result = Compiler.Compile(source);
        Assert.That(result.Ok, Is.False, "the program was accepted");
        Assert.That(result.Describe(), Does.Contain(expected));
        Assert.That(result.Diagnostics[0].Kind, Is.EqualTo(SandboxDiagnostic.Forbidden), result.Describe());
        AssertNoSideEffects();
    }

    [Test]
    public void AtLeastTwentyDistinctEscapesAreTried() =>
        Assert.That(CompileTimeEscapes().Count() + RunTimeEscapes().Count(), Is.GreaterThanOrEqualTo(20));

    /// <summary>(name, program, the failure kind its call must end with).</summary>
    public static IEnumerable<TestCaseData> RunTimeEscapes()
    {
        TestCaseData Body(string name, string body, FailureKind kind, string members = "") =>
            new TestCaseData(Programs.WithBody(body, members), kind).SetName($"Stopped_{name}");

        yield return Body("InfiniteWhile", """double x = 0; while (true) { x += 1; }""", FailureKind.Steps);
        yield return Body("InfiniteEmptyFor", """for (;;) ; """, FailureKind.Steps);
        yield return Body("InfiniteDoContinue", """int i = 0; do { i++; if (i > 0) continue; } while (i != -1); return i;""", FailureKind.Steps);
        yield return Body("NestedLoops", """double s = 0; for (int i = 0; i < 100000; i++) for (int j = 0; j < 100000; j++) s += i * j; return s;""", FailureKind.Steps);
        yield return Body("LoopInCondition", """while (Forever()) { } return 0;""", FailureKind.Steps, "static bool Forever() { while (true) { } }");
        yield return Body("DeepRecursion", """return Down(0);""", FailureKind.CallDepth, "static double Down(double x) => Down(x + 1) + 1;");
        yield return Body("MutualLocalRecursion", """double Ping(int n) => Pong(n + 1); double Pong(int n) => Ping(n + 1); return Ping(0);""", FailureKind.CallDepth);
        yield return Body("GetterRecursion", """return Loop;""", FailureKind.CallDepth, "static double Loop => Loop + 1;");
        yield return Body("HeapAllocationInLoop", """double s = 0; for (int i = 0; i < 100000; i++) { var a = new double[4096]; s += a.Length; } return s;""", FailureKind.Allocation);
        yield return Body("InitializerAllocationInLoop", """double s = 0; for (int i = 0; i < 100000; i++) { double[] a = { 1, 2, 3, 4, 5, 6, 7, 8 }; s += a[i % 8]; } return s;""", FailureKind.Allocation);
        yield return Body("LoopingStaticInitializer", """return Table;""", FailureKind.Steps, "static readonly double Table = Spin(); static double Spin() { double x = 0; while (true) x += 1; }");
    }

    [TestCaseSource(nameof(RunTimeEscapes))]
    public void RunTimeEscapeIsStoppedAndReported(string source, FailureKind kind)
    {
        var compiled = Compiler.Compile(source);
        Assert.That(compiled.Ok, Is.True, compiled.Describe());
        using var program = compiled.Program!;
        var clock = Stopwatch.StartNew();
        var result = program.Evaluate(State, Action);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "the budget should stop it within milliseconds");
        Assert.That(result.Ok, Is.False);
        Assert.That(result.Failure!.Kind, Is.EqualTo(kind), result.Failure.Describe());
        Assert.That(result.Failure.State, Is.EqualTo(State));
        // The thread's budget is closed again: the next call of a good program works.
        using var good = Compiler.Compile(Programs.GoodReach).Program!;
        Assert.That(good.Evaluate(State, Action).Ok, Is.True);
    }

    [Test]
    public void LongButFiniteLoopWithinTheBudgetRuns()
    {
        using var program = Compiler.Compile(Programs.WithBody("double s = 0; for (int i = 0; i < 100000; i++) s += i; return s;")).Program!;
        var result = program.Evaluate(State, Action);
        Assert.That(result.Value, Is.EqualTo(100000.0 * 99999 / 2));
    }

    [Test]
    public void BudgetIsPerCallNotCumulative()
    {
        // 600k steps a call: two calls would exceed one budget of 1M together, but each call starts afresh.
        using var program = Compiler.Compile(Programs.WithBody("double s = 0; for (int i = 0; i < 600000; i++) s += 1; return s;")).Program!;
        for (int call = 0; call < 3; call++) Assert.That(program.Evaluate(State, Action).Value, Is.EqualTo(600000));
    }

    [Test]
    public void StepLimitIsConfigurable()
    {
        var strict = new ProgramCompiler(new SandboxLimits { MaxSteps = 1000 });
        using var program = strict.Compile(Programs.WithBody("double s = 0; for (int i = 0; i < 5000; i++) s += i; return s;")).Program!;
        Assert.That(program.Evaluate(State, Action).Failure?.Kind, Is.EqualTo(FailureKind.Steps));
    }

    [OneTimeTearDown]
    public void NothingEscapedOverall() => AssertNoSideEffects();

    private static void AssertNoSideEffects()
    {
        Assert.That(File.Exists(Marker), Is.False, "a refused program wrote a file");
        Assert.That(Environment.GetEnvironmentVariable(EnvVariable), Is.Null, "a refused program set an environment variable");
    }
}

/// <summary>Programs built to break the compiler rather than the sandbox: they must be refused, not crash the host.</summary>
public class CompilerAbuseTests
{
    [TestCase("(", ")", 20000)]
    [TestCase("(", ")", 101)]
    [TestCase("new[] {", "}", 5000)]
    [TestCase("!", "", 40000)]
    [TestCase("- ", "", 20000)]
    [TestCase("true ? 1 : ", "0", 3000)]
    public void DeeplyNestedProgramIsRefusedWithoutCrashing(string open, string close, int depth)
    {
        var expression = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = new ProgramCompiler().Compile(Programs.WithBody($"return {expression};"));
        Assert.That(result.Ok, Is.False);
        Assert.That(result.Describe(), Does.Contain("nested too deeply").Or.Contain("more than the limit"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "refused by the nesting checks, not after a long compile");
    }

    [Test]
    public void DeepNestingBelowTheLimitCompilesOnItsOwnStack()
    {
        var expression = new string('(', 90) + "state.Joint" + new string(')', 90);
        var result = new ProgramCompiler().Compile(Programs.WithBody($"return {expression};"));
        Assert.That(result.Ok, Is.True, result.Describe());
        result.Program!.Dispose();
    }

    [Test]
    public void NestedStatementsWithoutBracketsAreRefusedQuickly()
    {
        // `if (k) if (k) ...` nests without brackets, so the text scan lets it through and the tree check must stop it.
        var body = "bool k = state.Joint == 0; " + string.Concat(Enumerable.Repeat("if (k) ", 6500)) + "return 1; return 0;";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = new ProgramCompiler().Compile(Programs.WithBody(body));
        Assert.That(result.Describe(), Does.Contain("nested too deeply"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "refused by the nesting checks, not after a long compile");
    }

    [Test]
    public void VeryLongSumCompilesOrIsRefusedWithoutCrashing()
    {
        var source = Programs.WithBody("return 0" + string.Concat(Enumerable.Repeat(" + state.Joint", 6000)) + ";");
        var result = new ProgramCompiler().Compile(source);
        if (result.Ok) result.Program!.Dispose();
        Assert.Pass(result.Ok ? "compiled" : result.Describe());
    }

    [Test]
    public void OversizedSourceIsRefused()
    {
        var source = Programs.WithBody("return 0;" + new string(' ', 200_000));
        Assert.That(new ProgramCompiler().Compile(source).Describe(), Does.Contain("more than the limit"));
    }
}
