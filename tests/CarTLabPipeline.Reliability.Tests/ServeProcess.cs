using System.Diagnostics;
using System.Text;
using CarTLabPipeline.Testing;

namespace CarTLabPipeline.Reliability.Tests;

/// <summary>The built <c>cartlab serve</c> as a child process, with its stderr kept; killed with -9 or stopped by a signal.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly Lock _lock = new();

    private ServeProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The built <c>cartlab.dll</c> of the same configuration as this test assembly.</summary>
    public static string CartlabDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            var dll = Path.Combine(RepositoryPaths.Root, "src", "CarTLabPipeline.LocalHost", "bin", configuration, "net10.0", "cartlab.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} not found: build the solution first");
        }
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Log
    {
        get
        {
            lock (_lock)
            {
                return _log.ToString();
            }
        }
    }

    public static ServeProcess Start(LocalServices services, IReadOnlyDictionary<string, string>? settings = null)
    {
        // Through 'env --default-signal=INT' (coreutils, exec: the pid stays serve's): a test process started in the background
        // by a non-interactive shell ignores SIGINT and its children inherit that, so .NET would never see a Ctrl+C sent by a test.
        var viaEnv = ReceivesSigInt;
        var start = new ProcessStartInfo(viaEnv ? "/usr/bin/env" : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        string[] command = [CartlabDll, "serve", "--storage", services.ConnectionString];
        foreach (var argument in viaEnv ? ["--default-signal=INT", "dotnet", .. command] : command)
        {
            start.ArgumentList.Add(argument);
        }

        // Not the local default storage: cartlab applies none of its local defaults, so the transport is configured here.
        start.Environment["Email__Provider"] = "Smtp";
        start.Environment["Smtp__Host"] = "127.0.0.1";
        start.Environment["Smtp__Port"] = services.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Smtp__Security"] = "None";
        start.Environment["Email__From"] = "CAR-T lab alerts <cart-alerts@hospital.example>";
        start.Environment["Email__OnCall"] = "haematology.oncall@hospital.example";
        start.Environment["Email__Ops"] = "cartlab.ops@hospital.example";
        start.Environment["AzureWebJobsStorage"] = null;
        // serve also serves the HTTP API; the clean and the faulted run's serve run side by side (and beside any cartlab
        // on this machine): each takes a port of its own instead of 7071.
        start.Environment["Http__Port"] = "0";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start cartlab serve");
        var serve = new ServeProcess(process);
        process.ErrorDataReceived += (_, e) => serve.Append(e.Data);
        process.OutputDataReceived += (_, e) => serve.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return serve;
    }

    /// <summary>Waits until serve says its triggers run.</summary>
    public async Task WaitStartedAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Log.Contains("triggers running", StringComparison.Ordinal))
        {
            if (HasExited || clock.Elapsed > timeout)
            {
                throw new InvalidOperationException($"cartlab serve did not start (exited: {HasExited}):\n{Log}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary><c>kill -9</c>: no clean-up of any kind, as a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends <paramref name="signal"/> (<c>TERM</c>, <c>INT</c>) and returns how long serve took to exit.</summary>
    public async Task<TimeSpan> SignalAsync(string signal, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-" + signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return clock.Elapsed;
    }

    /// <summary>
    /// True when serve sees a SIGINT: started through <c>env --default-signal=INT</c> (Linux), or from a process that does
    /// not ignore it (a test run started in the background by a non-interactive shell ignores SIGINT, and its children
    /// inherit that).
    /// </summary>
    public static bool ReceivesSigInt => OperatingSystem.IsLinux() && File.Exists("/usr/bin/env");

    /// <summary>
    /// Ctrl+C (SIGINT) or SIGTERM (docker stop, systemd, kill) stops serve within <paramref name="within"/> with exit code 0
    /// and one closing line, never an unhandled exception or a stack trace (issue 16: it once took 22 s and ended in a
    /// 150-line exception, and SIGTERM was ignored). Returns how long it took.
    /// </summary>
    public async Task<TimeSpan> StopCleanlyAsync(string signal, TimeSpan within)
    {
        var took = await SignalAsync(signal, within + TimeSpan.FromSeconds(30));
        var log = Log;
        Xunit.Assert.True(ExitCode == 0, $"SIG{signal}: exit {ExitCode}\n{log}");
        Xunit.Assert.True(took < within, $"SIG{signal} took {took}: serve must stop within {within}");
        Xunit.Assert.Single(log.Split('\n'), l => l.StartsWith($"cartlab serve: stopped (SIG{signal}) in ", StringComparison.Ordinal));
        Xunit.Assert.DoesNotContain("Unhandled exception", log, StringComparison.Ordinal);
        Xunit.Assert.DoesNotContain("   at ", log, StringComparison.Ordinal); // no stack trace without --verbose
        return took;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _log.AppendLine(line);
        }
    }
}
