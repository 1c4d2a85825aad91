using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using NUnit.Framework;
using Robotics.Core.Data;

namespace Robotics.Core.Tests;

/// <summary>.npy / .npz I/O: round trips, numpy's header layout, clear errors, and both directions against numpy itself.</summary>
public class NpzTests
{
    /// <summary>Debian's python3 with numpy (the pyenv python3 on PATH has none).</summary>
    private const string SystemPython = "/usr/bin/python3";

    private static string TempFile(string name) => Path.Combine(Directory.CreateTempSubdirectory("npz").FullName, name);

    [Test]
    public void ArraysRoundTripWithTheirDtypeAndShape()
    {
        var path = TempFile("all.npz");
        var f32 = new float[] { 1.5f, -2, float.MaxValue, float.Epsilon, 0, 7 };
        var f64 = new[] { Math.PI, -1e300, 0.1 };
        var flags = new[] { true, false, false, true };
        var ints = new[] { long.MinValue, -1, 0, long.MaxValue };
        Npz.Save(path,
        [
            new("f32", new NpyArray(f32, 2, 3)),
            new("f64", NpyArray.Vector(f64)),
            new("flags", new NpyArray(flags, 2, 1, 2)),
            new("ints", NpyArray.Vector(ints)),
            new("scalar", new NpyArray(new[] { 42.0 })),
            new("empty", new NpyArray(Array.Empty<float>(), 0, 4)),
        ]);
        var back = Npz.Load(path);
        Assert.That(back.Keys, Is.EqualTo(new[] { "f32", "f64", "flags", "ints", "scalar", "empty" }));
        Assert.That(back["f32"].Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(back["f32"].AsFloat32(), Is.EqualTo(f32));
        Assert.That(back["f64"].Shape, Is.EqualTo(new[] { 3 }));
        Assert.That(back["f64"].AsFloat64(), Is.EqualTo(f64));
        Assert.That(back["flags"].Shape, Is.EqualTo(new[] { 2, 1, 2 }));
        Assert.That(back["flags"].AsBool(), Is.EqualTo(flags));
        Assert.That(back["ints"].AsInt64(), Is.EqualTo(ints));
        Assert.That(back["scalar"].Shape, Is.Empty);
        Assert.That(back["scalar"].AsFloat64(), Is.EqualTo(new[] { 42.0 }));
        Assert.That(back["empty"].Shape, Is.EqualTo(new[] { 0, 4 }));
        Assert.That(() => back["f32"].AsFloat64(), Throws.TypeOf<InvalidDataException>().With.Message.Contains("<f4"));
    }

    [Test]
    public void EntriesAreStoredUncompressedUnderKeyDotNpy()
    {
        var path = TempFile("stored.npz");
        Npz.Save(path, [new("a", NpyArray.Vector(new float[1000]))]);
        using var zip = ZipFile.OpenRead(path);
        var entry = zip.Entries.Single();
        Assert.That(entry.FullName, Is.EqualTo("a.npy"));
        Assert.That(entry.CompressedLength, Is.EqualTo(entry.Length), "np.savez stores entries; so do we");
    }

    [TestCase(new[] { 3 }, "(3,)")]
    [TestCase(new[] { 1000, 39 }, "(1000, 39)")]
    [TestCase(new int[0], "()")]
    public void HeaderIsVersion1WithNumpysPaddingTo64Bytes(int[] shape, string tuple)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        using var stream = new MemoryStream();
        NpyFormat.Write(stream, new NpyArray(new float[count], shape));
        var bytes = stream.ToArray();
        Assert.That(bytes[..6], Is.EqualTo(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' }));
        Assert.That((bytes[6], bytes[7]), Is.EqualTo(((byte)1, (byte)0)));
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.That((10 + headerLength) % 64, Is.Zero, "data starts on a 64-byte boundary");
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.That(header, Does.StartWith($"{{'descr': '<f4', 'fortran_order': False, 'shape': {tuple}, }}"));
        Assert.That(header, Does.EndWith(" \n"));
        Assert.That(bytes.Length, Is.EqualTo(10 + headerLength + 4 * count));
    }

    /// <summary>A hand-made .npy with a given header dict and data bytes.</summary>
    private static MemoryStream Npy(string dict, int dataBytes)
    {
        var header = dict + new string(' ', 64 - (10 + dict.Length + 1) % 64) + "\n";
        var s = new MemoryStream();
        s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        s.Write(BitConverter.GetBytes((ushort)header.Length));
        s.Write(Encoding.ASCII.GetBytes(header));
        s.Write(new byte[dataBytes]);
        s.Position = 0;
        return s;
    }

    [Test]
    public void UnsupportedDtypeIsNamed()
    {
        using var s = Npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", 8);
        Assert.That(() => NpyFormat.Read(s, "x"), Throws.TypeOf<InvalidDataException>()
            .With.Message.Contains("'<i4' is not supported").And.Message.Contains("'<f4'"));
        using var big = Npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8);
        Assert.That(() => NpyFormat.Read(big, "x"), Throws.TypeOf<InvalidDataException>().With.Message.Contains("'>f4'"));
    }

    [Test]
    public void FortranOrderIsRefused()
    {
        using var s = Npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", 48);
        Assert.That(() => NpyFormat.Read(s, "x"), Throws.TypeOf<InvalidDataException>().With.Message.Contains("Fortran"));
    }

    [Test]
    public void TruncatedDataIsRefused()
    {
        using var s = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (10, 2), }", 79);
        Assert.That(() => NpyFormat.Read(s, "obs"), Throws.TypeOf<InvalidDataException>()
            .With.Message.Contains("obs").And.Message.Contains("truncated").And.Message.Contains("needs 80 bytes, found 79"));
        using var header = new MemoryStream(Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4).ToArray()[..30]);
        Assert.That(() => NpyFormat.Read(header, "obs"), Throws.TypeOf<InvalidDataException>().With.Message.Contains("truncated"));
    }

    [Test]
    public void NotAnNpzIsAClearError()
    {
        var path = TempFile("junk.npz");
        File.WriteAllText(path, "hello");
        Assert.That(() => Npz.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("not an .npz"));
        Assert.That(() => Npz.Load(TempFile("missing.npz")), Throws.TypeOf<FileNotFoundException>());
    }

    private static TransitionDataset Sample(int n, int obsDim, int actDim)
    {
        var d = TransitionDataset.Allocate(n, obsDim, actDim);
        for (int i = 0; i < d.Observations.Length; i++) { d.Observations[i] = i * 0.5f; d.NextObservations[i] = i * 0.5f + 1; }
        for (int i = 0; i < d.Actions.Length; i++) d.Actions[i] = -i / 7f;
        for (int i = 0; i < n; i++) { d.Rewards[i] = i / 3f; d.Timeouts[i] = i % 4 == 3; d.Terminals[i] = i == 1; }
        return d;
    }

    [Test]
    public void TransitionDatasetRoundTrips()
    {
        var path = TempFile("data.npz");
        var d = Sample(8, 5, 3);
        d.Save(path);
        var back = TransitionDataset.Load(path);
        Assert.That((back.Count, back.ObservationSize, back.ActionSize), Is.EqualTo((8, 5, 3)));
        Assert.That(back.Observations, Is.EqualTo(d.Observations));
        Assert.That(back.Actions, Is.EqualTo(d.Actions));
        Assert.That(back.Rewards, Is.EqualTo(d.Rewards));
        Assert.That(back.Terminals, Is.EqualTo(d.Terminals));
        Assert.That(back.Timeouts, Is.EqualTo(d.Timeouts));
        Assert.That(back.NextObservations, Is.EqualTo(d.NextObservations));
        Assert.That(back.Observation(2).ToArray(), Is.EqualTo(d.Observations[10..15]));
    }

    [Test]
    public void TransitionDatasetShapesMustAgree()
    {
        Assert.That(() => new TransitionDataset(4, 2, new float[12], new float[6], new float[3], new bool[3], new bool[3], new float[8]),
            Throws.ArgumentException.With.Message.Contains("next_observations").And.Message.Contains("expected 3 rows × 4 = 12"));
        Assert.That(() => new TransitionDataset(4, 2, new float[12], new float[6], new float[3], new bool[2], new bool[3], new float[12]),
            Throws.ArgumentException.With.Message.Contains("terminals"));

        var path = TempFile("bad.npz");
        Npz.Save(path,
        [
            new("observations", new NpyArray(new float[12], 3, 4)),
            new("actions", new NpyArray(new float[6], 3, 2)),
            new("rewards", NpyArray.Vector(new float[3])),
            new("terminals", NpyArray.Vector(new bool[3])),
            new("timeouts", NpyArray.Vector(new bool[3])),
            new("next_observations", new NpyArray(new float[8], 2, 4)),
        ]);
        Assert.That(() => TransitionDataset.Load(path), Throws.TypeOf<InvalidDataException>()
            .With.Message.Contains("'next_observations' has shape (2, 4)"));

        Npz.Save(path,
        [
            new("observations", new NpyArray(new float[12], 3, 4)),
            new("actions", new NpyArray(new double[6], 3, 2)),
            new("rewards", NpyArray.Vector(new float[3])),
            new("terminals", NpyArray.Vector(new bool[3])),
            new("timeouts", NpyArray.Vector(new bool[3])),
            new("next_observations", new NpyArray(new float[12], 3, 4)),
        ]);
        Assert.That(() => TransitionDataset.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("'actions' is <f8"));

        Npz.Save(path, [new("observations", new NpyArray(new float[12], 3, 4))]);
        Assert.That(() => TransitionDataset.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("no 'rewards'"));
    }

    private static string RunNumpy(string script, params string[] args)
    {
        var probe = Process.Start(new ProcessStartInfo(SystemPython, "-c \"import numpy\"") { RedirectStandardError = true, UseShellExecute = false });
        if (probe == null) Assert.Ignore($"{SystemPython} is not available");
        probe!.WaitForExit();
        if (probe.ExitCode != 0) Assert.Ignore($"{SystemPython} has no numpy");

        var info = new ProcessStartInfo(SystemPython) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, $"python failed: {err.Result}");
        return output;
    }

    [Test]
    public void NumpyReadsOurDataset()
    {
        var path = TempFile("ours.npz");
        var d = Sample(8, 5, 3);
        d.Save(path);
        const string script = """
            import json, sys, numpy as np
            d = np.load(sys.argv[1])
            print(json.dumps({k: {"dtype": str(d[k].dtype), "shape": list(d[k].shape), "flags": d[k].flags["C_CONTIGUOUS"],
                                  "sum": float(d[k].astype(np.float64).sum()), "last": d[k].reshape(-1)[-1].item()} for k in d.files}))
            """;
        using var json = JsonDocument.Parse(RunNumpy(script, path));
        var root = json.RootElement;
        Assert.That(root.EnumerateObject().Select(p => p.Name),
            Is.EqualTo(new[] { "observations", "actions", "rewards", "terminals", "timeouts", "next_observations" }));
        void Check(string key, string dtype, int[] shape, double sum, double last)
        {
            var e = root.GetProperty(key);
            Assert.That(e.GetProperty("dtype").GetString(), Is.EqualTo(dtype), key);
            Assert.That(e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()), Is.EqualTo(shape), key);
            Assert.That(e.GetProperty("flags").GetBoolean(), Is.True, key);
            Assert.That(e.GetProperty("sum").GetDouble(), Is.EqualTo(sum).Within(1e-4), key);
            Assert.That(e.GetProperty("last").ValueKind == JsonValueKind.True ? 1.0 : e.GetProperty("last").ValueKind == JsonValueKind.False ? 0.0
                : e.GetProperty("last").GetDouble(), Is.EqualTo(last).Within(1e-6), key);
        }
        Check("observations", "float32", [8, 5], d.Observations.Sum(x => (double)x), d.Observations[^1]);
        Check("actions", "float32", [8, 3], d.Actions.Sum(x => (double)x), d.Actions[^1]);
        Check("rewards", "float32", [8], d.Rewards.Sum(x => (double)x), d.Rewards[^1]);
        Check("terminals", "bool", [8], 1, 0);
        Check("timeouts", "bool", [8], 2, 1);
        Check("next_observations", "float32", [8, 5], d.NextObservations.Sum(x => (double)x), d.NextObservations[^1]);
    }

    [Test]
    public void OurNpyBytesEqualNpSaves()
    {
        var dir = Directory.CreateTempSubdirectory("npy").FullName;
        var arrays = new (string Name, NpyArray Array)[]
        {
            ("a", new NpyArray(Enumerable.Range(0, 39 * 1000).Select(i => i * 0.25f).ToArray(), 1000, 39)),
            ("b", NpyArray.Vector(new[] { 1.0, -2.5, 1e-300 })),
            ("c", new NpyArray(new[] { true, false, true, true, false, false }, 3, 2)),
            ("d", new NpyArray(new[] { 5L, -7L }, 1, 2, 1)),
            ("e", new NpyArray(new[] { 3.5f })),
        };
        foreach (var (name, array) in arrays)
        {
            using var f = File.Create(Path.Combine(dir, name + ".ours.npy"));
            NpyFormat.Write(f, array);
        }
        const string script = """
            import sys, os, numpy as np
            d = sys.argv[1]
            np.save(os.path.join(d, "a.npy"), (np.arange(39 * 1000, dtype=np.float32) * 0.25).reshape(1000, 39))
            np.save(os.path.join(d, "b.npy"), np.array([1.0, -2.5, 1e-300]))
            np.save(os.path.join(d, "c.npy"), np.array([[True, False], [True, True], [False, False]]))
            np.save(os.path.join(d, "d.npy"), np.array([5, -7], dtype=np.int64).reshape(1, 2, 1))
            np.save(os.path.join(d, "e.npy"), np.float32(3.5))
            """;
        RunNumpy(script, dir);
        foreach (var (name, _) in arrays)
            Assert.That(File.ReadAllBytes(Path.Combine(dir, name + ".ours.npy")), Is.EqualTo(File.ReadAllBytes(Path.Combine(dir, name + ".npy"))), name);
    }

    [Test]
    public void WeReadWhatNumpyWrites()
    {
        var path = TempFile("theirs.npz");
        const string script = """
            import sys, numpy as np
            np.savez(sys.argv[1],
                     f32=np.arange(12, dtype=np.float32).reshape(3, 4) / 8,
                     f64=np.array([np.pi, -1e300, 0.1]),
                     flags=np.array([[True, False], [False, True], [True, True]]),
                     ints=np.array([-(2**63), -1, 0, 2**63 - 1], dtype=np.int64),
                     cube=np.arange(24, dtype=np.float32).reshape(2, 3, 4).transpose(1, 0, 2),
                     scalar=np.float64(2.5))
            np.savez_compressed(sys.argv[1] + ".z.npz", x=np.linspace(0, 1, 1000, dtype=np.float32))
            """;
        RunNumpy(script, path);
        var a = Npz.Load(path);
        Assert.That(a["f32"].Shape, Is.EqualTo(new[] { 3, 4 }));
        Assert.That(a["f32"].AsFloat32(), Is.EqualTo(Enumerable.Range(0, 12).Select(i => i / 8f).ToArray()));
        Assert.That(a["f64"].AsFloat64(), Is.EqualTo(new[] { Math.PI, -1e300, 0.1 }));
        Assert.That(a["flags"].Shape, Is.EqualTo(new[] { 3, 2 }));
        Assert.That(a["flags"].AsBool(), Is.EqualTo(new[] { true, false, false, true, true, true }));
        Assert.That(a["ints"].AsInt64(), Is.EqualTo(new[] { long.MinValue, -1, 0, long.MaxValue }));
        // np.save makes a non-contiguous view C-ordered on write: element [i, j, k] of the transpose = i*4 + j*12 + k.
        var cube = a["cube"];
        Assert.That(cube.Shape, Is.EqualTo(new[] { 3, 2, 4 }));
        var values = cube.AsFloat32();
        for (int i = 0; i < 3; i++)
        for (int j = 0; j < 2; j++)
        for (int k = 0; k < 4; k++)
            Assert.That(values[(i * 2 + j) * 4 + k], Is.EqualTo((float)(i * 4 + j * 12 + k)));
        Assert.That(a["scalar"].Shape, Is.Empty);
        Assert.That(a["scalar"].AsFloat64(), Is.EqualTo(new[] { 2.5 }));

        var z = Npz.Load(path + ".z.npz")["x"].AsFloat32();
        Assert.That(z, Has.Length.EqualTo(1000));
        Assert.That((z[0], z[^1]), Is.EqualTo((0f, 1f)));
    }
}
