using System.Globalization;
using System.Text.RegularExpressions;
using RecipeCi.Locks;

namespace RecipeCi.Status;

/// <summary>
/// The flocks the kernel grants now, read from <c>/proc/locks</c>: whether a lock file is held is
/// asked of the kernel, never by trying to take the lock (a probe that wins, even for a moment,
/// would make a run starting then think its domain busy). Waiters (<c>-&gt;</c> lines) hold nothing.
/// </summary>
public sealed partial class ProcLocks
{
    public const string Path = "/proc/locks";

    private readonly HashSet<(uint Major, uint Minor, ulong Inode)> _held;

    private ProcLocks(HashSet<(uint, uint, ulong)> held) => _held = held;

    /// <summary>e.g. <c>1: FLOCK  ADVISORY  WRITE 12345 08:01:1234567 0 EOF</c>: the device in hex, the inode in decimal.</summary>
    [GeneratedRegex(@"^\s*\d+:\s+FLOCK\s+\S+\s+\S+\s+-?\d+\s+([0-9a-fA-F]+):([0-9a-fA-F]+):(\d+)\s", RegexOptions.Multiline)]
    private static partial Regex GrantedFlock();

    public static ProcLocks Parse(string text) =>
        new(GrantedFlock().Matches(text).Select(m => (
            uint.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            uint.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            ulong.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture))).ToHashSet());

    public bool Holds(FileIdentity file) => _held.Contains((file.Major, file.Minor, file.Inode));
}
