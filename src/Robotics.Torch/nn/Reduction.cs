namespace Robotics.Torch;

/// <summary>How a loss reduces over elements; numbered as at::Reduction.</summary>
public enum Reduction
{
    None = 0,
    Mean = 1,
    Sum = 2,
}

/// <summary>Image interpolation modes for <c>torch.nn.functional.interpolate</c>.</summary>
public enum InterpolationMode
{
    Nearest = 0,
    Bilinear = 1,
    Bicubic = 2,
}
