using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Genesis.Persistence;

/// <summary>
/// The run's SQLite database (<c>genesis.db</c> in the run folder, WAL mode). Every candidate is written here before the
/// next step depends on it, so a run killed at any moment resumes without losing an evaluated candidate.
/// </summary>
/// <remarks>
/// One connection guarded by a lock: SQLite serialises writers anyway, and each write is a single short transaction.
/// <c>synchronous=NORMAL</c> in WAL mode survives a killed process (the committed WAL is on disk in the OS page cache);
/// only a power loss can drop the last transactions.
/// </remarks>
internal sealed class RunDatabase : IDisposable
{
    internal const string FileName = "genesis.db";
    private const int SchemaVersion = 1;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private RunDatabase(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating if needed) the database in <paramref name="runFolder"/>.</summary>
    public static RunDatabase Open(string runFolder)
    {
        Directory.CreateDirectory(runFolder);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(runFolder, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        var database = new RunDatabase(connection);
        database.Execute("PRAGMA journal_mode=WAL;");
        database.Execute("PRAGMA synchronous=NORMAL;");
        database.Execute("PRAGMA busy_timeout=5000;");
        database.CreateSchema();
        return database;
    }

    private void CreateSchema()
    {
        Execute("""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS candidates (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL,
                parent_id INTEGER,
                second_parent_id INTEGER,
                inspiration_ids TEXT NOT NULL,
                island INTEGER NOT NULL,
                generation INTEGER NOT NULL,
                mutation TEXT NOT NULL,
                status TEXT NOT NULL,
                eval_status TEXT,
                score REAL,
                correct INTEGER,
                public_metrics TEXT,
                private_metrics TEXT,
                text_feedback TEXT,
                eval_error TEXT,
                eval_seconds REAL,
                diff TEXT,
                model TEXT,
                input_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                cost REAL NOT NULL,
                error TEXT,
                created_at TEXT NOT NULL,
                proposal_seconds REAL NOT NULL,
                evaluated_at TEXT,
                embedding BLOB
            );
            CREATE INDEX IF NOT EXISTS ix_candidates_island ON candidates(island);
            CREATE INDEX IF NOT EXISTS ix_candidates_status ON candidates(status);
            CREATE TABLE IF NOT EXISTS migrations (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                candidate_id INTEGER NOT NULL,
                from_island INTEGER NOT NULL,
                to_island INTEGER NOT NULL,
                at_evaluation INTEGER NOT NULL
            );
            """);
        if (GetMeta("schema_version") is null)
        {
            SetMeta("schema_version", SchemaVersion.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Reads a metadata value, or <see langword="null"/>.</summary>
    public string? GetMeta(string key)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT value FROM meta WHERE key = $key";
            command.Parameters.AddWithValue("$key", key);
            return command.ExecuteScalar() as string;
        }
    }

    /// <summary>Writes a metadata value.</summary>
    public void SetMeta(string key, string value)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO meta(key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$value", value);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Inserts a new candidate (pending, failed or rejected).</summary>
    public void Insert(Candidate candidate, ReadOnlyMemory<float> embedding = default)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO candidates (id, code, parent_id, second_parent_id, inspiration_ids, island, generation, mutation, status,
                    eval_status, score, correct, public_metrics, private_metrics, text_feedback, eval_error, eval_seconds,
                    diff, model, input_tokens, output_tokens, cost, error, created_at, proposal_seconds, evaluated_at, embedding)
                VALUES ($id, $code, $parent, $parent2, $inspirations, $island, $generation, $mutation, $status,
                    $eval_status, $score, $correct, $public, $private, $feedback, $eval_error, $eval_seconds,
                    $diff, $model, $in, $out, $cost, $error, $created, $proposal_seconds, $evaluated_at, $embedding)
                """;
            Bind(command, candidate, embedding);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Records a candidate's evaluation and, in the same transaction, the metadata that changed with it.</summary>
    public void CompleteEvaluation(Candidate candidate, DateTimeOffset evaluatedAt, IReadOnlyDictionary<string, string> meta)
    {
        var evaluation = candidate.Evaluation ?? throw new ArgumentException("The candidate has no evaluation.", nameof(candidate));
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using (var command = _connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = """
                    UPDATE candidates SET status = $status, eval_status = $eval_status, score = $score, correct = $correct,
                        public_metrics = $public, private_metrics = $private, text_feedback = $feedback, eval_error = $eval_error,
                        eval_seconds = $eval_seconds, evaluated_at = $evaluated_at
                    WHERE id = $id
                    """;
                command.Parameters.AddWithValue("$id", candidate.Id);
                command.Parameters.AddWithValue("$status", candidate.Status.ToString());
                BindEvaluation(command, evaluation);
                command.Parameters.AddWithValue("$evaluated_at", evaluatedAt.ToString("O", CultureInfo.InvariantCulture));
                if (command.ExecuteNonQuery() != 1)
                {
                    throw new InvalidOperationException($"Candidate {candidate.Id} is not in the database.");
                }
            }

            foreach (var (key, value) in meta)
            {
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO meta(key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
                command.Parameters.AddWithValue("$key", key);
                command.Parameters.AddWithValue("$value", value);
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <summary>Records that <paramref name="candidateId"/> was copied from one island to another.</summary>
    public void InsertMigration(long candidateId, int fromIsland, int toIsland, int atEvaluation)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO migrations (candidate_id, from_island, to_island, at_evaluation) VALUES ($c, $f, $t, $a)";
            command.Parameters.AddWithValue("$c", candidateId);
            command.Parameters.AddWithValue("$f", fromIsland);
            command.Parameters.AddWithValue("$t", toIsland);
            command.Parameters.AddWithValue("$a", atEvaluation);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Reads every candidate in id order, with its stored embedding (empty when none).</summary>
    public List<(Candidate Candidate, float[] Embedding)> LoadCandidates()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT * FROM candidates ORDER BY id";
            using var reader = command.ExecuteReader();
            var result = new List<(Candidate, float[])>();
            while (reader.Read())
            {
                result.Add(ReadCandidate(reader));
            }

            return result;
        }
    }

    /// <summary>Reads every migration in order: (candidate, from, to).</summary>
    public List<(long CandidateId, int From, int To)> LoadMigrations()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT candidate_id, from_island, to_island FROM migrations ORDER BY id";
            using var reader = command.ExecuteReader();
            var result = new List<(long, int, int)>();
            while (reader.Read())
            {
                result.Add((reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2)));
            }

            return result;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
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

    private static void Bind(SqliteCommand command, Candidate c, ReadOnlyMemory<float> embedding)
    {
        var p = command.Parameters;
        p.AddWithValue("$id", c.Id);
        p.AddWithValue("$code", c.Code);
        p.AddWithValue("$parent", (object?)c.ParentId ?? DBNull.Value);
        p.AddWithValue("$parent2", (object?)c.SecondParentId ?? DBNull.Value);
        p.AddWithValue("$inspirations", JsonSerializer.Serialize(c.InspirationIds, PersistenceJson.Default.IReadOnlyListInt64));
        p.AddWithValue("$island", c.Island);
        p.AddWithValue("$generation", c.Generation);
        p.AddWithValue("$mutation", c.Mutation.ToString());
        p.AddWithValue("$status", c.Status.ToString());
        p.AddWithValue("$diff", (object?)c.Diff ?? DBNull.Value);
        p.AddWithValue("$model", (object?)c.Model ?? DBNull.Value);
        p.AddWithValue("$in", c.InputTokens);
        p.AddWithValue("$out", c.OutputTokens);
        p.AddWithValue("$cost", c.Cost);
        p.AddWithValue("$error", (object?)c.Error ?? DBNull.Value);
        p.AddWithValue("$created", c.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        p.AddWithValue("$proposal_seconds", c.ProposalDuration.TotalSeconds);
        p.AddWithValue("$embedding", embedding.IsEmpty ? DBNull.Value : ToBytes(embedding.Span));
        if (c.Evaluation is { } evaluation)
        {
            BindEvaluation(command, evaluation);
            p.AddWithValue("$evaluated_at", c.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        }
        else
        {
            foreach (var name in (string[])["$eval_status", "$score", "$correct", "$public", "$private", "$feedback", "$eval_error", "$eval_seconds", "$evaluated_at"])
            {
                p.AddWithValue(name, DBNull.Value);
            }
        }
    }

    private static void BindEvaluation(SqliteCommand command, EvaluationResult e)
    {
        var p = command.Parameters;
        p.AddWithValue("$eval_status", e.Status.ToString());
        p.AddWithValue("$score", e.IsSuccess && double.IsFinite(e.Score) ? e.Score : DBNull.Value);
        p.AddWithValue("$correct", e.Correct ? 1 : 0);
        p.AddWithValue("$public", JsonSerializer.Serialize(e.PublicMetrics, PersistenceJson.Default.IReadOnlyDictionaryStringDouble));
        p.AddWithValue("$private", JsonSerializer.Serialize(e.PrivateMetrics, PersistenceJson.Default.IReadOnlyDictionaryStringDouble));
        p.AddWithValue("$feedback", e.TextFeedback);
        p.AddWithValue("$eval_error", (object?)e.Error ?? DBNull.Value);
        p.AddWithValue("$eval_seconds", e.Duration.TotalSeconds);
    }

    private static (Candidate, float[]) ReadCandidate(SqliteDataReader r)
    {
        string? Text(string name) => r.IsDBNull(r.GetOrdinal(name)) ? null : r.GetString(r.GetOrdinal(name));
        long? Long(string name) => r.IsDBNull(r.GetOrdinal(name)) ? null : r.GetInt64(r.GetOrdinal(name));
        double? Real(string name) => r.IsDBNull(r.GetOrdinal(name)) ? null : r.GetDouble(r.GetOrdinal(name));

        EvaluationResult? evaluation = null;
        if (Text("eval_status") is { } evalStatus)
        {
            evaluation = new EvaluationResult
            {
                Status = Enum.Parse<EvaluationStatus>(evalStatus),
                Score = Real("score") ?? 0,
                Correct = Long("correct") == 1,
                PublicMetrics = ReadMetrics(Text("public_metrics")),
                PrivateMetrics = ReadMetrics(Text("private_metrics")),
                TextFeedback = Text("text_feedback") ?? string.Empty,
                Error = Text("eval_error"),
                Duration = TimeSpan.FromSeconds(Real("eval_seconds") ?? 0),
            };
        }

        var candidate = new Candidate
        {
            Id = r.GetInt64(r.GetOrdinal("id")),
            Code = r.GetString(r.GetOrdinal("code")),
            ParentId = Long("parent_id"),
            SecondParentId = Long("second_parent_id"),
            InspirationIds = JsonSerializer.Deserialize(Text("inspiration_ids") ?? "[]", PersistenceJson.Default.IReadOnlyListInt64) ?? [],
            Island = (int)(Long("island") ?? 0),
            Generation = (int)(Long("generation") ?? 0),
            Mutation = Enum.Parse<MutationKind>(Text("mutation")!),
            Status = Enum.Parse<CandidateStatus>(Text("status")!),
            Evaluation = evaluation,
            Diff = Text("diff"),
            Model = Text("model"),
            InputTokens = Long("input_tokens") ?? 0,
            OutputTokens = Long("output_tokens") ?? 0,
            Cost = Real("cost") ?? 0,
            Error = Text("error"),
            CreatedAt = DateTimeOffset.Parse(Text("created_at")!, CultureInfo.InvariantCulture),
            ProposalDuration = TimeSpan.FromSeconds(Real("proposal_seconds") ?? 0),
        };
        var ordinal = r.GetOrdinal("embedding");
        var embedding = r.IsDBNull(ordinal) ? [] : FromBytes((byte[])r.GetValue(ordinal));
        return (candidate, embedding);
    }

    private static IReadOnlyDictionary<string, double> ReadMetrics(string? json) =>
        json is null ? EvaluationResult.EmptyMetrics : JsonSerializer.Deserialize(json, PersistenceJson.Default.DictionaryStringDouble) ?? [];

    private static byte[] ToBytes(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(bytes);
        return bytes;
    }

    private static float[] FromBytes(byte[] bytes)
    {
        var values = new float[bytes.Length / sizeof(float)];
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
        return values;
    }
}
