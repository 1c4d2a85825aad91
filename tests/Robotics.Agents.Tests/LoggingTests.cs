using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using NUnit.Framework;
using Robotics.Agents.Logging;

namespace Robotics.Agents.Tests;

[TestFixture]
public class LoggingTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("robotics-log-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Crc32CMatchesPublishedCheckValue()
    {
        // The CRC-32C check value from RFC 3720 / the CRC catalogue: "123456789" → 0xE3069283.
        Assert.That(Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xE3069283u));
        // 32 zero bytes → 0x8A9136AA (RFC 3720 B.4).
        Assert.That(Crc32C.Compute(new byte[32]), Is.EqualTo(0x8A9136AAu));
    }

    [Test]
    public void CsvHasOneRowPerValueAndAppendsOnReopen()
    {
        using (var log = new MetricsLogger(_dir, tensorBoard: false))
        {
            log.Log(10, "losses/qf1_loss", 0.5);
            log.Log(20, "charts/episodic_return", 123.25);
        }
        using (var log = new MetricsLogger(_dir, tensorBoard: false)) log.Log(30, "losses/qf1_loss", 0.25);
        var lines = File.ReadAllLines(Path.Combine(_dir, MetricsLogger.CsvFileName));
        Assert.That(lines[0], Is.EqualTo("step,wall_time,metric,value"));
        Assert.That(lines, Has.Length.EqualTo(4), "one header, then one row per logged value across both sessions");
        Assert.That(lines[2], Does.StartWith("20,").And.EndWith(",charts/episodic_return,123.25"));
        Assert.That(lines[3], Does.StartWith("30,").And.EndWith(",losses/qf1_loss,0.25"));
    }

    [Test]
    public void TensorBoardFileIsValidTfRecordOfEvents()
    {
        string path;
        using (var tb = new TensorBoardWriter(_dir))
        {
            tb.AddScalar("charts/episodic_return", 1.5f, 100);
            tb.AddScalar("losses/qf1_loss", -2f, 200);
            path = tb.Path;
        }
        Assert.That(Path.GetFileName(path), Does.StartWith("events.out.tfevents."));
        var records = ReadRecords(File.ReadAllBytes(path));
        Assert.That(records, Has.Count.EqualTo(3));
        Assert.That(ReadEvent(records[0]).FileVersion, Is.EqualTo("brain.Event:2"));
        var first = ReadEvent(records[1]);
        Assert.That((first.Step, first.Tag, first.Value), Is.EqualTo((100L, "charts/episodic_return", 1.5f)));
        var second = ReadEvent(records[2]);
        Assert.That((second.Step, second.Tag, second.Value), Is.EqualTo((200L, "losses/qf1_loss", -2f)));
        Assert.That(first.WallTime, Is.GreaterThan(1.7e9), "wall time is seconds since the epoch");
    }

    /// <summary>TFRecord framing as TensorBoard's reader checks it: both masked CRCs must match.</summary>
    private static List<byte[]> ReadRecords(byte[] file)
    {
        var records = new List<byte[]>();
        int at = 0;
        while (at < file.Length)
        {
            var header = file.AsSpan(at, 8);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8, 4)), Is.EqualTo(Crc32C.Masked(header)), "length CRC");
            var data = file.AsSpan(at + 12, (int)length).ToArray();
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 12 + (int)length, 4)), Is.EqualTo(Crc32C.Masked(data)), "data CRC");
            records.Add(data);
            at += 16 + (int)length;
        }
        return records;
    }

    private record struct Decoded(double WallTime, long Step, string? FileVersion, string? Tag, float Value);

    private static Decoded ReadEvent(byte[] data)
    {
        var d = new Decoded();
        var input = new CodedInputStream(data);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: d.WallTime = input.ReadDouble(); break;
                case 2: d.Step = input.ReadInt64(); break;
                case 3: d.FileVersion = input.ReadString(); break;
                case 5:
                    var summary = new CodedInputStream(input.ReadBytes().ToByteArray());
                    Assert.That(WireFormat.GetTagFieldNumber(summary.ReadTag()), Is.EqualTo(1), "Summary.value");
                    var value = new CodedInputStream(summary.ReadBytes().ToByteArray());
                    uint t;
                    while ((t = value.ReadTag()) != 0)
                        if (WireFormat.GetTagFieldNumber(t) == 1) d.Tag = value.ReadString();
                        else if (WireFormat.GetTagFieldNumber(t) == 2) d.Value = value.ReadFloat();
                        else value.SkipLastField();
                    break;
                default: input.SkipLastField(); break;
            }
        }
        return d;
    }
}
