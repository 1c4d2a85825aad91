using NUnit.Framework;
using Robotics.Rewards.Vision.Clip;

namespace Robotics.Rewards.Tests;

/// <summary>
/// The BPE tokenizer against token sequences worked out by hand from the reference algorithm (OpenAI's
/// simple_tokenizer.py) for the vocabulary and merges the fixture writes.
/// </summary>
public class ClipTokenizerTests
{
    private static readonly ClipTokenizer Tokenizer = ClipFixtures.Tokenizer();
    private static readonly List<string> Vocab = ClipFixtures.VocabList();

    private static int[] Ids(params string[] tokens) =>
        [ClipFixtures.StartId, .. tokens.Select(t => Vocab.IndexOf(t) is var i and >= 0 ? i : throw new AssertionException($"'{t}' is not in the vocabulary")), ClipFixtures.EndId];

    [Test]
    public void ByteTableIsGpt2s()
    {
        // Printable Latin-1 maps to itself; the rest to U+0100 on, in byte order (GPT-2's bytes_to_unicode).
        Assert.That(ClipTokenizer.ByteChar((byte)'a'), Is.EqualTo('a'));
        Assert.That(ClipTokenizer.ByteChar(0xE9), Is.EqualTo('é'));
        Assert.That(ClipTokenizer.ByteChar(0x00), Is.EqualTo('\u0100'));
        Assert.That(ClipTokenizer.ByteChar((byte)' '), Is.EqualTo('Ġ'));
        Assert.That(ClipTokenizer.ByteChar((byte)'\n'), Is.EqualTo('Ċ'));
        Assert.That(ClipTokenizer.ByteChar(0x7F), Is.EqualTo('\u0121'));
        Assert.That(ClipTokenizer.ByteChar(0xA0), Is.EqualTo('ł'));
        Assert.That(ClipTokenizer.ByteChar(0xAD), Is.EqualTo('Ń'));
        Assert.That(Enumerable.Range(0, 256).Select(b => ClipTokenizer.ByteChar((byte)b)).Distinct().Count(), Is.EqualTo(256));
    }

    [Test]
    public void SpecialTokensTakeTheLastIds()
    {
        Assert.That(Tokenizer.StartId, Is.EqualTo(ClipFixtures.StartId));
        Assert.That(Tokenizer.EndId, Is.EqualTo(ClipFixtures.EndId));
        Assert.That(Tokenizer.Encode(""), Is.EqualTo(new[] { ClipFixtures.StartId, ClipFixtures.EndId }));
    }

    [Test]
    public void MergesApplyByRank()
    {
        // p h o t o</w>: (p,h) rank 4 first, then (o,t) 5, (ph,ot) 6, (phot,o</w>) 7.
        Assert.That(Tokenizer.Tokenize("photo"), Is.EqualTo(new[] { "photo</w>" }));
        Assert.That(Tokenizer.Encode("a photo of a cat"), Is.EqualTo(Ids("a</w>", "photo</w>", "of</w>", "a</w>", "cat</w>")));
        // Every occurrence of a pair merges, but "hell o</w>" only exists at the word's end.
        Assert.That(Tokenizer.Tokenize("hellohello"), Is.EqualTo(new[] { "hell", "o", "hello</w>" }));
        // No merge applies: single bytes, the last one ending the word.
        Assert.That(Tokenizer.Tokenize("xyz"), Is.EqualTo(new[] { "x", "y", "z</w>" }));
        Assert.That(Tokenizer.Tokenize("robot"), Is.EqualTo(new[] { "robot</w>" }));
    }

    [Test]
    public void CaseAndWhitespaceAreNormalised()
    {
        var expected = Ids("a</w>", "photo</w>", "of</w>", "a</w>", "robot</w>");
        Assert.That(Tokenizer.Encode("A PHOTO of a Robot"), Is.EqualTo(expected));
        Assert.That(Tokenizer.Encode("  a\tphoto\n\nof   a robot  "), Is.EqualTo(expected));
        Assert.That(Tokenizer.Encode("a\u00A0photo\u2003of a robot"), Is.EqualTo(expected), "Unicode spaces count as whitespace");
    }

    [Test]
    public void PunctuationDigitsAndContractions()
    {
        // Symbols group into runs, digits stand alone, "'t" is its own piece.
        Assert.That(Tokenizer.Tokenize("hello, robot!!"), Is.EqualTo(new[] { "hello</w>", ",</w>", "robot</w>", "!", "!</w>" }));
        Assert.That(Tokenizer.Tokenize("cat's"), Is.EqualTo(new[] { "cat</w>", "'", "s</w>" }));
        Assert.That(Tokenizer.Tokenize("don't"), Is.EqualTo(new[] { "d", "o", "n</w>", "'t</w>" }));
        Assert.That(Tokenizer.Tokenize("DON'T"), Is.EqualTo(new[] { "d", "o", "n</w>", "'t</w>" }));
        Assert.That(Tokenizer.Tokenize("x42"), Is.EqualTo(new[] { "x</w>", "4</w>", "2</w>" }));
        Assert.That(Tokenizer.Tokenize("3.5"), Is.EqualTo(new[] { "3</w>", ".</w>", "5</w>" }));
        Assert.That(Tokenizer.Tokenize("(a)-[b]"), Is.EqualTo(new[] { "(</w>", "a</w>", ")", "-", "[</w>", "b</w>", "]</w>" }));
    }

    [Test]
    public void UnicodeBecomesBytes()
    {
        // é is C3 A9 in UTF-8: two byte symbols, both printable Latin-1, so they show as 'Ã' '©'.
        Assert.That(Tokenizer.Tokenize("café"), Is.EqualTo(new[] { "c", "a", "f", "Ã", "©</w>" }));
        // 🤖 is F0 9F A4 96: 0x9F and 0x96 are not printable and map past U+0100.
        Assert.That(Tokenizer.Tokenize("🤖"), Is.EqualTo(new[] { "ð", "Ł", "¤", "ĸ</w>" }));
        // Full Unicode lower-casing as Python's str.lower: a final capital sigma becomes ς.
        Assert.That(ClipTokenizer.Normalize("ΟΔΟΣ ΣΑ"), Is.EqualTo("οδος σα"));
        Assert.That(ClipTokenizer.Normalize("İ"), Is.EqualTo("i\u0307"));
        // CJK letters are one letter run; every id stays inside the vocabulary.
        var ids = Tokenizer.Encode("机器人 moves");
        Assert.That(ids, Has.All.InRange(0, ClipFixtures.VocabSize - 1));
        Assert.That(Tokenizer.Decode(ids), Is.EqualTo("<|startoftext|>机器人 moves <|endoftext|>"));
    }

    [Test]
    public void SpecialTokensInTextStayWhole()
    {
        Assert.That(Tokenizer.Encode("<|startoftext|>cat"), Is.EqualTo(new[] { ClipFixtures.StartId, ClipFixtures.StartId, Vocab.IndexOf("cat</w>"), ClipFixtures.EndId }));
    }

    [Test]
    public void LongTextIsTruncatedToTheContext()
    {
        var text = string.Join(" ", Enumerable.Repeat("cat", 100));
        var ids = Tokenizer.Encode(text);
        Assert.That(ids, Has.Length.EqualTo(77));
        Assert.That(ids[0], Is.EqualTo(ClipFixtures.StartId));
        Assert.That(ids[^1], Is.EqualTo(ClipFixtures.EndId));
        Assert.That(ids[1..^1], Is.All.EqualTo(Vocab.IndexOf("cat</w>")));
        // Exactly 75 content tokens fit; 76 are cut to 75.
        Assert.That(Tokenizer.Encode(string.Join(" ", Enumerable.Repeat("cat", 75))), Has.Length.EqualTo(77));
        Assert.That(Tokenizer.Encode(string.Join(" ", Enumerable.Repeat("cat", 74))), Has.Length.EqualTo(76));
        var shortContext = ClipFixtures.Tokenizer(context: 5);
        Assert.That(shortContext.Encode("a photo of a cat"), Is.EqualTo(Ids("a</w>", "photo</w>", "of</w>")));
    }

    [Test]
    public void MalformedFilesAreRefusedWithTheLine()
    {
        var dir = Directory.CreateTempSubdirectory("robo-clip-bad-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "vocab.json"), ClipFixtures.VocabJson());
            File.WriteAllText(Path.Combine(dir, "merges.txt"), "#version: 0.2\nh e\nbad\n");
            var e = Assert.Throws<InvalidDataException>(() => ClipTokenizer.Load(Path.Combine(dir, "vocab.json"), Path.Combine(dir, "merges.txt")))!;
            Assert.That(e.Message, Does.Contain("merges.txt:3"));
            File.WriteAllText(Path.Combine(dir, "vocab.json"), "{\"a\": 0}");
            File.WriteAllText(Path.Combine(dir, "merges.txt"), "");
            e = Assert.Throws<InvalidDataException>(() => ClipTokenizer.Load(Path.Combine(dir, "vocab.json"), Path.Combine(dir, "merges.txt")))!;
            Assert.That(e.Message, Does.Contain("<|startoftext|>"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
