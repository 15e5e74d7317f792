using RecipeCi.Naming;
using RecipeCi.Results;
using RecipeCi.Swarm;

namespace RecipeCi.Lifecycle;

/// <summary>
/// What swarm and the harness did during one run, in order: every change of a task's state and of
/// a service's update state that the convergence looks saw (with swarm's own timestamps), and the
/// harness's actions and decisions. Fed by the watcher's looks as they happen, so it is complete
/// for every wait; written as <c>timeline.json</c> and drawn in <c>report.html</c>.
/// </summary>
public sealed class RunTimeline
{
    public const string HarnessLane = "harness";

    private readonly Lock _gate = new();
    private readonly List<TimelineEvent> _events = [];
    private readonly Dictionary<string, string> _taskStates = [];
    private readonly Dictionary<string, string> _taskSpecs = [];
    private readonly Dictionary<string, string> _updateStates = [];
    private string _phase = "base";
    private string _prefix = "";
    /// <summary>Set once the harness removed the stack: every task after that runs the one deploy since.</summary>
    private bool _fresh;

    /// <summary>Which deploy the looks from now on belong to (<c>base</c> or <c>head</c>): a task on the current spec runs it.</summary>
    public void Deploying(string phase, StackName stack, string action, DateTimeOffset at)
    {
        lock (_gate) (_phase, _prefix) = (phase, stack.Of(""));
        Add(new TimelineEvent(at, TimelineKind.Action, HarnessLane, "action", action));
    }

    /// <param name="held">Whether what was judged held (a deploy converged): the page colours the marker by it.</param>
    public void Decided(string decision, bool held, DateTimeOffset at) =>
        Add(new TimelineEvent(at, TimelineKind.Decision, HarnessLane, held ? TimelineEvent.Held : TimelineEvent.NotHeld, decision));

    /// <summary>The trust boundary refused a deploy: nothing of it reached the swarm.</summary>
    public void Refused(string refusal, DateTimeOffset at) => Add(new TimelineEvent(at, TimelineKind.Decision, HarnessLane, TimelineEvent.Refused, refusal));

    /// <summary>
    /// The harness removed the stack (before a cold install): every task and update state seen so far
    /// ends here, though swarm's lists, emptied with the stack, never said so.
    /// </summary>
    public void Removed(string action, DateTimeOffset at)
    {
        lock (_gate)
        {
            _updateStates.Clear();
            _fresh = true;
        }
        Add(new TimelineEvent(at, TimelineKind.Action, HarnessLane, TimelineEvent.Removed, action));
    }

    /// <summary>Adds what changed since the previous look: task states and update states.</summary>
    public void Observe(SwarmObservation look)
    {
        lock (_gate)
        {
            foreach (var service in look.Services)
            {
                var lane = Lane(service.Name);
                if (service.UpdateStatus?.State?.Text is { } update && _updateStates.GetValueOrDefault(service.Name) != update)
                {
                    _updateStates[service.Name] = update;
                    var at = service.UpdateStatus.CompletedAt ?? service.UpdatedAt;
                    _events.Add(new TimelineEvent(at, TimelineKind.Update, lane, update, $"{lane} update {update.Replace('_', ' ')}"
                        + (service.UpdateStatus.Message is { Length: > 0 } m ? $": {m}" : "")));
                }
                // Every task already seen was classified when it appeared: one that first shows up while
                // swarm rolls the service back was made by the rollback.
                var rollingBack = service.UpdateStatus?.State?.Kind.IsRollback() == true;
                foreach (var task in look.Tasks.Where(t => t.ServiceID == service.ID))
                {
                    if (_taskStates.GetValueOrDefault(task.ID) == task.Status.State.Text) continue;
                    _taskStates[task.ID] = task.Status.State.Text;
                    // A task runs the spec it was created on: classified when first seen, kept after (a
                    // head task that fails after swarm reverted the spec still ran the head).
                    var spec = _taskSpecs.TryGetValue(task.ID, out var known) ? known
                        : _taskSpecs[task.ID] = rollingBack ? "rollback"
                        : look.CurrentSpecTasks.Contains(task.ID) || _fresh ? _phase
                        : _phase == "head" ? "base" : "previous";
                    var why = task.Status.Err is { Length: > 0 } err ? $": {err}" : "";
                    _events.Add(new TimelineEvent(task.Status.Timestamp, TimelineKind.Task, lane, task.Status.State.Text,
                        $"{lane} task {task.ID[..Math.Min(4, task.ID.Length)]} {task.Status.State} ({spec}){why}") { Task = task.ID, Spec = spec });
                }
            }
        }
    }

    private void Add(TimelineEvent e)
    {
        lock (_gate) _events.Add(e);
    }

    /// <summary>Service names without their stack prefix.</summary>
    private string Lane(string service) => service.StartsWith(_prefix, StringComparison.Ordinal) ? service[_prefix.Length..] : service;

    /// <summary>Everything so far, in time order.</summary>
    public IReadOnlyList<TimelineEvent> Events
    {
        get { lock (_gate) return [.. _events.OrderBy(e => e.At)]; }
    }

    /// <summary>The first deploy's time: the report's zero.</summary>
    public DateTimeOffset? Origin => Events.FirstOrDefault(e => e.Kind == TimelineKind.Action)?.At ?? Events.FirstOrDefault()?.At;

    /// <summary>The last <paramref name="count"/> events as text, times relative to the first deploy (<c>+12.4s app task 3f2a running (head)</c>).</summary>
    public IEnumerable<string> Tail(int count)
    {
        var origin = Origin;
        return Events.TakeLast(count).Select(e => $"+{(origin is { } o ? (e.At - o).TotalSeconds : 0):0.0}s {e.Text}");
    }

    public TimelineFile File() => new(1, Origin, Events);
}
