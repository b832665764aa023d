using CarTLabPipeline.Messaging;
using CarTLabPipeline.Notifications;
using Microsoft.Azure.WebJobs;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>The notification queue trigger (docs/design.md §2): indexed only in sessions that send (<see cref="TriggerModes.Sends"/>).</summary>
public sealed class DispatchFunctions(AlertDispatchService dispatch, QueueMessageHandler messages, PipelineActivity activity)
{
    [FunctionName("DispatchAlert")]
    public async Task DispatchAlert([QueueTrigger(PipelineNames.Queues.AlertNotifications)] string message, string id, CancellationToken cancellationToken)
    {
        await activity.RunAsync(cancellationToken, ct => messages.RunAsync(PipelineNames.Queues.AlertNotifications, id, message, c => dispatch.HandleMessageAsync(message, c), ct))
            .ConfigureAwait(false);
    }
}
