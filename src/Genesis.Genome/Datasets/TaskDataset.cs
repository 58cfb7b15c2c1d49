using System.Text;
using System.Text.Json;

namespace Genesis.Datasets;

/// <summary>
/// A task's samples in three splits, read from JSONL (one JSON object a line; blank lines are skipped).
/// </summary>
/// <remarks>
/// <para>Two layouts are read by <see cref="Load"/>:</para>
/// <list type="bullet">
/// <item><description>A <b>folder</b> holding <c>train.jsonl</c>, <c>validation.jsonl</c> (or <c>valid.jsonl</c>,
/// <c>val.jsonl</c>, <c>dev.jsonl</c>; only one of them) and <c>test.jsonl</c>. A missing file gives an empty split (MBPP in
/// GENOME has no train file); a folder with none of them is an error. A <c>split</c> field on the records is ignored.</description></item>
/// <item><description>A <b>single file</b> whose every record has a <c>split</c> field: <c>train</c>;
/// <c>validation</c>, <c>valid</c>, <c>val</c> or <c>dev</c>; or <c>test</c> (any case).</description></item>
/// </list>
/// <para>
/// Which fields a record needs depends on the <see cref="TaskFormat"/>. A record that cannot be read stops the load with a
/// <see cref="DatasetFormatException"/> naming the file, the line and the problem; ids must be unique within a split.
/// </para>
/// </remarks>
public sealed class TaskDataset
{
    private static readonly string[] ValidationNames = ["validation.jsonl", "valid.jsonl", "val.jsonl", "dev.jsonl"];

    /// <summary>Creates a dataset from samples already in memory.</summary>
    /// <param name="format">The task's format.</param>
    /// <param name="train">The training samples.</param>
    /// <param name="validation">The validation samples.</param>
    /// <param name="test">The test samples.</param>
    /// <exception cref="ArgumentException">The format is invalid; the message names the field.</exception>
    public TaskDataset(TaskFormat format, IEnumerable<TaskSample> train, IEnumerable<TaskSample> validation, IEnumerable<TaskSample> test)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(test);
        format.Validate();
        Format = format;
        Train = train.ToArray();
        Validation = validation.ToArray();
        Test = test.ToArray();
    }

    /// <summary>The task's format.</summary>
    public TaskFormat Format { get; }

    /// <summary>The training samples, in file order.</summary>
    public IReadOnlyList<TaskSample> Train { get; }

    /// <summary>The validation samples, in file order.</summary>
    public IReadOnlyList<TaskSample> Validation { get; }

    /// <summary>The test samples, in file order.</summary>
    public IReadOnlyList<TaskSample> Test { get; }

    /// <summary>Loads a dataset from a folder of split files or from one file with a <c>split</c> field (see the remarks).</summary>
    /// <param name="path">A folder or a <c>.jsonl</c> file.</param>
    /// <param name="format">How to read the records and build prompts.</param>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist, or the folder holds no split file.</exception>
    /// <exception cref="DatasetFormatException">A record cannot be read; the message names the file, the line and the problem.</exception>
    /// <exception cref="ArgumentException">The format is invalid, or the folder holds two validation files.</exception>
    public static TaskDataset Load(string path, TaskFormat format)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(format);
        format.Validate();
        if (Directory.Exists(path))
        {
            return LoadFolder(path, format);
        }

        if (File.Exists(path))
        {
            return LoadSingleFile(path, format);
        }

        throw new FileNotFoundException($"TaskDataset.Load: '{path}' is neither a folder nor a file.", path);
    }

    /// <summary>The samples of <paramref name="split"/>.</summary>
    /// <param name="split">Which split.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is not a defined value.</exception>
    public IReadOnlyList<TaskSample> Get(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => Train,
        DatasetSplit.Validation => Validation,
        DatasetSplit.Test => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, $"TaskDataset.Get: split must be Train, Validation or Test, was {(int)split}."),
    };

    /// <summary>
    /// <paramref name="count"/> samples of <paramref name="split"/> drawn without replacement, the same for the same seed on
    /// every machine, returned in file order. Asking for at least as many as the split holds returns the whole split.
    /// </summary>
    /// <param name="split">Which split.</param>
    /// <param name="count">How many samples, at least 0.</param>
    /// <param name="seed">The seed of the draw.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public IReadOnlyList<TaskSample> Subsample(DatasetSplit split, int count, int seed) => Subsample(Get(split), count, seed);

    /// <summary>
    /// <paramref name="count"/> of <paramref name="samples"/> drawn without replacement by a partial Fisher–Yates shuffle
    /// driven by SplitMix64 (a generator fixed by its seed on every platform), returned in their original order.
    /// </summary>
    /// <param name="samples">The samples to draw from.</param>
    /// <param name="count">How many, at least 0; at least <c>samples.Count</c> returns them all.</param>
    /// <param name="seed">The seed of the draw.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static IReadOnlyList<TaskSample> Subsample(IReadOnlyList<TaskSample> samples, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"TaskDataset.Subsample: count must be at least 0, was {count}.");
        }

        if (count >= samples.Count)
        {
            return samples.ToArray();
        }

        var indices = new int[samples.Count];
        for (var i = 0; i < indices.Length; i++)
        {
            indices[i] = i;
        }

        var random = new SplitMix64(seed);
        for (var i = 0; i < count; i++)
        {
            var j = i + random.NextBelow(indices.Length - i);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }

        var chosen = indices.AsSpan(0, count);
        chosen.Sort();
        var result = new TaskSample[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = samples[chosen[i]];
        }

        return result;
    }

    private static TaskDataset LoadFolder(string path, TaskFormat format)
    {
        var validationFiles = ValidationNames.Select(n => Path.Combine(path, n)).Where(File.Exists).ToArray();
        if (validationFiles.Length > 1)
        {
            throw new ArgumentException(
                $"TaskDataset.Load: '{path}' holds {string.Join(" and ", validationFiles.Select(Path.GetFileName))}; keep one validation file.",
                nameof(path));
        }

        var trainFile = Path.Combine(path, "train.jsonl");
        var testFile = Path.Combine(path, "test.jsonl");
        if (!File.Exists(trainFile) && validationFiles.Length == 0 && !File.Exists(testFile))
        {
            throw new FileNotFoundException(
                $"TaskDataset.Load: '{path}' holds none of train.jsonl, {string.Join(", ", ValidationNames)}, test.jsonl.",
                path);
        }

        var train = File.Exists(trainFile) ? ReadSplitFile(trainFile, format, DatasetSplit.Train) : [];
        var validation = validationFiles.Length == 1 ? ReadSplitFile(validationFiles[0], format, DatasetSplit.Validation) : [];
        var test = File.Exists(testFile) ? ReadSplitFile(testFile, format, DatasetSplit.Test) : [];
        return new TaskDataset(format, train, validation, test);
    }

    private static List<TaskSample> ReadSplitFile(string file, TaskFormat format, DatasetSplit split)
    {
        var samples = new List<TaskSample>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, record) in ReadRecords(file))
        {
            using (record)
            {
                Add(samples, ids, file, line, record.RootElement, format, split);
            }
        }

        return samples;
    }

    private static TaskDataset LoadSingleFile(string file, TaskFormat format)
    {
        var splits = new[] { new List<TaskSample>(), new List<TaskSample>(), new List<TaskSample>() };
        var ids = new[]
        {
            new Dictionary<string, int>(StringComparer.Ordinal),
            new Dictionary<string, int>(StringComparer.Ordinal),
            new Dictionary<string, int>(StringComparer.Ordinal),
        };
        foreach (var (line, record) in ReadRecords(file))
        {
            using (record)
            {
                var root = record.RootElement;
                var split = ReadSplitField(file, line, root);
                Add(splits[(int)split], ids[(int)split], file, line, root, format, split);
            }
        }

        return new TaskDataset(format, splits[0], splits[1], splits[2]);
    }

    private static DatasetSplit ReadSplitField(string file, int line, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new DatasetFormatException(file, line, $"a record must be a JSON object, was {JsonFields.Kind(root)}");
        }

        if (!root.TryGetProperty("split", out var field) || field.ValueKind != JsonValueKind.String)
        {
            throw new DatasetFormatException(
                file,
                line,
                "missing string field 'split' (a single-file dataset needs split = train, validation or test on every record; or use a folder of train.jsonl, validation.jsonl, test.jsonl)");
        }

        var value = field.GetString()!.Trim().ToLowerInvariant();
        return value switch
        {
            "train" => DatasetSplit.Train,
            "validation" or "valid" or "val" or "dev" => DatasetSplit.Validation,
            "test" => DatasetSplit.Test,
            _ => throw new DatasetFormatException(file, line, $"field 'split' is '{field.GetString()}'; use train, validation (valid, val, dev) or test"),
        };
    }

    private static void Add(List<TaskSample> samples, Dictionary<string, int> ids, string file, int line, JsonElement root, TaskFormat format, DatasetSplit split)
    {
        var defaultId = SplitName(split) + "-" + JsonFields.Invariant(samples.Count);
        TaskSample sample;
        try
        {
            sample = RecordParser.Parse(root, format, defaultId, Path.GetFileName(file) + ":" + JsonFields.Invariant(line));
        }
        catch (RecordException e)
        {
            throw new DatasetFormatException(file, line, e.Message, e);
        }
        catch (ArgumentException e)
        {
            throw new DatasetFormatException(file, line, e.Message, e);
        }

        if (!ids.TryAdd(sample.Id, line))
        {
            throw new DatasetFormatException(file, line, $"duplicate id '{sample.Id}' in the {SplitName(split)} split (first on line {JsonFields.Invariant(ids[sample.Id])})");
        }

        samples.Add(sample);
    }

    private static IEnumerable<(int Line, JsonDocument Record)> ReadRecords(string file)
    {
        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var lineNumber = 0;
        while (reader.ReadLine() is { } text)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                throw new DatasetFormatException(file, lineNumber, "invalid JSON: " + e.Message, e);
            }

            yield return (lineNumber, document);
        }
    }

    private static string SplitName(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => "train",
        DatasetSplit.Validation => "validation",
        _ => "test",
    };
}
