using Azure.Monitor.OpenTelemetry.Exporter;
using CarTLabPipeline.Adapters;
using CarTLabPipeline.Http;
using CarTLabPipeline.Operations;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// Telemetry to Azure Monitor through OpenTelemetry (host.json: "telemetryMode": "OpenTelemetry"), when App Insights is set.
// The pipeline's gauges (PipelineGauges) go out with the worker's own telemetry.
var openTelemetry = builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics => metrics.AddMeter(PipelineGauges.MeterName))
    .UseFunctionsWorkerDefaults();
if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
{
    openTelemetry.UseAzureMonitorExporter();
}

// One composition root with cartlab; every options class is validated at start-up (ValidateOnStart).
builder.Services.AddCarTLabPipeline(builder.Configuration);
builder.Services.AddCarTLabHttpApi(builder.Configuration);
builder.Services.AddSingleton<PipelineGauges>();
builder.Build().Run();
