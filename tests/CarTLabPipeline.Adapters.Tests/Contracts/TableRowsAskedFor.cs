using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CarTLabPipeline.Adapters.Tests.Contracts;

/// <summary>
/// Adds up the rows the queries of one table ask for (their <c>$top</c>; a query without one counts as a whole table page,
/// 1,000): an upper bound of the rows a store read, seen on the wire.
/// </summary>
internal sealed class TableRowsAskedFor(string table) : HttpPipelineSynchronousPolicy
{
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var uri = message.Request.Uri.ToUri();
        if (message.Request.Method != RequestMethod.Get || !uri.AbsolutePath.EndsWith($"/{table}()", StringComparison.Ordinal))
        {
            return;
        }

        var top = uri.Query.TrimStart('?').Split('&')
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2 && Uri.UnescapeDataString(p[0]) == "$top")
            .Select(p => int.Parse(p[1], CultureInfo.InvariantCulture))
            .DefaultIfEmpty(1000)
            .First();
        Interlocked.Add(ref _total, top);
    }
}
