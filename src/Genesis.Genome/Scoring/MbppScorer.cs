using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Genesis.Datasets;

namespace Genesis.Scoring;

/// <summary>
/// Scores Python answers to MBPP problems by running them, with the sample's asserts, through an
/// <see cref="IExecutionBackend"/>: 1 when every assert passes, 0 otherwise, with the failing assert, the exception's
/// last lines or the timeout as the reason.
/// </summary>
/// <remarks>
/// <para>The code is taken from the reply by <see cref="CodeExtraction"/>. Each answer runs in a fresh temporary folder
/// (deleted afterwards) as <c>python3 -B mbpp_harness.py</c>: the <see cref="MbppScorerOptions.Preamble"/>, the answer, the
/// sample's <see cref="TaskSample.TestSetupCode"/> and each of its <see cref="TaskSample.Tests"/>, in one namespace, under
/// <see cref="MbppScorerOptions.Timeout"/> for the whole run. Isolation (network, file system, memory) is the backend's
/// job; the harness only keeps the answer from forging the report.</para>
/// <para>A reply whose code fails is a score of 0. A Python that cannot start is an environment problem and throws
/// <see cref="ToolchainNotFoundException"/>, so that a broken set-up is not mistaken for a population of wrong answers.</para>
/// </remarks>
public sealed class MbppScorer : ITaskScorer
{
    private readonly MbppScorerOptions _options;
    private readonly IExecutionBackend _backend;

    /// <summary>Creates a scorer with the default options (the local backend, <c>python3</c>, 10 seconds).</summary>
    public MbppScorer()
        : this(new MbppScorerOptions())
    {
    }

    /// <summary>Creates a scorer; <paramref name="options"/> are validated and copied.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public MbppScorer(MbppScorerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        _backend = _options.Backend ?? Backends.Local();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The sample has no tests.</exception>
    /// <exception cref="ToolchainNotFoundException">The Python interpreter could not start.</exception>
    public async ValueTask<SampleScore> ScoreAsync(TaskSample sample, string modelOutput, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(modelOutput);
        if (sample.Tests.Count == 0)
        {
            throw new ArgumentException($"MBPP sample '{sample.Id}' has no tests.", nameof(sample));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var (code, how) = CodeExtraction.Extract(modelOutput, CodeExtraction.EntryPoint(sample.Tests));
        if (string.IsNullOrWhiteSpace(code))
        {
            return new SampleScore { Score = 0, ExtractedAnswer = null, Reason = "no code in the output" };
        }

        var folder = Path.Combine(_options.WorkingRoot ?? Path.GetTempPath(), "genesis-mbpp-" + RandomNumberGenerator.GetHexString(16, lowercase: true));
        Directory.CreateDirectory(folder);
        try
        {
            var marker = "GENESIS-MBPP-" + RandomNumberGenerator.GetHexString(24, lowercase: true);
            await WriteFilesAsync(folder, sample, code, cancellationToken).ConfigureAwait(false);
            var outcome = await _backend.RunAsync(
                new ProcessRequest
                {
                    FileName = _options.Python,
                    Arguments = ["-B", MbppHarness.ScriptName],
                    WorkingDirectory = folder,
                    Timeout = _options.Timeout,
                    MaxOutputBytes = _options.MaxOutputBytes,
                    StandardInput = marker + "\n",
                    Environment = new Dictionary<string, string?>(StringComparer.Ordinal)
                    {
                        ["PYTHONIOENCODING"] = "utf-8",
                        ["PYTHONDONTWRITEBYTECODE"] = "1",
                    },
                },
                cancellationToken).ConfigureAwait(false);
            return Interpret(outcome, marker, sample, code, how);
        }
        finally
        {
            TryDelete(folder);
        }
    }

    private async Task WriteFilesAsync(string folder, TaskSample sample, string code, CancellationToken cancellationToken)
    {
        var spec = JsonSerializer.Serialize(new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["preamble"] = _options.Preamble,
            ["setup"] = sample.TestSetupCode,
            ["tests"] = sample.Tests,
        });
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        await File.WriteAllTextAsync(Path.Combine(folder, MbppHarness.ScriptName), MbppHarness.Script, utf8, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, MbppHarness.SolutionName), code, utf8, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, MbppHarness.SpecName), spec, utf8, cancellationToken).ConfigureAwait(false);
    }

    private SampleScore Interpret(ProcessOutcome outcome, string marker, TaskSample sample, string code, string how)
    {
        if (outcome.StartError is not null)
        {
            throw new ToolchainNotFoundException(
                $"MBPP scoring could not start '{_options.Python}': {outcome.StartError}. Install Python 3 or set MbppScorerOptions.Python.");
        }

        SampleScore Fail(string reason) => new() { Score = 0, ExtractedAnswer = code, Reason = $"{reason} (code: {how})" };

        if (outcome.TimedOut)
        {
            return Fail(string.Create(CultureInfo.InvariantCulture, $"timed out after {_options.Timeout.TotalSeconds:0.###} s"));
        }

        var report = FindReport(outcome.StandardOutput, marker);
        var total = sample.Tests.Count;
        if (report is null)
        {
            var stderr = Tail(outcome.StandardError);
            return Fail(string.Create(
                CultureInfo.InvariantCulture,
                $"the process exited with code {outcome.ExitCode} without reporting a result{(stderr.Length > 0 ? ": " + stderr : string.Empty)}"));
        }

        using (report)
        {
            var root = report.RootElement;
            var status = root.TryGetProperty("status", out var s) ? s.GetString() : null;
            var error = root.TryGetProperty("error", out var e) ? Tail(e.GetString() ?? string.Empty) : string.Empty;
            var index = root.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : -1;
            switch (status)
            {
                case "passed" when outcome.ExitCode == 0:
                    return new SampleScore
                    {
                        Score = 1,
                        ExtractedAnswer = code,
                        Reason = string.Create(CultureInfo.InvariantCulture, $"all {total} asserts passed (code: {how})"),
                    };
                case "assert_failed" when index >= 0 && index < total:
                    return Fail(string.Create(CultureInfo.InvariantCulture, $"assert {index + 1} of {total} failed: {sample.Tests[index].Trim()}{(error.Length > 0 ? " — " + error : string.Empty)}"));
                case "assert_error" when index >= 0 && index < total:
                    return Fail(string.Create(CultureInfo.InvariantCulture, $"assert {index + 1} of {total} raised: {sample.Tests[index].Trim()} — {error}"));
                case "load_error":
                    return Fail("the code failed to load: " + error);
                case "setup_error":
                    return Fail("the test setup code failed after loading the code: " + error);
                default:
                    return Fail(string.Create(CultureInfo.InvariantCulture, $"unexpected harness report '{status}' with exit code {outcome.ExitCode}"));
            }
        }
    }

    private static JsonDocument? FindReport(string stdout, string marker)
    {
        var at = stdout.LastIndexOf(marker + " ", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var start = at + marker.Length + 1;
        var end = stdout.IndexOf('\n', start);
        var json = end < 0 ? stdout[start..] : stdout[start..end];
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Tail(string text)
    {
        var lines = text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var kept = string.Join(" | ", lines.TakeLast(4).Select(l => l.Trim()));
        return kept.Length <= 400 ? kept : "..." + kept[^397..];
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A process the backend could not reap may still hold a file; the temporary folder is left behind.
        }
        catch (UnauthorizedAccessException)
        {
            // The answer changed permissions inside its folder; the temporary folder is left behind.
        }
    }
}
