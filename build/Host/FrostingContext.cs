using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace RecipeCi.Host;

/// <summary>A context that delegates every Cake service to the engine's own context.</summary>
public class FrostingContext(ICakeContext context) : ICakeContext
{
    public IFileSystem FileSystem => context.FileSystem;
    public ICakeEnvironment Environment => context.Environment;
    public IGlobber Globber => context.Globber;
    public ICakeLog Log => context.Log;
    public ICakeArguments Arguments => context.Arguments;
    public IProcessRunner ProcessRunner => context.ProcessRunner;
    public IRegistry Registry => context.Registry;
    public IToolLocator Tools => context.Tools;
    public ICakeDataResolver Data => context.Data;
    public ICakeConfiguration Configuration => context.Configuration;
    public IToolInstaller ToolInstaller => context.ToolInstaller;
    public IServiceProvider ServiceProvider => context.ServiceProvider;
}

public abstract class FrostingLifetime<TContext> where TContext : ICakeContext
{
    public virtual void Setup(TContext context, ISetupContext info) { }
    public virtual void Teardown(TContext context, ITeardownContext info) { }
}

public abstract class FrostingTaskLifetime<TContext> where TContext : ICakeContext
{
    public virtual void Setup(TContext context, ITaskSetupContext info) { }
    public virtual void Teardown(TContext context, ITaskTeardownContext info) { }
}
