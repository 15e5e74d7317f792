using Cake.Core;

namespace RecipeCi.Host;

/// <summary>The untyped face of a task class, as the host registers it.</summary>
public interface IFrostingTask
{
    Task RunAsync(ICakeContext context);
    bool ShouldRun(ICakeContext context);
    void OnError(Exception exception, ICakeContext context);
    void Finally(ICakeContext context);
}

public abstract class AsyncFrostingTask<TContext> : IFrostingTask where TContext : ICakeContext
{
    public virtual Task RunAsync(TContext context) => Task.CompletedTask;
    public virtual bool ShouldRun(TContext context) => true;
    public virtual void OnError(Exception exception, TContext context) { }
    public virtual void Finally(TContext context) { }

    Task IFrostingTask.RunAsync(ICakeContext context) => RunAsync((TContext)context);
    bool IFrostingTask.ShouldRun(ICakeContext context) => ShouldRun((TContext)context);
    void IFrostingTask.OnError(Exception exception, ICakeContext context) => OnError(exception, (TContext)context);
    void IFrostingTask.Finally(ICakeContext context) => Finally((TContext)context);
}

public abstract class FrostingTask<TContext> : AsyncFrostingTask<TContext> where TContext : ICakeContext
{
    public virtual void Run(TContext context) { }

    public sealed override Task RunAsync(TContext context)
    {
        Run(context);
        return Task.CompletedTask;
    }
}

/// <summary>A task with no body: a target whose only content is its dependencies.</summary>
public abstract class FrostingTask : FrostingTask<ICakeContext>;
