using System.Diagnostics;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using NUnit.Framework;
using Robotics.Core.Images;
using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Human;
using static Robotics.Rewards.Tests.PreferencesSynthetic;

namespace Robotics.Rewards.Tests;

/// <summary>The human labelling page: served on 127.0.0.1, clicked in headless Chromium, answers land in the dataset.</summary>
public class PreferencesLabellingTests
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>Three frames of one colour per segment: red for the first segment of a pair, blue for the second.</summary>
    private static IReadOnlyList<RgbImage> Clip(Segment s)
    {
        var colour = s.Origin.Start % 2 == 0 ? new byte[] { 200, 30, 30 } : new byte[] { 30, 30, 200 };
        var pixels = new byte[16 * 16 * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = colour[i % 3];
        return Enumerable.Repeat(RgbImage.Create(16, 16, pixels), 3).ToList();
    }

    private static List<(Segment A, Segment B)> Pairs(int count)
    {
        var trajectory = Trajectories(1, 30, new Rng(0))[0];
        return Enumerable.Range(0, count).Select(i => (trajectory.Cut(2 * i, 5), trajectory.Cut(2 * i + 1, 5))).ToList();
    }

    [Test]
    public async Task PageServesClipsAndRecordsPostedLabels()
    {
        var dataset = new PreferenceDataset(5, ActionSize);
        using var server = new LabellingServer(Pairs(2), Clip, dataset);
        using var http = new HttpClient { BaseAddress = server.Address };
        Assert.That(server.Address.Host, Is.EqualTo("127.0.0.1"));
        Assert.That(await http.GetStringAsync("/"), Does.Contain("Which clip does the task better?"));
        using (var query = JsonDocument.Parse(await http.GetStringAsync("/query")))
        {
            Assert.That(query.RootElement.GetProperty("index").GetInt32(), Is.Zero);
            Assert.That(query.RootElement.GetProperty("frames").GetInt32(), Is.EqualTo(3));
        }
        var png = await http.GetByteArrayAsync("/frame/0/1/2.png");
        var image = Png.Read(new MemoryStream(png));
        Assert.That(image.Pixels[..3], Is.EqualTo(new byte[] { 30, 30, 200 }));
        Assert.That((await http.PostAsync("/label", new StringContent("query=0&label=maybe", Encoding.UTF8, "application/x-www-form-urlencoded"))).StatusCode,
            Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
        await http.PostAsync("/label", new StringContent("query=1&label=skip", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.That(server.Completion.IsCompleted, Is.False);
        await http.PostAsync("/label", new StringContent("query=0&label=0", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.That(await server.Completion.WaitAsync(TimeSpan.FromSeconds(5)), Is.EqualTo(new[] { Preference.First, Preference.Skip }));
        Assert.That(dataset.Pairs.Select(p => p.Label), Is.EqualTo(new[] { Preference.Skip, Preference.First }));
    }

    [Test]
    public async Task HumanTeacherWaitsForThePageAndReturnsItsAnswers()
    {
        var dataset = new PreferenceDataset(5, ActionSize);
        var address = new TaskCompletionSource<Uri>();
        var rendered = 0;
        var teacher = new HumanTeacher(s => { rendered++; return Clip(s); }, dataset, announce: address.SetResult, timeout: TimeSpan.FromSeconds(30));
        var labelling = Task.Run(() => teacher.Label(Pairs(2)));
        using var http = new HttpClient { BaseAddress = await address.Task.WaitAsync(TimeSpan.FromSeconds(10)) };
        Assert.That(rendered, Is.EqualTo(4), "every clip is rendered before the page opens");
        foreach (var (query, label) in new[] { (0, "equal"), (1, "0") })
            await http.PostAsync("/label", new StringContent($"query={query}&label={label}", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.That(await labelling.WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(new[] { Preference.Equal, Preference.First }));
        Assert.That(teacher.Dataset.Count, Is.EqualTo(2));
    }

    [Test]
    public async Task AClickInHeadlessChromiumStoresTheLabel()
    {
        if (!File.Exists(Chromium)) Assert.Ignore($"{Chromium} is not installed (Debian's chromium package)");
        var dataset = new PreferenceDataset(5, ActionSize);
        var pairs = Pairs(2);
        using var server = new LabellingServer(pairs, Clip, dataset);
        var profile = Directory.CreateTempSubdirectory("robo-chromium-").FullName;
        using var browser = Process.Start(new ProcessStartInfo(Chromium)
        {
            ArgumentList = { "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-port=0", "--window-size=1280,1000", $"--user-data-dir={profile}", server.Address.ToString() },
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        try
        {
            await using var page = await DevTools.Connect(profile, server.Address);
            await page.WaitFor("document.getElementById('status').textContent", "Query 1 of 2");
            Assert.That(await page.WaitFor("document.getElementById('right').complete && document.getElementById('right').naturalWidth", "16"), Is.EqualTo("16"));

            await page.Click("second");
            await WaitUntil(() => server.Answered == 1);
            Assert.That(dataset.Pairs.Single().Label, Is.EqualTo(Preference.Second));
            Assert.That(dataset.Pairs.Single().A, Is.SameAs(pairs[0].A));
            await page.WaitFor("document.getElementById('status').textContent", "Query 2 of 2");

            await page.Click("equal");
            Assert.That(await server.Completion.WaitAsync(TimeSpan.FromSeconds(20)), Is.EqualTo(new[] { Preference.Second, Preference.Equal }));
            await page.WaitFor("document.getElementById('status').textContent", "All 2 queries answered. Thank you — you can close this page.");
        }
        finally
        {
            if (!browser.HasExited) browser.Kill(entireProcessTree: true);
            browser.WaitForExit(5000);
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { /* Chromium may still hold a file for a moment */ }
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20)) Assert.Fail("timed out waiting for the page");
            await Task.Delay(50);
        }
    }

    /// <summary>Just enough of the Chrome DevTools Protocol to read the page and click a button with real mouse events.</summary>
    private sealed class DevTools : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private int _id;

        public static async Task<DevTools> Connect(string profile, Uri pageUrl)
        {
            var clock = Stopwatch.StartNew();
            var portFile = Path.Combine(profile, "DevToolsActivePort");
            while (!File.Exists(portFile) || (await File.ReadAllLinesAsync(portFile)).Length < 1)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30)) Assert.Fail("Chromium did not open its DevTools port");
                await Task.Delay(100);
            }
            int port = int.Parse((await File.ReadAllLinesAsync(portFile))[0]);
            using var http = new HttpClient();
            string? socketUrl = null;
            while (socketUrl is null)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30)) Assert.Fail("Chromium did not list the labelling page");
                try
                {
                    using var targets = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"));
                    socketUrl = targets.RootElement.EnumerateArray()
                        .Where(t => t.GetProperty("type").GetString() == "page" && t.GetProperty("url").GetString()!.StartsWith(pageUrl.ToString(), StringComparison.Ordinal))
                        .Select(t => t.GetProperty("webSocketDebuggerUrl").GetString()).FirstOrDefault();
                }
                catch (HttpRequestException) { }
                if (socketUrl is null) await Task.Delay(100);
            }
            var tools = new DevTools();
            await tools._socket.ConnectAsync(new Uri(socketUrl), CancellationToken.None);
            return tools;
        }

        public async Task<JsonElement> Send(string method, object parameters)
        {
            int id = ++_id;
            var message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters });
            await _socket.SendAsync(message, WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[1 << 16];
            while (true)
            {
                using var received = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    received.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                using var reply = JsonDocument.Parse(received.ToArray());
                if (reply.RootElement.TryGetProperty("id", out var replyId) && replyId.GetInt32() == id)
                    return reply.RootElement.Clone();
            }
        }

        public async Task<string> Evaluate(string expression)
        {
            var reply = await Send("Runtime.evaluate", new { expression = $"String({expression})", returnByValue = true });
            return reply.GetProperty("result").GetProperty("result").TryGetProperty("value", out var v) ? v.GetString() ?? "" : "";
        }

        /// <summary>Polls until the expression reads <paramref name="expected"/>; returns what it last read.</summary>
        public async Task<string> WaitFor(string expression, string expected)
        {
            var clock = Stopwatch.StartNew();
            string value;
            while ((value = await Evaluate(expression)) != expected)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(20)) Assert.Fail($"'{expression}' read '{value}', expected '{expected}'");
                await Task.Delay(100);
            }
            return value;
        }

        /// <summary>A left click at the centre of the element (scrolled into view), as mouse move, press and release events.</summary>
        public async Task Click(string elementId)
        {
            await Evaluate($"document.getElementById('{elementId}').scrollIntoView({{ block: 'center' }})");
            var rect = await Evaluate($"(r => JSON.stringify([r.x + r.width / 2, r.y + r.height / 2]))(document.getElementById('{elementId}').getBoundingClientRect())");
            var xy = JsonSerializer.Deserialize<double[]>(rect)!;
            foreach (var type in new[] { "mouseMoved", "mousePressed", "mouseReleased" })
                await Send("Input.dispatchMouseEvent", new { type, x = xy[0], y = xy[1], button = "left", clickCount = 1 });
        }

        public async ValueTask DisposeAsync()
        {
            try { await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None); } catch (WebSocketException) { }
            _socket.Dispose();
        }
    }
}
