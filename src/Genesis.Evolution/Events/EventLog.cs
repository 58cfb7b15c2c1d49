using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Genesis.Events;

/// <summary>
/// Appends every event to <c>events.jsonl</c> in the run folder, one JSON object per line, flushed per line so that a
/// killed run keeps its history. Candidate events carry ids, scores and errors but never code (the database has the code).
/// </summary>
internal sealed class EventLog : IDisposable
{
    internal const string FileName = "events.jsonl";
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();

    public EventLog(string runFolder)
    {
        var stream = new FileStream(Path.Combine(runFolder, FileName), FileMode.Append, FileAccess.Write, FileShare.Read);
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
    }

    public void Append(EvolutionEvent evolutionEvent)
    {
        var line = Serialize(evolutionEvent);
        lock (_gate)
        {
            _writer.WriteLine(line);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }

    internal static string Serialize(EvolutionEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", e.GetType().Name);
            json.WriteString("timestamp", e.Timestamp.ToString("O", CultureInfo.InvariantCulture));
            switch (e)
            {
                case RunStarted s:
                    json.WriteString("run_folder", s.RunFolder);
                    json.WriteBoolean("resumed", s.Resumed);
                    json.WriteNumber("completed_evaluations", s.CompletedEvaluations);
                    break;
                case RunNotice n:
                    json.WriteString("message", n.Message);
                    break;
                case CandidateEvaluated c:
                    WriteCandidate(json, c.Candidate);
                    json.WriteBoolean("new_best", c.IsNewBest);
                    json.WriteNumber("completed_evaluations", c.CompletedEvaluations);
                    break;
                case CandidateRejected r:
                    WriteCandidate(json, r.Candidate);
                    break;
                case MigrationCompleted m:
                    json.WriteNumber("from_island", m.FromIsland);
                    json.WriteNumber("to_island", m.ToIsland);
                    json.WriteStartArray("candidate_ids");
                    foreach (var id in m.CandidateIds)
                    {
                        json.WriteNumberValue(id);
                    }

                    json.WriteEndArray();
                    break;
                case RunCompleted done:
                    json.WriteString("reason", done.Reason.ToString());
                    json.WriteNumber("completed_evaluations", done.CompletedEvaluations);
                    WriteNumber(json, "best_score", done.BestScore);
                    break;
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteCandidate(Utf8JsonWriter json, Candidate c)
    {
        json.WriteNumber("id", c.Id);
        json.WriteNumber("island", c.Island);
        if (c.ParentId is { } parent)
        {
            json.WriteNumber("parent_id", parent);
        }

        json.WriteNumber("generation", c.Generation);
        json.WriteString("mutation", c.Mutation.ToString());
        json.WriteString("status", c.Status.ToString());
        if (c.Model is not null)
        {
            json.WriteString("model", c.Model);
        }

        if (c.Evaluation is { } evaluation)
        {
            json.WriteString("evaluation", evaluation.Status.ToString());
            WriteNumber(json, "score", c.Score);
            json.WriteBoolean("correct", c.IsCorrect);
        }

        json.WriteNumber("input_tokens", c.InputTokens);
        json.WriteNumber("output_tokens", c.OutputTokens);
        json.WriteNumber("cost", c.Cost);
        if ((c.Error ?? c.Evaluation?.Error) is { } error)
        {
            json.WriteString("error", error.Length > 500 ? error[..500] : error);
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
