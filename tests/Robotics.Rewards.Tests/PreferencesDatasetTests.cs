using NUnit.Framework;
using Robotics.Core.Seeding;
using Robotics.Rewards.Preferences.Data;
using static Robotics.Rewards.Tests.PreferencesSynthetic;

namespace Robotics.Rewards.Tests;

/// <summary>Segments, pairs and the preference dataset file.</summary>
public class PreferencesDatasetTests
{
    [Test]
    public void SegmentsAreCutFromWholeStretchesOfOneTrajectory()
    {
        var rng = new Rng(0);
        var trajectories = Trajectories(5, 30, rng);
        foreach (var (a, b) in SegmentSampler.SamplePairs(trajectories, 200, 10, rng))
            foreach (var s in new[] { a, b })
            {
                var source = trajectories.Single(t => t.Policy == s.Origin.Policy);
                Assert.That(s.Origin.Start, Is.InRange(0, 20));
                Assert.That(s.States, Is.EqualTo(source.States.Skip(s.Origin.Start).Take(10)));
                Assert.That(s.Action(9).ToArray(), Is.EqualTo(source.Action(s.Origin.Start + 9).ToArray()));
            }
        Assert.Throws<InvalidOperationException>(() => SegmentSampler.SamplePairs(trajectories, 1, 31, rng));
    }

    [Test]
    public void DatasetRoundTripsEveryLabelInputAndOrigin()
    {
        var rng = new Rng(1);
        var pairs = SegmentSampler.SamplePairs(Trajectories(6, 20, rng), 4, 5, rng);
        var dataset = new PreferenceDataset(5, ActionSize, "reach");
        dataset.AddRange(pairs, [Preference.First, Preference.Second, Preference.Equal, Preference.Skip]);
        var path = Path.Combine(Path.GetTempPath(), $"robo-prefs-{Guid.NewGuid():N}", "queries.safetensors");
        try
        {
            dataset.Save(path);
            var loaded = PreferenceDataset.Load(path);
            Assert.That(loaded.Count, Is.EqualTo(4));
            Assert.That(loaded.Task, Is.EqualTo("reach"));
            Assert.That(loaded.SegmentLength, Is.EqualTo(5));
            Assert.That(loaded.Pairs.Select(p => p.Label), Is.EqualTo(new[] { Preference.First, Preference.Second, Preference.Equal, Preference.Skip }));
            Assert.That(loaded.Trainable.Count(), Is.EqualTo(3));
            for (int i = 0; i < 4; i++)
            {
                Assert.That(loaded.Pairs[i].A.Inputs, Is.EqualTo(dataset.Pairs[i].A.Inputs));
                Assert.That(loaded.Pairs[i].B.Inputs, Is.EqualTo(dataset.Pairs[i].B.Inputs));
                Assert.That(loaded.Pairs[i].A.Origin, Is.EqualTo(dataset.Pairs[i].A.Origin));
                Assert.That(loaded.Pairs[i].B.Origin, Is.EqualTo(dataset.Pairs[i].B.Origin));
                Assert.That(loaded.Pairs[i].A.States, Is.Null, "state views are not stored");
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Test]
    public void EmptyDatasetRoundTrips()
    {
        var path = Path.Combine(Path.GetTempPath(), $"robo-prefs-empty-{Guid.NewGuid():N}.safetensors");
        try
        {
            new PreferenceDataset(50, ActionSize).Save(path);
            var loaded = PreferenceDataset.Load(path);
            Assert.That(loaded.Count, Is.Zero);
            Assert.That(loaded.SegmentLength, Is.EqualTo(50));
            Assert.That(loaded.Task, Is.Null);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void DatasetRefusesMismatchedSegmentsAndForeignFiles()
    {
        var rng = new Rng(2);
        var trajectories = Trajectories(2, 20, rng);
        var dataset = new PreferenceDataset(5, ActionSize);
        Assert.Throws<ArgumentException>(() => dataset.Add(trajectories[0].Cut(0, 5), trajectories[1].Cut(0, 6), Preference.First));
        var path = Path.Combine(Path.GetTempPath(), $"robo-prefs-foreign-{Guid.NewGuid():N}.safetensors");
        try
        {
            Robotics.Torch.Serialization.SafeTensors.Save(path, new Dictionary<string, Robotics.Torch.Tensor> { ["x"] = Robotics.Torch.torch.zeros(2) });
            Assert.That(() => PreferenceDataset.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("not a preference dataset"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void LabelsReadAndWriteAsText()
    {
        foreach (var p in Enum.GetValues<Preference>()) Assert.That(PreferenceExtensions.Parse(p.ToText()), Is.EqualTo(p));
        Assert.That(Preference.Equal.TargetSecond(), Is.EqualTo(0.5f));
        Assert.That(Preference.Second.TargetSecond(), Is.EqualTo(1f));
        Assert.Throws<ArgumentException>(() => Preference.Skip.TargetSecond());
        Assert.Throws<FormatException>(() => PreferenceExtensions.Parse("maybe"));
    }
}
