using NUnit.Framework;

namespace Robotics.MuJoCo.Tests;

/// <summary>mju_error must become an exception, never an abort, and leave the data usable.</summary>
public class ErrorTests
{
    /// <summary>A stack big enough to compile and fall, too small once the box hits the floor.</summary>
    private const string TinyStack = """
        <mujoco model="tiny-stack">
          <size nstack="200"/>
          <worldbody>
            <geom type="plane" size="1 1 .1"/>
            <body pos="0 0 .5"><freejoint/><geom type="box" size=".1 .1 .1"/></body>
          </worldbody>
        </mujoco>
        """;

    [Test]
    public void Mujoco_error_during_simulation_becomes_an_exception_and_the_process_survives()
    {
        using var model = MjModel.FromXmlString(TinyStack);
        using var data = model.MakeData();

        var error = Assert.Throws<MuJoCoException>(() => data.Step(1000))!;
        Assert.That(error.Message, Does.Contain("rmj_data_step").And.Contain("Stack overflow"));

        // The failed step left nothing behind: the data resets and steps again (until the same wall).
        data.Reset();
        data.Step(10);
        Assert.That(data.Time, Is.EqualTo(10 * model.Timestep).Within(1e-12));
        Assert.Throws<MuJoCoException>(() => data.Step(1000));
    }

    [Test]
    public void Errors_on_other_threads_are_reported_on_those_threads()
    {
        using var model = MjModel.FromXmlString(TinyStack);
        var messages = Enumerable.Range(0, 4).AsParallel().Select(_ =>
        {
            using var data = model.MakeData();
            try { data.Step(1000); return "no error"; }
            catch (MuJoCoException e) { return e.Message; }
        }).ToArray();
        Assert.That(messages, Has.All.Contain("Stack overflow"));
    }

    [Test]
    public void Warnings_are_queued_for_the_caller()
    {
        const string xml = """
            <mujoco model="full-contacts">
              <size nconmax="1"/>
              <worldbody>
                <geom type="plane" size="1 1 .1"/>
                <body pos="0 0 .09"><freejoint/><geom type="box" size=".1 .1 .1"/></body>
              </worldbody>
            </mujoco>
            """;
        using var model = MjModel.FromXmlString(xml);
        using var data = model.MakeData();
        MjLibrary.TakeWarnings();

        data.Step(5);

        var warnings = MjLibrary.TakeWarnings();
        Assert.That(warnings, Has.Some.Contains("contact"), string.Join(" | ", warnings));
        Assert.That(MjLibrary.TakeWarnings(), Is.Empty, "taking empties the queue");
    }

    [Test]
    public void Using_a_disposed_data_throws_instead_of_crashing()
    {
        using var model = TestModels.Box();
        var data = model.MakeData();
        data.Dispose();
        Assert.Throws<ObjectDisposedException>(() => data.Step());
        Assert.Throws<ObjectDisposedException>(() => _ = data.Qpos.Length);
    }
}
