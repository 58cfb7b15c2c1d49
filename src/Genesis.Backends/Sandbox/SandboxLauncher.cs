using System.Globalization;

namespace Genesis.Execution;

/// <summary>
/// The shell scripts that start a confined process. The launcher runs first, outside any namespace: it moves a subshell
/// into the run's cgroups (creating them, if the host has not, and then removing them at the end) before that subshell
/// execs the confining tool, waits for it, says on standard error which limit stopped the process (the pids and memory
/// cgroups count refused forks and kills; exit codes 152 and 153 are <c>SIGXCPU</c> and <c>SIGXFSZ</c>), kills whatever
/// is left in the cgroups, and exits with the process's exit code.
/// </summary>
internal static class SandboxLauncher
{
    /// <summary>The prefix of every line the sandbox itself writes to a process's standard error.</summary>
    public const string NotePrefix = "genesis-sandbox: ";

    /// <summary>
    /// The launcher. Arguments: the pids cgroup folder (or empty), the memory cgroup folder (or empty), each created with
    /// its limit by the host or else by the launcher, the process limit, the memory limit in bytes, the memory, CPU time
    /// and file size limits as text for the notes, the resource limits set with the shell's <c>ulimit</c> (address space
    /// in KiB, CPU seconds soft and hard, file size in 512-byte blocks, open files; each empty when not limited), then
    /// the command to confine.
    /// </summary>
    public const string Script = """
        p=$1 m=$2 procs=$3 mem=$4 memtext=$5 cpu=$6 fsize=$7 vkib=$8 cpus=$9 cpuhard=${10} blocks=${11} files=${12}
        shift 12
        ownp= ownm=
        note() { printf 'genesis-sandbox: %s\n' "$*" >&2; }
        release() {
          for d in "$p" "$m"; do
            if [ -n "$d" ] && [ -r "$d/cgroup.procs" ]; then
              while read -r q; do kill -9 "$q" 2>/dev/null; done < "$d/cgroup.procs"
            fi
          done
          for d in ${ownp:+"$p"} ${ownm:+"$m"}; do
            i=0
            until rmdir "$d" 2>/dev/null || [ ! -d "$d" ]; do
              while read -r q; do kill -9 "$q" 2>/dev/null; done < "$d/cgroup.procs"
              i=$((i + 1))
              [ "$i" -ge 200 ] && break
              sleep 0.01
            done
          done
        }
        if [ -n "$p" ] && [ ! -d "$p" ]; then
          ownp=1
          { mkdir "$p" && echo "$procs" > "$p/pids.max"; } 2>/dev/null || { note "could not create the pids cgroup $p"; release; exit 125; }
        fi
        if [ -n "$m" ] && [ ! -d "$m" ]; then
          ownm=1
          { mkdir "$m" && echo "$mem" > "$m/memory.limit_in_bytes"; } 2>/dev/null || { note "could not create the memory cgroup $m"; release; exit 125; }
          if [ -w "$m/memory.memsw.limit_in_bytes" ]; then { echo "$mem" > "$m/memory.memsw.limit_in_bytes"; } 2>/dev/null; fi
        fi
        refused=0 killed=0
        if [ -n "$p" ] && [ -r "$p/pids.events" ]; then
          while read -r k n; do if [ "$k" = max ]; then refused=$n; fi; done < "$p/pids.events"
        fi
        if [ -n "$m" ] && [ -r "$m/memory.oom_control" ]; then
          while read -r k n; do if [ "$k" = oom_kill ]; then killed=$n; fi; done < "$m/memory.oom_control"
        fi
        (
          read -r self rest < /proc/self/stat
          if [ -n "$p" ]; then { echo "$self" > "$p/cgroup.procs"; } 2>/dev/null || { note "could not enter the pids cgroup $p"; exit 125; }; fi
          if [ -n "$m" ]; then { echo "$self" > "$m/cgroup.procs"; } 2>/dev/null || { note "could not enter the memory cgroup $m"; exit 125; }; fi
          if [ -n "$vkib" ]; then ulimit -v "$vkib" || { note "could not limit the address space to $vkib KiB"; exit 125; }; fi
          if [ -n "$cpus" ]; then { ulimit -t "$cpuhard" && ulimit -S -t "$cpus"; } || { note "could not limit the CPU time to $cpus s"; exit 125; }; fi
          if [ -n "$blocks" ]; then ulimit -f "$blocks" || { note "could not limit the file size to $blocks blocks"; exit 125; }; fi
          if [ -n "$files" ]; then ulimit -n "$files" || { note "could not limit the open files to $files"; exit 125; }; fi
          exec "$@"
        )
        rc=$?
        case $rc in
          152) [ -n "$cpu" ] && note "exit code 152: the process was killed by SIGXCPU: the CPU time limit of $cpu per process was reached" ;;
          153) [ -n "$fsize" ] && note "exit code 153: the process was killed by SIGXFSZ: the file size limit of $fsize was reached" ;;
        esac
        if [ -n "$p" ] && [ -r "$p/pids.events" ]; then
          while read -r k n; do
            if [ "$k" = max ] && [ "$n" -gt "$refused" ]; then note "the process limit of $procs was reached: $((n - refused)) process creations were refused"; fi
          done < "$p/pids.events"
        fi
        if [ -n "$m" ] && [ -r "$m/memory.oom_control" ]; then
          while read -r k n; do
            if [ "$k" = oom_kill ] && [ "$n" -gt "$killed" ]; then note "the memory limit of $memtext was reached: the kernel killed $((n - killed)) processes"; fi
          done < "$m/memory.oom_control"
        fi
        release
        exit $rc
        """;

    /// <summary>
    /// The set-up script of the <c>unshare</c> sandbox, run as root of a new user and mount namespace. Arguments:
    /// <c>setpriv</c>, the scratch size in bytes, the working folder, pairs of a kind (<c>ro</c>, <c>rofile</c>,
    /// <c>rw</c>, <c>hide</c>, <c>null</c>, <c>scratch</c>) and a path, <c>--</c>, and the command. It stages the binds
    /// on a tmpfs at <c>/dev/shm</c> before the private <c>/tmp</c> and the hidden folders cover their sources, hides,
    /// places the binds, replaces the staging tmpfs by the private <c>/dev/shm</c>, makes
    /// every other mount read-only, and runs the command with no capabilities left, as a child: the script stays the
    /// namespace's init, so the command gets the signals of an ordinary process (an init ignores <c>SIGXCPU</c>).
    /// </summary>
    public const string UnshareSetupScript = """
        setpriv=$1 scratch=$2 work=$3
        shift 3
        die() { printf 'genesis-sandbox: %s\n' "$*" >&2; exit 125; }
        if command -v ip >/dev/null 2>&1; then ip link set lo up 2>/dev/null; fi
        stage=/dev/shm
        mount -t tmpfs -o size=1m,mode=700 genesis-stage "$stage" || die "could not mount the staging folder $stage"
        n=0 kind=
        for a in "$@"; do
          if [ -z "$kind" ]; then kind=$a; [ "$kind" = -- ] && break; continue; fi
          case $kind in
            ro|rw) n=$((n + 1)); mkdir "$stage/$n" && mount --bind "$a" "$stage/$n" || die "could not bind $a" ;;
            rofile) n=$((n + 1)); : > "$stage/$n" && mount --bind "$a" "$stage/$n" || die "could not bind $a" ;;
          esac
          kind=
        done
        mount -t tmpfs -o "size=$scratch,mode=1777,nosuid,nodev" genesis-scratch /tmp || die "could not mount the private /tmp"
        kind=
        for a in "$@"; do
          if [ -z "$kind" ]; then kind=$a; [ "$kind" = -- ] && break; continue; fi
          case $kind in
            hide) mount -t tmpfs -o size=1m,mode=755,nosuid,nodev genesis-hidden "$a" || die "could not hide $a" ;;
            null) mount --bind /dev/null "$a" || die "could not hide $a" ;;
            scratch) mount -t tmpfs -o "size=$scratch,mode=1777,nosuid,nodev" genesis-scratch "$a" || die "could not mount $a" ;;
          esac
          kind=
        done
        n=0 kind= keep="/tmp
        /dev/shm"
        for a in "$@"; do
          if [ -z "$kind" ]; then kind=$a; [ "$kind" = -- ] && break; continue; fi
          case $kind in
            ro|rw) n=$((n + 1)); mkdir -p "$a" && mount --move "$stage/$n" "$a" || die "could not bind $a"
              if [ "$kind" = rw ]; then keep="$keep
        $a"; fi ;;
            rofile) n=$((n + 1)); { [ -e "$a" ] || { mkdir -p "${a%/*}" && : > "$a"; }; } && mount --move "$stage/$n" "$a" || die "could not bind $a" ;;
            scratch) keep="$keep
        $a" ;;
          esac
          kind=
        done
        umount "$stage" || die "could not unmount the staging folder $stage"
        mount -t tmpfs -o "size=$scratch,mode=1777,nosuid,nodev" genesis-scratch /dev/shm || die "could not mount the private /dev/shm"
        while read -r id parent dev root mp rest; do
          case $mp in *\\*) mp=$(printf '%b' "$(printf '%s' "$mp" | sed 's/\\\([0-7][0-7][0-7]\)/\\0\1/g')") ;; esac
          case "
        $keep
        " in *"
        $mp
        "*) continue ;; esac
          mount -o remount,bind,ro "$mp" 2>/dev/null || [ "$mp" != / ] || die "could not make / read-only"
        done < /proc/self/mountinfo
        while [ $# -gt 0 ]; do
          if [ "$1" = -- ]; then shift; break; fi
          shift 2
        done
        cd "$work" || die "could not enter $work"
        "$setpriv" --inh-caps=-all --bounding-set=-all --no-new-privs -- "$@"
        exit $?
        """;

    /// <summary>The launcher's arguments before the confined command.</summary>
    public static List<string> Arguments(CgroupRun cgroups, SandboxPolicy policy, LauncherLimits limits) =>
    [
        "-c",
        Script,
        "genesis-sandbox",
        cgroups.PidsFolder ?? string.Empty,
        cgroups.MemoryFolder ?? string.Empty,
        policy.MaxProcesses?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        policy.MaxMemoryBytes?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        policy.MaxMemoryBytes is { } memory ? Bytes(memory) : string.Empty,
        policy.MaxCpuTime is { } cpu ? Duration(cpu) : string.Empty,
        policy.MaxFileSizeBytes is { } size ? Bytes(size) : string.Empty,
        Text(limits.AddressSpaceKiB),
        Text(limits.CpuSeconds),
        Text(limits.CpuHardSeconds),
        Text(limits.FileSizeBlocks),
        Text(limits.OpenFiles),
    ];

    private static string Text(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>A byte count as people read it: <c>4 GiB</c>, <c>512 MiB</c>, <c>1536 KiB</c>, <c>100 bytes</c>.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 40 when bytes % (1L << 40) == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes >> 40} TiB"),
        >= 1L << 30 when bytes % (1L << 30) == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes >> 30} GiB"),
        >= 1L << 20 when bytes % (1L << 20) == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes >> 20} MiB"),
        >= 1L << 10 when bytes % (1L << 10) == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes >> 10} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };

    /// <summary>A CPU time as whole seconds (rounded up), the unit of <c>RLIMIT_CPU</c>.</summary>
    public static long Seconds(TimeSpan time) => (long)Math.Ceiling(time.TotalSeconds);

    /// <summary>A CPU time as people read it: <c>10 min</c>, <c>90 s</c>.</summary>
    public static string Duration(TimeSpan time)
    {
        var seconds = Seconds(time);
        return seconds % 60 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60} min")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds} s");
    }
}

/// <summary>The resource limits the launcher sets with <c>ulimit</c>, in the shell's units; <see langword="null"/> where not limited.</summary>
/// <param name="AddressSpaceKiB"><c>RLIMIT_AS</c> in KiB (<c>ulimit -v</c>).</param>
/// <param name="CpuSeconds">The soft <c>RLIMIT_CPU</c> in seconds (<c>ulimit -S -t</c>): <c>SIGXCPU</c>.</param>
/// <param name="CpuHardSeconds">The hard <c>RLIMIT_CPU</c> in seconds (<c>ulimit -t</c>): <c>SIGKILL</c>.</param>
/// <param name="FileSizeBlocks"><c>RLIMIT_FSIZE</c> in 512-byte blocks (<c>ulimit -f</c>, POSIX's unit).</param>
/// <param name="OpenFiles"><c>RLIMIT_NOFILE</c> (<c>ulimit -n</c>).</param>
internal readonly record struct LauncherLimits(long? AddressSpaceKiB, long? CpuSeconds, long? CpuHardSeconds, long? FileSizeBlocks, long? OpenFiles);
