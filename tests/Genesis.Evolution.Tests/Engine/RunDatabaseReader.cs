using Microsoft.Data.Sqlite;

namespace Genesis.Tests.Engine;

/// <summary>Reads a run's database the way a user would: plain SQL (a second connection, as a dashboard would open one).</summary>
public static class RunDatabaseReader
{
    public static List<Dictionary<string, object?>> Query(string runFolder, string sql)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = System.IO.Path.Combine(runFolder, "genesis.db"), Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public static long Scalar(string runFolder, string sql) => Convert.ToInt64(Query(runFolder, sql)[0].Values.First(), System.Globalization.CultureInfo.InvariantCulture);
}
