using System.Globalization;
using System.Text.Json;
using Genesis.Adapters;
using Genesis.Scoring;
using Genesis.Tensors;
using Microsoft.Data.Sqlite;

namespace Genesis.Lora;

/// <summary>
/// A GENOME run folder: <c>genome.db</c> (SQLite, WAL) holds every evaluation with its lineage and report as soon as it
/// finishes, and one checkpoint per completed generation; <c>members/</c> holds the adapters (PEFT folders, F32, plus
/// <c>swarm.safetensors</c> for GENOME+) that the latest checkpoint refers to; <c>best/</c> is a copy of the best adapter.
/// </summary>
/// <remarks>
/// Crash safety: member folders are written under a temporary name and renamed into place before the checkpoint that
/// refers to them is committed, and folders no checkpoint refers to are deleted only after the commit (and again on
/// open), so a run killed at any moment resumes from its last completed generation and reuses the evaluations the
/// interrupted generation had already finished.
/// </remarks>
internal sealed class GenomeRunStore : IDisposable
{
    internal const string DatabaseName = "genome.db";
    internal const string MembersFolderName = "members";
    internal const string BestFolderName = "best";
    private const string SwarmFileName = "swarm.safetensors";
    private const string SchemaVersion = "1";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private GenomeRunStore(string folder, SqliteConnection connection)
    {
        Folder = folder;
        _connection = connection;
    }

    /// <summary>The run folder's full path.</summary>
    public string Folder { get; }

    private string MembersFolder => Path.Combine(Folder, MembersFolderName);

    /// <summary>Opens (creating if needed) the run folder and its database.</summary>
    public static GenomeRunStore Open(string folder)
    {
        var full = Path.GetFullPath(folder);
        Directory.CreateDirectory(Path.Combine(full, MembersFolderName));
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(full, DatabaseName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        var store = new GenomeRunStore(full, connection);
        store.Execute("PRAGMA journal_mode=WAL;");
        store.Execute("PRAGMA synchronous=NORMAL;");
        store.Execute("PRAGMA busy_timeout=5000;");
        store.Execute("""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS evaluations (
                id INTEGER NOT NULL,
                generation INTEGER NOT NULL,
                operator TEXT NOT NULL,
                parents TEXT NOT NULL,
                weights TEXT NOT NULL,
                mutated INTEGER NOT NULL,
                key_seed TEXT NOT NULL,
                key_stream TEXT NOT NULL,
                fitness REAL NOT NULL,
                report TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (id, generation)
            );
            CREATE TABLE IF NOT EXISTS checkpoints (generation INTEGER PRIMARY KEY, state TEXT NOT NULL, created_at TEXT NOT NULL);
            """);
        var version = store.ReadMeta("schema");
        if (version is null)
        {
            store.WriteMeta("schema", SchemaVersion);
        }
        else if (version != SchemaVersion)
        {
            store.Dispose();
            throw new InvalidOperationException($"WithRunFolder: {full} was written by a newer Genesis (schema {version}; this one reads {SchemaVersion}).");
        }

        return store;
    }

    /// <summary>Records the settings of a new run, or checks that a resumed run was made with the same ones.</summary>
    /// <exception cref="InvalidOperationException">The folder holds a run made with other settings; the message names the first that differs.</exception>
    public void Claim(GenomeFingerprint fingerprint)
    {
        var stored = ReadMeta("fingerprint");
        if (stored is null)
        {
            WriteMeta("fingerprint", JsonSerializer.Serialize(fingerprint, GenomeJson.Default.GenomeFingerprint));
            return;
        }

        var previous = JsonSerializer.Deserialize(stored, GenomeJson.Default.GenomeFingerprint)
            ?? throw new InvalidDataException($"WithRunFolder: {Path.Combine(Folder, DatabaseName)} has an unreadable fingerprint.");
        void Same<T>(string option, T before, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(before, now))
            {
                throw new InvalidOperationException($"WithRunFolder: the run in {Folder} was made with {option} = {before}; this builder has {now}. Resume it with the same settings, or choose another run folder.");
            }
        }

        Same("WithSeed", previous.Seed, fingerprint.Seed);
        Same("WithPopulation (adapter names)", string.Join(", ", previous.Population), string.Join(", ", fingerprint.Population));
        Same("WithPopulation (layout)", previous.Layout, fingerprint.Layout);
        Same("WithCrossover (operator)", previous.Crossover, fingerprint.Crossover);
        Same("WithCrossover (rate)", previous.CrossoverRate, fingerprint.CrossoverRate);
        Same("WithMutation", previous.Mutation, fingerprint.Mutation);
        Same("WithSelection", previous.Selection, fingerprint.Selection);
        Same("WithMaxPopulation", previous.MaxPopulation, fingerprint.MaxPopulation);
        Same("WithSuccession", previous.Succession, fingerprint.Succession);
        Same("WithEnsemble", previous.EnsembleSize, fingerprint.EnsembleSize);
    }

    /// <summary>Records one evaluation (thread-safe); an evaluation already recorded is kept as it was.</summary>
    public void RecordEvaluation(LineageRecord record, FitnessReport report)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT OR IGNORE INTO evaluations (id, generation, operator, parents, weights, mutated, key_seed, key_stream, fitness, report, created_at)
                VALUES ($id, $generation, $operator, $parents, $weights, $mutated, $seed, $stream, $fitness, $report, $created)
                """;
            command.Parameters.AddWithValue("$id", record.Id);
            command.Parameters.AddWithValue("$generation", record.Generation);
            command.Parameters.AddWithValue("$operator", record.Operator);
            command.Parameters.AddWithValue("$parents", JsonSerializer.Serialize(record.Parents, GenomeJson.Default.IReadOnlyListInt64));
            command.Parameters.AddWithValue("$weights", JsonSerializer.Serialize(record.Weights, GenomeJson.Default.IReadOnlyListDouble));
            command.Parameters.AddWithValue("$mutated", record.Mutated);
            command.Parameters.AddWithValue("$seed", record.Random.Seed.ToString(CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$stream", record.Random.Stream.ToString(CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$fitness", record.Fitness);
            command.Parameters.AddWithValue("$report", JsonSerializer.Serialize(StoredReport.From(report), GenomeJson.Default.StoredReport));
            command.Parameters.AddWithValue("$created", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            command.ExecuteNonQuery();
        }
    }

    /// <summary>The report of an evaluation already recorded for individual <paramref name="id"/> in <paramref name="generation"/>.</summary>
    public FitnessReport? FindEvaluation(long id, int generation)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT report FROM evaluations WHERE id = $id AND generation = $generation";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$generation", generation);
            return command.ExecuteScalar() is string json ? JsonSerializer.Deserialize(json, GenomeJson.Default.StoredReport)?.ToReport() : null;
        }
    }

    /// <summary>The lineage of generations 0 to <paramref name="lastGeneration"/> (the engine puts it in its canonical order).</summary>
    public List<LineageRecord> ReadLineage(int lastGeneration)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT id, generation, operator, parents, weights, mutated, key_seed, key_stream, fitness
                FROM evaluations WHERE generation <= $last ORDER BY generation, id
                """;
            command.Parameters.AddWithValue("$last", lastGeneration);
            using var reader = command.ExecuteReader();
            var lineage = new List<LineageRecord>();
            while (reader.Read())
            {
                lineage.Add(new LineageRecord(
                    reader.GetInt64(0),
                    reader.GetInt32(1),
                    reader.GetString(2),
                    JsonSerializer.Deserialize(reader.GetString(3), GenomeJson.Default.IReadOnlyListInt64) ?? [],
                    JsonSerializer.Deserialize(reader.GetString(4), GenomeJson.Default.IReadOnlyListDouble) ?? [],
                    reader.GetInt32(5),
                    new RandomKey(ulong.Parse(reader.GetString(6), CultureInfo.InvariantCulture), ulong.Parse(reader.GetString(7), CultureInfo.InvariantCulture)),
                    reader.GetDouble(8)));
            }

            return lineage;
        }
    }

    /// <summary>Every committed checkpoint, oldest first.</summary>
    public List<GenomeCheckpoint> ReadCheckpoints()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT state FROM checkpoints ORDER BY generation";
            using var reader = command.ExecuteReader();
            var checkpoints = new List<GenomeCheckpoint>();
            while (reader.Read())
            {
                checkpoints.Add(JsonSerializer.Deserialize(reader.GetString(0), GenomeJson.Default.GenomeCheckpoint)
                    ?? throw new InvalidDataException($"{Path.Combine(Folder, DatabaseName)}: a checkpoint is unreadable."));
            }

            return checkpoints;
        }
    }

    /// <summary>Writes a member's adapter (and swarm state) unless its folder for this version is already on disk.</summary>
    /// <returns>The member folder's name under <c>members/</c>.</returns>
    public string SaveMember(GenomeIndividual member)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"m{member.Id}-g{member.Version}");
        SaveFolder(name, folder =>
        {
            member.Adapter.Save(folder);
            if (member.HasSwarmState)
            {
                var writer = new SafetensorsWriter();
                writer.Add("velocity", member.Velocity, [member.Velocity.Length]);
                writer.Add("personal_best", member.PersonalBest, [member.PersonalBest.Length]);
                writer.Save(Path.Combine(folder, SwarmFileName));
            }
        });
        return name;
    }

    /// <summary>Writes the best adapter found in <paramref name="generation"/> unless already on disk.</summary>
    /// <returns>The folder's name under <c>members/</c>.</returns>
    public string SaveBest(LoraAdapter best, int generation)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"best-g{generation}");
        SaveFolder(name, folder => best.Save(folder));
        return name;
    }

    /// <summary>Loads a member of a checkpoint, in the layout of <paramref name="template"/>.</summary>
    public GenomeIndividual LoadMember(GenomeMemberState state, LoraAdapter template, string adapterName)
    {
        var folder = Path.Combine(MembersFolder, state.Folder);
        var adapter = Conform(LoraAdapter.Load(folder, adapterName), template);
        var member = new GenomeIndividual(state.Id, adapter) { Version = state.Version, Fitness = state.Fitness };
        var swarm = Path.Combine(folder, SwarmFileName);
        if (state.PersonalBestFitness is { } personalBestFitness)
        {
            using var file = SafetensorsFile.Open(swarm);
            member.RestoreSwarm(file.ReadSingles("velocity"), file.ReadSingles("personal_best"), personalBestFitness);
        }

        return member;
    }

    /// <summary>Loads an adapter saved with <see cref="SaveBest"/>.</summary>
    public LoraAdapter LoadBest(string folderName, LoraAdapter template) =>
        Conform(LoraAdapter.Load(Path.Combine(MembersFolder, folderName), "best"), template);

    /// <summary>Commits a checkpoint, then deletes the member folders it does not refer to.</summary>
    public void Commit(GenomeCheckpoint checkpoint)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT OR REPLACE INTO checkpoints (generation, state, created_at) VALUES ($generation, $state, $created)";
            command.Parameters.AddWithValue("$generation", checkpoint.Generation);
            command.Parameters.AddWithValue("$state", JsonSerializer.Serialize(checkpoint, GenomeJson.Default.GenomeCheckpoint));
            command.Parameters.AddWithValue("$created", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            command.ExecuteNonQuery();
        }

        CollectGarbage(checkpoint);
    }

    /// <summary>Deletes every member folder (and leftover temporary folder) that <paramref name="checkpoint"/> does not refer to.</summary>
    public void CollectGarbage(GenomeCheckpoint checkpoint)
    {
        var keep = checkpoint.Members.Select(m => m.Folder).Append(checkpoint.BestFolder).ToHashSet(StringComparer.Ordinal);
        foreach (var directory in Directory.EnumerateDirectories(MembersFolder))
        {
            if (!keep.Contains(Path.GetFileName(directory)))
            {
                TryDelete(directory);
            }
        }
    }

    /// <summary>Replaces <c>best/</c> with a copy of the member folder <paramref name="folderName"/>.</summary>
    public void PublishBest(string folderName)
    {
        var source = Path.Combine(MembersFolder, folderName);
        var staging = Path.Combine(Folder, $".best.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(staging);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
        }

        var best = Path.Combine(Folder, BestFolderName);
        TryDelete(best);
        Directory.Move(staging, best);
    }

    /// <summary>Marks the run finished.</summary>
    public void Finish(GenomeFinalState final) => WriteMeta("final", JsonSerializer.Serialize(final, GenomeJson.Default.GenomeFinalState));

    /// <summary>The final state of a finished run, or <see langword="null"/>.</summary>
    public GenomeFinalState? ReadFinal() =>
        ReadMeta("final") is { } json ? JsonSerializer.Deserialize(json, GenomeJson.Default.GenomeFinalState) : null;

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private void SaveFolder(string name, Action<string> write)
    {
        var final = Path.Combine(MembersFolder, name);
        if (Directory.Exists(final))
        {
            return;
        }

        var staging = Path.Combine(MembersFolder, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(staging);
            Directory.Move(staging, final);
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    private static LoraAdapter Conform(LoraAdapter loaded, LoraAdapter template)
    {
        if (loaded.Layout.Equals(template.Layout))
        {
            return loaded;
        }

        var conformed = LoraAdapter.Create(loaded.Name, template.Config, template.Layout);
        foreach (var module in template.Layout.Modules)
        {
            loaded.A(module.Path).CopyTo(conformed.A(module.Path));
            loaded.B(module.Path).CopyTo(conformed.B(module.Path));
        }

        return conformed;
    }

    private string? ReadMeta(string key)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT value FROM meta WHERE key = $key";
            command.Parameters.AddWithValue("$key", key);
            return command.ExecuteScalar() as string;
        }
    }

    private void WriteMeta(string key, string value)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$value", value);
            command.ExecuteNonQuery();
        }
    }

    private void Execute(string sql)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A folder another process holds open is collected on the next commit or open.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
