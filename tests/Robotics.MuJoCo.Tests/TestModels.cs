using NUnit.Framework;

namespace Robotics.MuJoCo.Tests;

/// <summary>Models the tests share: Debian's humanoid sample and a small scene written for them.</summary>
internal static class TestModels
{
    /// <summary>From libmujoco-samples; also what mujoco-testspeed is measured on.</summary>
    public const string HumanoidPath = "/usr/share/mujoco/model/humanoid/humanoid.xml";

    /// <summary>
    /// A free box resting near a plane (contacts), a two-link arm hanging in the air (hinges with a
    /// site for Jacobians), an actuator, a sensor, a named camera and a keyframe.
    /// nq = 7 (free joint) + 2 hinges = 9, nv = 6 + 2 = 8.
    /// </summary>
    public const string BoxAndArm = """
        <mujoco model="box-and-arm">
          <option timestep="0.002"/>
          <worldbody>
            <light pos="0 0 3"/>
            <camera name="overhead" pos="0 0 4" xyaxes="1 0 0 0 1 0"/>
            <geom name="floor" type="plane" size="2 2 .1" rgba=".8 .8 .8 1"/>
            <body name="box" pos="0 0 0.2">
              <freejoint name="box_free"/>
              <geom name="box_geom" type="box" size=".1 .1 .1" mass="1" rgba="1 0 0 1"/>
              <site name="corner" pos=".1 .1 .1"/>
            </body>
            <body name="arm" pos="1 0 1">
              <joint name="shoulder" type="hinge" axis="0 1 0" limited="true" range="-90 90"/>
              <geom name="upper" type="capsule" fromto="0 0 0 .5 0 0" size=".05"/>
              <body name="forearm" pos=".5 0 0">
                <joint name="elbow" type="hinge" axis="0 0 1"/>
                <geom name="lower" type="capsule" fromto="0 0 0 .4 0 0" size=".04"/>
                <site name="hand" pos=".4 0 0"/>
              </body>
            </body>
          </worldbody>
          <actuator>
            <motor name="shoulder_motor" joint="shoulder" ctrllimited="true" ctrlrange="-1 1"/>
          </actuator>
          <sensor>
            <jointpos name="elbow_angle" joint="elbow"/>
          </sensor>
          <keyframe>
            <key name="raised" qpos="0 0 1  1 0 0 0  0.5 0.3"/>
          </keyframe>
        </mujoco>
        """;

    public static MjModel Humanoid() => MjModel.FromXmlFile(HumanoidPath);

    public static MjModel Box() => MjModel.FromXmlString(BoxAndArm);

    /// <summary>Steps until the box has settled on the floor, so contacts exist.</summary>
    public static void Settle(MjData data, int steps = 500) => data.Step(steps);
}
