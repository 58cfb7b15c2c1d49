using Genesis.Datasets;

namespace Genesis.GenomeTests.Datasets;

public sealed class TaskDatasetTests
{
    [Fact]
    public void Loads_a_folder_of_split_files()
    {
        using var folder = new TempFolder();
        folder.Write(
            "train.jsonl",
            """{"question": "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?", "answer": "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\n#### 72"}""",
            """{"question": "Weng earns $12 an hour for babysitting. Yesterday, she just did 50 minutes of babysitting. How much did she earn?", "answer": "Weng earns 12/60 = $<<12/60=0.2>>0.2 per minute.\nWorking 50 minutes, she earned 0.2 x 50 = $<<0.2*50=10>>10.\n#### 10"}""");
        folder.Write(
            "valid.jsonl",
            """{"question": "A store sells a laptop for $1,250 and a monitor for $750. What do both cost?", "answer": "1,250 + 750 = 2,000\n#### 2,000"}""");
        folder.Write(
            "test.jsonl",
            """{"question": "Betty needs $100 and has half. How much more?", "answer": "#### 50"}""",
            string.Empty,
            """{"question": "What is 7 - 12?", "answer": "-5"}""");

        var dataset = TaskDataset.Load(folder.Path, TaskFormat.Gsm8k);

        Assert.Equal(2, dataset.Train.Count);
        Assert.Single(dataset.Validation);
        Assert.Equal(2, dataset.Test.Count);
        var first = dataset.Train[0];
        Assert.Equal("train-0", first.Id);
        Assert.Equal("72", Assert.Single(first.References).Text);
        Assert.Contains("Natalia sold clips to 48 of her friends", first.Prompt, StringComparison.Ordinal);
        Assert.Contains("#### <number>", first.Prompt, StringComparison.Ordinal);
        Assert.StartsWith("Natalia sold 48/2", first.Metadata["rationale"], StringComparison.Ordinal);
        Assert.Equal("train.jsonl:1", first.Metadata["source"]);
        Assert.Equal("2000", dataset.Validation[0].References[0].Text);
        Assert.Equal("-5", dataset.Test[1].References[0].Text);
        Assert.Equal("test.jsonl:3", dataset.Test[1].Metadata["source"]);
        Assert.Same(dataset.Validation, dataset.Get(DatasetSplit.Validation));
    }

    [Fact]
    public void Loads_one_file_with_a_split_field()
    {
        using var folder = new TempFolder();
        var file = folder.Write(
            "mmlu.jsonl",
            """{"split": "train", "question": "What is the powerhouse of the cell?", "subject": "high_school_biology", "choices": ["Nucleus", "Mitochondria", "Ribosome", "Golgi apparatus"], "answer": 1}""",
            """{"split": "dev", "question": "Which planet is largest?", "subject": "astronomy", "choices": ["Mars", "Venus", "Jupiter", "Earth"], "answer": 2}""",
            """{"split": "Validation", "question": "2 + 2 = ?", "choices": ["3", "4", "5", "22"], "answer": "B"}""",
            """{"split": "test", "question": "Water boils at sea level at?", "choices": ["90 C", "100 C", "110 C", "120 C"], "answer": 1}""");

        var dataset = TaskDataset.Load(file, TaskFormat.Mmlu);

        Assert.Single(dataset.Train);
        Assert.Equal(2, dataset.Validation.Count);
        Assert.Single(dataset.Test);
        var biology = dataset.Train[0];
        Assert.Equal("B", biology.References[0].Text);
        Assert.Equal(["Nucleus", "Mitochondria", "Ribosome", "Golgi apparatus"], biology.Choices);
        Assert.Equal("high_school_biology", biology.Metadata["subject"]);
        Assert.Contains("A. Nucleus\nB. Mitochondria\nC. Ribosome\nD. Golgi apparatus", biology.Prompt, StringComparison.Ordinal);
        Assert.Contains("A, B, C or D", biology.Prompt, StringComparison.Ordinal);
        Assert.Equal("C", dataset.Validation[0].References[0].Text);
        Assert.Equal("B", dataset.Validation[1].References[0].Text);
        Assert.Equal("validation-1", dataset.Validation[1].Id);
    }

    [Fact]
    public void Reads_arc_labels_and_relabels_them_as_letters()
    {
        using var folder = new TempFolder();
        folder.Write(
            "test.jsonl",
            """{"id": "Mercury_7175875", "question": "An astronomer observes that a planet rotates faster after a meteorite impact. Which is the most likely effect of this increase in rotation?", "choices": {"text": ["Planetary density will decrease.", "Planetary years will become longer.", "Planetary days will become shorter.", "Planetary gravity will become stronger."], "label": ["1", "2", "3", "4"]}, "answerKey": "3"}""",
            """{"id": "ACTAAP_2013_7_6", "question": "Which of these is a renewable resource?", "choices": {"text": ["coal", "wind", "oil"], "label": ["A", "B", "C"]}, "answerKey": "B"}""");

        var dataset = TaskDataset.Load(folder.Path, TaskFormat.ArcChallenge);

        Assert.Equal("Mercury_7175875", dataset.Test[0].Id);
        Assert.Equal("C", dataset.Test[0].References[0].Text);
        Assert.Contains("C. Planetary days will become shorter.", dataset.Test[0].Prompt, StringComparison.Ordinal);
        Assert.Equal(3, dataset.Test[1].Choices.Count);
        Assert.Contains("A, B or C", dataset.Test[1].Prompt, StringComparison.Ordinal);
        Assert.Empty(dataset.Train);
        Assert.Empty(dataset.Validation);
    }

    [Fact]
    public void Reads_commonsenseqa_in_its_original_and_hugging_face_layouts()
    {
        using var folder = new TempFolder();
        folder.Write(
            "validation.jsonl",
            """{"answerKey": "E", "id": "1afa02df02c908a558b4036e80242fac", "question": {"question_concept": "revolving door", "choices": [{"label": "A", "text": "bank"}, {"label": "B", "text": "library"}, {"label": "C", "text": "department store"}, {"label": "D", "text": "mall"}, {"label": "E", "text": "new york"}], "stem": "A revolving door is convenient for two direction travel, but it also serves as a security measure at a what?"}}""",
            """{"id": "075e483d21c29a511267ef62bedc0461", "question": "The sanctions against the school were a punishing blow, and they seemed to what the efforts the school had made to change?", "question_concept": "punishing", "choices": {"label": ["A", "B", "C", "D", "E"], "text": ["ignore", "enforce", "authoritarian", "yell at", "avoid"]}, "answerKey": "A"}""",
            """{"id": "dict-layout", "question": "Where do you keep milk?", "choices": {"A": "fridge", "B": "oven", "C": "drawer", "D": "garage", "E": "attic"}, "answer": "a"}""");

        var dataset = TaskDataset.Load(folder.Path, TaskFormat.CommonsenseQa);

        var original = dataset.Validation[0];
        Assert.Equal("E", original.References[0].Text);
        Assert.Equal("revolving door", original.Metadata["question_concept"]);
        Assert.StartsWith("Answer the following multiple-choice question", original.Prompt, StringComparison.Ordinal);
        Assert.Contains("A revolving door is convenient", original.Prompt, StringComparison.Ordinal);
        Assert.Contains("A, B, C, D or E", original.Prompt, StringComparison.Ordinal);
        Assert.Equal("A", dataset.Validation[1].References[0].Text);
        Assert.Equal(["fridge", "oven", "drawer", "garage", "attic"], dataset.Validation[2].Choices);
        Assert.Equal("A", dataset.Validation[2].References[0].Text);
    }

    [Fact]
    public void Reads_drop_answers_in_every_supported_shape()
    {
        using var folder = new TempFolder();
        folder.Write(
            "validation.jsonl",
            """{"section_id": "nfl_2201", "query_id": "f16c0ee7-f131-4a8b-a6ac-4d275ea68066", "passage": "To start the season, the Lions traveled south to Tampa, Florida to take on the Tampa Bay Buccaneers.", "question": "How many points did the Buccaneers need to tie in the first?", "answers_spans": {"spans": ["3", "three"], "types": ["number", "number"]}}""",
            """{"query_id": "q2", "passage": "Jason Campbell threw a touchdown to Zach Miller and JaMarcus Russell threw one to Chaz Schilens.", "question": "Which quarterbacks threw touchdown passes?", "answers": [["Jason Campbell", "JaMarcus Russell"], {"number": "", "date": {"day": "", "month": "", "year": ""}, "spans": ["Campbell", "Russell"]}]}""",
            """{"query_id": "q3", "passage": "The treaty was signed in May 1995.", "question": "When was the treaty signed?", "answer": {"number": "", "date": {"day": "", "month": "May", "year": "1995"}, "spans": []}, "validated_answers": [{"number": "", "date": {"day": "", "month": "", "year": ""}, "spans": ["May 1995"]}]}""",
            """{"query_id": "q4", "passage": "Janikowski kicked a 42-yard field goal.", "question": "How long was the field goal?", "ref_text": "42|42 yards|42-yard"}""");

        var dataset = TaskDataset.Load(folder.Path, TaskFormat.Drop);

        var first = dataset.Validation[0];
        Assert.Equal("f16c0ee7-f131-4a8b-a6ac-4d275ea68066", first.Id);
        Assert.Equal(["3", "three"], first.References.Select(r => r.Text));
        Assert.Contains("Passage: To start the season", first.Prompt, StringComparison.Ordinal);
        Assert.Contains("Question: How many points", first.Prompt, StringComparison.Ordinal);
        var multi = dataset.Validation[1].References;
        Assert.Equal(2, multi.Count);
        Assert.Equal(["Jason Campbell", "JaMarcus Russell"], multi[0].Spans);
        Assert.Equal(["Campbell", "Russell"], multi[1].Spans);
        Assert.Equal(["May 1995"], dataset.Validation[2].References.Select(r => r.Text));
        Assert.Equal(["42", "42 yards", "42-yard"], dataset.Validation[3].References.Select(r => r.Text));
    }

    [Fact]
    public void Reads_mbpp_with_setup_code_and_imports()
    {
        using var folder = new TempFolder();
        folder.Write(
            "test.jsonl",
            """{"task_id": 11, "text": "Write a python function to remove first and last occurrence of a given character from the string.", "code": "def remove_Occ(s,ch): \r\n    for i in range(len(s)): \r\n        if (s[i] == ch): \r\n            s = s[0 : i] + s[i + 1:] \r\n            break\r\n    return s ", "test_list": ["assert remove_Occ(\"hello\",\"l\") == \"heo\"", "assert remove_Occ(\"abcda\",\"a\") == \"bcd\"", "assert remove_Occ(\"PHP\",\"P\") == \"H\""], "test_setup_code": "", "challenge_test_list": []}""",
            """{"task_id": 12, "prompt": "Write a function to find the volume of a cone.", "code": "import math\ndef volume_cone(r,h):\n  return (1.0/3) * math.pi * r * r * h", "test_imports": ["import math"], "test_list": ["assert math.isclose(volume_cone(5,12), 314.15926535897927, rel_tol=0.001)"], "test_setup_code": "TOLERANCE = 0.001"}""");

        var dataset = TaskDataset.Load(folder.Path, TaskFormat.Mbpp);

        var first = dataset.Test[0];
        Assert.Equal("11", first.Id);
        Assert.Equal(3, first.Tests.Count);
        Assert.Equal(string.Empty, first.TestSetupCode);
        Assert.Empty(first.References);
        Assert.StartsWith("def remove_Occ", first.Metadata["code"], StringComparison.Ordinal);
        Assert.Contains("remove first and last occurrence", first.Prompt, StringComparison.Ordinal);
        Assert.Contains("assert remove_Occ(\"PHP\",\"P\") == \"H\"", first.Prompt, StringComparison.Ordinal);
        Assert.Equal("import math\nTOLERANCE = 0.001", dataset.Test[1].TestSetupCode);
    }

    [Theory]
    [InlineData("""{"question": "q", "answer": "#### 3"}""", """{"question": "q2" "answer": "#### 4"}""", "line 2: invalid JSON")]
    [InlineData("""{"question": "q", "answer": "#### 3"}""", """{"question": "q2"}""", "line 2: missing field 'answer' (GSM8K records need question, answer)")]
    [InlineData("""{"question": "q", "answer": "She has 5 apples."}""", "", "line 1: field 'answer' has no final '#### <number>' and is not a number: 'She has 5 apples.'")]
    [InlineData("""{"question": "q", "answer": "#### five"}""", "", "line 1: the answer's final '####' is followed by 'five', not a number")]
    [InlineData("""["question", "answer"]""", "", "line 1: a record must be a JSON object, was an array")]
    [InlineData("""{"question": 12, "answer": "#### 3"}""", "", "line 1: field 'question' must be a string, was a number")]
    [InlineData("""{"id": "a", "question": "q", "answer": "#### 3"}""", """{"id": "a", "question": "q", "answer": "#### 3"}""", "line 2: duplicate id 'a' in the train split (first on line 1)")]
    public void A_bad_line_names_the_file_the_line_and_the_problem(string line1, string line2, string expected)
    {
        using var folder = new TempFolder();
        var file = folder.Write("train.jsonl", line1, line2);

        var error = Assert.Throws<DatasetFormatException>(() => TaskDataset.Load(folder.Path, TaskFormat.Gsm8k));

        Assert.StartsWith(file + " " + expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(file, error.FilePath);
        Assert.True(error.LineNumber > 0);
    }

    [Theory]
    [InlineData("""{"question": "q", "choices": ["a", "b", "c", "d"], "answer": 4}""", "field 'answer' is 4, outside the options 0 to 3")]
    [InlineData("""{"question": "q", "choices": {"text": ["a", "b"], "label": ["1", "2"]}, "answerKey": "7"}""", "field 'answerKey' is '7', which matches none of the options (labels 1, 2)")]
    [InlineData("""{"question": "q", "choices": ["only one"], "answer": 0}""", "field 'choices' must hold at least 2 options, held 1")]
    [InlineData("""{"question": "q", "choices": "a, b, c", "answer": 0}""", "field 'choices' must be a list of options or an object, was a string")]
    [InlineData("""{"question": "q", "choices": ["a", 2], "answer": 0}""", "field 'choices' must be an array of strings, item 1 was a number")]
    [InlineData("""{"question": "q", "choices": ["a", "b"]}""", "missing field 'answer' or 'answerKey' (multiple-choice records need question, choices, answer or answerKey)")]
    public void Multiple_choice_errors_say_what_is_wrong(string line, string expected)
    {
        using var folder = new TempFolder();
        var file = folder.Write("test.jsonl", line);

        var error = Assert.Throws<DatasetFormatException>(() => TaskDataset.Load(folder.Path, TaskFormat.Mmlu));

        Assert.Equal(file + " line 1: " + expected, error.Message);
        Assert.Equal(expected, error.Problem);
    }

    [Theory]
    [InlineData("""{"passage": "p", "question": "q"}""", TaskKind.Drop, "missing answers (DROP records need passage, question, and answers_spans, answers, answer or ref_text)")]
    [InlineData("""{"passage": "p", "question": "q", "answers": "3"}""", TaskKind.Drop, "field 'answers' must be an array of answers, was a string")]
    [InlineData("""{"passage": "p", "question": "q", "answer": ""}""", TaskKind.Drop, "the record's answers are all empty")]
    [InlineData("""{"text": "t", "test_list": []}""", TaskKind.Mbpp, "field 'test_list' is empty; an MBPP record needs at least one assert")]
    [InlineData("""{"text": "t"}""", TaskKind.Mbpp, "missing field 'test_list' (MBPP records need text or prompt, and test_list)")]
    [InlineData("""{"test_list": ["assert f() == 1"]}""", TaskKind.Mbpp, "missing field 'text' or 'prompt' (MBPP records need text or prompt, and test_list)")]
    public void Drop_and_mbpp_errors_say_what_is_wrong(string line, TaskKind kind, string expected)
    {
        using var folder = new TempFolder();
        folder.Write("validation.jsonl", line);
        var format = kind == TaskKind.Drop ? TaskFormat.Drop : TaskFormat.Mbpp;

        var error = Assert.Throws<DatasetFormatException>(() => TaskDataset.Load(folder.Path, format));

        Assert.Equal(expected, error.Problem);
        Assert.Equal(1, error.LineNumber);
    }

    [Fact]
    public void A_single_file_needs_a_known_split_on_every_record()
    {
        using var folder = new TempFolder();
        var missing = folder.Write("missing.jsonl", """{"split": "train", "question": "q", "answer": "#### 1"}""", """{"question": "q", "answer": "#### 2"}""");
        var unknown = folder.Write("unknown.jsonl", """{"split": "holdout", "question": "q", "answer": "#### 1"}""");

        var noSplit = Assert.Throws<DatasetFormatException>(() => TaskDataset.Load(missing, TaskFormat.Gsm8k));
        var badSplit = Assert.Throws<DatasetFormatException>(() => TaskDataset.Load(unknown, TaskFormat.Gsm8k));

        Assert.StartsWith(missing + " line 2: missing string field 'split'", noSplit.Message, StringComparison.Ordinal);
        Assert.Equal(unknown + " line 1: field 'split' is 'holdout'; use train, validation (valid, val, dev) or test", badSplit.Message);
    }

    [Fact]
    public void Folder_layout_problems_are_reported()
    {
        using var empty = new TempFolder();
        using var twice = new TempFolder();
        twice.Write("valid.jsonl", """{"question": "q", "answer": "#### 1"}""");
        twice.Write("validation.jsonl", """{"question": "q", "answer": "#### 1"}""");

        var none = Assert.Throws<FileNotFoundException>(() => TaskDataset.Load(empty.Path, TaskFormat.Gsm8k));
        var ambiguous = Assert.Throws<ArgumentException>(() => TaskDataset.Load(twice.Path, TaskFormat.Gsm8k));
        var absent = Assert.Throws<FileNotFoundException>(() => TaskDataset.Load(Path.Combine(empty.Path, "nope"), TaskFormat.Gsm8k));

        Assert.Contains("holds none of train.jsonl, validation.jsonl, valid.jsonl, val.jsonl, dev.jsonl, test.jsonl", none.Message, StringComparison.Ordinal);
        Assert.Contains("holds validation.jsonl and valid.jsonl; keep one validation file", ambiguous.Message, StringComparison.Ordinal);
        Assert.Contains("is neither a folder nor a file", absent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_template_is_used_and_unknown_placeholders_are_rejected()
    {
        using var folder = new TempFolder();
        folder.Write("test.jsonl", """{"question": "What is 6 x 7?", "answer": "#### 42"}""");
        var terse = TaskFormat.Gsm8k with { PromptTemplate = "Q: {question}\nA:" };
        var wrong = TaskFormat.Gsm8k with { PromptTemplate = "{passage}\n{question}" };

        var dataset = TaskDataset.Load(folder.Path, terse);
        var error = Assert.Throws<ArgumentException>(() => TaskDataset.Load(folder.Path, wrong));

        Assert.Equal("Q: What is 6 x 7?\nA:", dataset.Test[0].Prompt);
        Assert.Contains("uses {passage}, which a Gsm8k record does not fill; use {question}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sub_sampling_is_deterministic_for_a_seed_and_keeps_file_order()
    {
        var samples = Enumerable.Range(0, 500).Select(i => new TaskSample { Id = $"s{i}", Prompt = "p", References = ["1"] }).ToArray();
        var dataset = new TaskDataset(TaskFormat.Gsm8k, [], samples, []);

        var first = dataset.Subsample(DatasetSplit.Validation, 200, seed: 42);
        var again = dataset.Subsample(DatasetSplit.Validation, 200, seed: 42);
        var other = dataset.Subsample(DatasetSplit.Validation, 200, seed: 43);

        Assert.Equal(200, first.Count);
        Assert.Equal(first.Select(s => s.Id), again.Select(s => s.Id));
        Assert.NotEqual(first.Select(s => s.Id), other.Select(s => s.Id));
        Assert.Equal(200, first.Select(s => s.Id).Distinct().Count());
        var positions = first.Select(s => int.Parse(s.Id[1..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void Sub_sampling_is_pinned_across_machines_and_runtimes()
    {
        var samples = Enumerable.Range(0, 20).Select(i => new TaskSample { Id = $"s{i}", Prompt = "p", References = ["1"] }).ToArray();

        var chosen = TaskDataset.Subsample(samples, 5, seed: 42).Select(s => s.Id);

        Assert.Equal(PinnedDraw, chosen);
    }

    [Fact]
    public void Sub_sampling_edge_cases()
    {
        var samples = Enumerable.Range(0, 10).Select(i => new TaskSample { Id = $"s{i}", Prompt = "p", References = ["1"] }).ToArray();

        Assert.Equal(samples, TaskDataset.Subsample(samples, 10, 1));
        Assert.Equal(samples, TaskDataset.Subsample(samples, 500, 1));
        Assert.Empty(TaskDataset.Subsample(samples, 0, 1));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TaskDataset.Subsample(samples, -1, 1));
        Assert.Contains("count must be at least 0, was -1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sub_sampling_draws_every_sample_about_equally_often()
    {
        var samples = Enumerable.Range(0, 10).Select(i => new TaskSample { Id = $"s{i}", Prompt = "p", References = ["1"] }).ToArray();
        var counts = new int[10];

        for (var seed = 0; seed < 2000; seed++)
        {
            foreach (var sample in TaskDataset.Subsample(samples, 3, seed))
            {
                counts[int.Parse(sample.Id[1..], System.Globalization.CultureInfo.InvariantCulture)]++;
            }
        }

        // Expected 600 each; the seeds are fixed, so this is a deterministic check of the shuffle, not a flaky statistic.
        Assert.All(counts, c => Assert.InRange(c, 520, 680));
    }

    // Checked against an independent Python implementation of SplitMix64 with the same seeding and Lemire bound.
    private static readonly string[] PinnedDraw = ["s0", "s10", "s12", "s15", "s18"];
}
