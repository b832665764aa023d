using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CarTLabPipeline.Adapters.Tests.Notifications;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;
using Xunit.Abstractions;
using Answer = CarTLabPipeline.Adapters.Tests.Notifications.LoopbackSendGrid.Answer;

namespace CarTLabPipeline.Reliability.Tests;

/// <summary>
/// The fault suite's SendGrid outage (docs/reliability.md): <c>cartlab serve</c> sends its email through a loopback
/// SendGrid that, from the first request on, answers 429 with <c>Retry-After</c> for a while, then 500 for a while, then
/// 202. Every email must be accepted exactly once after, and no request may come before the <c>Retry-After</c> it was given.
/// Runs beside <see cref="FaultSuiteTests"/> (its own storage, its own host), and ends with SIGTERM, which must stop serve
/// within 5 s (<see cref="ServeProcess.StopCleanlyAsync"/>).
/// </summary>
[Trait("Category", "Integration")]
public class SendGridOutageTests(ITestOutputHelper output)
{
    private const int RetryAfterSeconds = 3;

    private static readonly bool s_long = string.Equals(Environment.GetEnvironmentVariable("CARTLAB_RELIABILITY"), "long", StringComparison.OrdinalIgnoreCase);

    [Fact]
    public async Task SendGridAnswering429Then500ForAWhile_EveryEmailIsAcceptedExactlyOnce_AndRetryAfterIsHonoured()
    {
        // 429 for the first half of the outage, 500 for the second: short 10 s, long 60 s.
        var outage = s_long ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(10);
        var enrollments = Cohort.Enrollments(1);
        var files = Cohort.Files(1);
        await using var services = new LocalServices(azuriteInMemory: true);
        await services.StartAzuriteAsync();
        await using var sendGrid = new LoopbackSendGrid();
        Stopwatch? sinceFirst = null;
        sendGrid.Respond = () =>
        {
            sinceFirst ??= Stopwatch.StartNew();
            return sinceFirst.Elapsed < outage / 2 ? Answer.RateLimited(RetryAfterSeconds)
                : sinceFirst.Elapsed < outage ? Answer.ServerError
                : Answer.Accepted;
        };
        var settings = new Dictionary<string, string>
        {
            ["Email__Provider"] = "SendGrid",
            ["SendGrid__ApiKey"] = "SG.test-key",
            ["SendGrid__Host"] = sendGrid.Url,
            // Back-off 1 s doubling to at most 10 s, below the Retry-After of 3 s at first: the wait must be the provider's.
            ["Notifications__RetryDelay"] = "00:00:01",
            ["Notifications__MaxRetryDelay"] = "00:00:10",
            ["Notifications__MaxAttempts"] = "20",
        };

        await using var serve = ServeProcess.Start(services, settings);
        await serve.WaitStartedAsync(TimeSpan.FromSeconds(90));
        await using var probe = await PipelineProbe.StartAsync(services);
        await probe.EnrollAsync(enrollments);
        await probe.DropAsync(files);
        var (_, took) = await probe.WaitQuietAsync(files.Count, TimeSpan.FromMinutes(4));
        var deliveries = await probe.DeliveriesAsync();
        var exchanges = sendGrid.Exchanges;

        var byMail = exchanges.GroupBy(e => Key(e.Request)).ToDictionary(g => g.Key, g => g.OrderBy(e => e.At).ToList());
        var accepted = exchanges.Where(e => e.Status == 202).GroupBy(e => Key(e.Request)).ToDictionary(g => g.Key, g => g.Count());
        var early = byMail.Values.SelectMany(list => list.Zip(list.Skip(1)))
            .Where(p => p.First.Status == 429 && p.Second.At - p.First.At < TimeSpan.FromSeconds(RetryAfterSeconds) - TimeSpan.FromMilliseconds(100))
            .Select(p => $"{Key(p.First.Request)}: again after {(p.Second.At - p.First.At).TotalSeconds:0.00} s")
            .ToList();
        var emails = deliveries.Where(d => d.Delivery.Channel == "email").ToList();
        // The key each email delivery on record was sent under. A notice that was tried during the outage and replaced
        // before it went through (a later file revised or retracted its alert: NoticePlanner keeps at most one waiting
        // notice per recipient, the current one) is tried but never accepted, and rightly: it is no longer on record.
        var onRecord = emails.Select(d => AlertEmailComposer.MessageKey(d.AlertId, d.Delivery, d.Delivery.Recipient!) + " → " + d.Delivery.Recipient).ToList();
        var replaced = byMail.Keys.Except(onRecord).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SendGrid 429 (Retry-After {RetryAfterSeconds} s) then 500 for {outage.TotalSeconds:0} s: {exchanges.Count} requests " +
            $"({exchanges.Count(e => e.Status == 429)} × 429, {exchanges.Count(e => e.Status == 500)} × 500, {accepted.Values.Sum()} × 202) for " +
            $"{byMail.Count} emails ({replaced.Count} replaced by a later notice before they went through); all settled {took.TotalSeconds:0} s after the drop; most attempts of one email: {emails.Max(d => d.Delivery.Attempts)}; " +
            $"requests the client gave up on before the answer: {sendGrid.Abandoned}"));

        Assert.Empty(sendGrid.Problems);
        Assert.Contains(exchanges, e => e.Status == 429);
        Assert.Contains(exchanges, e => e.Status == 500);
        Assert.All(emails, d => Assert.Equal(DeliveryState.Sent, d.Delivery.State));
        Assert.Equal(onRecord.Order(), accepted.Keys.Order()); // every email on record was accepted in the end, nothing else was…
        Assert.All(accepted, a => Assert.True(a.Value == 1, $"{a.Key} accepted {a.Value} times")); // …exactly once
        Assert.True(early.Count == 0, "sent again before the Retry-After:\n" + string.Join("\n", early));
        Assert.False(serve.HasExited, serve.Log);

        // SIGTERM (docker stop, systemd) ends it: within 5 s, one line, exit 0, no stack trace. With the fault suite's clean
        // run (SIGINT) this covers both signals without a host of its own.
        var stopTook = await serve.StopCleanlyAsync("TERM", TimeSpan.FromSeconds(5));
        output.WriteLine($"SIGTERM: exited {serve.ExitCode} after {stopTook.TotalSeconds:0.0} s");
    }

    /// <summary>One email: its stable message key and its recipient.</summary>
    private static string Key(JsonElement request)
    {
        var personalization = request.GetProperty("personalizations")[0];
        return personalization.GetProperty("custom_args").GetProperty("cartlabMessageKey").GetString() + " → " +
            personalization.GetProperty("to")[0].GetProperty("email").GetString();
    }
}
