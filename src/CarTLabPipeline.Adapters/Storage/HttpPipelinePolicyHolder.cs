using Azure.Core;
using Azure.Core.Pipeline;

namespace CarTLabPipeline.Adapters.Storage;

/// <summary>Extra HTTP pipeline policies added to every storage client (e.g. the request counter of the benchmarks).</summary>
public sealed class HttpPipelinePolicyHolder(params HttpPipelinePolicy[] perCall)
{
    public void ApplyTo(ClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var policy in perCall)
        {
            options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }
    }
}
