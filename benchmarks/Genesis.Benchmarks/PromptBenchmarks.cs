using BenchmarkDotNet.Attributes;
using Genesis.Prompts;
using Microsoft.Extensions.AI;

namespace Genesis.Benchmarks;

/// <summary>
/// Building the chat messages of one diff proposal: a 150-line Python parent with metrics and feedback, 4 inspirations of
/// the same size and 2 recent failures. Reference: <see cref="string.Concat(string[])"/> of the same texts, the cost of
/// copying the characters once (the floor for any prompt that contains them).
/// </summary>
[Config(typeof(ShortRunConfig))]
[MemoryDiagnoser]
public class PromptBenchmarks
{
    private readonly PromptBuilder _builder = new(new PromptTemplates());
    private MutationContext _context = null!;
    private string[] _texts = [];

    [GlobalSetup]
    public void Setup()
    {
        var parent = Fixtures.Evaluated(1_000, 2.531, Fixtures.PythonProgram(150, 110, 0), 0);
        var inspirations = Enumerable.Range(1, 4)
            .Select(v => Fixtures.Evaluated(1_000 + v, 2.5 + (v * 0.01), Fixtures.PythonProgram(150, 110, v), v))
            .ToList();
        _context = new MutationContext
        {
            Parent = parent,
            Inspirations = inspirations,
            Kind = MutationKind.Diff,
            TaskDescription = Fixtures.TaskDescription,
            Language = ProgramLanguage.Python,
            RecentFailures =
            [
                "candidate 998 (Diff) was Crashed: Traceback (most recent call last): IndexError: index 26 is out of bounds",
                "candidate 995 (Diff) was incorrect: circles 3 and 8 overlap by 2.1e-3",
            ],
            Random = new Random(3),
        };

        var templates = _builder.Templates;
        _texts =
        [
            templates.System, Fixtures.TaskDescription, templates.DiffInstructions,
            parent.Code, parent.Evaluation!.TextFeedback,
            .. inspirations.SelectMany(i => new[] { i.Code, i.Evaluation!.TextFeedback }),
            .. _context.RecentFailures,
        ];
    }

    [Benchmark(Baseline = true)]
    public string ConcatOfTheSameTexts() => string.Concat(_texts);

    [Benchmark]
    public List<ChatMessage> PromptBuilderBuild() => _builder.Build(_context, repairMode: false);
}
