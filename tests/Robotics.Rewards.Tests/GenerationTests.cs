using NUnit.Framework;
using Robotics.Envs;
using Robotics.Rewards.Generation;
using Robotics.Rewards.Programs;
using Robotics.Rewards.Sandbox;
using Robotics.Rewards.States;

namespace Robotics.Rewards.Tests;

/// <summary>
/// The Text2Reward loop against a real HTTP server on 127.0.0.1 speaking the chat-completions wire format, through
/// OpenAI's .NET client: scripted replies that are right at once, fixed in the second round, or never compile.
/// </summary>
public class GenerationTests
{
    private static IReadOnlyList<LabelledState> _states = null!;
    private string _runDir = null!;

    [OneTimeSetUp]
    public void CollectStates() => _states = CheckStates.Collect("reach");

    [SetUp]
    public void MakeRunDirectory() => _runDir = Directory.CreateTempSubdirectory("robo-text2reward-").FullName;

    [TearDown]
    public void RemoveRunDirectory() => Directory.Delete(_runDir, recursive: true);

    private static OpenAIChatModel Model(ChatServer server, TimeSpan? timeout = null, int retries = 2) => new(new LlmSettings
    {
        BaseUrl = server.BaseUrl, ApiKey = "test-key", Model = "scripted-model",
        Timeout = timeout ?? TimeSpan.FromSeconds(20), MaxRetries = retries, RetryDelay = TimeSpan.FromMilliseconds(20),
    });

    private GenerationRequest Request(int rounds = 3) =>
        new(FrankaSuite.CreateTask("reach"), "Move the gripper fingertips to the green goal point.", _states) { MaxRounds = rounds };

    private async Task<GenerationResult> Generate(ChatServer server, GenerationRequest request) =>
        await new RewardGenerator(Model(server), new ProgramCompiler()).GenerateAsync(request, new GenerationRecorder(_runDir));

    [Test]
    public async Task GoodProgramIsAcceptedInTheFirstRound()
    {
        using var server = new ChatServer(ChatServer.Program(Programs.GoodReach));
        var result = await Generate(server, Request());

        Assert.That(result.Ok, Is.True, result.LastErrors);
        Assert.That(result.Rounds, Has.Count.EqualTo(1));
        Assert.That(result.Check!.States.Select(s => s.Reward), Is.All.Not.Null);
        var request = server.Received.Single();
        Assert.That(request.Path, Is.EqualTo("/v1/chat/completions"));
        Assert.That(request.Model, Is.EqualTo("scripted-model"));
        Assert.That(request.Authorization, Is.EqualTo("Bearer test-key"));
        Assert.That(request.Messages.Select(m => m.Role), Is.EqualTo(new[] { "system", "user" }));
        Assert.That(request.Messages[0].Content, Does.Contain("Robotics.Rewards.Library.Shaping"));
        Assert.That(request.UserText, Does.Contain("Move the gripper fingertips to the green goal point.")
            .And.Contain(FrankaSuite.CreateTask("reach").StateDescription.Trim().Split('\n')[0])
            .And.Contain("Vector3 HandInitial").And.Contain("return 0.0;"));
        Assert.That(File.ReadAllText(Path.Combine(_runDir, "reward", "program.cs")), Is.EqualTo(CodeExtraction.Extract(ChatServer.Program(Programs.GoodReach).Content!)));
        Assert.That(File.Exists(Path.Combine(_runDir, "reward", "rounds", "01-prompt.md")), Is.True);
        Assert.That(File.ReadAllText(Path.Combine(_runDir, "reward", "rounds", "01-reply.md")), Does.Contain("```csharp"));
        Assert.That(File.ReadAllText(Path.Combine(_runDir, "reward", "generation.json")), Does.Contain("\"ok\": true"));
    }

    [Test]
    public async Task CompileErrorIsFedBackAndFixedInTheSecondRound()
    {
        using var server = new ChatServer(ChatServer.Program(Programs.Misspelt), ChatServer.Program(Programs.GoodReach, "Fixed the typo."));
        var result = await Generate(server, Request());

        Assert.That(result.Ok, Is.True, result.LastErrors);
        Assert.That(result.Rounds, Has.Count.EqualTo(2));
        Assert.That(result.Rounds[0].Errors, Does.Contain("CS0103").And.Contain("distanse"));
        var second = server.Received[1].UserText;
        Assert.That(second, Does.Contain("## Your previous program").And.Contain("return -distanse;"));
        Assert.That(second, Does.Contain("CS0103"));
        Assert.That(File.ReadAllText(Path.Combine(_runDir, "reward", "rounds", "01-errors.txt")), Does.Contain("CS0103"));
        Assert.That(File.Exists(Path.Combine(_runDir, "reward", "rounds", "02-errors.txt")), Is.False);
        Assert.That(File.ReadAllText(Path.Combine(_runDir, "reward", "program.cs")), Does.Contain("Shaping.Near"));
    }

    [Test]
    public async Task ProgramThatNeverCompilesFailsAfterKRounds()
    {
        using var server = new ChatServer(ChatServer.Program(Programs.Misspelt), ChatServer.Program(Programs.Misspelt), ChatServer.Program(Programs.Misspelt));
        var result = await Generate(server, Request(rounds: 3));

        Assert.That(result.Ok, Is.False);
        Assert.That(result.Rounds, Has.Count.EqualTo(3));
        Assert.That(server.Received, Has.Count.EqualTo(3));
        Assert.That(result.LastErrors, Does.Contain("CS0103"));
        Assert.That(File.Exists(Path.Combine(_runDir, "reward", "program.cs")), Is.False);
        Assert.That(File.ReadAllText(Path.Combine(_runDir, "reward", "generation.json")), Does.Contain("\"ok\": false"));
    }

    [Test]
    public async Task ForbiddenApiAndRunTimeFailuresAreRepairedToo()
    {
        var escape = Programs.WithBody("""System.IO.File.WriteAllText("/tmp/x", "y"); return 0;""");
        var nan = Programs.WithBody("return Math.Log(Vector3.Distance(state.Hand, state.Goal));"); // -∞ where hand = goal
        using var server = new ChatServer(ChatServer.Program(escape), ChatServer.Program(nan), ChatServer.Program(Programs.GoodReach));
        var result = await Generate(server, Request(rounds: 3));

        Assert.That(result.Ok, Is.True, result.LastErrors);
        Assert.That(result.Rounds[0].Errors, Does.Contain("System.IO.File.WriteAllText").And.Contain("files"));
        Assert.That(result.Rounds[1].Errors, Does.Contain("degenerate: hand = object = goal").And.Contain("NonFinite"));
        Assert.That(server.Received[2].UserText, Does.Contain("NonFinite").And.Contain("state: FrankaState {"));
    }

    [Test]
    public async Task ReplyWithoutCodeIsAnsweredWithARequestForIt()
    {
        using var server = new ChatServer(new ChatServer.Reply("I would reward the distance to the goal."), ChatServer.Program(Programs.GoodReach));
        var result = await Generate(server, Request());
        Assert.That(result.Ok, Is.True);
        Assert.That(result.Rounds[0].Errors, Does.Contain("no ```csharp block"));
    }

    [Test]
    public async Task HumanFeedbackStartsARefinementRound()
    {
        using var server = new ChatServer(ChatServer.Program(Programs.GoodReach));
        var request = Request() with { PreviousProgram = ProgramTemplate.For(FrankaSuite.CreateTask("reach")), HumanFeedback = "The arm overshoots the goal; slow down near it." };
        var result = await Generate(server, request);
        Assert.That(result.Ok, Is.True);
        Assert.That(server.Received[0].UserText, Does.Contain("The arm overshoots the goal; slow down near it.").And.Contain("## Your previous program"));
    }

    [Test]
    public async Task FewShotExamplesAreShown()
    {
        using var server = new ChatServer(ChatServer.Program(Programs.GoodReach));
        var request = Request() with { Examples = [new FewShotExample("Push the puck to the goal.", HandWrittenEquivalents.Source("push"))] };
        await Generate(server, request);
        Assert.That(server.Received[0].UserText, Does.Contain("## Example 1\nInstruction: Push the puck to the goal.").And.Contain("return 3 * reach + 6 * progress;"));
    }

    [Test]
    public async Task ServerErrorsAreRetriedWithBackoff()
    {
        using var server = new ChatServer(new ChatServer.Reply(null, 503), new ChatServer.Reply(null, 429, RetryAfter: "0"), new ChatServer.Reply("answer"));
        var text = await Model(server, retries: 3).CompleteAsync([new ChatTurn(ChatRole.User, "hi")]);
        Assert.That(text, Is.EqualTo("answer"));
        Assert.That(server.Received, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task SlowServerTimesOutWithAClearError()
    {
        using var server = new ChatServer(new ChatServer.Reply("late", Delay: TimeSpan.FromSeconds(10)), new ChatServer.Reply("late", Delay: TimeSpan.FromSeconds(10)));
        var model = Model(server, timeout: TimeSpan.FromMilliseconds(300), retries: 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<LlmException>(() => model.CompleteAsync([new ChatTurn(ChatRole.User, "hi")]));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(error!.Message, Does.Contain(server.BaseUrl));
        Assert.That(server.Received, Has.Count.EqualTo(2), "one try and one retry");
    }

    [Test]
    public async Task PersistentErrorNamesTheStatus()
    {
        using var server = new ChatServer(new ChatServer.Reply(null, 401));
        var error = await Assert.ThrowsAsync<LlmException>(() => Model(server).CompleteAsync([new ChatTurn(ChatRole.User, "hi")]));
        Assert.That(error!.Message, Does.Contain("401"));
        Assert.That(server.Received, Has.Count.EqualTo(1), "401 is not retried");
    }

    [Test]
    public void SettingsComeFromTheEnvironmentUnlessGiven()
    {
        Environment.SetEnvironmentVariable("OPENAI_BASE_URL", "http://127.0.0.1:1/v1");
        try
        {
            var fromEnv = LlmSettings.FromEnvironment(model: "m");
            Assert.That(fromEnv.BaseUrl, Is.EqualTo("http://127.0.0.1:1/v1"));
            Assert.That(LlmSettings.FromEnvironment(model: "m", baseUrl: "http://localhost:11434/v1").BaseUrl, Is.EqualTo("http://localhost:11434/v1"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("OPENAI_BASE_URL", null);
        }
        Assert.Throws<ArgumentException>(() => new LlmSettings { BaseUrl = "ftp://x" }.Validate());
        Assert.Throws<ArgumentException>(() => new LlmSettings { ApiKey = null }.Validate(), "OpenAI's own API needs a key");
    }
}
