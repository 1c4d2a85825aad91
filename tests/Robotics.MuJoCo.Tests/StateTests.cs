using NUnit.Framework;

namespace Robotics.MuJoCo.Tests;

public class StateTests
{
    [Test]
    public void Restoring_a_saved_state_reproduces_the_run_bit_for_bit()
    {
        using var model = TestModels.Humanoid();
        using var data = model.MakeData();
        var random = new Random(7);
        void StepWithControls(int steps)
        {
            for (var i = 0; i < steps; i++)
            {
                for (var u = 0; u < model.Nu; u++) data.Ctrl[u] = random.NextDouble() * 2 - 1;
                data.Step();
            }
        }

        StepWithControls(100);
        var saved = data.GetState();
        random = new Random(11);
        StepWithControls(200);
        var first = data.GetState();

        data.SetState(saved);
        random = new Random(11);
        StepWithControls(200);
        var second = data.GetState();

        Assert.That(second, Is.EqualTo(first).Using<double>((a, b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b)));
        Assert.That(first[0], Is.GreaterThan(saved[0]), "time is the state's first value and advanced");
    }

    [Test]
    public void State_restores_into_a_fresh_data_of_the_same_model()
    {
        using var model = TestModels.Humanoid();
        using var a = model.MakeData();
        using var b = model.MakeData();
        a.Step(150);
        b.SetState(a.GetState());
        a.Step(100);
        b.Step(100);
        Assert.That(b.Qpos.ToArray(), Is.EqualTo(a.Qpos.ToArray()));
        Assert.That(b.Time, Is.EqualTo(a.Time));
    }

    [Test]
    public void State_size_counts_every_input_of_a_step()
    {
        using var model = TestModels.Humanoid();
        var expected = 1 + model.Nq + model.Nv + model.Na + model.Nv + model.Nu + model.Nv
                       + 6 * model.Nbody + 7 * model.Nmocap + model.Nuserdata;
        Assert.That(model.StateSize, Is.EqualTo(expected));
        using var data = model.MakeData();
        Assert.That(data.GetState(), Has.Length.EqualTo(expected));
    }

    [Test]
    public void Two_datas_of_one_model_are_independent()
    {
        using var model = TestModels.Humanoid();
        using var a = model.MakeData();
        using var b = model.MakeData();
        var untouched = b.GetState();

        a.Qvel[0] = 1.5;
        a.Ctrl[3] = 0.4;
        a.Step(50);

        Assert.That(b.GetState(), Is.EqualTo(untouched));
        Assert.That(a.Time, Is.EqualTo(50 * model.Timestep).Within(1e-12));
        Assert.That(b.Time, Is.Zero);
    }

    [Test]
    public void Wrong_length_state_is_rejected_with_expected_and_actual()
    {
        using var model = TestModels.Box();
        using var data = model.MakeData();
        var error = Assert.Throws<ArgumentException>(() => data.SetState(new double[model.StateSize - 1]))!;
        Assert.That(error.Message, Does.Contain($"{model.StateSize - 1} values").And.Contain($"exactly {model.StateSize}"));
        Assert.Throws<ArgumentException>(() => data.GetState(new double[model.StateSize + 3]));
    }

    [Test]
    public void Reset_and_keyframes_set_the_expected_positions()
    {
        using var model = TestModels.Box();
        using var data = model.MakeData();
        data.Step(10);

        data.ResetKeyframe("raised");
        Assert.That(data.Qpos.ToArray(), Is.EqualTo(new[] { 0, 0, 1, 1, 0, 0, 0, 0.5, 0.3 }));
        Assert.That(data.Time, Is.Zero);

        data.Reset();
        Assert.That(data.Qpos.ToArray(), Is.EqualTo(model.Qpos0.ToArray()));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.ResetKeyframe(1));
        Assert.Throws<MuJoCoException>(() => data.ResetKeyframe("lowered"));
    }

    [Test]
    public void CopyFrom_duplicates_the_simulation()
    {
        using var model = TestModels.Box();
        using var a = model.MakeData();
        using var b = model.MakeData();
        a.Step(123);
        b.CopyFrom(a);
        Assert.That(b.GetState(), Is.EqualTo(a.GetState()));
        a.Step(10);
        b.Step(10);
        Assert.That(b.Xpos.ToArray(), Is.EqualTo(a.Xpos.ToArray()));
    }
}
