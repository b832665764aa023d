using System.Net;
using System.Text;
using System.Text.Json;
using CarTLabPipeline.LocalHost.Local;

namespace CarTLabPipeline.Adapters.Tests.Notifications;

/// <summary>
/// A loopback HTTP server that stands in for api.sendgrid.com: it checks each request is a v3 <c>mail/send</c> with a
/// Bearer key, keeps the JSON payloads, and answers what the test scripted (202 by default; 429 with rate-limit headers,
/// 500 or 400 on demand).
/// </summary>
internal sealed class LoopbackSendGrid : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<Answer> _script = new();
    private readonly List<(TimeSpan At, JsonElement Request, int Status)> _exchanges = [];
    private readonly Lock _lock = new();
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private int _next;
    private int _abandoned;

    public LoopbackSendGrid()
    {
        var port = LocalNodeService.FreePorts(1)[0];
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public List<JsonElement> Requests { get; } = [];

    public List<string> Problems { get; } = [];

    /// <summary>Every request so far: when it came (since the server started), its payload, and the status it was answered.</summary>
    public List<(TimeSpan At, JsonElement Request, int Status)> Exchanges
    {
        get
        {
            lock (_lock)
            {
                return [.. _exchanges];
            }
        }
    }

    /// <summary>What to answer when nothing is scripted (default 202).</summary>
    public Answer Default { get; set; } = Answer.Accepted;

    /// <summary>When set, decides the answer when nothing is scripted (called under the lock, one request at a time).</summary>
    public Func<Answer>? Respond { get; set; }

    public void Then(params Answer[] answers)
    {
        lock (_lock)
        {
            foreach (var a in answers)
            {
                _script.Enqueue(a);
            }
        }
    }

    /// <summary>Requests whose client was gone by the time the answer was written.</summary>
    public int Abandoned => Volatile.Read(ref _abandoned);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                // Given up by the stop token too, not only by Close, so a dispose never waits on an accept that Close left
                // pending. (A test run once hung 7 minutes in ServerDown_IsTransient, which disposed this server at once; that
                // a pending accept was the cause is a suspicion, not reproduced.)
                context = await _listener.GetContextAsync().WaitAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Answer answer;
            lock (_lock)
            {
                if (context.Request.HttpMethod != "POST" || context.Request.Url?.AbsolutePath != "/v3/mail/send")
                {
                    Problems.Add($"{context.Request.HttpMethod} {context.Request.Url?.AbsolutePath}");
                }

                if (context.Request.Headers["Authorization"] != "Bearer SG.test-key")
                {
                    Problems.Add("missing or wrong Bearer key");
                }

                var request = JsonDocument.Parse(body).RootElement.Clone();
                Requests.Add(request);
                answer = _script.Count > 0 ? _script.Dequeue() : Respond?.Invoke() ?? Default;
                _exchanges.Add((_clock.Elapsed, request, answer.Status));
            }

            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers)
            {
                context.Response.Headers[name] = value;
            }

            if (answer.Status == 202)
            {
                context.Response.Headers["X-Message-Id"] = $"sg-{Interlocked.Increment(ref _next)}";
            }

            var bytes = Encoding.UTF8.GetBytes(answer.Status >= 400 ? """{"errors":[{"message":"scripted failure"}]}""" : string.Empty);
            try
            {
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client gave up on this request (its timeout, on a loaded machine): as a real server, go on
                // serving the next one. Ending the loop here left every later send unanswered.
                Interlocked.Increment(ref _abandoned);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return; // disposed already (a test that stops the server, then the class's dispose)
        }

        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        await _loop;
        _stop.Dispose();
    }

    internal sealed record Answer(int Status, params (string Name, string Value)[] Headers)
    {
        public static Answer Accepted { get; } = new(202);

        public static Answer ServerError { get; } = new(500);

        public static Answer RateLimited(int retryAfterSeconds) => new(429, ("Retry-After", retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
