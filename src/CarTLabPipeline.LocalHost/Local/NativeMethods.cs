namespace CarTLabPipeline.LocalHost.Local;

/// <summary>
/// libc's <c>kill(2)</c>: .NET can only kill another process (SIGKILL), and Azurite must get SIGTERM to write its data to
/// disk before it exits (<see cref="LocalNodeService.DisposeAsync"/>). Linux and macOS only; the only native call of the
/// solution besides glibc's <c>mallopt</c> and <c>malloc_trim</c> (<see cref="ReturnLargeFreedBlocks"/>,
/// <see cref="TrimNativeHeap"/>), and the reason this project allows
/// unsafe code (the LibraryImport source generator emits it).
/// </summary>
internal static partial class NativeMethods
{
    public const int SigTerm = 15;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>glibc's <c>mallopt</c> parameter: the size from which <c>malloc</c> maps a block of its own.</summary>
    public const int MallocMmapThreshold = -3;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "mallopt")]
    public static partial int MallOpt(int parameter, int value);

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "malloc_trim")]
    public static partial int MallocTrim(nuint pad);

    /// <summary>
    /// Gives the C heap's free pages back to the system (glibc's <c>malloc_trim</c>; issue 17). Ingesting a large file leaves
    /// tens of MB of native memory freed but resident (the JIT compiling the FHIR SDK and the readers the first time, in
    /// per-thread arenas glibc trims only from the top): 233 → 166 MB of <c>cartlab serve</c>'s resident set after the
    /// 100,000-entry Bundle, in 13–19 ms. No-op elsewhere than Linux or without the call.
    /// </summary>
    public static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
        }
        catch (DllNotFoundException)
        {
        }
    }

    /// <summary>
    /// Keeps glibc from holding large freed native blocks (issue 17, docs/reliability.md "Memory"). By default glibc raises
    /// its mmap threshold to the size of each large block freed (up to 32 MB), so later large blocks — the JIT's working
    /// memory while it compiles the FHIR SDK's big methods — come from the heap and stay resident once freed: 50–70 MB of
    /// <c>cartlab serve</c>'s resident set after a large ingestion was such free native memory (<c>malloc_trim</c> gave it
    /// back). Fixing the threshold at glibc's default of 128 KB maps every large block on its own and unmaps it when freed.
    /// No-op elsewhere than Linux; a C library without the call (or that refuses it) changes nothing.
    /// </summary>
    public static void ReturnLargeFreedBlocks()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallOpt(MallocMmapThreshold, 128 * 1024);
        }
        catch (EntryPointNotFoundException)
        {
        }
        catch (DllNotFoundException)
        {
        }
    }
}
