using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Robotics.Rewards.Vision.Clip;

/// <summary>
/// CLIP's byte-level BPE tokenizer (OpenAI's simple_tokenizer.py; transformers' CLIPTokenizer / CLIPTokenizerFast), read
/// from a checkpoint's vocab.json and merges.txt:
/// <list type="number">
/// <item>normalise as CLIPTokenizerFast does: Unicode NFC, runs of whitespace to one space, lower case;</item>
/// <item>pre-tokenise with CLIP's regex (special tokens, English contractions, letter runs, single digits, other symbol runs);</item>
/// <item>map each piece's UTF-8 bytes to printable characters (GPT-2's byte→unicode table) so no byte is ever unknown;</item>
/// <item>merge symbol pairs by rank, the last symbol of a word carrying the end-of-word mark "&lt;/w&gt;";</item>
/// <item>wrap in &lt;|startoftext|&gt; … &lt;|endoftext|&gt;, truncated to the 77-token context (start + 75 + end).</item>
/// </list>
/// Thread-safe: the BPE cache is concurrent and nothing else changes after construction.
/// </summary>
public sealed partial class ClipTokenizer
{
    public const string StartToken = "<|startoftext|>";
    public const string EndToken = "<|endoftext|>";
    public const string EndOfWord = "</w>";
    /// <summary>Every released CLIP's text context.</summary>
    public const int DefaultContext = 77;

    /// <summary>OpenAI's pattern, with re.IGNORECASE as both reference tokenizers compile it.</summary>
    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private static readonly char[] ByteToChar = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByte = Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    private readonly Dictionary<string, int> _vocab;
    private readonly string[] _idToToken;
    private readonly Dictionary<(string, string), int> _ranks;
    private readonly ConcurrentDictionary<string, string[]> _cache = new();

    public int Context { get; }
    public int StartId { get; }
    public int EndId { get; }
    public int VocabSize => _idToToken.Length;

    /// <param name="vocab">token → id, as vocab.json holds it</param>
    /// <param name="merges">symbol pairs, highest priority first, as merges.txt lists them</param>
    /// <param name="context">tokens per text including start and end (the text model's max_position_embeddings)</param>
    public ClipTokenizer(IReadOnlyDictionary<string, int> vocab, IEnumerable<(string First, string Second)> merges, int context = DefaultContext)
    {
        if (context < 2) throw new ArgumentOutOfRangeException(nameof(context), context, "the context must hold at least the start and end tokens");
        _vocab = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        StartId = _vocab.TryGetValue(StartToken, out var s) ? s : throw new InvalidDataException($"the vocabulary has no {StartToken}");
        EndId = _vocab.TryGetValue(EndToken, out var e) ? e : throw new InvalidDataException($"the vocabulary has no {EndToken}");
        int size = _vocab.Values.Max() + 1;
        _idToToken = new string[size];
        foreach (var (token, id) in _vocab)
        {
            if (id < 0) throw new InvalidDataException($"vocabulary token '{token}' has a negative id {id}");
            _idToToken[id] = token;
        }
        _ranks = new Dictionary<(string, string), int>();
        int rank = 0;
        foreach (var pair in merges) _ranks[pair] = rank++; // rank = line index; a repeated pair keeps its last, as Python's dict(zip(merges, range(n)))
        Context = context;
    }

    /// <summary>Reads vocab.json and merges.txt (the first line "#version: …" is a header, blank lines are skipped).</summary>
    public static ClipTokenizer Load(string vocabPath, string mergesPath, int context = DefaultContext)
    {
        Dictionary<string, int> vocab;
        try
        {
            vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(vocabPath))
                    ?? throw new InvalidDataException($"{vocabPath}: empty");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{vocabPath}: not a JSON object of token → id ({ex.Message})", ex);
        }
        var merges = new List<(string, string)>();
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(mergesPath))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal))) continue;
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new InvalidDataException($"{mergesPath}:{lineNumber}: expected two symbols separated by one space, got '{line}'");
            merges.Add((parts[0], parts[1]));
        }
        return new ClipTokenizer(vocab, merges, context);
    }

    /// <summary>The token ids of <paramref name="text"/>: start, the text's tokens (as many as fit), end.</summary>
    public int[] Encode(string text)
    {
        var ids = new List<int> { StartId };
        foreach (var token in Tokenize(text))
        {
            if (ids.Count == Context - 1) break; // OpenAI's truncate=True: keep the first tokens, the end token last
            ids.Add(_vocab.TryGetValue(token, out var id) ? id : EndId); // transformers' unk_token is <|endoftext|>
        }
        ids.Add(EndId);
        return ids.ToArray();
    }

    public int[][] Encode(IEnumerable<string> texts) => texts.Select(Encode).ToArray();

    /// <summary>The BPE tokens of <paramref name="text"/>, without start and end and without truncation.</summary>
    public IReadOnlyList<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        foreach (Match m in Pattern().Matches(Normalize(text)))
        {
            var piece = m.Value;
            if (piece is StartToken or EndToken)
            {
                tokens.Add(piece); // special tokens are vocabulary entries of their own, not byte sequences to merge
                continue;
            }
            var bytes = Encoding.UTF8.GetBytes(piece);
            var mapped = new char[bytes.Length];
            for (int i = 0; i < bytes.Length; i++) mapped[i] = ByteToChar[bytes[i]];
            tokens.AddRange(Bpe(new string(mapped)));
        }
        return tokens;
    }

    /// <summary>The text the ids stand for: end-of-word marks become spaces, special tokens are kept.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            var token = id >= 0 && id < _idToToken.Length ? _idToToken[id] : null;
            if (token is null) continue;
            if (token is StartToken or EndToken)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
                continue;
            }
            bool endsWord = token.EndsWith(EndOfWord, StringComparison.Ordinal);
            if (endsWord) token = token[..^EndOfWord.Length];
            foreach (var c in token) bytes.Add(CharToByte.TryGetValue(c, out var b) ? b : (byte)'?');
            if (endsWord) bytes.Add((byte)' ');
        }
        return Encoding.UTF8.GetString(bytes.ToArray()).TrimEnd();
    }

    /// <summary>
    /// NFC, whitespace runs to one space, trimmed, lower case (CLIPTokenizerFast's normaliser). NFC needs ICU: this
    /// repository builds with InvariantGlobalization, where .NET leaves strings unnormalised, so decomposed input
    /// (e + U+0301, rare outside copy-paste from macOS file names) tokenizes as its bytes while Python would compose it
    /// first; precomposed text, what keyboards type, is the same either way. Python and Rust lower-case
    /// with the full Unicode mapping where .NET maps char by char; the two places they differ are done by hand: 'İ'
    /// becomes "i̇", and a capital sigma ending a word becomes the final 'ς'.
    /// </summary>
    public static string Normalize(string text)
    {
        var s = Whitespace().Replace(text.Normalize(NormalizationForm.FormC), " ").Trim();
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\u0130') sb.Append("i\u0307");
            else if (c == '\u03A3')
            {
                bool letterBefore = i > 0 && char.IsLetter(s[i - 1]);
                bool letterAfter = i + 1 < s.Length && char.IsLetter(s[i + 1]);
                sb.Append(letterBefore && !letterAfter ? '\u03C2' : '\u03C3');
            }
            else sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>Byte-pair merges of one pre-token (already byte-mapped): the lowest-ranked adjacent pair first, until none is in the table.</summary>
    private string[] Bpe(string piece) => _cache.GetOrAdd(piece, p =>
    {
        var word = new List<string>(p.Length);
        for (int i = 0; i < p.Length - 1; i++) word.Add(p[i].ToString());
        word.Add(p[^1] + EndOfWord);
        while (word.Count > 1)
        {
            int best = int.MaxValue;
            (string, string) pair = default;
            for (int i = 0; i < word.Count - 1; i++)
                if (_ranks.TryGetValue((word[i], word[i + 1]), out var rank) && rank < best) (best, pair) = (rank, (word[i], word[i + 1]));
            if (best == int.MaxValue) break;
            // Merge every occurrence of the pair, left to right, as the reference loop does.
            var merged = new List<string>(word.Count);
            for (int i = 0; i < word.Count; i++)
            {
                if (i < word.Count - 1 && word[i] == pair.Item1 && word[i + 1] == pair.Item2)
                {
                    merged.Add(pair.Item1 + pair.Item2);
                    i++;
                }
                else merged.Add(word[i]);
            }
            word = merged;
        }
        return word.ToArray();
    });

    /// <summary>
    /// GPT-2's reversible byte → printable character table: the printable Latin-1 bytes map to themselves, the other 68
    /// to U+0100 onwards in byte order, so BPE works on strings with no whitespace or control characters in them.
    /// </summary>
    public static char ByteChar(byte b) => ByteToChar[b];

    private static char[] BuildByteToChar()
    {
        var table = new char[256];
        bool Printable(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
        int next = 0;
        for (int b = 0; b < 256; b++) table[b] = Printable(b) ? (char)b : (char)(256 + next++);
        return table;
    }
}
