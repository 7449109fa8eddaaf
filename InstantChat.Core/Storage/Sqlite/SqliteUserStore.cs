using InstantChat.Core.Security;
using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

public sealed class SqliteUserStore(SqliteDatabase database, SqliteWriter writer) : IUserStore
{
    const string Columns = "user_id, username, role, password_hash, disabled, security_stamp, created_at";

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken ct) => await QueryAsync($"SELECT {Columns} FROM users ORDER BY username", null, ct);

    public async Task<User?> FindAsync(string userId, CancellationToken ct) =>
        (await QueryAsync($"SELECT {Columns} FROM users WHERE user_id = $v", userId, ct)).SingleOrDefault();

    public async Task<User?> FindByNameAsync(string username, CancellationToken ct) =>
        (await QueryAsync($"SELECT {Columns} FROM users WHERE username = $v", username, ct)).SingleOrDefault();

    public Task<bool> CreateAsync(User user, CancellationToken ct) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command($"INSERT INTO users ({Columns}) VALUES ($id, $name, $role, $hash, $disabled, $stamp, $created) ON CONFLICT DO NOTHING");
        Bind(command, user);
        return command.ExecuteNonQuery() == 1;
    }, ct);

    public Task<bool> UpdateAsync(User user, CancellationToken ct) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("""
            UPDATE users SET username = $name, role = $role, password_hash = $hash, disabled = $disabled,
                security_stamp = $stamp WHERE user_id = $id
            """);
        Bind(command, user);
        return command.ExecuteNonQuery() == 1;
    }, ct);

    public Task<bool> UpdateStampAsync(string userId, string securityStamp, CancellationToken ct) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("UPDATE users SET security_stamp = $stamp WHERE user_id = $id");
        command.Parameters.AddWithValue("$id", userId);
        command.Parameters.AddWithValue("$stamp", securityStamp);
        return command.ExecuteNonQuery() == 1;
    }, ct);

    public Task<bool> DeleteAsync(string userId, CancellationToken ct) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("DELETE FROM users WHERE user_id = $id");
        command.Parameters.AddWithValue("$id", userId);
        return command.ExecuteNonQuery() == 1;
    }, ct);

    static void Bind(SqliteCommand command, User u)
    {
        var p = command.Parameters;
        p.AddWithValue("$id", u.UserId);
        p.AddWithValue("$name", u.Username);
        p.AddWithValue("$role", u.Role);
        p.AddWithValue("$hash", u.PasswordHash);
        p.AddWithValue("$disabled", u.Disabled ? 1 : 0);
        p.AddWithValue("$stamp", u.SecurityStamp);
        p.AddWithValue("$created", u.CreatedAt.ToUnixTimeMilliseconds());
    }

    async Task<List<User>> QueryAsync(string sql, string? value, CancellationToken ct)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (value is not null) command.Parameters.AddWithValue("$v", value);
        var list = new List<User>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new User(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4) == 1, r.GetString(5),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6))));
        return list;
    }
}
