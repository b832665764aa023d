namespace CarTLabPipeline.Operations;

/// <summary>The last file a lab sent (its drop-zone folder) and when it arrived.</summary>
public sealed record LabFeedStatus(string Lab, string LastFile, DateTimeOffset LastReceivedAt);
