using CarTLabPipeline.Adapters;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddCarTLabPipeline(builder.Configuration);
builder.Build().Run();
