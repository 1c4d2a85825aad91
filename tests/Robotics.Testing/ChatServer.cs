using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Robotics.Core.Images;

namespace Robotics.Testing;

/// <summary>
/// A real HTTP server on 127.0.0.1 speaking OpenAI's chat-completions wire format, for the LLM and VLM clients'
/// tests. Each POST is parsed (text parts, and images decoded back to pixels from PNG data URLs, so vision answers
/// can depend on what was shown), recorded, and answered by a script: either a fixed queue of replies, or a function
/// of the request and its number. A reply can be an error status (to exercise retries, with Retry-After) or arrive
/// late (to exercise timeouts).
/// </summary>
public sealed class ChatServer : IDisposable
{
    public sealed record Reply(string? Content, int Status = 200, TimeSpan Delay = default, string? RetryAfter = null);

    /// <summary>A request as received: path, Authorization header, the JSON body, its user-visible texts and images.</summary>
    public sealed record Request(string Path, string? Authorization, JsonElement Body, IReadOnlyList<string> Texts,
                                 IReadOnlyList<RgbImage> Images, IReadOnlyList<string> ImageUrls, DateTime Arrived)
    {
        public string Model => Body.GetProperty("model").GetString()!;
        /// <summary>Each message's role and its text (the text parts joined, for vision messages).</summary>
        public IReadOnlyList<(string Role, string Content)> Messages =>
            Body.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, TextOf(m.GetProperty("content")))).ToList();
        public string UserText => string.Join("\n", Messages.Where(m => m.Role == "user").Select(m => m.Content));
        /// <summary>All text parts of all messages, in order.</summary>
        public string Text => string.Join("\n", Texts);
    }

    private readonly HttpListener _listener = new();
    private readonly Func<Request, int, Reply> _script;
    private readonly List<Request> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Answers request n (from 0) with the n-th reply; requests beyond the script get a 500.</summary>
    public ChatServer(params Reply[] script) : this((_, n) => n < script.Length ? script[n] : new Reply(null, 500)) { }

    /// <param name="script">the reply to request number n (from 0), given what it showed</param>
    public ChatServer(Func<Request, int, Reply> script)
    {
        _script = script;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}/v1";

    public IReadOnlyList<Request> Received
    {
        get { lock (_received) return _received.ToList(); }
    }

    /// <summary>A reply holding a fenced C# program, as an LLM writes one.</summary>
    public static Reply Program(string code, string prose = "Here is the reward program.") => new($"{prose}\n\n```csharp\n{code}\n```\n");

    private async Task Serve()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }
            _ = Task.Run(() => Answer(context));
        }
    }

    private async Task Answer(HttpListenerContext context)
    {
        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8)) body = await reader.ReadToEndAsync();
            var request = Parse(context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], JsonDocument.Parse(body).RootElement.Clone());
            int n;
            lock (_received)
            {
                n = _received.Count;
                _received.Add(request);
            }
            var reply = _script(request, n);
            if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, _stop.Token);
            var response = context.Response;
            response.StatusCode = reply.Status;
            response.ContentType = "application/json";
            if (reply.RetryAfter is not null) response.Headers["Retry-After"] = reply.RetryAfter;
            var json = reply.Status == 200 ? Completion(reply.Content!) : JsonSerializer.Serialize(new { error = new { message = $"scripted status {reply.Status}", type = "server_error" } });
            var bytes = Encoding.UTF8.GetBytes(json);
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
            response.Close();
        }
        catch (Exception)
        {
            // A client that gave up (the timeout tests) leaves nothing to answer.
            try { context.Response.Abort(); } catch (Exception) { }
        }
    }

    /// <summary>The body an OpenAI-compatible server returns for a non-streamed chat completion.</summary>
    private static string Completion(string content) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-test",
        @object = "chat.completion",
        created = 1_700_000_000,
        model = "scripted-model",
        choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
        usage = new { prompt_tokens = 10, completion_tokens = 20, total_tokens = 30 },
    });

    private static string TextOf(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()!
        : string.Join("\n", content.EnumerateArray().Where(p => p.GetProperty("type").GetString() == "text").Select(p => p.GetProperty("text").GetString()));

    /// <summary>Texts and images of the messages, in order; image URLs must be PNG data URLs.</summary>
    private static Request Parse(string path, string? authorization, JsonElement body)
    {
        var texts = new List<string>();
        var images = new List<RgbImage>();
        var urls = new List<string>();
        foreach (var message in body.GetProperty("messages").EnumerateArray())
        {
            var content = message.GetProperty("content");
            if (content.ValueKind == JsonValueKind.String)
            {
                texts.Add(content.GetString()!);
                continue;
            }
            foreach (var part in content.EnumerateArray())
            {
                var type = part.GetProperty("type").GetString();
                if (type == "text") texts.Add(part.GetProperty("text").GetString()!);
                else if (type == "image_url")
                {
                    var url = part.GetProperty("image_url").GetProperty("url").GetString()!;
                    urls.Add(url);
                    const string prefix = "data:image/png;base64,";
                    if (!url.StartsWith(prefix, StringComparison.Ordinal)) throw new InvalidDataException($"not a PNG data URL: {url[..Math.Min(40, url.Length)]}");
                    using var stream = new MemoryStream(Convert.FromBase64String(url[prefix.Length..]));
                    images.Add(Png.Read(stream));
                }
            }
        }
        return new Request(path, authorization, body, texts, images, urls, DateTime.UtcNow);
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
