using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Robotics.Rewards.Tests;

/// <summary>
/// A real HTTP server on 127.0.0.1 speaking OpenAI's chat-completions wire format, answering each POST to
/// /v1/chat/completions with the next scripted reply and recording what it was sent. Scripted replies can be an
/// error status (to exercise retries) or arrive late (to exercise timeouts).
/// </summary>
internal sealed class ChatServer : IDisposable
{
    public sealed record Reply(string? Content, int Status = 200, TimeSpan Delay = default, string? RetryAfter = null);

    /// <summary>A request as received: path, Authorization header and the parsed JSON body.</summary>
    public sealed record Request(string Path, string? Authorization, JsonElement Body)
    {
        public string Model => Body.GetProperty("model").GetString()!;
        public IReadOnlyList<(string Role, string Content)> Messages =>
            Body.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList();
        public string UserText => string.Join("\n", Messages.Where(m => m.Role == "user").Select(m => m.Content));
    }

    private readonly HttpListener _listener = new();
    private readonly Queue<Reply> _script = new();
    private readonly List<Request> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ChatServer(params Reply[] script)
    {
        foreach (var r in script) _script.Enqueue(r);
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
            Reply? reply;
            lock (_received)
            {
                _received.Add(new Request(context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], JsonDocument.Parse(body).RootElement.Clone()));
                _script.TryDequeue(out reply);
            }
            reply ??= new Reply(null, 500);
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
            // A client that gave up (timeout test) leaves nothing to answer.
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
