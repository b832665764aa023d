namespace CarTLabPipeline.Notifications;

/// <summary>One email to one recipient, ready for a transport.</summary>
public sealed record EmailMessage
{
    public required string From { get; init; }

    public required string To { get; init; }

    public required string Subject { get; init; }

    public required string Html { get; init; }

    public required string Text { get; init; }

    /// <summary>Images the HTML shows through <c>cid:</c> links.</summary>
    public IReadOnlyList<InlineImage> InlineImages { get; init; } = [];

    /// <summary>
    /// Stable id of this mail (alert, event, recipient): the SMTP <c>Message-ID</c> and a SendGrid custom argument, so a
    /// mail sent twice despite the ledger can still be recognised downstream.
    /// </summary>
    public required string MessageKey { get; init; }

    /// <summary>Category for the provider's statistics, e.g. <c>cartlab-alert</c>.</summary>
    public string Category { get; init; } = "cartlab-alert";
}
