using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Genesis.Persistence;
using Microsoft.Data.Sqlite;

namespace Genesis.Benchmarks;

/// <summary>
/// Writing one candidate the way the engine does: <see cref="RunDatabase.Insert"/> when it is proposed, then
/// <see cref="RunDatabase.CompleteEvaluation"/> when its evaluation is in, each its own transaction, on a database that
/// already holds 100,000 candidates with 1-2 KB of code, metrics, feedback and a 512-float embedding each. Reference: one
/// prepared <c>INSERT</c> of a row of the same size into a table of the same shape (same columns, indexes and 100,000 rows)
/// in its own transaction on its own connection with the same settings (WAL, <c>synchronous=NORMAL</c>): the floor for a
/// durable write of one row.
/// </summary>
/// <remarks>
/// The database is filled in <c>[GlobalSetup]</c> through the same <see cref="RunDatabase.Insert"/> the engine uses, one
/// autocommit transaction per candidate (a few seconds), and the reference table is copied from it in one statement. Both
/// live in one file in a temporary folder that <c>[GlobalCleanup]</c> deletes.
/// </remarks>
[Config(typeof(ShortRunConfig))]
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "BenchmarkDotNet releases them in [GlobalCleanup].")]
public class DatabaseBenchmarks
{
    private const int Prefilled = 100_000;

    private string _folder = string.Empty;
    private RunDatabase? _database;
    private SqliteConnection? _raw;
    private SqliteCommand? _rawInsert;
    private Candidate _pending = null!;
    private Candidate _evaluated = null!;
    private float[] _embedding = [];
    private byte[] _embeddingBytes = [];
    private Dictionary<string, string> _meta = [];
    private long _nextId = Prefilled;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "genesis-bench-" + Guid.NewGuid().ToString("N"));
        _database = RunDatabase.Open(_folder);
        var codes = Enumerable.Range(0, 64).Select(v => Fixtures.PythonProgram(40 + (v % 24), 24 + (v % 12), v)).ToArray();
        var embeddings = Enumerable.Range(0, 16).Select(Fixtures.Embedding).ToArray();
        var random = new Random(5);
        for (var id = 0; id < Prefilled; id++)
        {
            var score = Math.Round(2.0 + (0.6 * random.NextDouble()), 4);
            _database.Insert(Fixtures.Evaluated(id, score, codes[id % codes.Length], id % 97), embeddings[id % embeddings.Length]);
        }

        _embedding = Fixtures.Embedding(99);
        _embeddingBytes = MemoryMarshal.AsBytes(_embedding.AsSpan()).ToArray();
        _evaluated = Fixtures.Evaluated(0, 2.42, codes[7], 7);
        _pending = _evaluated with { Status = CandidateStatus.Pending, Evaluation = null, Diff = "<<<<<<< SEARCH\n...\n=======\n...\n>>>>>>> REPLACE" };
        _evaluated = _evaluated with { Diff = _pending.Diff };
        _meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bandit_state"] = """{"pulls":[412,388],"rewards":[3.1,2.7],"costs":[1.2,0.4],"priors":[1,1]}""",
        };

        _raw = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_folder, RunDatabase.FileName),
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        _raw.Open();
        Execute(_raw, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
        Execute(_raw, RawSchema);
        Execute(_raw, "BEGIN; INSERT INTO raw_candidates SELECT * FROM candidates; COMMIT;");
        _rawInsert = PrepareRawInsert(_raw);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rawInsert?.Dispose();
        _raw?.Dispose();
        _database?.Dispose();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>The reference: one prepared INSERT of a same-sized row in its own transaction.</summary>
    [Benchmark(Baseline = true)]
    public int RawPreparedInsert()
    {
        var id = _nextId++;
        using var transaction = _raw!.BeginTransaction();
        _rawInsert!.Transaction = transaction;
        var e = _evaluated.Evaluation!;
        var p = _rawInsert.Parameters;
        p["$id"].Value = id;
        p["$code"].Value = _evaluated.Code;
        p["$parent"].Value = id - 1;
        p["$inspirations"].Value = "[99997,99996,99995]";
        p["$island"].Value = (int)(id % 4);
        p["$generation"].Value = (int)(id / 10);
        p["$mutation"].Value = "Diff";
        p["$status"].Value = "Evaluated";
        p["$eval_status"].Value = "Succeeded";
        p["$score"].Value = e.Score;
        p["$correct"].Value = 1;
        p["$public"].Value = """{"sum_radii":2.507,"target_ratio":0.9407,"validity":1,"eval_time":0.82,"min_gap":1.3E-06}""";
        p["$private"].Value = "{}";
        p["$feedback"].Value = e.TextFeedback;
        p["$eval_seconds"].Value = 0.82;
        p["$diff"].Value = _evaluated.Diff;
        p["$model"].Value = _evaluated.Model;
        p["$in"].Value = _evaluated.InputTokens;
        p["$out"].Value = _evaluated.OutputTokens;
        p["$cost"].Value = _evaluated.Cost;
        p["$created"].Value = "2025-06-01T12:00:00.0000000+00:00";
        p["$proposal_seconds"].Value = 7.5;
        p["$evaluated_at"].Value = "2025-06-01T12:00:09.0000000+00:00";
        p["$embedding"].Value = _embeddingBytes;
        var rows = _rawInsert.ExecuteNonQuery();
        transaction.Commit();
        return rows;
    }

    /// <summary>What the engine writes per candidate: the proposal, then its evaluation with the changed metadata.</summary>
    [Benchmark]
    public long InsertThenCompleteEvaluation()
    {
        var id = _nextId++;
        _database!.Insert(_pending with { Id = id }, _embedding);
        _database.CompleteEvaluation(_evaluated with { Id = id }, DateTimeOffset.UnixEpoch.AddSeconds(id), _meta);
        return id;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand PrepareRawInsert(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO raw_candidates (id, code, parent_id, second_parent_id, inspiration_ids, island, generation, mutation, status,
                eval_status, score, correct, public_metrics, private_metrics, text_feedback, eval_error, eval_seconds,
                diff, model, input_tokens, output_tokens, cost, error, created_at, proposal_seconds, evaluated_at, embedding)
            VALUES ($id, $code, $parent, NULL, $inspirations, $island, $generation, $mutation, $status,
                $eval_status, $score, $correct, $public, $private, $feedback, NULL, $eval_seconds,
                $diff, $model, $in, $out, $cost, NULL, $created, $proposal_seconds, $evaluated_at, $embedding)
            """;
        foreach (var name in (string[])["$id", "$code", "$parent", "$inspirations", "$island", "$generation", "$mutation", "$status",
            "$eval_status", "$score", "$correct", "$public", "$private", "$feedback", "$eval_seconds", "$diff", "$model", "$in", "$out",
            "$cost", "$created", "$proposal_seconds", "$evaluated_at", "$embedding"])
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        command.Prepare();
        return command;
    }

    // The candidates table of RunDatabase under another name, with the same indexes.
    private const string RawSchema = """
        CREATE TABLE raw_candidates (
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
        CREATE INDEX ix_raw_candidates_island ON raw_candidates(island);
        CREATE INDEX ix_raw_candidates_status ON raw_candidates(status);
        """;
}
