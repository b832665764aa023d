namespace CarTLabPipeline.Alerts;

/// <summary>What an acknowledgement came to: every case is an expected outcome, none is an exception.</summary>
public enum AcknowledgeStatus
{
    /// <summary>Acknowledged now, or earlier (the first acknowledgement is kept).</summary>
    Acknowledged,

    /// <summary>There is no alert with this id.</summary>
    NotFound,

    /// <summary>The alert was retracted: there is nothing to acknowledge (<see cref="Alert.RetractionReason"/> says why).</summary>
    Retracted,

    /// <summary>The alert kept changing under the acknowledgement (every attempt lost its ETag race): try again.</summary>
    Conflict,
}
