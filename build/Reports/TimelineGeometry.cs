using RecipeCi.Results;


namespace RecipeCi.Reports;

/// <summary>A mark of the time axis: its x and the seconds since the first deploy it stands for.</summary>
public sealed record Tick(double X, int Seconds);

/// <summary>A service's update state across its lane, from when swarm entered it until the next one, a removal or the end.</summary>
public sealed record Band(double X, double Width, TimelineEvent Update);

/// <summary>One state of one task: a bar in its task's row of the lane.</summary>
public sealed record Bar(double X, int Y, double Width, TimelineEvent Event);

/// <summary>A service's lane at <see cref="Y"/>, with its update bands and its tasks' bars.</summary>
public sealed record Lane(string Service, int Y, IReadOnlyList<Band> Bands, IReadOnlyList<Bar> Bars);

/// <summary>An action or decision of the harness, numbered, at its x and its seconds since the first deploy; its number on row <see cref="Row"/> below the lanes.</summary>
public sealed record Marker(int Number, double X, double Seconds, TimelineEvent Event, int Row)
{
    public MarkerKind Kind => TimelineSelection.KindOf(Event);
}

/// <summary>The whole timeline in the SVG's coordinates: <see cref="Bottom"/> is where the lanes end and the markers' numbers go, a row each.</summary>
public sealed record TimelineLayout(int Height, int Bottom, IReadOnlyList<Tick> Ticks, IReadOnlyList<Lane> Lanes, IReadOnlyList<Marker> Markers);

/// <summary>
/// Where the timeline's pieces go: times to x positions (seconds since the first deploy, over the
/// width less the lane labels), a lane per service, bars and bands ending where the next state
/// begins, where the harness removed the stack, or at the last event. Pure: no markup.
/// </summary>
public static class TimelineGeometry
{
    public const int Width = 1100, LaneHeight = 44, Left = 110, Top = 26;
    /// <summary>A task's bar: its height, the rows of a lane's tasks, and the least width of a failed state, so that a failure is never a sliver.</summary>
    public const int BarHeight = 10, BarRow = 12, FailedWidth = 10;
    /// <summary>A marker's number: the least distance between two on one row, and a row's height.</summary>
    public const int LabelGap = 18, LabelRow = 15;

    /// <summary>The layout, or null when the run deployed nothing (no events, or no first deploy to count from).</summary>
    public static TimelineLayout? Of(TimelineFile timeline)
    {
        var events = timeline.Events;
        if (events.Count == 0 || timeline.Origin is not { } origin) return null;
        var end = events.Max(e => e.At);
        var removals = TimelineSelection.Removals(events);
        // What was on the swarm ends where the harness removed the stack (before a cold install), else at the end.
        DateTimeOffset Until(DateTimeOffset from, DateTimeOffset? next) =>
            removals.Where(at => at > from && (next is null || at < next)).Select(at => (DateTimeOffset?)at).FirstOrDefault() ?? next ?? end;
        // A little room after the last event, so that its marker is not on the edge.
        var span = Math.Max(1, (end - origin).TotalSeconds) * 1.05;
        double XOf(double seconds) => Left + seconds / span * (Width - Left - 10);
        double X(DateTimeOffset at) => XOf(Math.Max(0, (at - origin).TotalSeconds));

        var ticks = new List<Tick>();
        var step = TickStep(span);
        for (var t = 0; t <= span; t += step) ticks.Add(new Tick(XOf(t), t));

        Lane LaneOf(string service, int index)
        {
            var y = Top + index * LaneHeight;
            var updates = TimelineSelection.Updates(events, service);
            var failures = TimelineSelection.Failures(events, service);
            var bands = updates.Select((update, u) =>
            {
                var x1 = X(update.At);
                var until = Until(update.At, u + 1 < updates.Count ? updates[u + 1].At : null);
                // A completed update whose tasks fail after it (a crash loop) did not stay completed: its band ends at the first failure.
                if (update.State == TimelineSelection.Completed && failures.Where(at => at > update.At && at < until).Select(at => (DateTimeOffset?)at).FirstOrDefault() is { } failed)
                    until = failed;
                return new Band(x1, Math.Max(2, X(until) - x1), update);
            });
            // A service's tasks take turns on three rows, so that a replacement does not hide the task it replaces.
            var bars = TimelineSelection.Tasks(events, service).SelectMany((states, k) => states.Select((state, s) =>
            {
                var x1 = X(state.At);
                var x2 = s + 1 < states.Count ? X(states[s + 1].At) : TimelineSelection.Lasts(state.State) ? X(Until(state.At, null)) : x1 + 4;
                return new Bar(x1, y + 5 + k % 3 * BarRow, Math.Max(TimelineSelection.Fails(state.State) ? FailedWidth : 3, x2 - x1), state);
            }));
            return new Lane(service, y, [.. bands], [.. bars]);
        }

        var lanes = TimelineSelection.Lanes(events).Select(LaneOf).ToList();
        var xs = TimelineSelection.Markers(events).Select(e => X(e.At)).ToList();
        var rows = LabelRows(xs);
        var markers = TimelineSelection.Markers(events).Select((e, m) => new Marker(m + 1, xs[m], (e.At - origin).TotalSeconds, e, rows[m])).ToList();
        var bottom = Top + lanes.Count * LaneHeight;
        return new TimelineLayout(bottom + 10 + (rows.DefaultIfEmpty(0).Max() + 1) * LabelRow, bottom, ticks, lanes, markers);
    }

    /// <summary>
    /// Each label's row: the first whose last label is at least <see cref="LabelGap"/> to the left,
    /// so that numbers close in time stack instead of overlapping. Labels come in time order.
    /// </summary>
    public static IReadOnlyList<int> LabelRows(IReadOnlyList<double> xs)
    {
        var lastOnRow = new List<double>();
        var rows = new List<int>();
        foreach (var x in xs)
        {
            var row = lastOnRow.FindIndex(last => x - last >= LabelGap);
            if (row < 0) { row = lastOnRow.Count; lastOnRow.Add(x); }
            else lastOnRow[row] = x;
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>A round step between the axis's ticks (1, 2, 5, 10, 15, 30, 60 ... s) giving at most ten of them.</summary>
    private static int TickStep(double span) =>
        new[] { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600 }.FirstOrDefault(step => span / step <= 10, (int)Math.Ceiling(span / 10));
}
