using Genesis.Execution;

namespace Genesis;

public static partial class Evaluators
{
    /// <summary>
    /// A cascade: each stage runs only when the previous one scored at least its threshold (and was correct); every
    /// stage's metrics are kept, prefixed with its name. See <see cref="CascadeEvaluator"/>.
    /// </summary>
    public static CascadeEvaluator Cascade(params CascadeStage[] stages) => new(stages);
}
