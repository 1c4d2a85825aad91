using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Robotics.Core.Images;
using Robotics.Rewards.Preferences.Data;

namespace Robotics.Rewards.Preferences.Human;

/// <summary>
/// A small labelling page for people, served on 127.0.0.1 only: one query at a time, its two segments as clips side
/// by side (left = first, right = second), and four buttons (left better, right better, equal, can't tell = skip;
/// keys ←, →, = and s). Each answer goes into the preference dataset as it is given. Requests are handled one at a
/// time on the server's own thread, which is also where clips are rendered (lazily, when the page first asks).
/// </summary>
public sealed class LabellingServer : IDisposable
{
    private readonly IReadOnlyList<(Segment A, Segment B)> _pairs;
    private readonly Func<Segment, IReadOnlyList<RgbImage>> _clip;
    private readonly PreferenceDataset _dataset;
    private readonly Preference?[] _answers;
    private readonly Dictionary<(int, int), byte[][]> _frames = new();
    private readonly HttpListener _listener = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource<Preference[]> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _lock = new();

    /// <param name="clip">renders a segment's frames (called on the server's thread)</param>
    /// <param name="port">0 picks a free port</param>
    public LabellingServer(IReadOnlyList<(Segment A, Segment B)> pairs, Func<Segment, IReadOnlyList<RgbImage>> clip, PreferenceDataset dataset, int port = 0)
    {
        if (pairs.Count == 0) throw new ArgumentException("nothing to label: no pairs");
        (_pairs, _clip, _dataset) = (pairs, clip, dataset);
        _answers = new Preference?[pairs.Count];
        Port = port == 0 ? FreePort() : port;
        Address = new Uri($"http://127.0.0.1:{Port}/");
        _listener.Prefixes.Add(Address.ToString());
        _listener.Start();
        _thread = new Thread(Serve) { IsBackground = true, Name = "preference labelling page" };
        _thread.Start();
    }

    public int Port { get; }
    public Uri Address { get; }
    /// <summary>Completes with every answer once the last query is answered.</summary>
    public Task<Preference[]> Completion => _done.Task;
    public int Answered { get { lock (_lock) return _answers.Count(a => a is not null); } }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private void Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = _listener.GetContext(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try { Handle(context); }
            catch (Exception e)
            {
                try { Respond(context, 500, "text/plain", Encoding.UTF8.GetBytes(e.Message)); } catch (Exception) { /* the client went away */ }
            }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        if (request.HttpMethod == "GET" && path == "/") Respond(context, 200, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(Page));
        else if (request.HttpMethod == "GET" && path == "/query") Respond(context, 200, "application/json", JsonSerializer.SerializeToUtf8Bytes(NextQuery()));
        else if (request.HttpMethod == "GET" && path.StartsWith("/frame/", StringComparison.Ordinal)) Frame(context, path);
        else if (request.HttpMethod == "POST" && path == "/label") Label(context);
        else Respond(context, 404, "text/plain", Encoding.UTF8.GetBytes("not found"));
    }

    private object NextQuery()
    {
        lock (_lock)
        {
            int index = Array.FindIndex(_answers, a => a is null);
            if (index < 0) return new { done = true, total = _pairs.Count, answered = _pairs.Count };
            return new { done = false, index, total = _pairs.Count, answered = _answers.Count(a => a is not null), frames = Frames(index, 0).Length };
        }
    }

    /// <summary>/frame/{query}/{0|1}/{t}: frame t of the query's first (0) or second (1) clip, as PNG.</summary>
    private void Frame(HttpListenerContext context, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 4 || !int.TryParse(parts[1], out int query) || !int.TryParse(parts[2], out int side) ||
            !int.TryParse(Path.GetFileNameWithoutExtension(parts[3]), out int t) || query < 0 || query >= _pairs.Count || side is < 0 or > 1)
        {
            Respond(context, 404, "text/plain", Encoding.UTF8.GetBytes("no such frame"));
            return;
        }
        var frames = Frames(query, side);
        Respond(context, 200, "image/png", frames[Math.Clamp(t, 0, frames.Length - 1)]);
    }

    private byte[][] Frames(int query, int side)
    {
        if (_frames.TryGetValue((query, side), out var frames)) return frames;
        var segment = side == 0 ? _pairs[query].A : _pairs[query].B;
        frames = _clip(segment).Select(image =>
        {
            using var png = new MemoryStream();
            Png.Write(png, image);
            return png.ToArray();
        }).ToArray();
        if (frames.Length == 0) throw new InvalidOperationException($"the clip of segment {segment.Origin} has no frames");
        _frames[(query, side)] = frames;
        return frames;
    }

    /// <summary>POST /label with a form body "query=3&amp;label=1" (label: 0, 1, equal or skip).</summary>
    private void Label(HttpListenerContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8)) body = reader.ReadToEnd();
        var form = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
                       .Select(kv => kv.Split('=', 2))
                       .ToDictionary(kv => Uri.UnescapeDataString(kv[0]), kv => kv.Length > 1 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : "");
        if (!form.TryGetValue("query", out var q) || !int.TryParse(q, out int query) || query < 0 || query >= _pairs.Count || !form.TryGetValue("label", out var text))
        {
            Respond(context, 400, "text/plain", Encoding.UTF8.GetBytes("expected query=<index>&label=<0|1|equal|skip>"));
            return;
        }
        Preference label;
        try { label = PreferenceExtensions.Parse(text); }
        catch (FormatException e)
        {
            Respond(context, 400, "text/plain", Encoding.UTF8.GetBytes(e.Message));
            return;
        }
        Preference[]? all = null;
        lock (_lock)
        {
            if (_answers[query] is null)
            {
                _answers[query] = label;
                _dataset.Add(_pairs[query].A, _pairs[query].B, label);
            }
            if (_answers.All(a => a is not null)) all = _answers.Select(a => a!.Value).ToArray();
        }
        Respond(context, 200, "application/json", JsonSerializer.SerializeToUtf8Bytes(NextQuery()));
        if (all is not null) _done.TrySetResult(all);
    }

    private static void Respond(HttpListenerContext context, int status, string type, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = type;
        context.Response.Headers["Cache-Control"] = "no-store";
        context.Response.ContentLength64 = body.Length;
        context.Response.OutputStream.Write(body);
        context.Response.Close();
    }

    public void Dispose()
    {
        if (_listener.IsListening) _listener.Stop();
        _listener.Close();
        _thread.Join(TimeSpan.FromSeconds(5));
        _done.TrySetCanceled();
    }

    private const string Page = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Which is better?</title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 2em; background: #fafafa; color: #222; }
          .clips { display: flex; gap: 2em; }
          figure { margin: 0; text-align: center; }
          img { width: 320px; height: 320px; image-rendering: pixelated; border: 1px solid #ccc; background: #000; }
          .buttons { margin-top: 1.5em; display: flex; gap: 1em; }
          button { font-size: 1.1em; padding: 0.6em 1.2em; }
          #status { margin: 1em 0; }
        </style>
        </head>
        <body>
        <h1>Which clip does the task better?</h1>
        <p id="status">loading…</p>
        <div class="clips">
          <figure><img id="left" alt="first clip"><figcaption>left (first)</figcaption></figure>
          <figure><img id="right" alt="second clip"><figcaption>right (second)</figcaption></figure>
        </div>
        <div class="buttons">
          <button id="first" data-label="0">← left is better</button>
          <button id="equal" data-label="equal">= equally good</button>
          <button id="second" data-label="1">right is better →</button>
          <button id="skip" data-label="skip">can't tell (skip)</button>
        </div>
        <script>
        let query = null, timer = null, busy = false;
        function show(q) {
          clearInterval(timer);
          query = q;
          const status = document.getElementById('status');
          if (q.done) {
            status.textContent = `All ${q.total} queries answered. Thank you — you can close this page.`;
            document.querySelectorAll('button').forEach(b => b.disabled = true);
            return;
          }
          status.textContent = `Query ${q.answered + 1} of ${q.total}`;
          let t = 0;
          const frame = () => {
            document.getElementById('left').src = `/frame/${q.index}/0/${t}.png`;
            document.getElementById('right').src = `/frame/${q.index}/1/${t}.png`;
            t = (t + 1) % q.frames;
          };
          frame();
          timer = setInterval(frame, 80);
        }
        async function answer(label) {
          if (busy || !query || query.done) return;
          busy = true;
          const response = await fetch('/label', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
                                                   body: `query=${query.index}&label=${encodeURIComponent(label)}` });
          busy = false;
          show(await response.json());
        }
        document.querySelectorAll('button').forEach(b => b.addEventListener('click', () => answer(b.dataset.label)));
        document.addEventListener('keydown', e => {
          const key = { ArrowLeft: '0', ArrowRight: '1', '=': 'equal', s: 'skip' }[e.key];
          if (key) answer(key);
        });
        fetch('/query').then(r => r.json()).then(show);
        </script>
        </body>
        </html>
        """;
}
