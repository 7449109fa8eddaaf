using System.Globalization;
using InstantChat.Core.Stats;
using MudBlazor;

namespace InstantChat.Web.Components.Pages;

/// <summary>The Overview's charts: the last hour by minute, a day or a week by hour, and events by type with their numbers.</summary>
public sealed partial class Overview
{
    /// <summary>The hourly chart's window, beside the last hour's minute-by-minute chart: a day or a week.</summary>
    public enum Window { Day, Week }

    /// <summary>Received blue, processed green, failed red: failures read as failures.</summary>
    static readonly LineChartOptions HourOptions = new() { ChartPalette = ["#1565c0", "#2e7d32", "#c62828"] };
    static readonly LineChartOptions MinuteOptions = new() { ChartPalette = ["#2e7d32"] };

    Window _window = Window.Day;
    IReadOnlyList<MinuteBucket> _minutes = [];
    List<ChartSeries<double>> _minuteSeries = [];
    string[] _minuteLabels = [];
    List<ChartSeries<double>> _activitySeries = [];
    string[] _activityLabels = [];
    List<ChartSeries<double>> _typeSeries = [];
    string[] _typeLabels = [];

    string ActivityTitle => _window == Window.Week ? "Events per hour (last 7 days, UTC)" : "Events per hour (last 24 h, UTC)";

    void SetWindow(Window window)
    {
        _window = window;
        if (_report is { } r) BuildCharts(r);
    }

    void BuildCharts(StatsReport r)
    {
        // Every tenth label: 60 of them do not fit.
        _minuteLabels = _minutes.Select((m, i) => i % 10 == 0 ? m.Minute.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture) : "").ToArray();
        _minuteSeries = [new() { Name = "Processed", Data = new(_minutes.Select(m => (double)m.Processed).ToList()) }];
        var hours = _window == Window.Week ? r.Last7Days : r.Last24Hours;
        // A label every fourth hour over a day, every day over a week: 24 or 168 do not fit on a phone.
        _activityLabels = _window == Window.Week
            ? hours.Select((h, i) => i % 24 == 0 ? h.Hour.UtcDateTime.ToString("ddd dd", CultureInfo.InvariantCulture) : "").ToArray()
            : hours.Select((h, i) => i % 4 == 0 ? h.Hour.UtcDateTime.ToString("HH:00", CultureInfo.InvariantCulture) : "").ToArray();
        _activitySeries =
        [
            new() { Name = "Received", Data = new(hours.Select(h => (double)h.Received).ToList()) },
            new() { Name = "Processed", Data = new(hours.Select(h => (double)h.Processed).ToList()) },
            new() { Name = "Failed", Data = new(hours.Select(h => (double)h.Failed).ToList()) },
        ];
        // The donut's legend carries the numbers: a slice alone does not say how many.
        var types = r.ByType.Where(t => t.Value > 0).OrderByDescending(t => t.Value).ToList();
        _typeLabels = types.Select(t => $"{t.Key} ({Shared.Format.Number(t.Value)})").ToArray();
        _typeSeries = [new() { Name = "Events", Data = new(types.Select(t => (double)t.Value).ToList()) }];
    }
}
