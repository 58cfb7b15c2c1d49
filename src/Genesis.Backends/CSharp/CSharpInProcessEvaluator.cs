using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Genesis.Execution;

/// <summary>
/// Scores C# candidates in this process, fast: the candidate is compiled with Roslyn (release optimizations, nullable
/// enabled), loaded into its own collectible <see cref="System.Runtime.Loader.AssemblyLoadContext"/>, scored by the task's
/// delegate on a dedicated thread under the request's timeout, and unloaded.
/// </summary>
/// <remarks>
/// <para>
/// <b>For trusted code only.</b> The candidate runs inside the host with the host's rights: it can read the host's
/// memory, files and environment, and a candidate that overflows its stack, calls <see cref="Environment.Exit(int)"/> or
/// <see cref="Environment.FailFast(string)"/>, or throws on a thread of its own ends the whole process. Code written by an
/// LLM that nobody reviews belongs on the out-of-process path (<see cref="Evaluators.CSharpOutOfProcess"/>), where the
/// execution backend's sandbox and limits apply.
/// </para>
/// <para>
/// Candidates run on dedicated background threads with 16 MB stacks, never on the thread pool; the threads are parked
/// between evaluations and reused (with their culture reset), so an evaluation costs well under a millisecond once the
/// candidate is compiled. A .NET thread cannot be killed: a candidate still running at the timeout is reported as
/// <see cref="EvaluationStatus.TimedOut"/> and its thread is abandoned: its cancellation token is cancelled, and it keeps
/// a core busy until it returns, if ever; its load context unloads only then. Keep the timeout short and prefer the
/// out-of-process path for code that may not terminate.
/// </para>
/// <para>
/// The request's timeout covers the candidate's run (loading, binding and scoring); the compilation before it is not
/// counted, since a warm Roslyn compiles a small candidate in tens of milliseconds but the first compilation in a
/// process takes seconds.
/// </para>
/// <para>
/// Compilations are cached in memory by the SHA-256 of the source (<see cref="CSharpInProcessOptions.MaxCachedCompilations"/>):
/// an unchanged candidate is never compiled twice while it is cached, and its compile errors are cached too. Compile errors
/// are <see cref="EvaluationStatus.CompileError"/> results listing the diagnostics as <c>line:column: error CSxxxx:
/// message</c>; an exception from the candidate or the scorer is <see cref="EvaluationStatus.Crashed"/> with its type,
/// message and top stack lines (with line numbers: the PDB is embedded).
/// </para>
/// </remarks>
public sealed class CSharpInProcessEvaluator : IEvaluator
{
    /// <summary>The file name the candidate's source is compiled under, as stack traces show it.</summary>
    public const string CandidateFileName = "candidate.cs";

    private const int MaxStackLines = 8;

    /// <summary>Stack frames of this evaluator and its typed binding: a trace is cut where they begin.</summary>
    private static readonly string[] HarnessFrames = [typeof(CandidateRun).FullName!.Replace('+', '.'), typeof(Evaluators).FullName + "."];

    private readonly Func<Assembly, CancellationToken, ValueTask<EvaluationResult>> _score;
    private readonly CSharpCompileSettings _settings;
    private readonly string _settingsKey;
    private readonly IReadOnlyDictionary<string, Assembly> _shared;
    private readonly CompiledAssemblyCache _cache;
    private readonly TimeProvider _time;
    private WeakReference? _lastLoadContext;

    /// <summary>Creates an evaluator that hands each compiled candidate's assembly to <paramref name="score"/>.</summary>
    /// <param name="score">
    /// Scores one loaded candidate: finds what it needs in the assembly (for example by reflection) and calls it. It runs on
    /// the candidate's dedicated thread; the token is cancelled at the timeout and by the caller. It must not keep the
    /// assembly or anything from it after it returns, or the load context cannot unload. See
    /// <see cref="Evaluators.CSharpInProcess{TEntry}"/> for a typed entry point instead.
    /// </param>
    /// <param name="options">The compilation and cache options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option cannot be used; the message names it.</exception>
    public CSharpInProcessEvaluator(Func<Assembly, CancellationToken, ValueTask<EvaluationResult>> score, CSharpInProcessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(score);
        options ??= new CSharpInProcessOptions();
        options.Validate();
        options = options.Clone();
        _score = score;
        _time = options.TimeProvider;
        _shared = options.References
            .GroupBy(a => a.GetName().Name ?? string.Empty, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var references = RoslynCompiler.TrustedPlatformReferences;
        var known = references.Select(r => r.Display).ToHashSet(StringComparer.Ordinal);
        references = references.AddRange(options.References
            .Select(a => a.Location)
            .Where(path => !known.Contains(path))
            .Distinct(StringComparer.Ordinal)
            .Select(RoslynCompiler.ReferenceTo));
        _settings = new CSharpCompileSettings(
            CandidateFileName,
            references,
            OutputKind.DynamicallyLinkedLibrary,
            options.AdditionalSources,
            options.ImplicitUsings,
            options.AllowUnsafe,
            options.MaxDiagnostics);
        _settingsKey = RoslynCompiler.Hash(RoslynCompiler.KeyParts(_settings));
        _cache = new CompiledAssemblyCache(options.MaxCachedCompilations);
    }

    /// <summary>How many compilations ran (the cache's misses).</summary>
    internal int Compilations => _cache.Compilations;

    /// <summary>The load context of the latest evaluation, weakly held: dead once it has unloaded.</summary>
    internal WeakReference? LastLoadContext => Volatile.Read(ref _lastLoadContext);

    /// <inheritdoc />
    public async ValueTask<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();

        var key = RoslynCompiler.Hash([_settingsKey, request.Code]);
        var code = request.Code;
        var compilation = _cache.GetOrCompile(key, () => RoslynCompiler.Compile(code, "candidate", _settings, CancellationToken.None), out _);
        CSharpCompileOutput compiled;
        try
        {
            compiled = compilation.IsCompletedSuccessfully ? compilation.Result : await compilation.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return EvaluationResult.Failure(EvaluationStatus.Crashed, $"the C# compiler failed: {e.GetType().FullName}: {e.Message}") with { Duration = _time.GetElapsedTime(started) };
        }

        var result = compiled.Succeeded
            ? await RunAsync(compiled.Assembly!, request, cancellationToken).ConfigureAwait(false)
            : EvaluationResult.Failure(
                EvaluationStatus.CompileError,
                $"the program does not compile ({compiled.ErrorCount} error{(compiled.ErrorCount == 1 ? string.Empty : "s")})",
                $"The program does not compile:\n{compiled.Errors}");
        return result.Duration == TimeSpan.Zero ? result with { Duration = _time.GetElapsedTime(started) } : result;
    }

    private async Task<EvaluationResult> RunAsync(byte[] image, EvaluationRequest request, CancellationToken cancellationToken)
    {
        var run = new CandidateRun(image, _score, _shared, $"Genesis candidate {request.CandidateId}", cancellationToken);
        Volatile.Write(ref _lastLoadContext, run.LoadContextReference);
        var completion = run.Start();
        var timeout = request.Timeout;
        try
        {
            return timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan
                ? await completion.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false)
                : await completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            run.Abandon();
            var seconds = MetricsReader.FormatSeconds(timeout);
            return EvaluationResult.Failure(
                EvaluationStatus.TimedOut,
                $"did not finish within {seconds} s; the in-process candidate's thread cannot be killed and was abandoned",
                $"The program did not finish within {seconds} s.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Abandon();
            throw;
        }
    }

    /// <summary>Turns an exception of the candidate or the scorer into a crashed result: type, message and top stack lines.</summary>
    internal static EvaluationResult Crash(Exception exception)
    {
        while (exception is TargetInvocationException or AggregateException { InnerExceptions.Count: 1 } && exception.InnerException is { } inner)
        {
            exception = inner;
        }

        var error = $"the candidate threw {exception.GetType().FullName}: {exception.Message}";
        var innermost = exception;
        for (var depth = 0; depth < 3 && innermost.InnerException is { } cause; depth++)
        {
            innermost = cause;
            error += $" ---> {cause.GetType().FullName}: {cause.Message}";
        }

        var stack = (innermost.StackTrace ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .TakeWhile(line => !HarnessFrames.Any(frame => line.Contains(frame, StringComparison.Ordinal)))
            .Take(MaxStackLines)
            .Select(line => "   " + line);
        var feedback = string.Join('\n', stack.Prepend(error));
        return EvaluationResult.Failure(EvaluationStatus.Crashed, error, feedback);
    }

    /// <summary>One evaluation on a candidate thread (see <see cref="CandidateThreads"/>), in its own collectible load context.</summary>
    private sealed class CandidateRun
    {
        private readonly object _gate = new();
        private readonly TaskCompletionSource<EvaluationResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _stop;
        private readonly Func<Assembly, CancellationToken, ValueTask<EvaluationResult>> _score;
        private byte[]? _image;
        private CandidateLoadContext? _loadContext;
        private bool _finished;

        public CandidateRun(
            byte[] image,
            Func<Assembly, CancellationToken, ValueTask<EvaluationResult>> score,
            IReadOnlyDictionary<string, Assembly> shared,
            string name,
            CancellationToken cancellationToken)
        {
            _image = image;
            _score = score;
            _loadContext = new CandidateLoadContext(name, shared);
            LoadContextReference = new WeakReference(_loadContext);
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        public WeakReference LoadContextReference { get; }

        public Task<EvaluationResult> Start()
        {
            CandidateThreads.Run(Main);
            return _done.Task;
        }

        /// <summary>Cancels the candidate's token, if it still runs; its thread is left to finish on its own.</summary>
        public void Abandon()
        {
            lock (_gate)
            {
                if (!_finished)
                {
                    try
                    {
                        _stop.Cancel();
                    }
                    catch (AggregateException)
                    {
                        // A callback the candidate registered on its token threw: it is abandoned all the same.
                    }
                }
            }
        }

        private void Main()
        {
            var result = EvaluationResult.Failure(EvaluationStatus.Crashed, "the candidate's run ended without a result");
            try
            {
                result = Execute();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                result = EvaluationResult.Failure(EvaluationStatus.TimedOut, "stopped on its cancellation token");
            }
            catch (Exception e)
            {
                result = Crash(e);
            }
            finally
            {
                lock (_gate)
                {
                    _finished = true;
                    _stop.Dispose();
                }

                // Nothing of the candidate is referenced any more: let the context go.
                _loadContext?.Unload();
                _loadContext = null;
                _image = null;
                _done.TrySetResult(result);
            }
        }

        /// <summary>Loads and scores the candidate. Not inlined, so that no reference to its assembly outlives the call.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private EvaluationResult Execute()
        {
            var assembly = _loadContext!.LoadFromStream(new MemoryStream(_image!, writable: false));
            var pending = _score(assembly, _stop.Token);
            var result = pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            if (result is null)
            {
                return EvaluationResult.Failure(EvaluationStatus.Crashed, "the scorer returned no result (null)");
            }

            return result.IsSuccess && !double.IsFinite(result.Score)
                ? EvaluationResult.Failure(EvaluationStatus.Invalid, $"the score is {result.Score}, not a finite number")
                : result;
        }
    }
}
