using NUnit.Framework;
using System.Numerics;
using Robotics.Envs;
using Robotics.Envs.Tasks;
using Robotics.Rewards.Library;
using Robotics.Rewards.Programs;
using Robotics.Rewards.Sandbox;
using Robotics.Rewards.States;

namespace Robotics.Rewards.Tests;

/// <summary>Legitimate programs: they compile, compute what they say, and report their failures with the state.</summary>
public class ProgramTests
{
    private static readonly ProgramCompiler Compiler = new();

    private static readonly FrankaState State = new(
        Hand: new(0, 0.6f, 0.2f), GripperOpening: 1, LeftPad: default, RightPad: default,
        Object: new(0, 0.45f, 0.02f), ObjectOrientation: Quaternion.Identity, Object2: default, Object2Orientation: default,
        Goal: new(0.05f, 0.65f, 0.1f), HandInitial: new(0, 0.6f, 0.2f), ObjectInitial: new(0, 0.45f, 0.02f), Joint: 0);
    private static readonly float[] Action = [0.5f, -0.25f, 0.1f, 1];

    [Test]
    public void ProgramUsingMathAndVectorsComputesWhatItSays()
    {
        var compiled = Compiler.Compile(Programs.GoodReach);
        Assert.That(compiled.Ok, Is.True, compiled.Describe());
        using var program = compiled.Program!;
        var result = program.Evaluate(State, Action);
        Assert.That(result.Ok, Is.True, result.Failure?.Describe());

        // The same formula, written here against the same helpers.
        var toGoal = State.Goal - State.Hand;
        double distance = toGoal.Length();
        double near = Shaping.Near(distance, 0.05, Math.Max(Vector3.Distance(State.HandInitial, State.Goal), 1e-3));
        double effort = 0;
        for (int i = 0; i < 3; i++) effort += Action[i] * Action[i];
        double heading = Vector3.Dot(Vector3.Normalize(toGoal), new Vector3(Action[0], Action[1], Action[2]));
        Assert.That(result.Value, Is.EqualTo(8 * near + Math.Clamp(heading, -1, 1) - 0.01 * effort).Within(1e-12));
    }

    [Test]
    public void NaNResultIsReportedWithTheState()
    {
        using var program = Compiler.Compile(Programs.WithBody("return Math.Sqrt(state.Joint - 1);")).Program!;
        var result = program.Evaluate(State, Action);
        Assert.That(result.Failure?.Kind, Is.EqualTo(FailureKind.NonFinite));
        Assert.That(result.Failure!.Message, Does.Contain("NaN"));
        Assert.That(result.Failure.State, Is.EqualTo(State));
        Assert.That(result.Failure.Action, Is.EqualTo(Action));
        Assert.That(result.Failure.Describe(), Does.Contain("Hand = <0, 0.6, 0.2>"));
    }

    [Test]
    public void InfiniteResultIsReported()
    {
        using var program = Compiler.Compile(Programs.WithBody("return 1.0 / state.Joint;")).Program!;
        Assert.That(program.Evaluate(State, Action).Failure?.Message, Does.Contain("∞").Or.Contain("Infinity"));
    }

    [Test]
    public void ThrowingProgramIsCaughtAndReportedWithTheState()
    {
        using var program = Compiler.Compile(Programs.WithBody("int steps = (int)state.Joint; return 10 / steps;")).Program!;
        var result = program.Evaluate(State, Action);
        Assert.That(result.Failure?.Kind, Is.EqualTo(FailureKind.Exception));
        Assert.That(result.Failure!.Message, Does.StartWith("DivideByZeroException"));
        Assert.That(result.Failure.Describe(), Does.Contain("Goal = <0.05, 0.65, 0.1>"));
    }

    [Test]
    public void ReadingPastTheActionIsCaught()
    {
        using var program = Compiler.Compile(Programs.WithBody("return action[7];")).Program!;
        Assert.That(program.Evaluate(State, Action).Failure?.Message, Does.StartWith("IndexOutOfRangeException"));
    }

    [Test]
    public void CompileErrorsNameTheLine()
    {
        var result = Compiler.Compile(Programs.Misspelt);
        Assert.That(result.Ok, Is.False);
        var error = result.Diagnostics.Single();
        Assert.That(error.Kind, Is.EqualTo(SandboxDiagnostic.Compile));
        Assert.That(error.Message, Does.Contain("CS0103").And.Contain("distanse"));
        Assert.That(error.Line, Is.EqualTo(Programs.Misspelt.Split('\n').ToList().FindIndex(l => l.Contains("distanse")) + 1));
    }

    [Test]
    public void MissingEntryPointIsExplained()
    {
        var result = Compiler.Compile(Programs.Usings + "public static class RewardProgram { public static double Reward(in FrankaState s) => 0; }");
        Assert.That(result.Describe(), Does.Contain("no entry point"));
    }

    [Test]
    public void EntryPointMayTakeTheStateByValueAndReturnFloat()
    {
        var source = Programs.Usings + "public static class RewardProgram { public static float Compute(FrankaState s, ReadOnlySpan<float> a) => s.Hand.Y + a[0]; }";
        using var program = Compiler.Compile(source).Program!;
        Assert.That(program.Evaluate(State, Action).Value, Is.EqualTo(0.6f + 0.5f).Within(1e-6));
    }

    [Test]
    public void HelpersConstantsLocalFunctionsAndArraysAreAllowed()
    {
        var source = Programs.WithBody("""
            double[] weights = { 1, 2, 3 };
            var distances = new double[3];
            distances[0] = Shaping.Distance(state.Hand, state.Object);
            distances[1] = Shaping.HorizontalDistance(state.Object, state.Goal);
            distances[2] = Shaping.Angle(state.ObjectOrientation, Quaternion.Identity);
            double Weighted(int i) => weights[i] * distances[i];
            double total = 0;
            foreach (var w in weights) total += w;
            var (a, b) = (Weighted(0), Weighted(1));
            return Scale * (a + b + Weighted(2)) / total + Shaping.HamacherProduct(0.5, Shaping.Clamp01(2)) + Bonus;
            """, "const double Scale = 2; static readonly Vector3 Up = Vector3.UnitZ; static double Bonus => Up.Z;");
        var compiled = Compiler.Compile(source);
        Assert.That(compiled.Ok, Is.True, compiled.Describe());
        using var program = compiled.Program!;
        double d0 = Vector3.Distance(State.Hand, State.Object);
        double d1 = Vector2.Distance(new(State.Object.X, State.Object.Y), new(State.Goal.X, State.Goal.Y));
        Assert.That(program.Evaluate(State, Action).Value, Is.EqualTo(2 * (d0 + 2 * d1) / 6 + 0.5 + 1).Within(1e-9));
    }

    [Test]
    public void SameStateGivesTheSameRewardAcrossCallsAndThreads()
    {
        using var program = Compiler.Compile(Programs.GoodReach).Program!;
        double expected = program.Evaluate(State, Action).Value;
        var results = new double[4][];
        Parallel.For(0, results.Length, t =>
        {
            results[t] = new double[2000];
            for (int i = 0; i < results[t].Length; i++) results[t][i] = program.Evaluate(State, Action).Value;
        });
        Assert.That(results.SelectMany(r => r), Is.All.EqualTo(expected));
    }

    [Test]
    public void DisposedProgramRefusesCalls()
    {
        var program = Compiler.Compile(Programs.GoodReach).Program!;
        program.Dispose();
        Assert.Throws<ObjectDisposedException>(() => program.Evaluate(State, Action));
    }

    [Test]
    public void DisposedProgramIsUnloadedFromMemory()
    {
        var context = CompileUseAndDispose();
        for (int i = 0; i < 50 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(10);
        }
        Assert.That(context.IsAlive, Is.False, "the collectible load context should be collected once the program is disposed");
    }

    /// <summary>In its own frame, so no local keeps the program alive while the test waits for the collector.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference CompileUseAndDispose()
    {
        var program = Compiler.Compile(Programs.GoodReach).Program!;
        Assert.That(program.Evaluate(State, Action).Ok, Is.True);
        var context = new WeakReference(program.LoadContext);
        Assert.That(program.LoadContext.IsCollectible, Is.True);
        program.Dispose();
        return context;
    }

    [Test]
    public void TemplateOfEveryTaskCompilesAndReturnsZero()
    {
        foreach (var name in FrankaSuite.Names)
        {
            var task = FrankaSuite.CreateTask(name);
            var template = ProgramTemplate.For(task);
            Assert.That(template, Does.Contain("        return 0.0;\n"));
            Assert.That(template, Does.Contain("public static double Compute(in FrankaState state, ReadOnlySpan<float> action)"));
            var compiled = Compiler.Compile(template);
            Assert.That(compiled.Ok, Is.True, $"{name}: {compiled.Describe()}");
            using var program = compiled.Program!;
            Assert.That(program.Evaluate(State, Action).Value, Is.EqualTo(0));
        }
    }

    [TestCaseSource(typeof(HandWrittenEquivalents), nameof(HandWrittenEquivalents.Tasks))]
    public void EquivalentProgramMatchesTheHandWrittenRewardOnTaskStates(string taskName)
    {
        var compiled = Compiler.Compile(HandWrittenEquivalents.Source(taskName));
        Assert.That(compiled.Ok, Is.True, compiled.Describe());
        using var program = compiled.Program!;
        var states = CheckStates.Collect(taskName);
        var task = FrankaSuite.CreateTask(taskName);
        foreach (var s in states)
            Assert.That(program.Evaluate(s.State, s.Action).Value, Is.EqualTo(task.ComputeReward(s.State, s.Action).Reward).Within(1e-12), s.Label);
        Assert.That(states.Select(s => s.TaskReward).Distinct().Count(), Is.GreaterThan(2), "the states should span different rewards");
    }

    [Test]
    public void CheckStatesFollowTheExpertTowardSuccess()
    {
        var states = CheckStates.Collect("push");
        Assert.That(states.Select(s => s.Label), Does.Contain("expert t=0").And.Contain("random t=50"));
        var expert = states.Where(s => s.Label.StartsWith("expert")).ToList();
        Assert.That(expert[^1].TaskReward, Is.EqualTo(10), "the expert's last state solves push");
        Assert.That(expert[0].TaskReward, Is.LessThan(expert[^1].TaskReward));
    }

    [Test]
    public void ApiNotesMentionEveryHelper()
    {
        foreach (var method in typeof(Shaping).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            Assert.That(ApiNotes.Text, Does.Contain($" {method.Name}("), method.Name);
    }
}
