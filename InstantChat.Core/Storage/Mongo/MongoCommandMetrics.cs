using System.Diagnostics.Metrics;
using MongoDB.Bson;
using MongoDB.Driver.Core.Events;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// Round trips to MongoDB, counted from the driver's command events by command and collection
/// (<c>instantchat.mongodb.commands</c> on <c>/metrics</c>): how many a delivery and an event cost
/// is the figure that decides whether a database keeps up (bench/RESULTS.md).
/// </summary>
public sealed class MongoCommandMetrics : IDisposable
{
    public const string MeterName = "InstantChat.Storage";
    readonly Meter _meter;
    readonly Counter<long> _commands;

    public MongoCommandMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _commands = _meter.CreateCounter<long>("instantchat.mongodb.commands", "{command}", "MongoDB commands sent (round trips), by command and collection.");
    }

    public void Started(CommandStartedEvent e)
    {
        // The command document's first element names the command and, for CRUD, the collection.
        var collection = e.Command.ElementCount > 0 && e.Command.GetElement(0).Value is BsonString s ? s.Value : "";
        _commands.Add(1, new("command", e.CommandName), new("collection", collection));
    }

    public void Dispose() => _meter.Dispose();
}
