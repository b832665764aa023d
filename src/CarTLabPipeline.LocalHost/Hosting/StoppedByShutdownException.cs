namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// A trigger's work cancelled because the host stopped before it finished (a send still waiting on its transport when
/// <see cref="PipelineActivity.DrainGrace"/> ran out). Nothing is lost: the message returns to its queue and the alert
/// row's claims make the next attempt resume, not repeat. Logged as one information line, not as a failure.
/// </summary>
public sealed class StoppedByShutdownException(OperationCanceledException cancelled)
    : OperationCanceledException("stopped by the shutdown before it finished: its message returns to the queue and the work resumes at the next start", cancelled, cancelled.CancellationToken);
