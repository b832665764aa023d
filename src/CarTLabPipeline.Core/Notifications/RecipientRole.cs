namespace CarTLabPipeline.Notifications;

/// <summary>Why a recipient receives an alert's mail (<see cref="AlertRecipients.RoleOf"/>).</summary>
public enum RecipientRole
{
    CareTeam,
    OnCall,
    Ops,
    EarlierRecipient,
}
