using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Robotics.Core.Images;

namespace Robotics.Rewards.Tests;

/// <summary>
/// A real HTTP server on 127.0.0.1 speaking OpenAI's vision chat-completions format: messages whose content is a list
/// of text and image_url parts, images as data:image/png;base64 URLs. Each POST is decoded (images back to pixels) and
/// answered by a script function, so answers can depend on what was shown; every request is recorded with its arrival time.
/// </summary>
internal sealed class VlmChatServer : IDisposable
{
    public sealed record Reply(string? Content, int Status = 200, string? RetryAfter = null);

    public sealed record Request(string Path, JsonElement Body, IReadOnlyList<string> Texts, IReadOnlyList<RgbImage> Images,
                                 IReadOnlyList<string> ImageUrls, DateTime Arrived)
    {
        public string Text => string.Join("\n", Texts);
    }

    private readonly HttpListener _listener = new();
    private readonly Func<Request, int, Reply> _script;
    private readonly List<Request> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="script">the reply to request number n (from 0), given what it showed</param>
    public VlmChatServer(Func<Request, int, Reply> script)
    {
        _script = script;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
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
            var request = Parse(context.Request.Url!.AbsolutePath, JsonDocument.Parse(body).RootElement.Clone());
            int n;
            lock (_received)
            {
                n = _received.Count;
                _received.Add(request);
            }
            var reply = _script(request, n);
            var response = context.Response;
            response.StatusCode = reply.Status;
            response.ContentType = "application/json";
            if (reply.RetryAfter is not null) response.Headers["Retry-After"] = reply.RetryAfter;
            var json = reply.Status == 200
                ? JsonSerializer.Serialize(new
                {
                    id = "chatcmpl-vlm", @object = "chat.completion", created = 1_700_000_000, model = "scripted-vlm",
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = reply.Content }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = 10, completion_tokens = 5, total_tokens = 15 },
                })
                : JsonSerializer.Serialize(new { error = new { message = $"scripted status {reply.Status}", type = "server_error" } });
            var bytes = Encoding.UTF8.GetBytes(json);
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
            response.Close();
        }
        catch (Exception)
        {
            try { context.Response.Abort(); } catch (Exception) { }
        }
    }

    /// <summary>Texts and images of the user messages, in order; image URLs must be PNG data URLs.</summary>
    private static Request Parse(string path, JsonElement body)
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
        return new Request(path, body, texts, images, urls, DateTime.UtcNow);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
