using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CarTLabPipeline.LocalHost.Local;

/// <summary>
/// A local development service installed from npm (Azurite, MailDev) and started from the repository's
/// <c>node_modules/.bin</c>. Stopped — with its child processes — when disposed.
/// </summary>
public sealed class LocalNodeService : IAsyncDisposable
{
    private readonly Process _process;

    private LocalNodeService(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    /// <summary>
    /// How long a service may take to open its ports. Node loads a few hundred modules before it listens: about 2 s on a
    /// quiet machine, but more than 60 s was measured on the 2-core machine at load 25–30 (the test suite's assemblies,
    /// builds and fault runs side by side), where the earlier 60 s limit failed whole test classes. A service that exits
    /// fails at once; only one that hangs waits this long.
    /// </summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Starts <paramref name="binary"/> (a name under <c>node_modules/.bin</c>) and waits until every port in
    /// <paramref name="ports"/> accepts connections.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not installed, or it did not open its ports in time.</exception>
    public static async Task<LocalNodeService> StartAsync(string name, string binary, IEnumerable<string> arguments, IReadOnlyList<int> ports,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(ports);
        var path = FindBinary(binary) ?? throw new InvalidOperationException(
            $"{name} is not running and '{binary}' was not found under node_modules/.bin: run 'npm ci' in the repository root " +
            "(./run.sh and ./test.sh do), or point --storage at a running storage account.");

        var start = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name} ({path})");
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null && stderr.Length < 4000)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var service = new LocalNodeService(name, process);
        var deadline = Stopwatch.StartNew();
        while (!ports.All(IsListening))
        {
            if (process.HasExited || deadline.Elapsed > timeout)
            {
                await service.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"{name} did not start listening on port(s) {string.Join(", ", ports)} within {timeout.TotalSeconds:0} s. {stderr}".Trim());
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        return service;
    }

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    /// <remarks>
    /// A non-blocking connect polled on this thread: on loopback the answer (accepted or refused) comes at once, whatever
    /// the load. (It was an async connect waited on for 300 ms, which on a busy machine timed out while the thread pool was
    /// starved, so a listening MailDev looked absent and a second one was started on its port: the "did not start listening
    /// within 60 s" failures of the tests.)
    /// </remarks>
    public static bool IsListening(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        try
        {
            socket.Connect(IPAddress.Loopback, port);
            return !IsSelfConnect(socket, port);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // connecting: wait for the outcome below
        }
        catch (SocketException)
        {
            return false;
        }

        return socket.Poll(TimeSpan.FromSeconds(5), SelectMode.SelectWrite)
            && (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)! == 0
            && !IsSelfConnect(socket, port);
    }

    /// <summary>
    /// True when the connection is to itself: Linux may give a loopback connect to a closed port in the ephemeral range that
    /// same port as its local one, and the TCP simultaneous open then "succeeds" with nobody listening. Seen in the test
    /// suite under load as a closed port that looked open — and it would make a service that never started look started.
    /// </summary>
    private static bool IsSelfConnect(Socket socket, int port) => socket.LocalEndPoint is IPEndPoint { Port: var local } && local == port;

    /// <summary>
    /// <paramref name="count"/> distinct TCP ports nothing listens on now (tests, side-by-side instances), none handed out
    /// before by this process. Taken below the kernel's ephemeral range (Linux: <c>ip_local_port_range</c>, 32768 and up by
    /// default) when there is room: a port the OS gives to <c>bind(0)</c> lies in that range, where every outgoing connection
    /// also takes its local port — so between the pick and the service's start a client socket could take it (a fault run's
    /// Azurite failed with EADDRINUSE that way). Below it only listeners take ports; each pick is checked free by binding it.
    /// </summary>
    public static int[] FreePorts(int count)
    {
        var (low, high) = (20_000, EphemeralLow());
        if (high - low < 1_000)
        {
            return BindAny(count); // no room below the ephemeral range: as the OS gives them
        }

        var ports = new List<int>(count);
        lock (s_handedOut)
        {
            for (var tries = 0; ports.Count < count && tries < 10_000; tries++)
            {
                var port = Random.Shared.Next(low, high);
                if (!s_handedOut.Contains(port) && CanBind(port))
                {
                    s_handedOut.Add(port);
                    ports.Add(port);
                }
            }
        }

        return ports.Count == count ? [.. ports] : BindAny(count);
    }

    private static readonly HashSet<int> s_handedOut = [];

    /// <summary>The first port of the ephemeral range (Linux), or 49152 (IANA's, used by Windows and macOS).</summary>
    private static int EphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 49_152;
        }
    }

    private static bool CanBind(int port)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Ports as the OS gives them (<c>bind(0)</c>), reserved together so that none comes twice.</summary>
    private static int[] BindAny(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    /// <summary>The repository root: the nearest folder upwards (from here or the executable) holding <c>package.json</c>.</summary>
    public static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "package.json")) && Directory.Exists(Path.Combine(dir.FullName, "node_modules")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    private static string? FindBinary(string binary)
    {
        var root = FindRepositoryRoot();
        var path = root is null ? null : Path.Combine(root, "node_modules", ".bin", binary);
        return path is not null && File.Exists(path) ? path : null;
    }

    /// <summary>
    /// Stops the service gracefully (SIGTERM, so Azurite flushes its database to disk), then kills it if it lingers.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
            {
                _ = NativeMethods.Kill(_process.Id, NativeMethods.SigTerm);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // did not stop in time: killed below
                }
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        catch (TimeoutException)
        {
            // it will be reaped with us
        }

        _process.Dispose();
    }
}
