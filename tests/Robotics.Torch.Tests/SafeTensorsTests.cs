using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using NUnit.Framework;
using Robotics.Torch.Serialization;
using static Robotics.Torch.torch;

namespace Robotics.Torch.Tests;

public class SafeTensorsTests
{
    private string dir = "";

    [SetUp]
    public void MakeDir() => dir = Directory.CreateTempSubdirectory("robotics-st-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(dir, recursive: true);

    private static Dictionary<string, Tensor> Sample() => new()
    {
        ["weights"] = arange(6).reshape(2, 3).@float() / 4,
        ["doubles"] = tensor(new[] { Math.PI, -1e-300 }),
        ["steps"] = tensor(new long[] { long.MinValue, 7 }),
        ["mask"] = tensor(new[] { true, false, true }),
        ["pixels"] = tensor(new byte[] { 0, 128, 255 }),
        ["half"] = tensor(new[] { 1.5f, -2f }).half(),
        ["scalar"] = tensor(3.25f),
        ["strided"] = arange(6).reshape(2, 3).t(),
    };

    [Test]
    public void RoundTripsEveryDtypeAndMetadata()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(dir, "a.safetensors");
        var src = Sample();
        save(src, path, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode" });
        var (back, meta) = SafeTensors.Load(path);
        Assert.That(back.Keys, Is.EquivalentTo(src.Keys));
        foreach (var (name, t) in src)
        {
            Assert.That(back[name].dtype, Is.EqualTo(t.dtype), name);
            Assert.That(back[name].shape, Is.EqualTo(t.shape), name);
            Assert.That(back[name].equal(t), name);
        }
        Assert.That(meta["note"], Is.EqualTo("ünïcode"));
    }

    [Test]
    public void FileLayoutFollowsTheSpec()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(dir, "b.safetensors");
        save(Sample(), path);
        var bytes = File.ReadAllBytes(path);
        var n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.That((8 + n) % 8, Is.EqualTo(0), "data starts 8-byte aligned");
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)n));
        var spans = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__")
            .Select(p => p.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray())
            .OrderBy(o => o[0]).ToList();
        Assert.That(spans[0][0], Is.EqualTo(0));
        for (int i = 1; i < spans.Count; i++) Assert.That(spans[i][0], Is.EqualTo(spans[i - 1][1]), "contiguous, no gaps");
        Assert.That(spans[^1][1], Is.EqualTo(bytes.Length - 8 - n), "the data section is fully covered");
        var w = header.RootElement.GetProperty("weights");
        Assert.That(w.GetProperty("dtype").GetString(), Is.EqualTo("F32"));
        Assert.That(w.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new long[] { 2, 3 }));
        var off = w.GetProperty("data_offsets")[0].GetInt64();
        Assert.That(BitConverter.ToSingle(bytes, (int)(8 + n + off + 4)), Is.EqualTo(0.25f), "raw little-endian float32");
    }

    [Test]
    public void CorruptFilesAreRejected()
    {
        var path = Path.Combine(dir, "bad.safetensors");
        File.WriteAllBytes(path, [255, 255, 255, 255, 0, 0, 0, 0, 1, 2]);
        Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        var json = Encoding.UTF8.GetBytes("{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}");
        var bytes = new byte[8 + json.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        Assert.That(Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path))!.Message, Does.Contain("'x'"), "offsets past the end");
        File.WriteAllBytes(path, [8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'x', 0, 0, 0, 0, 0, 0]);
        Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        File.WriteAllText(path, "x\n"); // shorter than the header length itself
        Assert.That(Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path))!.Message, Does.Contain("not a safetensors file"));
    }

    [Test]
    public void ModulesSaveAndLoad()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(dir, "m.safetensors");
        manual_seed(4);
        using var a = nn.MLP([3, 8, 2]);
        a.save(path);
        using var b = nn.MLP([3, 8, 2]);
        b.load(path);
        var x = randn(5, 3);
        Assert.That(a.call(x).equal(b.call(x)));
    }

    /// <summary>Python reads our file with nothing but its standard library, following the spec, and (if present) builds torch tensors from it.</summary>
    [Test]
    public void PythonReadsOurFiles()
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) Assert.Ignore("python3 is not installed");
        using var scope = NewDisposeScope();
        var path = Path.Combine(dir, "py.safetensors");
        var src = Sample();
        save(src, path, new Dictionary<string, string> { ["source"] = "Robotics" });
        const string reader = """
            import json, struct, sys
            fmt = {"F32": "f", "F64": "d", "I64": "q", "U8": "B", "BOOL": "?", "F16": "e"}
            raw = open(sys.argv[1], "rb").read()
            (n,) = struct.unpack("<Q", raw[:8])
            header = json.loads(raw[8:8 + n])
            data = raw[8 + n:]
            out = {"__metadata__": header.pop("__metadata__")}
            for name, info in header.items():
                b, e = info["data_offsets"]
                count = (e - b) // struct.calcsize(fmt[info["dtype"]])
                out[name] = [info["dtype"], info["shape"], list(struct.unpack("<%d%s" % (count, fmt[info["dtype"]]), data[b:e]))]
            try:
                import torch
                t = torch.frombuffer(bytearray(data[header["weights"]["data_offsets"][0]:header["weights"]["data_offsets"][1]]), dtype=torch.float32)
                out["torch_weights_sum"] = float(t.reshape(header["weights"]["shape"]).sum())
            except ImportError:
                pass
            print(json.dumps(out))
            """;
        var script = Path.Combine(dir, "read.py");
        File.WriteAllText(script, reader);
        var psi = new ProcessStartInfo(python, [script, path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var proc = Process.Start(psi)!;
        var stdout = proc.StandardOutput.ReadToEnd();
        var stderr = proc.StandardError.ReadToEnd();
        proc.WaitForExit();
        Assert.That(proc.ExitCode, Is.EqualTo(0), stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("__metadata__").GetProperty("source").GetString(), Is.EqualTo("Robotics"));
        double[] Values(string name) => root.GetProperty(name)[2].EnumerateArray()
            .Select(e => e.ValueKind switch { JsonValueKind.True => 1.0, JsonValueKind.False => 0.0, _ => e.GetDouble() }).ToArray();
        Assert.That(Values("weights"), Is.EqualTo(new[] { 0, 0.25, 0.5, 0.75, 1, 1.25 }));
        Assert.That(Values("doubles"), Is.EqualTo(new[] { Math.PI, -1e-300 }));
        Assert.That(root.GetProperty("steps")[2][0].GetInt64(), Is.EqualTo(long.MinValue));
        Assert.That(Values("mask"), Is.EqualTo(new[] { 1.0, 0, 1 }));
        Assert.That(Values("pixels"), Is.EqualTo(new[] { 0.0, 128, 255 }));
        Assert.That(Values("half"), Is.EqualTo(new[] { 1.5, -2 }));
        Assert.That(Values("strided"), Is.EqualTo(new[] { 0.0, 3, 1, 4, 2, 5 }), "views are written in logical order");
        Assert.That(root.GetProperty("scalar")[1].GetArrayLength(), Is.EqualTo(0), "0-dim keeps an empty shape");
        if (root.TryGetProperty("torch_weights_sum", out var s)) Assert.That(s.GetDouble(), Is.EqualTo(3.75));
    }
}
