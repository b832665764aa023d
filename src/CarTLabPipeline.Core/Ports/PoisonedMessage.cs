namespace CarTLabPipeline.Ports;

/// <summary>A message that can never be processed, as moved to its queue's <c>-poison</c> queue: the reason and the message as it came.</summary>
public sealed record PoisonedMessage(string Reason, string Message);
