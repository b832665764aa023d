using CarTLabPipeline.Alerts;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Notifications;

/// <summary>
/// The <c>email</c> channel: one delivery per recipient. Composes the mail (with the trend chart drawn from the patient's
/// stored history in clinical mode) and hands it to the configured transport.
/// </summary>
public sealed class EmailAlertPublisher(
    IEmailSender sender,
    AlertEmailComposer composer,
    IPatientStore patients,
    PatientTimelineService charts,
    IOptions<EmailOptions> emailOptions,
    AlertRecipients recipients) : IAlertPublisher
{
    public const string ChannelName = "email";

    private readonly Lock _lastChartLock = new();

    /// <summary>
    /// The chart last drawn, by alert id: a dispatch sends one alert to each recipient in turn, and each would otherwise
    /// read the patient's history and draw the same chart again.
    /// </summary>
    private (string AlertId, AlertChart<byte[]>? Chart)? _lastChart;

    public string Channel => ChannelName;

    public bool AddressesRecipients => true;

    public async Task<string?> PublishAsync(Alert alert, Delivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(delivery);
        if (string.IsNullOrWhiteSpace(delivery.Recipient))
        {
            throw new DeliveryException($"email delivery {delivery.Key} has no recipient", transient: false);
        }

        var enrollment = alert.Audience == AlertAudience.Ops ? null : await patients.GetAsync(alert.PatientId, cancellationToken).ConfigureAwait(false);
        var chart = await ChartAsync(alert, enrollment, delivery.Event, cancellationToken).ConfigureAwait(false);
        // A chart left out for a record too large to read is said in the mail; one with nothing to draw is simply absent.
        var message = composer.Compose(alert, delivery, chart?.Chart, recipients.RoleOf(alert, enrollment, delivery.Recipient),
            chart is { RecordTooLarge: true } ? chart.NotDrawn : null);
        return await sender.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A revision of an alert has its own chart (a corrected value is drawn as corrected).</summary>
    private static string ChartKey(Alert alert) => $"{alert.AlertId}#{alert.Revision}";

    private async Task<AlertChart<byte[]>?> ChartAsync(Alert alert, Enrollment? enrollment, string alertEvent, CancellationToken ct)
    {
        var o = emailOptions.Value;
        if (o.Detail != EmailDetail.Clinical || alertEvent == AlertEvents.Retracted || alert.Evidence.Count == 0)
        {
            return null;
        }

        lock (_lastChartLock)
        {
            if (_lastChart is { } last && last.AlertId == ChartKey(alert))
            {
                return last.Chart;
            }
        }

        if (enrollment is null)
        {
            return null;
        }

        var chart = await charts.RenderAlertPngAsync(alert, enrollment, ct).ConfigureAwait(false);
        lock (_lastChartLock)
        {
            _lastChart = (ChartKey(alert), chart);
        }

        return chart;
    }
}
