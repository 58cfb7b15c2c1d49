using System.ComponentModel;
using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Genesis.Execution;

/// <summary>
/// A child started with glibc's <c>posix_spawn</c>: a <c>vfork</c>-like start that makes the child the leader of a new
/// session and process group (<c>POSIX_SPAWN_SETSID</c>) without the extra <c>exec</c> of a <c>setsid</c> program,
/// with every standard signal at its default disposition and none blocked (the runtime ignores <c>SIGPIPE</c>, which a
/// child must not inherit; glibc leaves its own two internal signals ignored, as for any program it spawns), its working
/// folder set (<c>posix_spawn_file_actions_addchdir_np</c>), and its standard streams
/// on pipes. A dedicated thread reaps it with <c>waitpid</c>; the runtime reaps only the children it started itself.
/// </summary>
internal sealed unsafe partial class SpawnedChild : ChildProcess
{
    private const int OCloexec = 0x80000;
    private const short PosixSpawnSetSigDef = 0x04;
    private const short PosixSpawnSetSigMask = 0x08;
    private const short PosixSpawnSetSid = 0x80;
    private const int Eintr = 4;

    // Generous sizes for glibc's opaque posix_spawnattr_t (336 bytes on x86-64), posix_spawn_file_actions_t (80) and sigset_t (128).
    private const int OpaqueSize = 1024;

    private static readonly Lazy<bool> Supported = new(Probe);

    private readonly int _pid;
    private readonly AnonymousPipeClientStream _input;
    private readonly AnonymousPipeClientStream _output;
    private readonly AnonymousPipeClientStream _error;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SpawnedChild(int pid, int input, int output, int error)
    {
        _pid = pid;
        _input = new AnonymousPipeClientStream(PipeDirection.Out, new SafePipeHandle(input, ownsHandle: true));
        _output = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(output, ownsHandle: true));
        _error = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(error, ownsHandle: true));
        var reaper = new Thread(static state => ((SpawnedChild)state!).Reap(), maxStackSize: 256 * 1024)
        {
            IsBackground = true,
            Name = "Genesis child reaper",
        };
        reaper.Start(this);
    }

    /// <summary>Whether children can be spawned this way here: Linux, with glibc's <c>posix_spawn</c> extensions.</summary>
    public static bool IsSupported => Supported.Value;

    /// <inheritdoc />
    public override int Id => _pid;

    /// <inheritdoc />
    public override bool LeadsGroup => true;

    /// <inheritdoc />
    public override Stream StandardInput => _input;

    /// <inheritdoc />
    public override Stream StandardOutput => _output;

    /// <inheritdoc />
    public override Stream StandardError => _error;

    /// <inheritdoc />
    public override bool HasExited => _exited.Task.IsCompleted;

    /// <inheritdoc />
    public override int ExitCode => _exited.Task.IsCompleted ? _exited.Task.Result : throw new InvalidOperationException("The child has not exited.");

    /// <summary>Starts the child; see <see cref="ChildProcess.Start"/>.</summary>
    /// <exception cref="Win32Exception">A pipe could not be created or the program could not be started.</exception>
    public static new SpawnedChild Start(string program, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var pipes = stackalloc int[6] { -1, -1, -1, -1, -1, -1 };
        var strings = new List<nint>(arguments.Count + environment.Count + 4);
        var actions = NativeMemory.AllocZeroed(OpaqueSize);
        var attributes = NativeMemory.AllocZeroed(OpaqueSize);
        var signals = NativeMemory.AllocZeroed(OpaqueSize);
        var argv = (byte**)NativeMemory.AllocZeroed((nuint)(arguments.Count + 2), (nuint)sizeof(byte*));
        var envp = (byte**)NativeMemory.AllocZeroed((nuint)(environment.Count + 1), (nuint)sizeof(byte*));
        var actionsReady = false;
        var attributesReady = false;
        try
        {
            for (var i = 0; i < 3; i++)
            {
                if (Pipe2(pipes + (2 * i), OCloexec) != 0)
                {
                    throw new Win32Exception(Marshal.GetLastPInvokeError());
                }
            }

            Check(PosixSpawnFileActionsInit(actions));
            actionsReady = true;
            Check(PosixSpawnFileActionsAddDup2(actions, pipes[0], 0));
            Check(PosixSpawnFileActionsAddDup2(actions, pipes[3], 1));
            Check(PosixSpawnFileActionsAddDup2(actions, pipes[5], 2));
            Check(PosixSpawnFileActionsAddChdirNp(actions, Utf8(workingDirectory, strings)));

            Check(PosixSpawnattrInit(attributes));
            attributesReady = true;
            Check(PosixSpawnattrSetFlags(attributes, PosixSpawnSetSid | PosixSpawnSetSigDef | PosixSpawnSetSigMask));
            Check(SigEmptySet(signals));
            Check(PosixSpawnattrSetSigMask(attributes, signals));
            Check(SigFillSet(signals));
            Check(PosixSpawnattrSetSigDefault(attributes, signals));

            var path = Utf8(program, strings);
            argv[0] = path;
            for (var i = 0; i < arguments.Count; i++)
            {
                argv[i + 1] = Utf8(arguments[i], strings);
            }

            var count = 0;
            foreach (var (name, value) in environment)
            {
                if (value is not null)
                {
                    envp[count++] = Utf8($"{name}={value}", strings);
                }
            }

            int pid;
            Check(PosixSpawn(&pid, path, actions, attributes, argv, envp));

            // The child holds its ends now; the parent keeps the others.
            Close(pipes[0]);
            Close(pipes[3]);
            Close(pipes[5]);
            var child = new SpawnedChild(pid, pipes[1], pipes[2], pipes[4]);
            pipes[1] = pipes[2] = pipes[4] = -1;
            return child;
        }
        finally
        {
            for (var i = 0; i < 6; i++)
            {
                if (pipes[i] >= 0 && (i is 1 or 2 or 4))
                {
                    Close(pipes[i]);
                }
            }

            if (actionsReady)
            {
                _ = PosixSpawnFileActionsDestroy(actions);
            }

            if (attributesReady)
            {
                _ = PosixSpawnattrDestroy(attributes);
            }

            foreach (var pointer in strings)
            {
                NativeMemory.Free((void*)pointer);
            }

            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(signals);
            NativeMemory.Free(argv);
            NativeMemory.Free(envp);
        }

        static void Check(int error)
        {
            if (error != 0)
            {
                throw new Win32Exception(error);
            }
        }
    }

    /// <inheritdoc />
    public override Task WaitForExitAsync(CancellationToken cancellationToken) => _exited.Task.WaitAsync(cancellationToken);

    /// <inheritdoc />
    protected override void KillDescendants()
    {
        if (HasExited)
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(_pid);
            process.Kill(entireProcessTree: true);
        }
        catch (ArgumentException)
        {
            // Gone already.
        }
        catch (InvalidOperationException)
        {
            // Exited while being looked at.
        }
        catch (Win32Exception)
        {
            // Exited while being killed.
        }

        ProcessTree.KillProcess(_pid);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            _output.Dispose();
            _error.Dispose();
        }
    }

    private static byte* Utf8(string text, List<nint> strings)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var bytes = (byte*)NativeMemory.Alloc((nuint)length + 1);
        strings.Add((nint)bytes);
        Encoding.UTF8.GetBytes(text, new Span<byte>(bytes, length));
        bytes[length] = 0;
        return bytes;
    }

    private static void Close(int fd)
    {
        if (fd >= 0)
        {
            _ = CloseNative(fd);
        }
    }

    /// <summary>Whether this is Linux with glibc's <c>posix_spawn</c> extensions (<c>addchdir_np</c> since 2.29, <c>SETSID</c> since 2.26).</summary>
    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // Resolving the entry points fails here, not in the middle of a start, where one is missing.
            var actions = NativeMemory.AllocZeroed(OpaqueSize);
            try
            {
                if (PosixSpawnFileActionsInit(actions) != 0)
                {
                    return false;
                }

                fixed (byte* root = "/\0"u8)
                {
                    var ok = PosixSpawnFileActionsAddChdirNp(actions, root) == 0;
                    _ = PosixSpawnFileActionsDestroy(actions);
                    return ok;
                }
            }
            finally
            {
                NativeMemory.Free(actions);
            }
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private void Reap()
    {
        int status;
        int result;
        do
        {
            result = WaitPid(_pid, &status, 0);
        }
        while (result < 0 && Marshal.GetLastPInvokeError() == Eintr);

        if (result != _pid)
        {
            // Reaped by someone else (a runtime set to reap every child): the exit code is lost.
            _exited.TrySetResult(-1);
            return;
        }

        var signal = status & 0x7f;
        _exited.TrySetResult(signal == 0 ? (status >> 8) & 0xff : 128 + signal);
    }

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseNative(int fd);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport("libc", EntryPoint = "posix_spawn")]
    private static partial int PosixSpawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int PosixSpawnFileActionsInit(void* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int PosixSpawnFileActionsDestroy(void* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int PosixSpawnFileActionsAddDup2(void* fileActions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    private static partial int PosixSpawnFileActionsAddChdirNp(void* fileActions, byte* path);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int PosixSpawnattrInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int PosixSpawnattrDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int PosixSpawnattrSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int PosixSpawnattrSetSigMask(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int PosixSpawnattrSetSigDefault(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(void* signals);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    private static partial int SigFillSet(void* signals);
}
