using System.Collections.ObjectModel;
using Genesis.Tensors;

namespace Genesis.Adapters;

/// <summary>
/// A PEFT LoRA adapter in memory: a name, its <see cref="LoraAdapterConfig"/>, and the A [r, in] and B [out, r]
/// matrices of every module as float32 in ONE contiguous array laid out by <see cref="Layout"/>, so that merge
/// operators work on flat spans (<see cref="Values"/>) and only look at modules when they need to.
/// </summary>
/// <remarks>
/// On disk an adapter is a folder with <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> holding
/// <c>base_model.model.&lt;module&gt;.lora_A.weight</c> and <c>.lora_B.weight</c> for each module, the files PEFT's
/// <c>PeftModel.from_pretrained</c> and vLLM's <c>--lora-modules</c> / <c>load_lora_adapter</c> read. F16, BF16, F32
/// and F64 weights load to float32; saving writes F32, F16 or BF16 with <c>__metadata__ {"format": "pt"}</c>.
/// Embedding LoRA, LoRA biases, DoRA magnitudes and <c>modules_to_save</c> weights are refused with a message
/// naming the tensor rather than silently dropped.
/// </remarks>
public sealed class LoraAdapter
{
    /// <summary>The config file's name in an adapter folder.</summary>
    public const string ConfigFileName = "adapter_config.json";

    /// <summary>The weights file's name in an adapter folder.</summary>
    public const string WeightsFileName = "adapter_model.safetensors";

    private readonly float[] _values;

    private LoraAdapter(string name, LoraAdapterConfig config, LoraLayout layout, float[] values)
    {
        Name = name;
        Config = config;
        Layout = layout;
        _values = values;
    }

    /// <summary>The adapter's name (its folder name when loaded), used by servers and in messages.</summary>
    public string Name { get; }

    /// <summary>The PEFT config.</summary>
    public LoraAdapterConfig Config { get; }

    /// <summary>The modules and their places in <see cref="Values"/>.</summary>
    public LoraLayout Layout { get; }

    /// <summary>The modules, ordered by path.</summary>
    public IReadOnlyList<LoraModule> Modules => Layout.Modules;

    /// <summary>The number of floats, Σ r · (in + out).</summary>
    public int ParameterCount => _values.Length;

    /// <summary>Every A and B matrix, contiguous, as laid out by <see cref="Layout"/>; writable.</summary>
    public Span<float> Values => _values;

    /// <summary>The same buffer as <see cref="Values"/>, as memory.</summary>
    public Memory<float> AsMemory() => _values;

    /// <summary>The A matrix [r, in] of a module, row-major; writable.</summary>
    /// <exception cref="KeyNotFoundException">The adapter has no such module.</exception>
    public Span<float> A(string modulePath)
    {
        var module = Layout[modulePath];
        return _values.AsSpan(module.AOffset, module.ALength);
    }

    /// <summary>The B matrix [out, r] of a module, row-major; writable.</summary>
    /// <exception cref="KeyNotFoundException">The adapter has no such module.</exception>
    public Span<float> B(string modulePath)
    {
        var module = Layout[modulePath];
        return _values.AsSpan(module.BOffset, module.BLength);
    }

    /// <summary>An adapter of zeros.</summary>
    /// <param name="name">The adapter's name.</param>
    /// <param name="config">Its config; each module's rank must equal <see cref="LoraAdapterConfig.RankFor"/> and, when
    /// the config has target modules, each module must match them.</param>
    /// <param name="layout">Its modules.</param>
    /// <exception cref="ArgumentException">The config disagrees with the layout; the message names the module.</exception>
    public static LoraAdapter Create(string name, LoraAdapterConfig config, LoraLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return Create(name, config, layout, new float[layout.ParameterCount]);
    }

    /// <summary>An adapter over the given values, which it takes ownership of (no copy).</summary>
    /// <param name="name">The adapter's name.</param>
    /// <param name="config">Its config (see <see cref="Create(string, LoraAdapterConfig, LoraLayout)"/>).</param>
    /// <param name="layout">Its modules.</param>
    /// <param name="values">Exactly <see cref="LoraLayout.ParameterCount"/> floats laid out as <paramref name="layout"/> says.</param>
    /// <exception cref="ArgumentException">The length or the config disagrees with the layout.</exception>
    public static LoraAdapter Create(string name, LoraAdapterConfig config, LoraLayout layout, float[] values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != layout.ParameterCount)
        {
            throw new ArgumentException($"LoraAdapter.Create: the layout holds {layout.ParameterCount} parameters but {values.Length} values were given.", nameof(values));
        }

        try
        {
            config.Validate();
        }
        catch (InvalidOperationException ex)
        {
            throw new ArgumentException(ex.Message, nameof(config), ex);
        }

        if (CheckAgainstConfig(config, layout) is { } problem)
        {
            throw new ArgumentException($"LoraAdapter.Create: {problem}.", nameof(config));
        }

        return new LoraAdapter(name, config, layout, values);
    }

    /// <summary>
    /// An adapter from per-module matrices (copied), for tests and hand-built models.
    /// </summary>
    /// <param name="name">The adapter's name.</param>
    /// <param name="config">Its config.</param>
    /// <param name="modules">Each module's shape with its A (r·in floats, row-major) and B (out·r floats).</param>
    /// <exception cref="ArgumentException">A matrix's length does not match its shape, or the config disagrees.</exception>
    public static LoraAdapter FromMatrices(string name, LoraAdapterConfig config, IEnumerable<(LoraModuleShape Shape, float[] A, float[] B)> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var list = modules.ToList();
        var layout = LoraLayout.Create(list.Select(m => m.Shape));
        var values = new float[layout.ParameterCount];
        foreach (var (shape, a, b) in list)
        {
            var module = layout[shape.Path];
            if (a.Length != module.ALength || b.Length != module.BLength)
            {
                throw new ArgumentException($"FromMatrices: module '{shape.Path}' needs {shape.Describe()} = {module.ALength} and {module.BLength} floats, was {a.Length} and {b.Length}.", nameof(modules));
            }

            a.CopyTo(values.AsSpan(module.AOffset));
            b.CopyTo(values.AsSpan(module.BOffset));
        }

        return Create(name, config, layout, values);
    }

    /// <summary>A deep copy under another name (same config and layout).</summary>
    public LoraAdapter Clone(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new LoraAdapter(name, Config, Layout, (float[])_values.Clone());
    }

    /// <summary>Loads an adapter folder: <c>adapter_config.json</c> and <c>adapter_model.safetensors</c>.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="name">The adapter's name; defaults to the folder's name.</param>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or the weights disagree with the config (a rank,
    /// a missing A or B, a tensor that is not a LoRA A/B weight); the message names the file, the tensor and the problem.</exception>
    public static LoraAdapter Load(string folder, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        name ??= Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        var configPath = Path.Combine(folder, ConfigFileName);
        var weightsPath = Path.Combine(folder, WeightsFileName);
        if (!File.Exists(configPath))
        {
            throw new FileNotFoundException($"Adapter folder '{folder}' has no {ConfigFileName}.", configPath);
        }

        if (!File.Exists(weightsPath))
        {
            var legacy = File.Exists(Path.Combine(folder, "adapter_model.bin")) ? " (it has a pickled adapter_model.bin, which is not read: convert it to safetensors)" : string.Empty;
            throw new FileNotFoundException($"Adapter folder '{folder}' has no {WeightsFileName}{legacy}.", weightsPath);
        }

        var config = LoraAdapterConfig.Load(configPath);
        if (config.PeftType != "LORA")
        {
            throw new InvalidDataException($"{configPath}: peft_type is \"{config.PeftType}\"; only LORA adapters are supported.");
        }

        using var file = SafetensorsFile.Open(weightsPath);
        var pairs = new Dictionary<string, (SafetensorsTensorInfo? A, SafetensorsTensorInfo? B)>(StringComparer.Ordinal);
        foreach (var tensor in file.Tensors)
        {
            if (!LoraTensorName.TryParse(tensor.Name, out var parsed))
            {
                var hint = config.UseDora ? " (DoRA adapters are not supported)" : " (expected base_model.model.<module>.lora_A.weight or .lora_B.weight)";
                throw Invalid(weightsPath, tensor.Name, $"is not a LoRA A/B weight{hint}");
            }

            if (parsed.Kind is not (LoraTensorKind.A or LoraTensorKind.B))
            {
                throw Invalid(weightsPath, tensor.Name, $"is a LoRA {parsed.Kind} tensor; only the lora_A/lora_B weights of linear layers are supported");
            }

            if (tensor.DType is not (SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.F64))
            {
                throw Invalid(weightsPath, tensor.Name, $"has dtype {SafetensorsDTypes.GetName(tensor.DType)}; LoRA weights must be F32, F16, BF16 or F64");
            }

            if (tensor.Shape.Count != 2 || tensor.Shape[0] < 1 || tensor.Shape[1] < 1 || tensor.Shape[0] > int.MaxValue || tensor.Shape[1] > int.MaxValue)
            {
                throw Invalid(weightsPath, tensor.Name, $"has shape {SafetensorsTensorInfo.FormatShape(tensor.Shape)}; a LoRA matrix is two-dimensional with both sizes at least 1");
            }

            pairs.TryGetValue(parsed.Module, out var pair);
            if ((parsed.Kind == LoraTensorKind.A ? pair.A : pair.B) is { } earlier)
            {
                throw Invalid(weightsPath, tensor.Name, $"holds the same matrix as tensor '{earlier.Name}'");
            }

            pairs[parsed.Module] = parsed.Kind == LoraTensorKind.A ? (tensor, pair.B) : (pair.A, tensor);
        }

        var shapes = new List<LoraModuleShape>(pairs.Count);
        foreach (var (module, (a, b)) in pairs)
        {
            if (a is null || b is null)
            {
                throw Invalid(weightsPath, (a ?? b)!.Name, $"module '{module}' has {(a is null ? "lora_B but no lora_A" : "lora_A but no lora_B")}");
            }

            if (a.Shape[0] != b.Shape[1])
            {
                throw Invalid(weightsPath, b.Name, $"lora_A is {SafetensorsTensorInfo.FormatShape(a.Shape)} (rank {a.Shape[0]}) but lora_B is {SafetensorsTensorInfo.FormatShape(b.Shape)} (rank {b.Shape[1]})");
            }

            shapes.Add(new LoraModuleShape(module, (int)a.Shape[0], (int)a.Shape[1], (int)b.Shape[0]));
        }

        LoraLayout layout;
        try
        {
            layout = LoraLayout.Create(shapes);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{weightsPath}: {ex.Message}", ex);
        }

        if (CheckAgainstConfig(config, layout) is { } problem)
        {
            throw new InvalidDataException($"{weightsPath}: {problem} (from {ConfigFileName}).");
        }

        var values = GC.AllocateUninitializedArray<float>(layout.ParameterCount);
        ReadValues(file, layout, pairs, values);
        return new LoraAdapter(name, config, layout, values);
    }

    /// <summary>
    /// Loads every adapter folder directly under <paramref name="folder"/> (each subfolder holding an
    /// <c>adapter_config.json</c> or <c>adapter_model.safetensors</c>; others are skipped), in ordinal name order,
    /// and checks that they form a population (<see cref="LoraPopulation.EnsureCompatible"/>).
    /// </summary>
    /// <param name="folder">The folder of adapter folders.</param>
    /// <param name="cancellationToken">Checked between adapters.</param>
    /// <returns>The adapters, named after their folders.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">An adapter is malformed.</exception>
    /// <exception cref="LoraAdapterMismatchException">An adapter differs from the first; the message says which and how.</exception>
    public static IReadOnlyList<LoraAdapter> LoadAll(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"LoadAll: the folder '{folder}' does not exist.");
        }

        var adapters = new List<LoraAdapter>();
        var folders = Directory.GetDirectories(folder)
            .Where(d => File.Exists(Path.Combine(d, ConfigFileName)) || File.Exists(Path.Combine(d, WeightsFileName)))
            .Order(StringComparer.Ordinal);
        foreach (var adapterFolder in folders)
        {
            cancellationToken.ThrowIfCancellationRequested();
            adapters.Add(Load(adapterFolder));
        }

        LoraPopulation.EnsureCompatible(adapters);
        return new ReadOnlyCollection<LoraAdapter>(adapters);
    }

    /// <summary>
    /// Saves the adapter as a PEFT folder that PEFT and vLLM load: the weights first, then the config, each
    /// written atomically, so a folder with a config always has complete weights. When the config has no
    /// <c>target_modules</c>, the modules' last path components are written.
    /// </summary>
    /// <param name="folder">The folder; created if missing.</param>
    /// <param name="dtype">F32 (default, exact), F16 or BF16 (both round to nearest even).</param>
    /// <param name="flushToDisk">Whether to fsync the weights before renaming them into place.</param>
    /// <exception cref="ArgumentException">The dtype is not F32, F16 or BF16.</exception>
    public void Save(string folder, SafetensorsDType dtype = SafetensorsDType.F32, bool flushToDisk = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (dtype is not (SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16))
        {
            throw new ArgumentException($"Save: adapters are saved as F32, F16 or BF16, not {dtype}.", nameof(dtype));
        }

        Directory.CreateDirectory(folder);
        var writer = new SafetensorsWriter();
        var memory = AsMemory();
        foreach (var module in Layout.Modules)
        {
            writer.Add(module.ATensorName, memory.Slice(module.AOffset, module.ALength), [module.Rank, module.InFeatures], dtype);
            writer.Add(module.BTensorName, memory.Slice(module.BOffset, module.BLength), [module.OutFeatures, module.Rank], dtype);
        }

        writer.Save(Path.Combine(folder, WeightsFileName), flushToDisk);
        var config = Config.TargetModules is null
            ? Config with { TargetModules = LoraTargetModules.FromNames(Layout.Modules.Select(m => m.Path[(m.Path.LastIndexOf('.') + 1)..]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)) }
            : Config;
        config.Save(Path.Combine(folder, ConfigFileName));
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Layout.Modules.Count} modules, {ParameterCount} parameters";

    private static string? CheckAgainstConfig(LoraAdapterConfig config, LoraLayout layout)
    {
        foreach (var module in layout.Modules)
        {
            var expected = config.RankFor(module.Path);
            if (module.Rank != expected)
            {
                return $"module '{module.Path}' has rank {module.Rank} but the config gives it r={expected} (r, rank_pattern)";
            }

            if (config.TargetModules is { } targets && !targets.Matches(module.Path))
            {
                return $"module '{module.Path}' is not matched by target_modules {targets}";
            }
        }

        return null;
    }

    /// <summary>
    /// Fills the flat buffer. Tensors of one dtype that follow each other in the file as they do in the buffer
    /// (always the case for files written in the reference writer's order, PEFT's included) are read as one run:
    /// one positioned read for F32, a few large staged reads and one conversion pass for F16 and BF16.
    /// </summary>
    private static void ReadValues(SafetensorsFile file, LoraLayout layout, Dictionary<string, (SafetensorsTensorInfo? A, SafetensorsTensorInfo? B)> pairs, float[] values)
    {
        const int MaxRun = 1 << 28;
        var tensors = layout.Modules
            .SelectMany(m => new[] { (Info: pairs[m.Path].A!, Offset: m.AOffset, Length: m.ALength), (Info: pairs[m.Path].B!, Offset: m.BOffset, Length: m.BLength) })
            .OrderBy(t => t.Offset);
        SafetensorsDType runType = default;
        long runFile = 0, runEnd = 0;
        int runStart = 0, runLength = 0;
        foreach (var (info, offset, length) in tensors)
        {
            if (runLength > 0 && info.DType == runType && info.DataBegin == runEnd && runStart + runLength == offset && runLength + (long)length <= MaxRun)
            {
                runLength += length;
                runEnd = info.DataEnd;
                continue;
            }

            Flush();
            (runType, runFile, runEnd, runStart, runLength) = (info.DType, info.DataBegin, info.DataEnd, offset, length);
        }

        Flush();

        void Flush()
        {
            if (runLength > 0)
            {
                file.ReadConverted(runType, runFile, values.AsSpan(runStart, runLength));
                runLength = 0;
            }
        }
    }

    private static InvalidDataException Invalid(string file, string tensor, string problem)
    {
        var exception = new InvalidDataException($"{file}: tensor '{tensor}' {problem}.");
        exception.Data[SafetensorsFile.TensorNameKey] = tensor;
        return exception;
    }
}
