using System.Text;
using System.Text.Json;
using Genesis.Scoring;

namespace Genesis.Datasets;

/// <summary>Turns one JSON record into a <see cref="TaskSample"/> following a <see cref="TaskFormat"/>; see its remarks for the fields.</summary>
internal static class RecordParser
{
    private const string Gsm8kNeeds = "GSM8K records need question, answer";
    private const string ChoiceNeeds = "multiple-choice records need question, choices, answer or answerKey";
    private const string DropNeeds = "DROP records need passage, question, and answers_spans, answers, answer or ref_text";
    private static readonly string[] DateParts = ["day", "month", "year"];
    private static readonly string[] MetadataFields = ["subject", "question_concept"];

    private const string MbppNeeds = "MBPP records need text or prompt, and test_list";

    /// <summary>Parses <paramref name="record"/>; <paramref name="defaultId"/> is used when it has no id field.</summary>
    /// <exception cref="RecordException">The record does not fit the format; the message says which field and why.</exception>
    public static TaskSample Parse(JsonElement record, TaskFormat format, string defaultId, string source)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            throw new RecordException($"a record must be a JSON object, was {JsonFields.Kind(record)}");
        }

        var id = JsonFields.Id(record) ?? defaultId;
        if (id.Length == 0)
        {
            throw new RecordException("the id field is empty");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["source"] = source };
        return format.Kind switch
        {
            TaskKind.Gsm8k => Gsm8k(record, format, id, metadata),
            TaskKind.MultipleChoice => MultipleChoice(record, format, id, metadata),
            TaskKind.Drop => Drop(record, format, id, metadata),
            _ => Mbpp(record, format, id, metadata),
        };
    }

    private static TaskSample Gsm8k(JsonElement record, TaskFormat format, string id, Dictionary<string, string> metadata)
    {
        var question = JsonFields.RequiredString(record, Gsm8kNeeds, "question");
        var answer = JsonFields.Text(JsonFields.Required(record, Gsm8kNeeds, "answer"), "answer");
        var marker = answer.LastIndexOf("####", StringComparison.Ordinal);
        var final = marker >= 0 ? answer[(marker + 4)..] : answer;
        if (!Numbers.TryParseWhole(final, out var value))
        {
            throw new RecordException(marker >= 0
                ? $"the answer's final '####' is followed by '{Shorten(final.Trim())}', not a number"
                : $"field 'answer' has no final '#### <number>' and is not a number: '{Shorten(answer)}'");
        }

        if (marker > 0)
        {
            metadata["rationale"] = answer[..marker].Trim();
        }

        return new TaskSample
        {
            Id = id,
            Prompt = format.Render(new Dictionary<string, string>(StringComparer.Ordinal) { ["question"] = question }),
            References = [Numbers.Format(value)],
            Metadata = metadata,
        };
    }

    private static TaskSample MultipleChoice(JsonElement record, TaskFormat format, string id, Dictionary<string, string> metadata)
    {
        var questionElement = JsonFields.Required(record, ChoiceNeeds, "question");
        string question;
        JsonElement choicesElement;
        if (questionElement.ValueKind == JsonValueKind.Object)
        {
            // The original ARC and CommonsenseQA files: {"question": {"stem": ..., "choices": [{"label", "text"}]}}.
            question = JsonFields.RequiredString(questionElement, "a question object needs stem", "stem");
            choicesElement = JsonFields.TryGet(record, out var outer, "choices") ? outer : JsonFields.Required(questionElement, ChoiceNeeds, "choices");
            if (JsonFields.OptionalString(questionElement, "question_concept") is { } concept)
            {
                metadata["question_concept"] = concept;
            }
        }
        else
        {
            question = JsonFields.String(questionElement, "question");
            choicesElement = JsonFields.Required(record, ChoiceNeeds, "choices");
        }

        var (labels, texts) = Choices(choicesElement);
        if (texts.Count < 2)
        {
            throw new RecordException($"field 'choices' must hold at least 2 options, held {texts.Count}");
        }

        if (texts.Count > 26)
        {
            throw new RecordException($"field 'choices' holds {texts.Count} options; at most 26 (A to Z) are supported");
        }

        var answerField = JsonFields.FieldName(record, ["answer", "answerKey"]);
        var answer = JsonFields.Required(record, ChoiceNeeds, "answer", "answerKey");
        var index = AnswerIndex(answer, answerField, labels, texts.Count);

        foreach (var key in MetadataFields)
        {
            if (JsonFields.OptionalString(record, key) is { } value)
            {
                metadata[key] = value;
            }
        }

        var letters = Enumerable.Range(0, texts.Count).Select(i => ((char)('A' + i)).ToString()).ToArray();
        var listing = new StringBuilder();
        for (var i = 0; i < texts.Count; i++)
        {
            if (i > 0)
            {
                listing.Append('\n');
            }

            listing.Append(letters[i]).Append(". ").Append(texts[i]);
        }

        var subject = metadata.TryGetValue("subject", out var s) ? s.Replace('_', ' ') : string.Empty;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["question"] = question,
            ["choices"] = listing.ToString(),
            ["letters"] = string.Join(", ", letters[..^1]) + " or " + letters[^1],
            ["subject"] = subject,
        };

        return new TaskSample
        {
            Id = id,
            Prompt = format.Render(values),
            References = [letters[index]],
            Choices = texts,
            Metadata = metadata,
        };
    }

    private static (List<string>? Labels, List<string> Texts) Choices(JsonElement choices)
    {
        if (choices.ValueKind == JsonValueKind.Array)
        {
            var items = choices.EnumerateArray().ToList();
            if (items.Count > 0 && items.TrueForAll(i => i.ValueKind == JsonValueKind.Object))
            {
                // [{"label": "A", "text": "..."}, ...]
                var labels = new List<string>();
                var texts = new List<string>();
                foreach (var item in items)
                {
                    labels.Add(JsonFields.RequiredString(item, "each choice object needs label and text", "label"));
                    texts.Add(JsonFields.RequiredString(item, "each choice object needs label and text", "text"));
                }

                return (labels, texts);
            }

            return (null, JsonFields.StringArray(choices, "choices"));
        }

        if (choices.ValueKind != JsonValueKind.Object)
        {
            throw new RecordException($"field 'choices' must be a list of options or an object, was {JsonFields.Kind(choices)}");
        }

        if (choices.TryGetProperty("text", out var textArray))
        {
            // Hugging Face ARC / CommonsenseQA: {"label": [...], "text": [...]}.
            var texts = JsonFields.StringArray(textArray, "choices.text");
            if (!choices.TryGetProperty("label", out var labelArray))
            {
                return (null, texts);
            }

            var labels = JsonFields.StringArray(labelArray, "choices.label");
            if (labels.Count != texts.Count)
            {
                throw new RecordException($"field 'choices' has {labels.Count} labels but {texts.Count} texts");
            }

            return (labels, texts);
        }

        // {"A": "...", "B": "..."}: labels in document order.
        var dictLabels = new List<string>();
        var dictTexts = new List<string>();
        foreach (var property in choices.EnumerateObject())
        {
            dictLabels.Add(property.Name);
            dictTexts.Add(JsonFields.String(property.Value, "choices." + property.Name));
        }

        return (dictLabels, dictTexts);
    }

    private static int AnswerIndex(JsonElement answer, string field, List<string>? labels, int count)
    {
        if (answer.ValueKind == JsonValueKind.Number)
        {
            var index = JsonFields.Index(answer, field);
            return index >= 0 && index < count
                ? index
                : throw new RecordException($"field '{field}' is {index}, outside the options 0 to {count - 1}");
        }

        var key = JsonFields.Text(answer, field).Trim();
        if (labels is not null)
        {
            var byLabel = labels.FindIndex(l => string.Equals(l.Trim(), key, StringComparison.OrdinalIgnoreCase));
            if (byLabel >= 0)
            {
                return byLabel;
            }
        }

        if (key.Length == 1 && char.IsAsciiLetter(key[0]))
        {
            var byLetter = char.ToUpperInvariant(key[0]) - 'A';
            if (byLetter < count)
            {
                return byLetter;
            }
        }

        var known = labels is null
            ? $"letters A to {(char)('A' + count - 1)}"
            : "labels " + string.Join(", ", labels);
        throw new RecordException($"field '{field}' is '{key}', which matches none of the options ({known})");
    }

    private static TaskSample Drop(JsonElement record, TaskFormat format, string id, Dictionary<string, string> metadata)
    {
        var passage = JsonFields.RequiredString(record, DropNeeds, "passage");
        var question = JsonFields.RequiredString(record, DropNeeds, "question");
        var golds = new List<GoldAnswer>();
        if (JsonFields.TryGet(record, out var spans, "answers_spans"))
        {
            var list = spans.ValueKind == JsonValueKind.Object
                ? JsonFields.Required(spans, "answers_spans needs spans", "spans")
                : spans;
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new RecordException($"field 'answers_spans' must be an object with a 'spans' array, or an array, was {JsonFields.Kind(spans)}");
            }

            foreach (var span in list.EnumerateArray())
            {
                AddDropAnswer(golds, span, "answers_spans");
            }
        }
        else if (JsonFields.TryGet(record, out var answers, "answers"))
        {
            if (answers.ValueKind != JsonValueKind.Array)
            {
                throw new RecordException($"field 'answers' must be an array of answers, was {JsonFields.Kind(answers)}");
            }

            foreach (var answer in answers.EnumerateArray())
            {
                AddDropAnswer(golds, answer, "answers");
            }
        }
        else if (JsonFields.TryGet(record, out var single, "answer"))
        {
            AddDropAnswer(golds, single, "answer");
        }
        else if (JsonFields.OptionalString(record, "ref_text") is { } refText)
        {
            foreach (var alternative in refText.Split('|'))
            {
                AddDropText(golds, alternative);
            }
        }
        else
        {
            throw new RecordException($"missing answers ({DropNeeds})");
        }

        if (JsonFields.TryGet(record, out var validated, "validated_answers") && validated.ValueKind == JsonValueKind.Array)
        {
            foreach (var answer in validated.EnumerateArray())
            {
                AddDropAnswer(golds, answer, "validated_answers");
            }
        }

        if (golds.Count == 0)
        {
            throw new RecordException("the record's answers are all empty");
        }

        return new TaskSample
        {
            Id = id,
            Prompt = format.Render(new Dictionary<string, string>(StringComparer.Ordinal) { ["passage"] = passage, ["question"] = question }),
            References = golds,
            Metadata = metadata,
        };
    }

    private static void AddDropAnswer(List<GoldAnswer> golds, JsonElement answer, string field)
    {
        switch (answer.ValueKind)
        {
            case JsonValueKind.String:
            case JsonValueKind.Number:
                AddDropText(golds, JsonFields.Text(answer, field));
                break;
            case JsonValueKind.Array:
                AddDropSpans(golds, JsonFields.StringArray(answer, field));
                break;
            case JsonValueKind.Object:
                // An original DROP answer: {"number": "", "date": {"day", "month", "year"}, "spans": [...]}.
                if (JsonFields.TryGet(answer, out var number, "number") && JsonFields.Text(number, field + ".number").Trim().Length > 0)
                {
                    AddDropText(golds, JsonFields.Text(number, field + ".number"));
                }
                else if (JsonFields.TryGet(answer, out var spans, "spans") && spans.ValueKind == JsonValueKind.Array && spans.GetArrayLength() > 0)
                {
                    AddDropSpans(golds, JsonFields.StringArray(spans, field + ".spans"));
                }
                else if (JsonFields.TryGet(answer, out var date, "date") && date.ValueKind == JsonValueKind.Object)
                {
                    var parts = DateParts
                        .Select(p => JsonFields.OptionalString(date, p)?.Trim() ?? string.Empty)
                        .Where(p => p.Length > 0);
                    AddDropText(golds, string.Join(' ', parts));
                }

                break;
            default:
                throw new RecordException($"field '{field}' holds {JsonFields.Kind(answer)}; an answer is a string, a number, a list of spans or a DROP answer object");
        }
    }

    private static void AddDropText(List<GoldAnswer> golds, string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > 0)
        {
            AddUnique(golds, new GoldAnswer(trimmed));
        }
    }

    private static void AddDropSpans(List<GoldAnswer> golds, List<string> spans)
    {
        var kept = spans.Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        if (kept.Count > 0)
        {
            AddUnique(golds, new GoldAnswer(kept));
        }
    }

    private static void AddUnique(List<GoldAnswer> golds, GoldAnswer gold)
    {
        if (!golds.Contains(gold))
        {
            golds.Add(gold);
        }
    }

    private static TaskSample Mbpp(JsonElement record, TaskFormat format, string id, Dictionary<string, string> metadata)
    {
        var text = JsonFields.RequiredString(record, MbppNeeds, "text", "prompt");
        var tests = JsonFields.StringArray(JsonFields.Required(record, MbppNeeds, "test_list"), "test_list");
        if (tests.Count == 0 || tests.TrueForAll(string.IsNullOrWhiteSpace))
        {
            throw new RecordException("field 'test_list' is empty; an MBPP record needs at least one assert");
        }

        var setup = new StringBuilder();
        if (JsonFields.TryGet(record, out var imports, "test_imports"))
        {
            foreach (var line in JsonFields.StringArray(imports, "test_imports"))
            {
                setup.Append(line).Append('\n');
            }
        }

        if (JsonFields.OptionalString(record, "test_setup_code") is { } setupCode)
        {
            setup.Append(setupCode);
        }

        if (JsonFields.OptionalString(record, "code") is { } code)
        {
            metadata["code"] = code;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["text"] = text,
            ["tests"] = string.Join('\n', tests),
        };

        return new TaskSample
        {
            Id = id,
            Prompt = format.Render(values),
            Tests = tests,
            TestSetupCode = setup.ToString().Trim('\n'),
            Metadata = metadata,
        };
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
