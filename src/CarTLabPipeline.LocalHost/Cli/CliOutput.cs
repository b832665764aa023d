namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>Where a command writes: results to <see cref="Out"/>, diagnostics and rejections to <see cref="Error"/>.</summary>
internal sealed record CliOutput(TextWriter Out, TextWriter Error);
