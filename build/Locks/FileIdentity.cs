using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RecipeCi.Locks;

/// <summary>
/// The (device, inode) pair that names a file on Linux. A lock taken on an open file guards the
/// path only while the path still leads to that same inode; .NET has no API for inodes, so they
/// come from libc's <c>fstat</c> and <c>stat</c> (real exported functions since glibc 2.33).
/// On the 64-bit Linux ABIs (x86_64's own <c>struct stat</c> and aarch64's generic one) the
/// struct begins with <c>st_dev</c> and <c>st_ino</c>, 8 bytes each; only those two are read,
/// the rest (144 bytes on x86_64, 128 on aarch64) just needs room.
/// </summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    private const int StatBufferSize = 256;

    /// <summary>The device's major number, decoded from <c>st_dev</c> as glibc's <c>major()</c> does (how /proc/locks names it).</summary>
    public uint Major => (uint)((Device >> 8) & 0xfff) | (uint)((Device >> 32) & ~0xfffUL);

    /// <summary>The device's minor number, decoded as glibc's <c>minor()</c> does.</summary>
    public uint Minor => (uint)(Device & 0xff) | (uint)((Device >> 12) & ~0xffUL);

    [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static extern int FStat(int fd, byte[] buffer);

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

    /// <summary>The identity of an open file.</summary>
    public static FileIdentity Of(SafeFileHandle handle)
    {
        EnsureSupported();
        var buffer = new byte[StatBufferSize];
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (FStat((int)handle.DangerousGetHandle(), buffer) != 0)
                throw new IOException($"fstat failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
        return FromBuffer(buffer);
    }

    /// <summary>The identity of the file a path leads to now, or null when nothing is there.</summary>
    public static FileIdentity? Of(string path)
    {
        EnsureSupported();
        var buffer = new byte[StatBufferSize];
        return Stat(path, buffer) == 0 ? FromBuffer(buffer) : null;
    }

    private static FileIdentity FromBuffer(byte[] b) => new(BitConverter.ToUInt64(b, 0), BitConverter.ToUInt64(b, 8));

    private static void EnsureSupported()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
            throw new PlatformNotSupportedException(
                $"app-domain locks read inodes with the Linux x86_64/aarch64 stat layout; this is {RuntimeInformation.OSDescription} on {RuntimeInformation.ProcessArchitecture}");
    }
}
