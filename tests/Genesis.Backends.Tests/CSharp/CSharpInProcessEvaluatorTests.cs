using System.Reflection;
using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.CSharp;

/// <summary>Holds an in-process candidate in a loop until the test lets it go (a candidate that does not stop by itself).</summary>
public static class SpinGate
{
    private static int _released;

    public static bool Released => Volatile.Read(ref _released) != 0;

    public static void Release() => Volatile.Write(ref _released, 1);
}

/// <summary>A host type that candidates implement, to show that the candidate and the host share types.</summary>
public interface IShape
{
    double Area();
}

public sealed class CSharpInProcessEvaluatorTests : IDisposable
{
    private const string ScoreTwoAndAHalf =
        """
        public static class Candidate
        {
            public static double Score() => 2.5;
        }
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private EvaluationRequest Request(string code, TimeSpan? timeout = null) => new()
    {
        CandidateId = 7,
        Code = code,
        Language = ProgramLanguage.CSharp,
        WorkingDirectory = _folder.Path,
        Backend = new FakeBackend(),
        Timeout = timeout ?? TimeSpan.FromMinutes(2),
    };

    private static CSharpInProcessEvaluator ScoreEvaluator(CSharpInProcessOptions? options = null) =>
        Evaluators.CSharpInProcess<Func<double>>("Candidate.Score", (score, _) => EvaluationResult.Success(score()), options);

    [Fact]
    public async Task A_candidate_is_compiled_loaded_and_scored_through_its_typed_entry_point()
    {
        var result = await ScoreEvaluator().EvaluateAsync(Request(ScoreTwoAndAHalf));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(2.5, result.Score);
        Assert.True(result.Correct);
        Assert.True(result.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task Implicit_usings_and_the_newest_language_features_are_available()
    {
        const string code =
            """
            namespace Chosen.By.TheModel;

            public static class Candidate
            {
                public static double Score()
                {
                    List<int> values = [1, 2, 3, 4];
                    return values.Where(v => v % 2 == 0).Sum() switch { 6 => 1.0, _ => 0.0 };
                }
            }
            """;

        var result = await ScoreEvaluator().EvaluateAsync(Request(code));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(1.0, result.Score);
    }

    [Fact]
    public async Task A_compile_error_is_reported_with_line_column_and_message_as_feedback()
    {
        const string code =
            """
            public static class Candidate
            {
                public static double Score() => 1.0
            }
            """;

        var result = await ScoreEvaluator().EvaluateAsync(Request(code));

        Assert.Equal(EvaluationStatus.CompileError, result.Status);
        Assert.Equal("the program does not compile (1 error)", result.Error);
        Assert.Equal("The program does not compile:\n3:40: error CS1002: ; expected", result.TextFeedback);
        Assert.False(result.Correct);
    }

    [Fact]
    public async Task Compile_errors_are_capped_and_the_rest_counted()
    {
        var code = "public static class Candidate { public static double Score() => 1.0; }\n"
            + string.Concat(Enumerable.Range(0, 5).Select(i => $"class Broken{i} {{ int x = \"text\"; }}\n"));

        var result = await ScoreEvaluator(new CSharpInProcessOptions { MaxDiagnostics = 2 }).EvaluateAsync(Request(code));

        Assert.Equal(EvaluationStatus.CompileError, result.Status);
        Assert.Equal("the program does not compile (5 errors)", result.Error);
        var lines = result.TextFeedback.Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("2:", lines[1], StringComparison.Ordinal);
        Assert.Contains("error CS0029", lines[1], StringComparison.Ordinal);
        Assert.Equal("... and 3 more errors", lines[3]);
    }

    [Fact]
    public async Task A_missing_entry_point_names_the_signature_the_task_expects()
    {
        var missingClass = await ScoreEvaluator().EvaluateAsync(Request("public static class Solver { public static double Score() => 1; }"));
        var missingMethod = await ScoreEvaluator().EvaluateAsync(Request("public static class Candidate { public static double Rate() => 1; }"));
        var wrongSignature = await ScoreEvaluator().EvaluateAsync(Request("public static class Candidate { public static int Score(int[] x) => 1; }"));

        Assert.All([missingClass, missingMethod, wrongSignature], r => Assert.Equal(EvaluationStatus.CompileError, r.Status));
        Assert.Equal("The program must define a static method double Score() in a class Candidate; no class Candidate was found.", missingClass.TextFeedback);
        Assert.Equal("The program must define a static method double Score() in a class Candidate; Candidate has no static method Score.", missingMethod.TextFeedback);
        Assert.Equal("The program must define a static method double Score() in a class Candidate; found int Score(int[]) instead.", wrongSignature.TextFeedback);
        Assert.Equal("entry point Candidate.Score not found", wrongSignature.Error);
    }

    [Fact]
    public async Task An_exception_from_the_candidate_is_a_crash_with_type_message_and_top_stack_lines()
    {
        const string code =
            """
            public static class Candidate
            {
                public static double Score() => Helper(3);

                private static double Helper(int depth) =>
                    depth == 0 ? throw new InvalidOperationException("the grid has no solution") : Helper(depth - 1);
            }
            """;

        var result = await ScoreEvaluator().EvaluateAsync(Request(code));

        Assert.Equal(EvaluationStatus.Crashed, result.Status);
        Assert.Equal("the candidate threw System.InvalidOperationException: the grid has no solution", result.Error);
        var lines = result.TextFeedback.Split('\n');
        Assert.Equal(result.Error, lines[0]);
        Assert.Contains("at Candidate.Helper(Int32 depth) in candidate.cs:line 6", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, line => line.Contains("CandidateRun", StringComparison.Ordinal));
        Assert.InRange(lines.Length, 2, 9);
    }

    [Fact]
    public async Task A_candidate_that_does_not_stop_times_out_and_its_context_unloads_once_it_returns()
    {
        const string code =
            """
            public static class Candidate
            {
                public static double Score()
                {
                    while (!Genesis.Execution.Tests.CSharp.SpinGate.Released)
                    {
                        Thread.Sleep(1);
                    }

                    return 1;
                }
            }
            """;
        var evaluator = ScoreEvaluator();

        var result = await evaluator.EvaluateAsync(Request(code, TimeSpan.FromMilliseconds(200)));

        Assert.Equal(EvaluationStatus.TimedOut, result.Status);
        Assert.Equal("The program did not finish within 0.2 s.", result.TextFeedback);
        Assert.Contains("abandoned", result.Error, StringComparison.Ordinal);
        var context = evaluator.LastLoadContext!;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.True(context.IsAlive, "the abandoned thread still runs the candidate, so its context cannot unload yet");

        SpinGate.Release();
        await WaitUntilCollectedAsync(context);
    }

    [Fact]
    public async Task The_load_context_unloads_after_a_normal_evaluation()
    {
        var evaluator = ScoreEvaluator();

        var result = await evaluator.EvaluateAsync(Request(ScoreTwoAndAHalf));

        Assert.True(result.IsSuccess);
        await WaitUntilCollectedAsync(evaluator.LastLoadContext!);
    }

    [Fact]
    public async Task The_load_context_unloads_after_a_crash_too()
    {
        var evaluator = ScoreEvaluator();

        var result = await evaluator.EvaluateAsync(Request("public static class Candidate { public static double Score() => throw new Exception(\"no\"); }"));

        Assert.Equal(EvaluationStatus.Crashed, result.Status);
        await WaitUntilCollectedAsync(evaluator.LastLoadContext!);
    }

    [Fact]
    public async Task A_candidate_that_changes_its_threads_culture_does_not_change_it_for_later_candidates()
    {
        const string changer =
            """
            using System.Globalization;

            public static class Candidate
            {
                public static double Score()
                {
                    var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
                    comma.NumberFormat.NumberDecimalSeparator = ",";
                    CultureInfo.CurrentCulture = comma;
                    return 1;
                }
            }
            """;
        const string reader =
            """
            public static class Candidate
            {
                public static double Score() => System.Globalization.CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator == "," ? 0 : 1;
            }
            """;
        var evaluator = ScoreEvaluator();

        var changed = await evaluator.EvaluateAsync(Request(changer));
        var later = new List<EvaluationResult>();
        for (var i = 0; i < 2 * Environment.ProcessorCount; i++)
        {
            later.Add(await evaluator.EvaluateAsync(Request(reader)));
        }

        Assert.Equal(1, changed.Score);
        Assert.All(later, r => Assert.Equal(1, r.Score));
    }

    [Fact]
    public async Task An_unchanged_candidate_is_compiled_once()
    {
        var evaluator = ScoreEvaluator();

        var first = await evaluator.EvaluateAsync(Request(ScoreTwoAndAHalf));
        var second = await evaluator.EvaluateAsync(Request(ScoreTwoAndAHalf));
        var broken = await evaluator.EvaluateAsync(Request("class {"));
        var brokenAgain = await evaluator.EvaluateAsync(Request("class {"));
        var other = await evaluator.EvaluateAsync(Request(ScoreTwoAndAHalf.Replace("2.5", "3.5", StringComparison.Ordinal)));

        Assert.Equal(2.5, first.Score);
        Assert.Equal(2.5, second.Score);
        Assert.Equal(EvaluationStatus.CompileError, broken.Status);
        Assert.Equal(broken.TextFeedback, brokenAgain.TextFeedback);
        Assert.Equal(3.5, other.Score);
        Assert.Equal(3, evaluator.Compilations);
    }

    [Fact]
    public async Task Concurrent_evaluations_of_one_candidate_share_one_compilation()
    {
        var evaluator = ScoreEvaluator();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => evaluator.EvaluateAsync(Request(ScoreTwoAndAHalf)).AsTask()));

        Assert.All(results, r => Assert.Equal(2.5, r.Score));
        Assert.Equal(1, evaluator.Compilations);
    }

    [Fact]
    public async Task The_least_recently_used_compilation_is_dropped_beyond_the_capacity()
    {
        var evaluator = ScoreEvaluator(new CSharpInProcessOptions { MaxCachedCompilations = 1 });
        var other = ScoreTwoAndAHalf.Replace("2.5", "1.5", StringComparison.Ordinal);

        await evaluator.EvaluateAsync(Request(ScoreTwoAndAHalf));
        await evaluator.EvaluateAsync(Request(other));
        var again = await evaluator.EvaluateAsync(Request(ScoreTwoAndAHalf));

        Assert.Equal(2.5, again.Score);
        Assert.Equal(3, evaluator.Compilations);
    }

    [Fact]
    public async Task The_scorer_gets_the_assembly_when_it_wants_to_find_things_itself()
    {
        var evaluator = Evaluators.CSharpInProcess((assembly, _) =>
        {
            var names = assembly.GetTypes().Select(t => t.Name).Where(n => n.StartsWith("Step", StringComparison.Ordinal)).Order().ToList();
            return ValueTask.FromResult(EvaluationResult.Success(names.Count, textFeedback: string.Join(",", names)));
        });

        var result = await evaluator.EvaluateAsync(Request("class StepOne { } class StepTwo { } class Other { }"));

        Assert.Equal(2, result.Score);
        Assert.Equal("StepOne,StepTwo", result.TextFeedback);
    }

    [Fact]
    public async Task An_asynchronous_scorer_is_awaited_on_the_candidates_thread()
    {
        var evaluator = Evaluators.CSharpInProcess(async (assembly, token) =>
        {
            await Task.Delay(1, token);
            var method = assembly.GetType("Candidate")!.GetMethod("Score")!;
            return EvaluationResult.Success((double)method.Invoke(null, null)!);
        });

        var result = await evaluator.EvaluateAsync(Request(ScoreTwoAndAHalf));

        Assert.Equal(2.5, result.Score);
    }

    [Fact]
    public async Task An_exception_through_reflection_is_unwrapped()
    {
        var evaluator = Evaluators.CSharpInProcess((assembly, _) =>
            ValueTask.FromResult(EvaluationResult.Success((double)assembly.GetType("Candidate")!.GetMethod("Score")!.Invoke(null, null)!)));

        var result = await evaluator.EvaluateAsync(Request("public static class Candidate { public static double Score() => throw new ArgumentException(\"bad\"); }"));

        Assert.Equal(EvaluationStatus.Crashed, result.Status);
        Assert.Equal("the candidate threw System.ArgumentException: bad", result.Error);
    }

    [Fact]
    public async Task The_candidate_shares_the_hosts_types()
    {
        const string code =
            """
            using Genesis.Execution.Tests.CSharp;

            public sealed class Square(double side) : IShape
            {
                public double Area() => side * side;
            }

            public static class Candidate
            {
                public static IShape Make() => new Square(3);
            }
            """;
        var evaluator = Evaluators.CSharpInProcess<Func<IShape>>(
            "Candidate.Make",
            (make, _) => EvaluationResult.Success(make().Area()),
            new CSharpInProcessOptions { References = [typeof(IShape).Assembly] });

        var result = await evaluator.EvaluateAsync(Request(code));

        Assert.Equal(EvaluationStatus.Succeeded, result.Status);
        Assert.Equal(9, result.Score);
    }

    [Fact]
    public async Task Additional_sources_are_compiled_with_the_candidate()
    {
        var options = new CSharpInProcessOptions
        {
            AdditionalSources = new Dictionary<string, string> { ["helpers.cs"] = "public static class Helpers { public static double Half(double x) => x / 2; }" },
        };

        var result = await ScoreEvaluator(options).EvaluateAsync(Request("public static class Candidate { public static double Score() => Helpers.Half(5); }"));
        var broken = await ScoreEvaluator(new CSharpInProcessOptions
        {
            AdditionalSources = new Dictionary<string, string> { ["helpers.cs"] = "public static class Helpers { oops }" },
        }).EvaluateAsync(Request(ScoreTwoAndAHalf));

        Assert.Equal(2.5, result.Score);
        Assert.Equal(EvaluationStatus.CompileError, broken.Status);
        Assert.Contains("helpers.cs:1:", broken.TextFeedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_finite_score_is_invalid()
    {
        var result = await ScoreEvaluator().EvaluateAsync(Request("public static class Candidate { public static double Score() => double.NaN; }"));

        Assert.Equal(EvaluationStatus.Invalid, result.Status);
        Assert.Equal("the score is NaN, not a finite number", result.Error);
    }

    [Fact]
    public async Task The_callers_token_reaches_the_scorer_and_cancels_the_evaluation()
    {
        using var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken seen = default;
        var evaluator = Evaluators.CSharpInProcess<Func<double>>("Candidate.Score", (score, token) =>
        {
            seen = token;
            started.SetResult();
            token.WaitHandle.WaitOne();
            token.ThrowIfCancellationRequested();
            return EvaluationResult.Success(score());
        });

        var evaluation = evaluator.EvaluateAsync(Request(ScoreTwoAndAHalf), cancel.Token).AsTask();
        await started.Task;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => evaluation);
        Assert.True(seen.IsCancellationRequested);
    }

    [Fact]
    public async Task An_already_cancelled_token_throws_before_anything_compiles()
    {
        var evaluator = ScoreEvaluator();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => evaluator.EvaluateAsync(Request(ScoreTwoAndAHalf), new CancellationToken(canceled: true)).AsTask());
        Assert.Equal(0, evaluator.Compilations);
    }

    [Theory]
    [InlineData("Score")]
    [InlineData("Candidate.")]
    [InlineData(".Score")]
    [InlineData("Candidate .Score")]
    public void A_malformed_entry_point_is_the_callers_mistake(string entryPoint)
    {
        var error = Assert.Throws<ArgumentException>(() => Evaluators.CSharpInProcess<Func<double>>(entryPoint, (score, _) => EvaluationResult.Success(score())));

        Assert.Equal("entryPoint", error.ParamName);
        Assert.StartsWith("CSharpInProcess: entryPoint must name a type and its static method", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_are_validated_with_a_message_naming_the_option()
    {
        var cache = Assert.Throws<ArgumentOutOfRangeException>(() => ScoreEvaluator(new CSharpInProcessOptions { MaxCachedCompilations = 0 }));
        var diagnostics = Assert.Throws<ArgumentOutOfRangeException>(() => ScoreEvaluator(new CSharpInProcessOptions { MaxDiagnostics = 1001 }));
        var source = Assert.Throws<ArgumentException>(() => ScoreEvaluator(new CSharpInProcessOptions
        {
            AdditionalSources = new Dictionary<string, string> { ["candidate.cs"] = "class A { }" },
        }));

        Assert.StartsWith("CSharpInProcessOptions.MaxCachedCompilations must be between 1 and 65536, was 0.", cache.Message, StringComparison.Ordinal);
        Assert.StartsWith("CSharpInProcessOptions.MaxDiagnostics must be between 1 and 1000, was 1001.", diagnostics.Message, StringComparison.Ordinal);
        Assert.Equal("AdditionalSources", source.ParamName);
        Assert.Equal("References", Assert.Throws<ArgumentNullException>(() => ScoreEvaluator(new CSharpInProcessOptions { References = null! })).ParamName);
    }

    [Fact]
    public async Task Options_are_copied_when_the_evaluator_is_created()
    {
        var options = new CSharpInProcessOptions { ImplicitUsings = true };
        var evaluator = ScoreEvaluator(options);

        options.ImplicitUsings = false;
        var result = await evaluator.EvaluateAsync(Request("public static class Candidate { public static double Score() => new List<double> { 4 }.Sum(); }"));

        Assert.Equal(4, result.Score);
    }

    [Fact]
    public void Signatures_are_described_in_csharp_terms()
    {
        Assert.Equal("int[] Sort(int[], Comparison<int>)", EntryPointBinder.Signature<Func<int[], Comparison<int>, int[]>>("Sort"));
        Assert.Equal("void Run(List<string>, double?, long[,])", EntryPointBinder.Signature<Action<List<string>, double?, long[,]>>("Run"));
        Assert.Equal("Dictionary<string, Assembly> Load()", EntryPointBinder.Signature<Func<Dictionary<string, Assembly>>>("Load"));
    }

    private static Task WaitUntilCollectedAsync(WeakReference context) =>
        Processes.WaitUntilAsync(
            () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                return !context.IsAlive;
            },
            "the candidate's load context to unload");
}
