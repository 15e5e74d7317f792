using System.Reflection;
using Cake.Cli;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Tooling;
using Spectre.Console;

namespace RecipeCi.Host;

/// <summary>A context may decide the process exit code (for example from a verdict).</summary>
public interface IExitCodeSource
{
    int? ExitCode { get; }
}

/// <summary>The context's last words, printed after the task table: a run's console ends with its verdict, not the table.</summary>
public interface IClosingLinesSource
{
    IReadOnlyList<ClosingLine> ClosingLines { get; }
}

/// <summary>A closing line, with the colour it has where the console shows colour (a terminal, not a pipe or NO_COLOR).</summary>
public sealed record ClosingLine(string Text, ConsoleColor? Colour = null);

/// <summary>Whether this process's console shows colour, as the host decided it (<c>--color</c>, <c>NO_COLOR</c>, <c>FORCE_COLOR</c>, the terminal); in the context's <c>Data</c>.</summary>
public sealed record ConsoleChoice(bool Colour);

/// <summary>Bad input from the command line: printed as one line, exit code 2.</summary>
/// <remarks>The host's own; the application maps its own bad-input exception with <see cref="CakeHost.MapException{TException}"/>.</remarks>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Builds a Cake context, registers every task class of the given assemblies on Cake's engine and
/// runs the requested target with Cake's own strategies (run, --dryrun, --tree, --description).
/// </summary>
public sealed class CakeHost
{
    public const int UsageExitCode = 2;

    private readonly List<Assembly> _assemblies = [];
    private Type? _contextType;
    private Type? _lifetimeType;
    private Type? _taskLifetimeType;
    private IConsole? _console;
    private string _usage = "";
    private Func<ICakeContext, IEnumerable<DynamicTask>>? _dynamicTasks;
    private readonly List<(Type Exception, int ExitCode)> _exitCodes = [(typeof(UsageException), UsageExitCode)];

    public CakeHost UseContext<TContext>() where TContext : ICakeContext { _contextType = typeof(TContext); return this; }
    public CakeHost UseLifetime<TLifetime>() { _lifetimeType = typeof(TLifetime); return this; }
    public CakeHost UseTaskLifetime<TLifetime>() { _taskLifetimeType = typeof(TLifetime); return this; }
    public CakeHost AddAssembly(Assembly assembly) { _assemblies.Add(assembly); return this; }
    public CakeHost UseConsole(IConsole console) { _console = console; return this; }
    /// <summary>Text printed above the target list when no target is given.</summary>
    public CakeHost UseUsage(string usage) { _usage = usage; return this; }
    /// <summary>Tasks made from the context when the graph is built (see <see cref="DynamicTask"/>).</summary>
    public CakeHost UseDynamicTasks(Func<ICakeContext, IEnumerable<DynamicTask>> source) { _dynamicTasks = source; return this; }
    /// <summary>
    /// An exception of this type, wherever it is thrown (the context's constructor, a task, the
    /// lifetime) and however Cake wraps it, ends the run with its message as one line and this exit code.
    /// </summary>
    public CakeHost MapException<TException>(int exitCode) where TException : Exception { _exitCodes.Add((typeof(TException), exitCode)); return this; }

    public int Run(IEnumerable<string> args) => RunAsync(args).GetAwaiter().GetResult();

    public async Task<int> RunAsync(IEnumerable<string> args)
    {
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        HostArguments parsed;
        try
        {
            parsed = HostArguments.Parse(args);
        }
        catch (UsageException ex)
        {
            (_console ?? HostConsole.For(new CakeConsole(environment), null)).WriteErrorLine("error: " + ex.Message);
            return UsageExitCode;
        }
        var console = _console ?? HostConsole.For(new CakeConsole(environment), parsed.Color);

        var log = new CakeBuildLog(console, parsed.Verbosity);
        var fileSystem = new FileSystem();
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var globber = new Globber(fileSystem, environment);
        var toolRepository = new ToolRepository(environment);
        var tools = new ToolLocator(environment, toolRepository,
            new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        var data = new CakeDataService();
        data.Add(new ConsoleChoice(console is HostConsole { Colour: true }));
        var cakeContext = new CakeContext(fileSystem, environment, globber, log, parsed.ToCakeArguments(parsed.Target),
            new ProcessRunner(fileSystem, environment, log, tools, configuration), new WindowsRegistry(), tools,
            data, configuration, new NoToolInstaller(), EmptyServiceProvider.Instance);

        var engine = new CakeEngine(data, new EngineLog(log));
        var tasks = DiscoverTasks();
        if (parsed.Target is null && !parsed.Flags.Contains("description"))
        {
            console.WriteLine(_usage);
            PrintTargets(console, tasks, stages: true);
            // Nothing asked (or help asked for) is answered by the list; options without a target are a usage error.
            return parsed.Flags.Contains("help") || parsed.Options.Count == 0 && parsed.Flags.Count == 0 ? 0 : UsageExitCode;
        }

        var target = parsed.Target ?? tasks.First().Name;
        var match = tasks.FirstOrDefault(t => string.Equals(t.Name, target, StringComparison.OrdinalIgnoreCase));
        if (match is null && !parsed.Flags.Contains("description"))
        {
            console.WriteErrorLine($"error: unknown target '{target}'");
            PrintTargets(console, tasks, stages: false);
            return UsageExitCode;
        }
        if (match is not null && ReadsOptionsAttribute.Check(match.Type, match.Name, parsed.Options.Select(o => o.Key).Distinct(),
                tasks.Select(t => (t.Name, t.Type))) is { } unread)
        {
            console.WriteErrorLine("error: " + unread);
            return UsageExitCode;
        }

        ICakeContext context;
        try
        {
            context = _contextType is null ? cakeContext : (ICakeContext)Activator.CreateInstance(_contextType, cakeContext)!;
            // A dry run only lists the plan: no lifetime, and no criteria that would start a run.
            Register(engine, tasks, context, planOnly: parsed.Flags.Contains("dryrun"));
        }
        catch (Exception ex) when (Mapped(ex) is { } bad)
        {
            console.WriteErrorLine("error: " + bad.Message);
            return bad.ExitCode;
        }

        if (parsed.Flags.Contains("description"))
        {
            await new DescriptionScriptHost(engine, context, AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
            })).RunTargetAsync(target);
            return 0;
        }

        if (parsed.Flags.Contains("tree"))
        {
            await new TreeScriptHost(engine, context, console).RunTargetAsync(match!.Name);
            return 0;
        }

        var printer = new OutcomeReportPrinter(new CakeReportPrinter(console, context), context, console, match!.Name);
        var settings = new ExecutionSettings().SetTarget(match!.Name);
        if (parsed.Flags.Contains("exclusive")) settings.UseExclusiveTarget();
        if (parsed.Flags.Contains("dryrun"))
        {
            await new DryRunScriptHost(engine, context, log).RunTargetAsync(match!.Name);
            return 0;
        }

        var strategy = new DefaultExecutionStrategy(log, printer);
        try
        {
            var report = await engine.RunTargetAsync(context, strategy, settings);
            printer.Write(report);
            WriteClosingLines(console, context);
        }
        catch (Exception ex) when (Mapped(ex) is { } bad)
        {
            console.WriteErrorLine("error: " + bad.Message);
            return bad.ExitCode;
        }
        catch (Exception ex)
        {
            // The engine's own "An error occurred when executing task" line is left out (EngineLog): this one names the task.
            var task = (ex as CakeReportException)?.Report?.LastOrDefault(e => e.ExecutionStatus == CakeTaskExecutionStatus.Failed)?.TaskName;
            log.Error("Error: {0}{1}", task is null ? "" : $"task '{task}': ", ex.GetBaseException().Message);
            WriteClosingLines(console, context);
            return (context as IExitCodeSource)?.ExitCode ?? 1;
        }

        return (context as IExitCodeSource)?.ExitCode ?? 0;
    }

    private static void WriteClosingLines(IConsole console, ICakeContext context)
    {
        foreach (var line in (context as IClosingLinesSource)?.ClosingLines ?? [])
        {
            if (line.Colour is { } colour) console.ForegroundColor = colour;
            console.WriteLine("{0}", line.Text);
            if (line.Colour is not null) console.ResetColor();
        }
    }

    internal sealed record TaskEntry(string Name, Type Type, string Description, bool IsTarget);

    /// <summary>Task classes of the assemblies; a task nothing depends on is a target.</summary>
    internal List<TaskEntry> DiscoverTasks()
    {
        var assemblies = _assemblies.Count > 0 ? _assemblies : [Assembly.GetEntryAssembly()!];
        var types = assemblies.SelectMany(a => a.GetTypes())
            .Where(t => !t.IsAbstract && typeof(IFrostingTask).IsAssignableFrom(t)).ToList();
        var dependedOn = types.SelectMany(t => t.GetCustomAttributes<IsDependentOnAttribute>().Select(d => d.Task))
            .Concat(types.Where(t => t.GetCustomAttributes<IsDependeeOfAttribute>().Any()))
            .ToHashSet();
        return types
            .Select(t => new TaskEntry(TaskNameOf(t), t,
                t.GetCustomAttribute<TaskDescriptionAttribute>()?.Description ?? "", !dependedOn.Contains(t)))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
    }

    internal static string TaskNameOf(Type type) =>
        type.GetCustomAttribute<TaskNameAttribute>()?.Name ?? (type.Name.EndsWith("Task") ? type.Name[..^4] : type.Name);

    /// <summary>Whether the task class, or a base class of the application's, overrides a handler.</summary>
    private static bool Overrides(Type type, string method)
    {
        for (var t = type; t is not null && !IsHostBase(t); t = t.BaseType)
            if (t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Any(m => m.Name == method))
                return true;
        return false;
    }

    private static bool IsHostBase(Type t) =>
        t == typeof(object) || t == typeof(FrostingTask)
        || (t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(AsyncFrostingTask<>) || t.GetGenericTypeDefinition() == typeof(FrostingTask<>)));

    private void Register(CakeEngine engine, List<TaskEntry> tasks, ICakeContext context, bool planOnly)
    {
        if (_lifetimeType is not null && !planOnly)
        {
            var lifetime = Activator.CreateInstance(_lifetimeType)!;
            engine.RegisterSetupAction(info => { Invoke(lifetime, "Setup", context, info); });
            engine.RegisterTeardownAction(info => { Invoke(lifetime, "Teardown", context, info); });
        }
        if (_taskLifetimeType is not null && !planOnly)
        {
            var taskLifetime = Activator.CreateInstance(_taskLifetimeType)!;
            engine.RegisterTaskSetupAction(info => { Invoke(taskLifetime, "Setup", context, info); });
            engine.RegisterTaskTeardownAction(info => { Invoke(taskLifetime, "Teardown", context, info); });
        }

        foreach (var entry in tasks)
        {
            var task = (IFrostingTask)Activator.CreateInstance(entry.Type)!;
            var builder = engine.RegisterTask(entry.Name);
            if (entry.Description.Length > 0) builder.Description(entry.Description);
            foreach (var dep in entry.Type.GetCustomAttributes<IsDependentOnAttribute>())
                builder.IsDependentOn(TaskNameOf(dep.Task));
            foreach (var dependee in entry.Type.GetCustomAttributes<IsDependeeOfAttribute>())
                builder.IsDependeeOf(TaskNameOf(dependee.Task));
            if (entry.Type.GetCustomAttribute<ContinueOnErrorAttribute>() is not null) builder.ContinueOnError();
            builder.Does(() => task.RunAsync(context));
            // Only wire the handlers a task overrides: an error handler registered on the engine
            // swallows the exception, which would turn a failing task green.
            if (Overrides(entry.Type, "ShouldRun") && !planOnly) builder.WithCriteria(_ => task.ShouldRun(context));
            if (Overrides(entry.Type, "OnError")) builder.OnError(ex => task.OnError(ex, context));
            if (Overrides(entry.Type, "Finally")) builder.Finally(() => task.Finally(context));
        }

        foreach (var dynamic in _dynamicTasks?.Invoke(context) ?? [])
        {
            var builder = engine.RegisterTask(dynamic.Name).Description(dynamic.Description);
            foreach (var dep in dynamic.DependsOn) builder.IsDependentOn(dep);
            // Added as the dependee's dependency rather than with IsDependeeOf, which --tree does not draw.
            foreach (var dependee in dynamic.DependeeOf)
                new CakeTaskBuilder(engine.Tasks.OfType<CakeTask>().Single(t => string.Equals(t.Name, dependee, StringComparison.OrdinalIgnoreCase)))
                    .IsDependentOn(dynamic.Name);
            builder.Does(dynamic.Run);
        }
    }

    /// <summary>Cake and reflection may wrap a task's exception; a mapped one is recognised wherever it sits.</summary>
    private (string Message, int ExitCode)? Mapped(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            foreach (var (type, code) in _exitCodes)
                if (type.IsInstanceOfType(ex)) return (ex.Message, code);
            if (ex is AggregateException agg && agg.InnerExceptions.Select(Mapped).FirstOrDefault(e => e is not null) is { } inner) return inner;
        }
        return null;
    }

    private static void Invoke(object target, string method, ICakeContext context, object info)
    {
        try
        {
            target.GetType().GetMethod(method)!.Invoke(target, [context, info]);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
        }
    }

    private static void PrintTargets(IConsole console, List<TaskEntry> tasks, bool stages)
    {
        var width = tasks.Max(t => t.Name.Length) + 2;
        console.WriteLine("Targets:");
        foreach (var t in tasks.Where(t => t.IsTarget))
            console.WriteLine("  " + t.Name.PadRight(width) + t.Description);
        if (!stages) return;
        console.WriteLine("");
        console.WriteLine("Stages (parts of the targets above, in the order a run meets them):");
        foreach (var t in RunOrder(tasks).Where(t => !t.IsTarget))
            console.WriteLine("  " + t.Name.PadRight(width) + t.Description);
    }

    /// <summary>Every task after the tasks it depends on, walking the largest target first: its lifecycle order.</summary>
    internal static List<TaskEntry> RunOrder(List<TaskEntry> tasks)
    {
        var byType = tasks.ToDictionary(t => t.Type);
        IEnumerable<TaskEntry> DependenciesOf(TaskEntry t) =>
            t.Type.GetCustomAttributes<IsDependentOnAttribute>().Select(d => byType.GetValueOrDefault(d.Task)).OfType<TaskEntry>();
        var order = new List<TaskEntry>();
        var seen = new HashSet<Type>();
        void Visit(TaskEntry t)
        {
            if (!seen.Add(t.Type)) return;
            foreach (var d in DependenciesOf(t)) Visit(d);
            order.Add(t);
        }
        int Reach(TaskEntry t)
        {
            var reached = new HashSet<Type>();
            var next = new Stack<TaskEntry>([t]);
            while (next.TryPop(out var x))
                if (reached.Add(x.Type)) foreach (var d in DependenciesOf(x)) next.Push(d);
            return reached.Count;
        }
        foreach (var t in tasks.OrderByDescending(Reach)) Visit(t);
        return order;
    }

    private sealed class NoToolInstaller : IToolInstaller
    {
        public IEnumerable<FilePath> Install(PackageReference tool) =>
            throw new NotSupportedException($"This host does not install Cake tools ({tool.OriginalString}); put the tool on PATH.");
    }

    private sealed class EmptyServiceProvider : IServiceProvider
    {
        public static readonly EmptyServiceProvider Instance = new();
        public object? GetService(Type serviceType) => null;
    }
}
