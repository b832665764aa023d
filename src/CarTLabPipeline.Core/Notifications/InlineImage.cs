namespace CarTLabPipeline.Notifications;

/// <summary>An inline image: <c>&lt;img src="cid:{ContentId}"&gt;</c>.</summary>
public sealed record InlineImage(string ContentId, string FileName, string ContentType, byte[] Content);
