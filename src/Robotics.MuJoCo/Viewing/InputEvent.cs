namespace Robotics.MuJoCo.Viewing;

/// <summary>The keys the viewer acts on; anything else arrives as <see cref="Other"/>.</summary>
public enum ViewerKey { Other, Space, RightArrow, Backspace, C, Escape }

/// <summary>The mouse buttons a drag can use.</summary>
public enum MouseButton { Left, Right, Middle }

public enum InputKind
{
    /// <summary>A key went down, or repeats while held (<see cref="InputEvent.Key"/>).</summary>
    KeyPress,
    /// <summary>The cursor moved with a button held (<see cref="InputEvent.Button"/>, <see cref="InputEvent.Dx"/>, <see cref="InputEvent.Dy"/>).</summary>
    Drag,
    /// <summary>The scroll wheel turned (<see cref="InputEvent.Dy"/>: notches, positive away from the user).</summary>
    Scroll,
}

/// <summary>
/// One input from the window, recorded during <see cref="ViewerWindow.PollEvents"/>. Drag distances are
/// divided by the window's height, the units MuJoCo's mjv_moveCamera expects (so a drag turns the
/// camera by the same angle whatever the window's size).
/// </summary>
public readonly record struct InputEvent(InputKind Kind, ViewerKey Key = ViewerKey.Other, MouseButton Button = MouseButton.Left,
    double Dx = 0, double Dy = 0, bool Shift = false);
