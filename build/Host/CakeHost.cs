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

/// <summary>Bad input from the command line: printed as one line, exit code 2.</summary>
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

    public CakeHost UseContext<TContext>() where TContext : ICakeContext { _contextType = typeof(TContext); return this; }
    public CakeHost UseLifetime<TLifetime>() { _lifetimeType = typeof(TLifetime); return this; }
    public CakeHost UseTaskLifetime<TLifetime>() { _taskLifetimeType = typeof(TLifetime); return this; }
    public CakeHost AddAssembly(Assembly assembly) { _assemblies.Add(assembly); return this; }
    public CakeHost UseConsole(IConsole console) { _console = console; return this; }
    /// <summary>Text printed above the target list when no target is given.</summary>
    public CakeHost UseUsage(string usage) { _usage = usage; return this; }
    /// <summary>Tasks made from the context when the graph is built (see <see cref="DynamicTask"/>).</summary>
    public CakeHost UseDynamicTasks(Func<ICakeContext, IEnumerable<DynamicTask>> source) { _dynamicTasks = source; return this; }

    public int Run(IEnumerable<string> args) => RunAsync(args).GetAwaiter().GetResult();

    public async Task<int> RunAsync(IEnumerable<string> args)
    {
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var console = _console ?? new CakeConsole(environment);
        HostArguments parsed;
        try
        {
            parsed = HostArguments.Parse(args);
        }
        catch (UsageException ex)
        {
            console.WriteErrorLine("error: " + ex.Message);
            return UsageExitCode;
        }

        var log = new CakeBuildLog(console, parsed.Verbosity);
        var fileSystem = new FileSystem();
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var globber = new Globber(fileSystem, environment);
        var toolRepository = new ToolRepository(environment);
        var tools = new ToolLocator(environment, toolRepository,
            new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        var data = new CakeDataService();
        var cakeContext = new CakeContext(fileSystem, environment, globber, log, parsed.ToCakeArguments(parsed.Target),
            new ProcessRunner(fileSystem, environment, log, tools, configuration), new WindowsRegistry(), tools,
            data, configuration, new NoToolInstaller(), EmptyServiceProvider.Instance);

        var engine = new CakeEngine(data, log);
        var tasks = DiscoverTasks();
        if (parsed.Target is null && !parsed.Flags.Contains("description"))
        {
            console.WriteLine(_usage);
            PrintTargets(console, tasks);
            return parsed.Flags.Contains("help") ? 0 : UsageExitCode;
        }

        var target = parsed.Target ?? tasks.First().Name;
        var match = tasks.FirstOrDefault(t => string.Equals(t.Name, target, StringComparison.OrdinalIgnoreCase));
        if (match is null && !parsed.Flags.Contains("description"))
        {
            console.WriteErrorLine($"error: unknown target '{target}'. Known targets: {string.Join(", ", tasks.Select(t => t.Name))}");
            return UsageExitCode;
        }

        ICakeContext context;
        try
        {
            context = _contextType is null ? cakeContext : (ICakeContext)Activator.CreateInstance(_contextType, cakeContext)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is UsageException usage)
        {
            console.WriteErrorLine("error: " + usage.Message);
            return UsageExitCode;
        }

        // A dry run only lists the plan: no lifetime, and no criteria that would start a run.
        try
        {
            Register(engine, tasks, context, planOnly: parsed.Flags.Contains("dryrun"));
        }
        catch (UsageException ex)
        {
            console.WriteErrorLine("error: " + ex.Message);
            return UsageExitCode;
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

        var printer = new CakeReportPrinter(console, context);
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
        }
        catch (Exception ex) when (Find<UsageException>(ex) is { } usage)
        {
            console.WriteErrorLine("error: " + usage.Message);
            return UsageExitCode;
        }
        catch (Exception ex)
        {
            log.Error("Error: {0}", ex.GetBaseException().Message);
            return (context as IExitCodeSource)?.ExitCode ?? 1;
        }

        return (context as IExitCodeSource)?.ExitCode ?? 0;
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

    /// <summary>Cake may wrap a task's exception; bad input is recognised wherever it sits.</summary>
    private static T? Find<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T match) return match;
            if (ex is AggregateException agg && agg.InnerExceptions.Select(Find<T>).FirstOrDefault(e => e is not null) is { } inner) return inner;
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

    private static void PrintTargets(IConsole console, List<TaskEntry> tasks)
    {
        var width = tasks.Max(t => t.Name.Length) + 2;
        console.WriteLine("Targets:");
        foreach (var t in tasks.Where(t => t.IsTarget))
            console.WriteLine("  " + t.Name.PadRight(width) + t.Description);
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
