using NUnit.Framework;
using System.Globalization;

namespace Robotics.MuJoCo.Tests;

/// <summary>
/// The bindings must not change the physics: a plain C program linked against libmujoco and the
/// bindings, stepping the humanoid the same way, must end in bit-identical qpos.
/// </summary>
public class ParityTests
{
    private const int Steps = 1000;

    [Test]
    public void Humanoid_qpos_after_1000_steps_matches_plain_mujoco_bit_for_bit()
    {
        var reference = RunReferenceProgram();

        using var model = TestModels.Humanoid();
        using var data = model.MakeData();
        for (var i = 0; i < Steps; i++) data.Step();

        var actual = data.Qpos.ToArray();
        Assert.That(actual, Has.Length.EqualTo(reference.Length));
        for (var i = 0; i < actual.Length; i++)
            Assert.That(BitConverter.DoubleToInt64Bits(actual[i]), Is.EqualTo(BitConverter.DoubleToInt64Bits(reference[i])),
                $"qpos[{i}]: bindings {actual[i]:R}, C {reference[i]:R}");
    }

    [Test]
    public void Stepping_n_at_once_equals_n_single_steps()
    {
        using var model = TestModels.Humanoid();
        using var one = model.MakeData();
        using var many = model.MakeData();
        for (var i = 0; i < 200; i++) one.Step();
        many.Step(200);
        Assert.That(many.GetState(), Is.EqualTo(one.GetState()));
    }

    private static double[] RunReferenceProgram()
    {
        var dir = Directory.CreateTempSubdirectory("rmj-parity-");
        try
        {
            var exe = NativeProgram.Compile("humanoid_parity.c", dir.FullName, "-lmujoco");
            var output = NativeProgram.Run(exe, $"\"{TestModels.HumanoidPath}\" {Steps}");
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => double.Parse(line, NumberStyles.Float, CultureInfo.InvariantCulture))
                .ToArray();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
