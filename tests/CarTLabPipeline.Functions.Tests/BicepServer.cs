using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CarTLabPipeline.Functions.Tests;

/// <summary>
/// The real Bicep CLI from NuGet, started once for the test run as <c>bicep jsonrpc --stdio</c> (its programmatic
/// interface: JSON-RPC messages framed by <c>Content-Length</c> headers, as in LSP). Every compilation, parameter-file
/// build and snapshot of the suite goes through this one process: seven separate CLI runs each loaded and compiled the
/// Bicep compiler again (~6 s of CPU apiece, 40 s in all); here that cost is paid once. The results are the CLI's own:
/// <c>compile</c> and <c>compileParams</c> report the same errors and linter warnings as <c>bicep build</c> and
/// <c>build-params</c> (checked with an unused parameter and variable), <c>getSnapshot</c> the same snapshot as
/// <c>bicep snapshot</c>.
/// </summary>
internal sealed class BicepServer
{
    private static readonly Lazy<BicepServer> s_shared = new(() => new BicepServer());

    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private int _nextId;

    private BicepServer()
    {
        var path = typeof(BicepServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!
            .Replace('\\', '/');
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"the Bicep CLI is not at {path}: restore the tests (package Azure.Bicep.CommandLine.linux-x64)");
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("jsonrpc");
        start.ArgumentList.Add("--stdio");
        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        _input = _process.StandardInput.BaseStream;
        _output = _process.StandardOutput.BaseStream;
        // The server ends when its input closes: close it when the test run ends, so no bicep outlives the testhost.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => _input.Dispose();
    }

    public static BicepServer Shared => s_shared.Value;

    /// <summary>One diagnostic as the CLI prints it: <c>file(line,column) : Level code: message</c>.</summary>
    public sealed record Diagnostic(string Source, int Line, int Column, string Level, string Code, string Message)
    {
        public override string ToString() => $"{Source}({Line},{Column}) : {Level} {Code}: {Message}";
    }

    /// <summary>A build: whether it succeeded, every error and linter warning, and the ARM JSON it produced.</summary>
    public sealed record Build(bool Success, IReadOnlyList<Diagnostic> Diagnostics, string Output);

    /// <summary><c>bicep build file.bicep</c>: the ARM template.</summary>
    public Build Compile(string bicepFile)
    {
        var result = Call("bicep/compile", new JsonObject { ["path"] = bicepFile });
        return new Build(result["success"]!.GetValue<bool>(), Diagnostics(result), (string?)result["contents"] ?? string.Empty);
    }

    /// <summary><c>bicep build-params file.bicepparam</c>: the parameters JSON (diagnostics include its template's).</summary>
    public Build CompileParams(string bicepparamFile)
    {
        var result = Call("bicep/compileParams", new JsonObject { ["path"] = bicepparamFile, ["parameterOverrides"] = new JsonObject() });
        return new Build(result["success"]!.GetValue<bool>(), Diagnostics(result), (string?)result["parameters"] ?? string.Empty);
    }

    /// <summary>
    /// <c>bicep snapshot file.bicepparam</c> for a fixed subscription, tenant, resource group and location (offline): the
    /// predicted resources with their evaluated names.
    /// </summary>
    public JsonElement Snapshot(string bicepparamFile, string subscriptionId, string tenantId, string resourceGroup, string location)
    {
        var result = Call("bicep/getSnapshot", new JsonObject
        {
            ["path"] = bicepparamFile,
            ["metadata"] = new JsonObject
            {
                ["subscriptionId"] = subscriptionId,
                ["tenantId"] = tenantId,
                ["resourceGroup"] = resourceGroup,
                ["location"] = location,
                ["deploymentName"] = "main",
            },
        });
        using var snapshot = JsonDocument.Parse((string)result["snapshot"]!);
        return snapshot.RootElement.Clone();
    }

    private static List<Diagnostic> Diagnostics(JsonNode result) =>
        [.. result["diagnostics"]!.AsArray().Select(d => new Diagnostic(
            (string)d!["source"]!,
            d["range"]!["start"]!["line"]!.GetValue<int>() + 1,
            d["range"]!["start"]!["char"]!.GetValue<int>() + 1,
            (string)d["level"]!,
            (string)d["code"]!,
            (string)d["message"]!))];

    /// <summary>One request and its response; calls from parallel tests take turns (the server answers in order).</summary>
    private JsonNode Call(string method, JsonObject parameters)
    {
        lock (_gate)
        {
            var id = ++_nextId;
            var body = Encoding.UTF8.GetBytes(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString());
            try
            {
                _input.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n")));
                _input.Write(body);
                _input.Flush();
                var response = JsonNode.Parse(ReadMessage())!;
                if (response["error"] is { } error)
                {
                    throw new InvalidOperationException($"bicep {method}: {error["message"]} ({error["data"]?["message"]})");
                }

                return response["result"]!;
            }
            catch (IOException e)
            {
                throw new InvalidOperationException($"bicep jsonrpc ended ({method}): {StandardError()}", e);
            }
        }
    }

    private byte[] ReadMessage()
    {
        var length = -1;
        while (ReadHeaderLine() is { Length: > 0 } line)
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        if (length < 0)
        {
            throw new IOException("a response without Content-Length");
        }

        var body = new byte[length];
        _output.ReadExactly(body);
        return body;
    }

    private string ReadHeaderLine()
    {
        var line = new StringBuilder();
        while (true)
        {
            var b = _output.ReadByte();
            if (b < 0)
            {
                throw new IOException("end of output");
            }

            if (b == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)b);
        }
    }

    private string StandardError()
    {
        lock (_stderr)
        {
            return _stderr.ToString();
        }
    }
}
