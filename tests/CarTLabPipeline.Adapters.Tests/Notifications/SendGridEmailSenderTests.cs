using CarTLabPipeline.Adapters.Email;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CarTLabPipeline.Adapters.Tests.Notifications;

/// <summary>The real SendGrid client against a loopback server that checks the v3 payload and answers on demand.</summary>
public sealed class SendGridEmailSenderTests : IAsyncDisposable
{
    private readonly LoopbackSendGrid _server = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));

    private static readonly EmailMessage s_mail = new()
    {
        From = "CAR-T alerts <alerts@hospital.example>",
        To = "dr.test@hospital.example",
        Subject = "[CAR-T · warning] IgG below 300 mg/dL — day +45",
        Html = "<p>IgG 250 mg/dL</p><img src=\"cid:trend-chart\">",
        Text = "IgG 250 mg/dL",
        InlineImages = [new InlineImage("trend-chart", "trend.png", "image/png", [0x89, 0x50, 0x4E, 0x47])],
        MessageKey = "abc.123",
    };

    private SendGridEmailSender Sut() => new(Options.Create(new SendGridOptions { ApiKey = "SG.test-key", Host = _server.Url }), _time);

    [Fact]
    public async Task Accepted_PostsTheV3PayloadAndReturnsTheMessageId()
    {
        using var sut = Sut();

        var id = await sut.SendAsync(s_mail, default);

        Assert.Equal("sg-1", id);
        Assert.Empty(_server.Problems);
        var payload = Assert.Single(_server.Requests);
        var to = payload.GetProperty("personalizations")[0].GetProperty("to")[0];
        Assert.Equal("dr.test@hospital.example", to.GetProperty("email").GetString());
        Assert.Equal(s_mail.Subject, payload.GetProperty("subject").GetString());
        Assert.Equal(("alerts@hospital.example", "CAR-T alerts"), (payload.GetProperty("from").GetProperty("email").GetString(), payload.GetProperty("from").GetProperty("name").GetString()));
        var content = payload.GetProperty("content");
        Assert.Equal(["text/plain", "text/html"], content.EnumerateArray().Select(c => c.GetProperty("type").GetString()));
        var attachment = Assert.Single(payload.GetProperty("attachments").EnumerateArray());
        Assert.Equal(("inline", "trend-chart", "image/png"), (attachment.GetProperty("disposition").GetString(), attachment.GetProperty("content_id").GetString(), attachment.GetProperty("type").GetString()));
        Assert.Equal(Convert.ToBase64String(s_mail.InlineImages[0].Content), attachment.GetProperty("content").GetString());
        Assert.Equal("abc.123", payload.GetProperty("personalizations")[0].GetProperty("custom_args").GetProperty("cartlabMessageKey").GetString());
    }

    [Fact]
    public async Task RateLimited_IsTransientWithTheRetryAfterSendGridGave()
    {
        _server.Then(LoopbackSendGrid.Answer.RateLimited(7));
        using var sut = Sut();

        var ex = await Assert.ThrowsAsync<DeliveryException>(() => sut.SendAsync(s_mail, default));

        Assert.True(ex.Transient);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
    }

    [Fact]
    public async Task RateLimited_WithOnlyTheResetHeader_WaitsUntilTheReset()
    {
        var reset = _time.GetUtcNow().AddSeconds(42).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _server.Then(new LoopbackSendGrid.Answer(429, ("X-RateLimit-Reset", reset), ("X-RateLimit-Limit", "600"), ("X-RateLimit-Remaining", "0")));
        using var sut = Sut();

        var ex = await Assert.ThrowsAsync<DeliveryException>(() => sut.SendAsync(s_mail, default));

        Assert.Equal(TimeSpan.FromSeconds(42), ex.RetryAfter);
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    public async Task Failure_IsTransientOnlyForServerErrors(int status, bool transient)
    {
        _server.Then(new LoopbackSendGrid.Answer(status));
        using var sut = Sut();

        var ex = await Assert.ThrowsAsync<DeliveryException>(() => sut.SendAsync(s_mail, default));

        Assert.Equal(transient, ex.Transient);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests); // the client itself does not retry: the dispatcher does, through the queue
    }

    [Fact]
    public async Task ServerDown_IsTransient()
    {
        // A port nothing listens on, rather than this class's server disposed at once: a run hung 7 minutes in this test
        // when it disposed the server it had just started (the dispose awaits the server's accept loop).
        var closed = CarTLabPipeline.LocalHost.Local.LocalNodeService.FreePorts(1)[0];
        using var sut = new SendGridEmailSender(Options.Create(new SendGridOptions { ApiKey = "SG.test-key", Host = $"http://127.0.0.1:{closed}" }), _time);

        var ex = await Assert.ThrowsAsync<DeliveryException>(() => sut.SendAsync(s_mail, default));

        Assert.True(ex.Transient);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
