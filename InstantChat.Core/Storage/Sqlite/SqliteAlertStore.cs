using System.Text.Json;
using InstantChat.Core.Outbound;
using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>Alerts on SQLite: <c>open_key</c> (rule and key, null once resolved) is unique, so an alert opens once.</summary>
public sealed class SqliteAlertStore(SqliteDatabase database, SqliteWriter writer) : IAlertStore
{
    internal const string Ddl = """
        CREATE TABLE IF NOT EXISTS alert_rules (id INTEGER PRIMARY KEY CHECK (id = 1), doc TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS alerts (
            alert_id    TEXT NOT NULL PRIMARY KEY,
            rule        TEXT NOT NULL,
            key         TEXT NOT NULL,
            title       TEXT NOT NULL,
            detail      TEXT NOT NULL,
            opened_at   INTEGER NOT NULL,
            resolved_at INTEGER,
            open_key    TEXT UNIQUE
        );
        """;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<AlertRules> RulesAsync(CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT doc FROM alert_rules WHERE id = 1";
        return await command.ExecuteScalarAsync(cancellationToken) is string doc ? JsonSerializer.Deserialize<AlertRules>(doc, Json) ?? AlertRules.Defaults : AlertRules.Defaults;
    }

    public Task SaveRulesAsync(AlertRules rules, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("INSERT INTO alert_rules (id, doc) VALUES (1, $doc) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc");
        command.Parameters.AddWithValue("$doc", JsonSerializer.Serialize(rules, Json));
        return command.ExecuteNonQuery();
    }, cancellationToken);

    public Task<bool> OpenAsync(Alert a, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("""
            INSERT INTO alerts (alert_id, rule, key, title, detail, opened_at, open_key) VALUES ($id, $rule, $key, $title, $detail, $at, $open)
            ON CONFLICT (open_key) DO NOTHING
            """);
        var p = command.Parameters;
        p.AddWithValue("$id", a.AlertId);
        p.AddWithValue("$rule", a.Rule);
        p.AddWithValue("$key", a.Key);
        p.AddWithValue("$title", a.Title);
        p.AddWithValue("$detail", a.Detail);
        p.AddWithValue("$at", a.OpenedAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$open", $"{a.Rule}|{a.Key}");
        return command.ExecuteNonQuery() == 1;
    }, cancellationToken);

    public Task<Alert?> ResolveAsync(string rule, string key, DateTimeOffset at, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("UPDATE alerts SET resolved_at = $at, open_key = NULL WHERE open_key = $open RETURNING alert_id, rule, key, title, detail, opened_at, resolved_at");
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$open", $"{rule}|{key}");
        using var r = command.ExecuteReader();
        return r.Read() ? Read(r) : null;
    }, cancellationToken);

    public async Task<IReadOnlyList<Alert>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT alert_id, rule, key, title, detail, opened_at, resolved_at FROM alerts ORDER BY resolved_at IS NOT NULL, opened_at DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<Alert>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) list.Add(Read(r));
        return list;
    }

    static Alert Read(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), r.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)));
}
