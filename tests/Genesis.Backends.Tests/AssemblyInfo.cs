using System.Runtime.Versioning;

// The tests start real processes and observe them through /proc, process groups and fcntl locks: they run on Linux.
[assembly: SupportedOSPlatform("linux")]
