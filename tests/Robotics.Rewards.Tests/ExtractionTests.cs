using NUnit.Framework;
using Robotics.Rewards.Programs;

namespace Robotics.Rewards.Tests;

public class ExtractionTests
{
    private const string Code = "public static class RewardProgram { public static double Compute(in FrankaState s, ReadOnlySpan<float> a) => 0; }";

    [TestCase("csharp")]
    [TestCase("cs")]
    [TestCase("C#")]
    public void TaggedFenceIsTaken(string tag) =>
        Assert.That(CodeExtraction.Extract($"Sure!\n```{tag}\n{Code}\n```\nThis rewards progress."), Is.EqualTo(Code + "\n"));

    [Test]
    public void BlockWithTheEntryPointWinsOverOtherBlocks() =>
        Assert.That(CodeExtraction.Extract($"```csharp\nstatic double Helper() => 1;\n```\nand\n```csharp\n{Code}\n```"), Is.EqualTo(Code + "\n"));

    [Test]
    public void UntaggedFenceWithTheEntryPointIsTaken() =>
        Assert.That(CodeExtraction.Extract($"```\n{Code}\n```"), Is.EqualTo(Code + "\n"));

    [Test]
    public void ThinkingIsIgnored() =>
        Assert.That(CodeExtraction.Extract($"<think>\n```csharp\npublic static class Draft {{ }} // Compute\n```\n</think>\n```csharp\n{Code}\n```"), Is.EqualTo(Code + "\n"));

    [Test]
    public void CutOffReplyStillYieldsItsCode() =>
        Assert.That(CodeExtraction.Extract($"```csharp\n{Code}\n"), Is.EqualTo(Code + "\n"));

    [Test]
    public void BareCodeIsTaken() => Assert.That(CodeExtraction.Extract(Code), Is.EqualTo(Code + "\n"));

    [Test]
    public void ProseHasNoCode() => Assert.That(CodeExtraction.Extract("Reward the distance to the goal."), Is.Null);
}
