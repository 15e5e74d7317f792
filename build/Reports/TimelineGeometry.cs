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

/// <summary>An action or decision of the harness, numbered, at its x and its seconds since the first deploy.</summary>
public sealed record Marker(int Number, double X, double Seconds, TimelineEvent Event);

/// <summary>The whole timeline in the SVG's coordinates: <see cref="Bottom"/> is where the lanes end and the markers' numbers go.</summary>
public sealed record TimelineLayout(int Height, int Bottom, IReadOnlyList<Tick> Ticks, IReadOnlyList<Lane> Lanes, IReadOnlyList<Marker> Markers);

/// <summary>
/// Where the timeline's pieces go: times to x positions (seconds since the first deploy, over the
/// width less the lane labels), a lane per service, bars and bands ending where the next state
/// begins, where the harness removed the stack, or at the last event. Pure: no markup.
/// </summary>
public static class TimelineGeometry
{
    public const int Width = 1100, LaneHeight = 34, Left = 110, Top = 24;

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
        for (var t = 0; t <= span; t += Math.Max(1, (int)(span / 10))) ticks.Add(new Tick(XOf(t), t));

        Lane LaneOf(string service, int index)
        {
            var y = Top + index * LaneHeight;
            var updates = TimelineSelection.Updates(events, service);
            var bands = updates.Select((update, u) =>
            {
                var x1 = X(update.At);
                var x2 = X(Until(update.At, u + 1 < updates.Count ? updates[u + 1].At : null));
                return new Band(x1, Math.Max(2, x2 - x1), update);
            });
            // A service's tasks take turns on three rows, so that a replacement does not hide the task it replaces.
            var bars = TimelineSelection.Tasks(events, service).SelectMany((states, k) => states.Select((state, s) =>
            {
                var x1 = X(state.At);
                var x2 = s + 1 < states.Count ? X(states[s + 1].At) : TimelineSelection.Lasts(state.State) ? X(Until(state.At, null)) : x1 + 4;
                return new Bar(x1, y + 5 + k % 3 * 8, Math.Max(3, x2 - x1), state);
            }));
            return new Lane(service, y, [.. bands], [.. bars]);
        }

        var lanes = TimelineSelection.Lanes(events).Select(LaneOf).ToList();
        var markers = TimelineSelection.Markers(events).Select((e, m) => new Marker(m + 1, X(e.At), (e.At - origin).TotalSeconds, e)).ToList();
        return new TimelineLayout(Top + (lanes.Count + 1) * LaneHeight + 20, Top + lanes.Count * LaneHeight, ticks, lanes, markers);
    }
}
