namespace CarTLabPipeline.Notifications;

/// <summary>Draws a trend chart as PNG (the email's inline chart, <c>cartlab timeline --png</c>, the timeline API).</summary>
public interface ITrendChartRenderer
{
    byte[] RenderPng(TrendChart chart, int width, int height);

    /// <summary>Several charts stacked in one image (a patient's timeline), each <paramref name="panelHeight"/> high.</summary>
    byte[] RenderPng(IReadOnlyList<TrendChart> charts, int width, int panelHeight);
}
