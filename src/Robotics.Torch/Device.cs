namespace Robotics.Torch;

/// <summary>Device kinds, numbered as c10::DeviceType.</summary>
public enum DeviceType
{
    CPU = 0,
    CUDA = 1,
}

/// <summary>Where a tensor lives: <c>torch.CPU</c>, <c>torch.CUDA</c>, or <c>torch.device("cuda:1")</c>.</summary>
public sealed record Device(DeviceType type, int index = -1)
{
    public static readonly Device CPU = new(DeviceType.CPU);
    public static readonly Device CUDA = new(DeviceType.CUDA);

    /// <summary>Parses PyTorch's spelling: "cpu", "cuda", "cuda:1".</summary>
    public static Device Parse(string spec)
    {
        var s = spec.Trim().ToLowerInvariant();
        var colon = s.IndexOf(':');
        var kind = colon < 0 ? s : s[..colon];
        var index = -1;
        if (colon >= 0 && (!int.TryParse(s[(colon + 1)..], out index) || index < 0))
            throw new ArgumentException($"bad device index in '{spec}'", nameof(spec));
        return kind switch
        {
            "cpu" => new Device(DeviceType.CPU, index),
            "cuda" => new Device(DeviceType.CUDA, index),
            _ => throw new ArgumentException($"unknown device '{spec}' (expected cpu, cuda or cuda:N)", nameof(spec)),
        };
    }

    public override string ToString() =>
        (type == DeviceType.CPU ? "cpu" : "cuda") + (index >= 0 ? $":{index}" : "");
}
