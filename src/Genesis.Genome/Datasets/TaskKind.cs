namespace Genesis.Datasets;

/// <summary>How the records of a task are laid out and which scorer reads the answers.</summary>
public enum TaskKind
{
    /// <summary>Grade-school maths (GSM8K): <c>question</c>, <c>answer</c> ending in <c>#### &lt;number&gt;</c>.</summary>
    Gsm8k,

    /// <summary>Multiple choice (MMLU, ARC-Challenge, CommonsenseQA): <c>question</c>, <c>choices</c>, <c>answer</c> or <c>answerKey</c>.</summary>
    MultipleChoice,

    /// <summary>Reading comprehension with discrete reasoning (DROP): <c>passage</c>, <c>question</c>, <c>answers_spans</c> or <c>answer</c>.</summary>
    Drop,

    /// <summary>Python programming problems (MBPP): <c>text</c> or <c>prompt</c>, <c>code</c>, <c>test_list</c>, <c>test_setup_code</c>.</summary>
    Mbpp,
}
