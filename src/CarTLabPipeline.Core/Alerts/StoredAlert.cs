using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Alerts;

/// <summary>An alert row with its outbox (deliveries) and concurrency tag.</summary>
public sealed record StoredAlert(Alert Alert, IReadOnlyDictionary<string, Delivery> Deliveries, string ETag);
