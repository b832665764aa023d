namespace CarTLabPipeline.LocalHost.Local;

/// <summary>
/// libc's <c>kill(2)</c>: .NET can only kill another process (SIGKILL), and Azurite must get SIGTERM to write its data to
/// disk before it exits (<see cref="LocalNodeService.DisposeAsync"/>). Linux and macOS only; the only native call of the
/// solution, and the reason this project allows unsafe code (the LibraryImport source generator emits it).
/// </summary>
internal static partial class NativeMethods
{
    public const int SigTerm = 15;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
