using System.Text.RegularExpressions;

namespace RecipeCi.Swarm;

/// <summary>
/// What a deploy needs that the host (the abra server) does not provide, read from docker's own
/// error text. Such a failure says nothing about the release: it is an <c>error</c> naming what is
/// missing and how an operator provides it, never <c>baseline_broken</c> or <c>failed</c>.
/// </summary>
public static partial class HostGap
{
    // The texts this rests on, as docker 20.10.24 (Debian's docker.io) prints them:
    //   docker stack deploy, exit 1:
    //     network "rci-missing-net" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed
    //   a task's error (docker service ps), the task stays pending:
    //     no suitable node (scheduling constraints not satisfied on 1 node)    placement constraints no node meets
    //     no suitable node (missing plugin on 1 node)                          a volume driver (or network driver) not installed
    [GeneratedRegex(@"network ""(?<name>[^""]+)"" is declared as external, but could not be found")]
    private static partial Regex ExternalNetwork();

    /// <summary>Why the host cannot take the deploy and how to provide what it lacks, or null when the text names no such cause.</summary>
    public static string? Explain(string dockerText)
    {
        if (ExternalNetwork().Match(dockerText) is { Success: true } net)
        {
            var name = net.Groups["name"].Value;
            return $"the host lacks the external network '{name}' the stack joins; an abra server's operator provides it " +
                $"(docker network create --driver overlay --attachable {name}); Recipe CI's Bootstrap provides only '{Machine.LocalSwarmBootstrap.ProxyNetwork}'";
        }
        if (dockerText.Contains("scheduling constraints not satisfied", StringComparison.Ordinal))
            return "no node of the host satisfies the stack's placement constraints (docker: scheduling constraints not satisfied); " +
                "label a node as the recipe expects (docker node update --label-add <key>=<value> <node>) or set the constraint through the catalogue's env";
        if (dockerText.Contains("missing plugin", StringComparison.Ordinal))
            return "the host lacks a plugin the stack needs, a volume or network driver (docker: missing plugin); " +
                "install it on the node (docker plugin install <plugin>)";
        return null;
    }
}
