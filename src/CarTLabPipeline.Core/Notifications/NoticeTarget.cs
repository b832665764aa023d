
namespace CarTLabPipeline.Notifications;

/// <summary>One place an alert's notices go: a channel, and on channels that address people, a recipient.</summary>
/// <param name="Channel">The channel (<see cref="IAlertPublisher.Channel"/>).</param>
/// <param name="Recipient">The address on a channel that addresses recipients; null on a topic.</param>
public readonly record struct NoticeTarget(string Channel, string? Recipient);
